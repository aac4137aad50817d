//! `render-check`, `render-diff` and `migrate`/`plan --render-check` with real Helm 3 and
//! Helm 4 on the corpus' whole charts. Each test runs every Helm it finds
//! (`VALUESMITH_HELM3`, `VALUESMITH_HELM4`, else `helm` on PATH) and skips with one line
//! when there is none. Commands run from the repository root with relative paths, so reports
//! hold no machine path.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use valuesmith::document::Document;

use crate::common::{fixture, repo_root, valuesmith};

const CHARTS: &str = "../shared/corpus/charts-full";

/// The Helm binaries to run, labelled `helm3`/`helm4` (`helm` for one found on PATH).
fn helms() -> Vec<(&'static str, PathBuf)> {
    let mut found = Vec::new();
    for (label, var) in [("helm3", "VALUESMITH_HELM3"), ("helm4", "VALUESMITH_HELM4")] {
        if let Some(path) = std::env::var_os(var).filter(|p| !p.is_empty()) {
            found.push((label, PathBuf::from(path)));
        }
    }
    if found.is_empty()
        && Command::new("helm")
            .arg("version")
            .output()
            .is_ok_and(|o| o.status.success())
    {
        found.push(("helm", PathBuf::from("helm")));
    }
    if found.is_empty() {
        println!("skipped: no helm binary (set VALUESMITH_HELM4/VALUESMITH_HELM3)");
    }
    if !repo_root().join(CHARTS).is_dir() {
        println!("skipped: no {CHARTS}");
        return Vec::new();
    }
    found
}

/// `valuesmith ARGS... --helm HELM` from the repository root: exit code, stdout, stderr.
fn run_in(dir: &Path, helm: &Path, args: &[&str]) -> (i32, String, String) {
    let output = valuesmith()
        .current_dir(dir)
        .args(args)
        .arg("--helm")
        .arg(helm)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn run(helm: &Path, args: &[&str]) -> (i32, String, String) {
    run_in(&repo_root(), helm, args)
}

fn shown((code, stdout, stderr): &(i32, String, String)) -> String {
    format!("exit {code}\n--- stdout\n{stdout}--- stderr\n{stderr}")
}

fn chart(name: &str) -> String {
    format!("{CHARTS}/{name}")
}

#[test]
fn every_chart_renders_its_own_defaults_clean() {
    for (label, helm) in helms() {
        for name in [
            "traefik/40.3.0",
            "traefik/41.0.0",
            "ingress-nginx/4.14.0",
            "ingress-nginx/4.15.1",
            "bitnami-postgresql/16.7.27",
            "bitnami-postgresql/17.1.0",
        ] {
            let chart = chart(name);
            let values = format!("{chart}/values.yaml");
            let result = run(&helm, &["render-check", &values, "--chart", &chart]);
            assert_eq!(result.0, 0, "{label} {name}: {}", shown(&result));
            // The count is the number of resources helm itself printed.
            let direct = Command::new(&helm)
                .current_dir(repo_root())
                .args(["template", "release-name", &chart])
                .output()
                .unwrap();
            let text = String::from_utf8(direct.stdout).unwrap();
            let resources = text.lines().filter(|l| l.starts_with("kind: ")).count();
            assert!(
                result
                    .1
                    .contains(&format!("rendered {resources} resources")),
                "{label} {name}: {}",
                result.1
            );
            if name == "traefik/40.3.0" {
                insta::assert_snapshot!("defaults_traefik_40", shown(&result));
            }
        }
    }
}

#[test]
fn a_fail_in_a_template_points_at_the_users_line() {
    for (_, helm) in helms() {
        let result = run(
            &helm,
            &[
                "render-check",
                "fixtures/render/check/otlp.yml",
                "--chart",
                &chart("traefik/40.3.0"),
            ],
        );
        // Helm 3 and 4 word `fail` alike: one snapshot for both.
        insta::assert_snapshot!("otlp_fail", shown(&result));
        let json = run(
            &helm,
            &[
                "render-check",
                "fixtures/render/check/otlp.yml",
                "--chart",
                &chart("traefik/40.3.0"),
                "--format",
                "json",
            ],
        );
        insta::assert_snapshot!("otlp_fail_json", shown(&json));
    }
}

#[test]
fn a_schema_failure_points_at_the_key_the_schema_refuses() {
    for (label, helm) in helms() {
        let chart = chart("traefik/41.0.0");
        let result = run(
            &helm,
            &[
                "render-check",
                "fixtures/render/check/v40-logs.yml",
                "--chart",
                &chart,
            ],
        );
        assert_eq!(result.0, 1);
        assert!(
            result
                .1
                .starts_with("fixtures/render/check/v40-logs.yml:4:1: error[render-schema]"),
            "{}",
            result.1
        );
        insta::assert_snapshot!(format!("v40_logs_on_41_{label}"), shown(&result));
        let types = run(
            &helm,
            &[
                "render-check",
                "fixtures/render/check/types.yml",
                "--chart",
                &chart,
                "--format",
                "github",
            ],
        );
        insta::assert_snapshot!(format!("schema_types_github_{label}"), shown(&types));
        // A value given with --set is named as such.
        let set = run(
            &helm,
            &[
                "render-check",
                "fixtures/render/check/replicas.yml",
                "--chart",
                &chart,
                "--set",
                "image.tag=3",
            ],
        );
        assert_eq!(set.0, 1, "{}", shown(&set));
        assert!(
            set.1.contains("image.tag: set by --set image.tag=3"),
            "{}",
            set.1
        );
    }
}

/// The resources whose manifests differ between two `helm template` outputs, by a plain text
/// comparison of each resource (without Helm's `# Source:` comment).
fn text_changed(helm: &Path, old: &str, new: &str) -> BTreeSet<String> {
    let split = |chart: &str| {
        let output = Command::new(helm)
            .current_dir(repo_root())
            .args(["template", "release-name", chart])
            .output()
            .unwrap();
        let text = String::from_utf8(output.stdout).unwrap();
        let mut resources = std::collections::BTreeMap::new();
        for part in text.split("\n---\n") {
            let body: String = part
                .lines()
                .filter(|l| !l.starts_with("# Source:") && *l != "---")
                .map(|l| format!("{l}\n"))
                .collect();
            if body.trim().is_empty() {
                continue;
            }
            let value = Document::parse(&body).unwrap().value().clone();
            let get = |keys: &[&str]| {
                let mut here = Some(&value);
                for key in keys {
                    here = here.and_then(|v| v.as_mapping()).and_then(|m| m.get(key));
                }
                here.and_then(|v| v.scalar_text()).unwrap_or_default()
            };
            let id = format!(
                "{}|{}|{}|{}",
                get(&["apiVersion"]),
                get(&["kind"]),
                get(&["metadata", "namespace"]),
                get(&["metadata", "name"])
            );
            resources.insert(id, body);
        }
        resources
    };
    let (old, new) = (split(old), split(new));
    old.keys()
        .chain(new.keys())
        .filter(|id| old.get(*id) != new.get(*id))
        .cloned()
        .collect()
}

fn json_id(id: &serde_json::Value) -> String {
    let field = |k: &str| {
        id.get(k)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    format!(
        "{}|{}|{}|{}",
        field("apiVersion"),
        field("kind"),
        field("namespace"),
        field("name")
    )
}

#[test]
fn render_diff_of_chart_upgrades_lists_exactly_the_changed_resources() {
    for (label, helm) in helms() {
        for (name, old, new) in [
            (
                "ingress_nginx",
                "ingress-nginx/4.14.0",
                "ingress-nginx/4.15.1",
            ),
            (
                "postgresql",
                "bitnami-postgresql/16.7.27",
                "bitnami-postgresql/17.1.0",
            ),
        ] {
            let (old, new) = (chart(old), chart(new));
            let (old_values, new_values) =
                (format!("{old}/values.yaml"), format!("{new}/values.yaml"));
            let args = [
                "render-diff",
                old_values.as_str(),
                new_values.as_str(),
                "--chart",
                old.as_str(),
                "--to-chart",
                new.as_str(),
            ];
            let mut json_args = args.to_vec();
            json_args.extend(["--format", "json"]);
            let (code, stdout, stderr) = run(&helm, &json_args);
            assert_eq!(code, 1, "{label} {name}: {stderr}");
            let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
            let mut listed = BTreeSet::new();
            for resource in report["resources"].as_array().unwrap() {
                listed.insert(json_id(&resource["id"]));
                if let Some(old_id) = resource.get("old_id") {
                    listed.insert(json_id(old_id));
                }
            }
            assert_eq!(listed, text_changed(&helm, &old, &new), "{label} {name}");
            let mut brief_args = args.to_vec();
            brief_args.extend(["--format", "brief"]);
            // The same report from both Helm versions; Secret data redacted (the chart's
            // random password differs on every render).
            insta::assert_snapshot!(
                format!("render_diff_{name}"),
                shown(&run(&helm, &brief_args))
            );
        }
    }
}

#[test]
fn render_diff_human_and_github_and_secrets() {
    for (_, helm) in helms() {
        let old = chart("bitnami-postgresql/16.7.27");
        let new = chart("bitnami-postgresql/17.1.0");
        let values = format!("{old}/values.yaml");
        let base = [
            "render-diff",
            values.as_str(),
            values.as_str(),
            "--chart",
            old.as_str(),
        ];
        // The same chart and values: only the random password differs, and it is redacted.
        let same = run(&helm, &base);
        insta::assert_snapshot!("render_diff_same_chart_human", shown(&same));
        let mut shown_args = base.to_vec();
        shown_args.push("--show-secrets");
        let (code, stdout, _) = run(&helm, &shown_args);
        assert_eq!(code, 1);
        assert!(!stdout.contains("<redacted>"), "{stdout}");
        let mut github = base.to_vec();
        github.extend(["--to-chart", new.as_str(), "--format", "github"]);
        let (code, stdout, _) = run(&helm, &github);
        assert_eq!(code, 1);
        assert!(
            stdout.lines().all(|l| l.starts_with("::notice title=")),
            "{stdout}"
        );
        assert_eq!(stdout.lines().count(), 7, "{stdout}");
        // A side that does not render: exit 2 with its problems.
        let failed = run(
            &helm,
            &[
                "render-diff",
                "fixtures/render/check/replicas.yml",
                "fixtures/render/check/otlp.yml",
                "--chart",
                &chart("traefik/40.3.0"),
            ],
        );
        insta::assert_snapshot!("render_diff_side_fails", shown(&failed));
        // The inputs of the deployment reach the templates: the namespace, the capabilities.
        let (code, stdout, _) = run(
            &helm,
            &[
                "render-diff",
                "fixtures/render/check/replicas.yml",
                "fixtures/render/check/replicas.yml",
                "--chart",
                &chart("traefik/40.3.0"),
                "--namespace",
                "edge",
                "--kube-version",
                "1.30.0",
                "--api-versions",
                "monitoring.coreos.com/v1",
                "--format",
                "brief",
            ],
        );
        assert_eq!((code, stdout.as_str()), (0, ""));
        // Values that change nothing in the manifests: exit 0.
        let traefik = chart("traefik/40.3.0");
        let same = run(
            &helm,
            &[
                "render-diff",
                "fixtures/render/check/replicas.yml",
                "fixtures/render/check/replicas.yml",
                "--chart",
                &traefik,
            ],
        );
        assert_eq!(same.0, 0, "{}", shown(&same));
        let changed = run(
            &helm,
            &[
                "render-diff",
                "fixtures/render/check/replicas.yml",
                "fixtures/render/check/v40-logs.yml",
                "--chart",
                &traefik,
                "--format",
                "brief",
            ],
        );
        insta::assert_snapshot!("render_diff_values_change", shown(&changed));
    }
}

#[test]
fn helms_own_errors_name_the_command() {
    for (_, helm) in helms() {
        // A folder that is no chart: Helm's message, with the command that gave it.
        let (code, stdout, stderr) = run(
            &helm,
            &[
                "render-check",
                "fixtures/render/check/replicas.yml",
                "--chart",
                "fixtures/render/check",
            ],
        );
        assert_eq!((code, stdout.as_str()), (2, ""));
        assert!(
            stderr.starts_with(
                "error: `helm template release-name fixtures/render/check -f fixtures/render/check/replicas.yml` failed: Error:"
            ),
            "{stderr}"
        );
        let missing = run(
            &helm,
            &[
                "render-check",
                "fixtures/render/check/replicas.yml",
                "--chart",
                "fixtures/render/no-such-chart",
            ],
        );
        insta::assert_snapshot!("missing_chart", shown(&missing));
    }
}

#[test]
fn no_helm_and_a_hanging_helm_are_clear_errors() {
    let missing = run(
        Path::new("/nonexistent/helm"),
        &[
            "render-check",
            "fixtures/render/check/replicas.yml",
            "--chart",
            &chart("traefik/40.3.0"),
        ],
    );
    insta::assert_snapshot!("no_helm", shown(&missing));
    // A values file that is not YAML is refused before Helm runs, at its line.
    let syntax = run(
        Path::new("/nonexistent/helm"),
        &[
            "render-check",
            "fixtures/cli/syntax.yml",
            "--chart",
            &chart("traefik/40.3.0"),
        ],
    );
    insta::assert_snapshot!("values_not_yaml", shown(&syntax));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let fake = dir.path().join("helm");
        std::fs::write(&fake, "#!/bin/sh\nexec sleep 30\n").unwrap();
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
        let started = std::time::Instant::now();
        let hung = run(
            &fake,
            &[
                "render-check",
                "fixtures/render/check/replicas.yml",
                "--chart",
                &chart("traefik/40.3.0"),
                "--timeout",
                "0.5",
            ],
        );
        assert!(started.elapsed().as_secs() < 10);
        insta::assert_snapshot!("hanging_helm", shown(&hung));
    }
}

/// A folder with the catalog fixture's files and `charts/` holding traefik 40.3.0 and
/// 41.0.0 packaged with `tar` as `helm pull` saves them (`traefik-<version>.tgz`, top folder
/// `traefik/`).
fn catalog_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["releases.yml", "values-dev-1-0-0.yml"] {
        std::fs::copy(fixture("render/catalog").join(name), dir.path().join(name)).unwrap();
    }
    let charts = dir.path().join("charts");
    std::fs::create_dir(&charts).unwrap();
    for version in ["40.3.0", "41.0.0"] {
        let staging = tempfile::tempdir().unwrap();
        let status = Command::new("cp")
            .arg("-r")
            .arg(repo_root().join(CHARTS).join("traefik").join(version))
            .arg(staging.path().join("traefik"))
            .status()
            .unwrap();
        assert!(status.success());
        let status = Command::new("tar")
            .arg("-czf")
            .arg(charts.join(format!("traefik-{version}.tgz")))
            .arg("-C")
            .arg(staging.path())
            .arg("traefik")
            .status()
            .unwrap();
        assert!(status.success());
    }
    dir
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| {
            e.unwrap()
                .path()
                .strip_prefix(dir)
                .unwrap()
                .display()
                .to_string()
        })
        .collect();
    names.sort();
    names
}

#[test]
fn migrate_render_check_stops_before_writing_a_step_that_does_not_render() {
    let helms = helms();
    if helms.is_empty() {
        return;
    }
    let dir = catalog_workspace();
    for (label, helm) in helms {
        let before = listing(dir.path());
        let failed = run_in(
            dir.path(),
            &helm,
            &[
                "migrate",
                "values-dev-1-0-0.yml",
                "--to",
                "2.0.0",
                "--render-check",
                "--charts-dir",
                "charts",
            ],
        );
        assert_eq!(failed.0, 1, "{}", shown(&failed));
        assert_eq!(listing(dir.path()), before, "{label}: nothing written");
        insta::assert_snapshot!(format!("migrate_render_check_{label}"), shown(&failed));
        let plan = run_in(
            dir.path(),
            &helm,
            &[
                "plan",
                "values-dev-1-0-0.yml",
                "--to",
                "2.0.0",
                "--render-check",
                "--charts-dir",
                "charts",
            ],
        );
        assert_eq!(plan.0, 1, "{}", shown(&plan));
        assert_eq!(plan.1, "");
        assert!(
            plan.2
                .contains("step 2.0.0 does not render with chart traefik-41.0.0.tgz"),
            "{}",
            plan.2
        );
        // A path whose steps render is written as usual.
        let ok = run_in(
            dir.path(),
            &helm,
            &[
                "migrate",
                "values-dev-1-0-0.yml",
                "--to",
                "1.1.0",
                "--render-check",
                "--charts-dir",
                "charts",
                "--force",
            ],
        );
        assert_eq!(ok.0, 0, "{}", shown(&ok));
        assert!(dir.path().join("values-dev-1-1-0.yml").is_file());
        std::fs::remove_file(dir.path().join("values-dev-1-1-0.yml")).unwrap();
        // A packaged chart: the template's reads are found inside the .tgz too.
        std::fs::copy(
            fixture("render/check/otlp.yml"),
            dir.path().join("otlp.yml"),
        )
        .unwrap();
        let packaged = run_in(
            dir.path(),
            &helm,
            &[
                "render-check",
                "otlp.yml",
                "--chart",
                "charts/traefik-40.3.0.tgz",
            ],
        );
        std::fs::remove_file(dir.path().join("otlp.yml")).unwrap();
        assert_eq!(packaged.0, 1, "{}", shown(&packaged));
        assert!(
            packaged.1.starts_with("otlp.yml:6:7: error[render-fail]")
                && packaged
                    .1
                    .contains("=   logs.general.otlp.enabled: otlp.yml:6:7"),
            "{}",
            packaged.1
        );
        // A chart version missing from the folder says how to get it.
        std::fs::rename(
            dir.path().join("charts/traefik-41.0.0.tgz"),
            dir.path().join("aside.tgz"),
        )
        .unwrap();
        let missing = run_in(
            dir.path(),
            &helm,
            &[
                "migrate",
                "values-dev-1-0-0.yml",
                "--to",
                "2.0.0",
                "--render-check",
                "--charts-dir",
                "charts",
                "--dry-run",
            ],
        );
        std::fs::rename(
            dir.path().join("aside.tgz"),
            dir.path().join("charts/traefik-41.0.0.tgz"),
        )
        .unwrap();
        insta::assert_snapshot!("migrate_render_check_missing_chart", shown(&missing));
    }
}
