use std::fmt::Write as _;

use super::commands::*;
use super::*;
use crate::value::Value;
use crate::version::Version;

fn v(text: &str) -> Version {
    Version::parse(text).unwrap()
}

fn catalog(text: &str) -> Catalog {
    match Catalog::parse(text, "releases.yml") {
        Ok(catalog) => catalog,
        Err(err) => panic!("{err}"),
    }
}

/// Eight releases: three minor series of 1.x, two of 2.x and a 3.0.0 that any release may
/// upgrade to as far as `upgrade_from` goes.
fn ladder(policy: &str) -> Catalog {
    catalog(&format!(
        r#"product: app
chart: repo/app
policy: {{sequential: {policy}}}
releases:
  - {{version: 1.5.0, chart_version: "1"}}
  - {{version: 1.5.1, chart_version: "1"}}
  - {{version: 1.6.0, chart_version: "1", upgrade_from: ">=1.5.0"}}
  - {{version: 1.6.1, chart_version: "1"}}
  - {{version: 1.7.0, chart_version: "1", upgrade_from: ">=1.6.0"}}
  - {{version: 2.0.0, chart_version: "2", upgrade_from: ">=1.6.1, <2.0.0"}}
  - {{version: 2.1.0, chart_version: "2", upgrade_from: ">=2.0.0"}}
  - {{version: 3.0.0, chart_version: "3"}}
"#
    ))
}

/// No path: 1.1.0 accepts only a release the catalog does not have.
fn broken() -> Catalog {
    catalog(
        r#"product: app
chart: repo/app
releases:
  - {version: 1.0.0, chart_version: "1"}
  - {version: 1.0.1, chart_version: "1"}
  - version: 1.1.0
    chart_version: "1"
    upgrade_from: "=1.0.5"
  - {version: 1.2.0, chart_version: "1", upgrade_from: ">=1.1.0"}
"#,
    )
}

/// The highest reachable release (1.0.2) leads nowhere; the path goes through 1.0.1.
fn dead_end() -> Catalog {
    catalog(
        r#"product: app
chart: repo/app
policy: {sequential: none}
releases:
  - {version: 1.0.0, chart_version: "1"}
  - {version: 1.0.1, chart_version: "1"}
  - {version: 1.0.2, chart_version: "1"}
  - {version: 1.0.3, chart_version: "1", upgrade_from: "=1.0.1"}
"#,
    )
}

/// One line per step, or the error with its hint and position.
fn describe(catalog: &Catalog, from: &str, to: &str) -> String {
    let mut out = format!("{from} -> {to}:\n");
    match plan(catalog, &v(from), &v(to)) {
        Ok(path) if path.steps.is_empty() => out.push_str("  (no steps)\n"),
        Ok(path) => {
            for step in &path.steps {
                let covers: Vec<&str> = step.covers.iter().map(|r| r.version.as_str()).collect();
                let _ = writeln!(
                    out,
                    "  {} -> {} [covers {}]: {}",
                    step.from.version,
                    step.to.version,
                    covers.join(", "),
                    step.explanation(catalog)
                );
            }
        }
        Err(err) => {
            let d = err.to_diagnostic();
            let _ = writeln!(out, "  error: {}", d.message);
            if let Some(position) = d.position() {
                let _ = writeln!(out, "  at: {position}");
            }
            if let Some(hint) = d.hint {
                let _ = writeln!(out, "  hint: {hint}");
            }
        }
    }
    out
}

#[test]
fn path_matrix() {
    let queries = [
        ("1.5.0", "2.1.0"),
        ("1.5.0", "1.7.0"),
        ("1.5.1", "1.6.1"),
        ("1.6.1", "2.1.0"),
        ("1.5.0", "1.5.1"),
        ("1.6.0", "1.6.0"),
        ("1.7.0", "1.5.0"),
        ("1.5.0", "1.9.0"),
        ("1.5.00", "2.1"),
        ("1.6.2", "2.1.0"),
        ("0.9.0", "2.1.0"),
        ("1.5.0", "2.1.1"),
        ("1.5.0", "3.0.0"),
        ("2.1.0", "3.0.0"),
    ];
    let mut out = String::new();
    for policy in ["none", "minor", "major"] {
        let catalog = ladder(policy);
        let _ = writeln!(out, "## policy.sequential: {policy}\n");
        for (from, to) in queries {
            out.push_str(&describe(&catalog, from, to));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "## no path\n");
    let broken = broken();
    for (from, to) in [("1.0.0", "1.2.0"), ("1.0.0", "1.1.0"), ("1.0.0", "1.0.1")] {
        out.push_str(&describe(&broken, from, to));
    }
    let _ = writeln!(out, "\n## dead end\n");
    out.push_str(&describe(&dead_end(), "1.0.0", "1.0.3"));
    insta::assert_snapshot!("path_matrix", out);
}

#[test]
fn policies_decide_the_steps() {
    let steps = |policy: &str, from: &str, to: &str| -> Vec<String> {
        let catalog = ladder(policy);
        let path = plan(&catalog, &v(from), &v(to)).unwrap();
        path.steps
            .iter()
            .map(|s| s.to.version.to_string())
            .collect()
    };
    // upgrade_from alone: 1.5.0 may not reach 1.7.0 or 2.0.0 straight, so 1.6.1 first.
    assert_eq!(steps("none", "1.5.0", "2.1.0"), ["1.6.1", "2.0.0", "2.1.0"]);
    // minor: 2.0.0 is out of reach from 1.6.1 across the 1.7 series.
    assert_eq!(
        steps("minor", "1.5.0", "2.1.0"),
        ["1.6.1", "1.7.0", "2.0.0", "2.1.0"]
    );
    // major: within 1.x and into 2.x anything goes as far as upgrade_from allows.
    assert_eq!(
        steps("major", "1.5.0", "2.1.0"),
        ["1.6.1", "2.0.0", "2.1.0"]
    );
    // 3.0.0 has no upgrade_from: only the policy keeps 1.x from jumping to it.
    assert_eq!(steps("none", "1.5.0", "3.0.0"), ["3.0.0"]);
    assert_eq!(
        steps("major", "1.5.0", "3.0.0"),
        ["1.6.1", "2.0.0", "3.0.0"]
    );
    assert_eq!(
        steps("minor", "1.5.0", "3.0.0"),
        ["1.6.1", "1.7.0", "2.0.0", "2.1.0", "3.0.0"]
    );
    assert!(steps("minor", "1.6.0", "1.6.0").is_empty());
}

#[test]
fn steps_cover_jumped_releases() {
    let catalog = ladder("none");
    let path = plan(&catalog, &v("1.5.0"), &v("2.1.0")).unwrap();
    let covers: Vec<Vec<&str>> = path
        .steps
        .iter()
        .map(|s| s.covers.iter().map(|r| r.version.as_str()).collect())
        .collect();
    assert_eq!(
        covers,
        [
            vec!["1.5.1", "1.6.0", "1.6.1"],
            vec!["1.7.0", "2.0.0"],
            vec!["2.1.0"]
        ]
    );
    assert!(matches!(path.steps[2].stop, Stop::Target));
    assert!(matches!(path.steps[0].stop, Stop::UpgradeFrom { .. }));
}

#[test]
fn dead_ends_are_avoided() {
    let catalog = dead_end();
    let path = plan(&catalog, &v("1.0.0"), &v("1.0.3")).unwrap();
    let stops: Vec<&str> = path.steps.iter().map(|s| s.to.version.as_str()).collect();
    assert_eq!(stops, ["1.0.1", "1.0.3"]);
    assert!(matches!(path.steps[0].stop, Stop::DeadEnd { .. }));
}

#[test]
fn errors_name_the_problem() {
    let catalog = ladder("minor");
    let err = plan(&catalog, &v("1.7.0"), &v("1.5.0")).unwrap_err();
    assert_eq!(
        err,
        PlanError::Downgrade {
            from: "1.7.0".into(),
            to: "1.5.0".into()
        }
    );
    let err = plan(&catalog, &v("1.5.0"), &v("1.9.0")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the target release 1.9.0 is not in the app catalog (it has 1.5.0, 1.5.1, 1.6.0, \
         1.6.1, 1.7.0, 2.0.0, 2.1.0, 3.0.0)"
    );
    assert_eq!(
        err.to_diagnostic().hint.as_deref(),
        Some("the releases either side are 1.7.0 and 2.0.0")
    );
    let err = plan(&catalog, &v("1.6.2"), &v("2.1.0")).unwrap_err();
    assert_eq!(
        err.to_diagnostic().hint.as_deref(),
        Some("the releases either side are 1.6.1 and 1.7.0")
    );

    let broken = broken();
    let err = plan(&broken, &v("1.0.0"), &v("1.2.0")).unwrap_err();
    let d = err.to_diagnostic();
    assert_eq!(d.position().as_deref(), Some("releases.yml:8:19"));
    assert_eq!(
        d.source_line.as_deref(),
        Some("    upgrade_from: \"=1.0.5\"")
    );
    assert_eq!(
        d.message,
        "no upgrade path from 1.0.0 to 1.2.0: the path reaches 1.0.1 (1.0.0 -> 1.0.1), but \
         1.0.1 cannot upgrade straight to 1.1.0 (its upgrade_from `=1.0.5` excludes 1.0.1), \
         nor to any later release up to 1.2.0"
    );
}

#[test]
fn step_helpers() {
    let catalog = fixture();
    let path = plan(&catalog, &v("2024.12.02"), &v("2025.05.02")).unwrap();
    let first = &path.steps[0];
    let rules: Vec<(String, usize, &str)> = first
        .rules()
        .map(|r| (r.release.version.to_string(), r.index, r.rule.kind.name()))
        .collect();
    assert_eq!(
        rules,
        [
            ("2025.05.00".to_owned(), 0, "remove"),
            ("2025.05.00".to_owned(), 1, "require"),
            ("2025.05.00".to_owned(), 2, "warn"),
        ]
    );
    assert_eq!(first.data_upgrade(), Some("Version450"));
    assert_eq!(
        first
            .required_input()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ["application.cluedin.gql.hubSpotToken"]
    );
    let second = &path.steps[1];
    assert_eq!(second.data_upgrade(), None);
    assert!(second.required_input().is_empty());
    assert_eq!(second.notes().as_deref(), Some("Patch release."));
}

#[test]
fn jumped_releases_bring_their_data_upgrade_and_notes() {
    let catalog = catalog(
        r#"product: app
chart: repo/app
policy: {sequential: none}
commands: {upgrade_mode: app.upgradeMode, data_upgrade_api: example.com/v1}
releases:
  - {version: 1.0.0, chart_version: "1"}
  - {version: 1.1.0, chart_version: "1", data_upgrade: V11, notes: "Back up first."}
  - {version: 1.2.0, chart_version: "1", notes: "Then this."}
  - {version: 1.3.0, chart_version: "1"}
"#,
    );
    let path = plan(&catalog, &v("1.0.0"), &v("1.3.0")).unwrap();
    assert_eq!(path.steps.len(), 1);
    let step = &path.steps[0];
    assert_eq!(step.data_upgrade(), Some("V11"));
    assert_eq!(
        step.notes().as_deref(),
        Some("1.1.0: Back up first.\n1.2.0: Then this.")
    );
}

#[test]
fn data_upgrade_without_commands_is_an_error_at_the_label() {
    let catalog = catalog(
        "product: app\nchart: repo/app\nreleases:\n  - {version: 1.0.0, chart_version: \"1\"}\n  \
         - version: 1.1.0\n    chart_version: \"1\"\n    data_upgrade: V11\n",
    );
    let path = plan(&catalog, &v("1.0.0"), &v("1.1.0")).unwrap();
    let err = render(&path, PlanFormat::Human, RenderOptions::default()).unwrap_err();
    let d = err.to_diagnostic();
    assert_eq!(
        d.message,
        "release 1.1.0 needs a data upgrade, but the catalog has no `commands.upgrade_mode`"
    );
    assert_eq!(d.position().as_deref(), Some("releases.yml:7:19"));
    assert!(d.hint.unwrap().contains("upgrade_mode"));
}

#[test]
fn helm_syntax() {
    let path = Path::parse("podAnnotations.\"prometheus.io/port\".list[0]").unwrap();
    assert_eq!(
        helm_key(&path),
        "podAnnotations.prometheus\\.io/port.list[0]"
    );
    assert_eq!(helm_escape_value("a,b\\c"), "a\\,b\\\\c");
    for typed in ["true", "False", "NULL", "0", "10", "-3"] {
        assert!(helm_types_it(typed), "{typed}");
    }
    for text in ["1.5", "0755", "yes", "abc", ""] {
        assert!(!helm_types_it(text), "{text}");
    }
    let flag = |value: Value| -> Vec<Arg> { set_flag(&Path::parse("a.b").unwrap(), &value) };
    assert_eq!(
        flag(Value::String("true".into())),
        [Arg::Lit("--set-string".into()), Arg::Lit("a.b=true".into())]
    );
    assert_eq!(
        flag(Value::Bool(true)),
        [Arg::Lit("--set".into()), Arg::Lit("a.b=true".into())]
    );
    assert_eq!(sh_quote("a.b=true"), "a.b=true");
    assert_eq!(sh_quote("it's"), "'it'\\''s'");
    assert_eq!(sh_quote(""), "''");
    assert_eq!(ps_quote("a,b"), "'a,b'");
    assert_eq!(ps_quote("it's"), "'it''s'");
    assert_eq!(manifest_name("Version450"), "data-upgrade-version450");
    assert_eq!(manifest_name("V 4.5"), "data-upgrade-v-4-5");
}

fn fixture() -> Catalog {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/plan/catalog.yml"
    );
    let text = std::fs::read_to_string(file).unwrap();
    Catalog::parse(&text, "fixtures/plan/catalog.yml").unwrap()
}

fn rendered(from: &str, to: &str, format: PlanFormat, env: Option<&str>) -> String {
    let catalog = fixture();
    let path = plan(&catalog, &v(from), &v(to)).unwrap();
    render(
        &path,
        format,
        RenderOptions {
            env,
            values_dir: None,
        },
    )
    .unwrap()
}

const FORMATS: [(PlanFormat, &str); 5] = [
    (PlanFormat::Human, "human"),
    (PlanFormat::Markdown, "markdown"),
    (PlanFormat::Json, "json"),
    (PlanFormat::Shell, "shell"),
    (PlanFormat::PowerShell, "powershell"),
];

#[test]
fn plan_output_in_every_format() {
    // Step 1 is a data upgrade, step 2 a plain upgrade.
    for (format, name) in FORMATS {
        let text = rendered("2024.12.02", "2025.05.02", format, Some("dev"));
        insta::assert_snapshot!(format!("plan_{name}"), text);
    }
}

#[test]
fn plan_output_without_env() {
    for (format, name) in FORMATS {
        let text = rendered("2025.05.00", "2025.05.02", format, None);
        insta::assert_snapshot!(format!("plan_no_env_{name}"), text);
    }
}

#[test]
fn plan_output_with_nothing_to_do() {
    for (format, name) in FORMATS {
        let text = rendered("2025.05.02", "2025.05.02", format, Some("dev"));
        insta::assert_snapshot!(format!("plan_nothing_{name}"), text);
    }
}

#[test]
fn json_has_exactly_the_contract_fields() {
    let text = rendered("2024.12.02", "2025.05.02", PlanFormat::Json, Some("dev"));
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let keys =
        |v: &serde_json::Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    let mut top = keys(&json);
    top.sort();
    assert_eq!(top, ["from", "steps", "to"]);
    let steps = json["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 2);
    let mut fields = keys(&steps[0]);
    fields.sort();
    assert_eq!(
        fields,
        [
            "chart_version",
            "commands",
            "data_upgrade",
            "from",
            "notes",
            "required_input",
            "to",
            "values_file"
        ]
    );
    assert_eq!(steps[0]["data_upgrade"], "Version450");
    assert!(steps[1]["data_upgrade"].is_null());
    assert_eq!(steps[1]["values_file"], "values-dev-2025-05-02.yml");
    assert_eq!(
        steps[1]["commands"][0],
        "helm upgrade cluedin-platform -n cluedin cluedin/cluedin-platform --version 2.5.3 \
         --values values-dev-2025-05-02.yml --set application.system.runDatabaseJobsOnUpgrade=true \
         --set application.system.runNugetFullRestore=true --wait --timeout 10m0s"
    );
    assert_eq!(steps[0]["commands"].as_array().unwrap().len(), 5);
}

#[test]
fn values_dir_prefixes_the_files() {
    let catalog = fixture();
    let path = plan(&catalog, &v("2025.05.00"), &v("2025.05.02")).unwrap();
    let text = render(
        &path,
        PlanFormat::Shell,
        RenderOptions {
            env: Some("prod eu"),
            values_dir: Some("envs/prod"),
        },
    )
    .unwrap();
    assert!(
        text.contains("--values 'envs/prod/values-prod eu-2025-05-02.yml'"),
        "{text}"
    );
}

#[test]
fn shell_script_is_valid_bash() {
    // `bash -n` parses without running; skipped where bash is missing.
    for env in [Some("dev"), None] {
        let text = rendered("2024.12.02", "2025.05.02", PlanFormat::Shell, env);
        let dir = std::env::temp_dir().join(format!("valuesmith-plan-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let script = dir.join(format!("plan-{}.sh", env.unwrap_or("none")));
        std::fs::write(&script, &text).unwrap();
        match std::process::Command::new("bash")
            .arg("-n")
            .arg(&script)
            .output()
        {
            Ok(output) => assert!(
                output.status.success(),
                "{}\n{text}",
                String::from_utf8_lossy(&output.stderr)
            ),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => panic!("{err}"),
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
