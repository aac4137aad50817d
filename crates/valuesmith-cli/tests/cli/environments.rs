//! `drift` and `apply` on three environments of the shipped CluedIn example
//! (fixtures/environments: dev, test and prod with their own hosts, resources and secrets,
//! and a package only test has).

use insta_cmd::assert_cmd_snapshot;

use crate::common::{fixture, listing, valuesmith};

const FILES: [&str; 3] = [
    "values-dev-2024-12-02.yml",
    "values-test-2024-12-02.yml",
    "values-prod-2024-12-02.yml",
];

/// The secrets the three files hold: none may appear without `--show-secrets`.
const TOKENS: [&str; 3] = [
    "pat-eu1-00000000-0000-0000-0000-000000000000",
    "pat-eu1-1111aaaa-2222-bbbb-3333-cccc4444dddd",
    "pat-eu1-9f8e7d6c-5b4a-3210-fedc-ba9876543210",
];

fn envs() -> std::process::Command {
    let mut command = valuesmith();
    command.current_dir(fixture("environments"));
    command
}

/// A copy of the fixtures in a temporary folder, for commands that write.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(fixture("environments")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    dir
}

fn assert_no_secret(output: &std::process::Output) {
    for text in [&output.stdout, &output.stderr] {
        let text = String::from_utf8_lossy(text);
        for token in TOKENS {
            assert!(!text.contains(token), "{token} leaked:\n{text}");
        }
    }
}

#[test]
fn drift_without_a_policy_reports_every_difference() {
    assert_cmd_snapshot!("drift_no_policy", envs().arg("drift").args(FILES));
    let output = envs().arg("drift").args(FILES).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_no_secret(&output);
}

#[test]
fn drift_with_a_policy_fails_only_on_what_it_does_not_allow() {
    assert_cmd_snapshot!(
        "drift_policy",
        envs()
            .arg("drift")
            .args(FILES)
            .args(["--config", "drift-policy.yml"])
    );
    // Everything but the token and the test-only package allowed: still drift.
    let only_allowed = envs()
        .args(["drift", FILES[0], FILES[2], "--config", "drift-policy.yml"])
        .output()
        .unwrap();
    assert_eq!(only_allowed.status.code(), Some(1));
    assert_no_secret(&only_allowed);
}

#[test]
fn drift_json_and_markdown() {
    for format in ["json", "markdown"] {
        let output = envs()
            .arg("drift")
            .args(FILES)
            .args(["--config", "drift-policy.yml", "--format", format])
            .output()
            .unwrap();
        assert_no_secret(&output);
        insta::assert_snapshot!(
            format!("drift_{format}"),
            String::from_utf8(output.stdout).unwrap()
        );
    }
    let shown = envs()
        .arg("drift")
        .args(FILES)
        .args(["--show-secrets"])
        .output()
        .unwrap();
    let text = String::from_utf8(shown.stdout).unwrap();
    for token in TOKENS {
        assert!(text.contains(token), "--show-secrets shows {token}");
    }
}

#[test]
fn drift_of_equal_files_exits_0() {
    let output = envs().args(["drift", FILES[0], FILES[0]]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "PATH  dev  dev  STATUS\n0 paths differ: 0 drift, 0 allowed by drift.allow\n"
    );
}

/// dev's change: one more processing pod and a new package version.
fn dev_change(dir: &std::path::Path) -> std::path::PathBuf {
    let changed = dir.join("dev-changed.yml");
    let text = std::fs::read_to_string(dir.join(FILES[0]))
        .unwrap()
        .replace(
            "replicas: 2  # processing pods for dev",
            "replicas: 3  # processing pods for dev",
        )
        .replace(
            "      - name: CluedIn.Connector.Http\n        version: 4.0.0",
            "      - name: CluedIn.Connector.Http\n        version: 4.0.9",
        );
    std::fs::write(&changed, text).unwrap();
    changed
}

#[test]
fn apply_promotes_a_dev_change_to_test_and_reports_prods_conflict() {
    let dir = workspace();
    let changed = dev_change(dir.path());
    let patch = valuesmith()
        .current_dir(dir.path())
        .args(["diff", FILES[0], "dev-changed.yml", "--format", "json"])
        .output()
        .unwrap();
    std::fs::write(dir.path().join("patch.json"), &patch.stdout).unwrap();
    let _ = changed;
    let before = listing(dir.path());
    let prod_before = std::fs::read(dir.path().join(FILES[2])).unwrap();
    // prod has 6 replicas where dev had 2: a conflict, and nothing is written.
    let mut conflict = valuesmith();
    conflict
        .current_dir(dir.path())
        .args(["apply", "patch.json", FILES[2]]);
    assert_cmd_snapshot!("apply_conflict", conflict);
    assert_eq!(
        std::fs::read(dir.path().join(FILES[2])).unwrap(),
        prod_before
    );
    assert_eq!(listing(dir.path()), before);
    // --skip-conflicts applies the rest, every other byte kept.
    let mut skip = valuesmith();
    skip.current_dir(dir.path())
        .args(["apply", "patch.json", FILES[2], "--skip-conflicts"]);
    assert_cmd_snapshot!("apply_skip_conflicts", skip);
    let prod_after = std::fs::read_to_string(dir.path().join(FILES[2])).unwrap();
    let expected = String::from_utf8(prod_before.clone()).unwrap().replace(
        "      - name: CluedIn.Connector.Http\n        version: 4.0.0",
        "      - name: CluedIn.Connector.Http\n        version: 4.0.9",
    );
    assert_eq!(prod_after, expected);
    // With the policy, replicas may differ: skipped, not a conflict; test takes both.
    let mut dry = valuesmith();
    dry.current_dir(dir.path()).args([
        "apply",
        "patch.json",
        FILES[1],
        "--config",
        "drift-policy.yml",
        "--dry-run",
    ]);
    assert_cmd_snapshot!("apply_policy_dry_run", dry);
    // Applying to test twice: the second changes nothing.
    let test_file = dir.path().join(FILES[1]);
    let status = valuesmith()
        .current_dir(dir.path())
        .args(["apply", "patch.json", FILES[1]])
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    let once = std::fs::read(&test_file).unwrap();
    let again = valuesmith()
        .current_dir(dir.path())
        .args(["apply", "patch.json", FILES[1]])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(std::fs::read(&test_file).unwrap(), once);
    insta::assert_snapshot!("apply_twice", String::from_utf8(again.stdout).unwrap());
}

#[test]
fn apply_never_writes_a_redacted_secret() {
    let dir = workspace();
    let text = std::fs::read_to_string(dir.path().join(FILES[0]))
        .unwrap()
        .replace(TOKENS[0], "pat-eu1-77777777-8888-9999-aaaa-bbbbbbbbbbbb");
    std::fs::write(dir.path().join("dev-token.yml"), text).unwrap();
    let patch = valuesmith()
        .current_dir(dir.path())
        .args(["diff", FILES[0], "dev-token.yml", "--format", "json"])
        .output()
        .unwrap();
    let before = std::fs::read(dir.path().join(FILES[0])).unwrap();
    std::fs::write(dir.path().join("patch.json"), &patch.stdout).unwrap();
    let output = valuesmith()
        .current_dir(dir.path())
        .args(["apply", "patch.json", FILES[0], "--skip-conflicts"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_no_secret(&output);
    assert!(!String::from_utf8_lossy(&output.stdout).contains("77777777"));
    assert_eq!(std::fs::read(dir.path().join(FILES[0])).unwrap(), before);
    insta::assert_snapshot!("apply_redacted", String::from_utf8(output.stdout).unwrap());
}

#[test]
fn apply_refuses_what_is_not_a_patch() {
    let mut command = envs();
    command.args(["apply", "drift-policy.yml", FILES[0]]);
    assert_cmd_snapshot!("apply_not_a_patch", command);
}

#[test]
fn set_diff_prints_the_change_redacted_and_writes_nothing() {
    let before = std::fs::read(fixture("environments").join(FILES[2])).unwrap();
    let mut command = envs();
    command.args([
        "set",
        FILES[2],
        "application.gql.hubSpotToken",
        "pat-eu1-new-token-0000",
        "--diff",
    ]);
    assert_cmd_snapshot!("set_diff", command);
    let output = envs()
        .args([
            "set",
            FILES[2],
            "application.gql.hubSpotToken",
            "pat-eu1-new-token-0000",
            "--diff",
        ])
        .output()
        .unwrap();
    assert_no_secret(&output);
    assert!(!String::from_utf8_lossy(&output.stdout).contains("pat-eu1-new-token-0000"));
    let shown = envs()
        .args([
            "set",
            FILES[2],
            "application.gql.hubSpotToken",
            "pat-eu1-new-token-0000",
            "--diff",
            "--show-secrets",
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&shown.stdout)
        .contains("+    hubSpotToken: pat-eu1-new-token-0000"));
    assert_eq!(
        std::fs::read(fixture("environments").join(FILES[2])).unwrap(),
        before
    );
}

const TARGETS: [&str; 3] = [
    "values-dev-2025-05-00.yml",
    "values-test-2025-05-00.yml",
    "values-prod-2025-05-00.yml",
];

#[test]
fn one_migrate_of_three_environments_gives_the_files_of_three_runs() {
    let together = workspace();
    let mut command = valuesmith();
    command
        .current_dir(together.path())
        .arg("migrate")
        .args(FILES)
        .args(["--to", "2025.05.00"]);
    assert_cmd_snapshot!("migrate_three", command);
    let separate = workspace();
    for file in FILES {
        let status = valuesmith()
            .current_dir(separate.path())
            .args(["migrate", file, "--to", "2025.05.00"])
            .status()
            .unwrap();
        assert_eq!(status.code(), Some(0));
    }
    for target in TARGETS {
        let one = std::fs::read(together.path().join(target)).unwrap();
        let other = std::fs::read(separate.path().join(target)).unwrap();
        assert!(one == other, "{target} differs between one run and three");
    }
    assert_eq!(listing(together.path()), listing(separate.path()));
    // --format json: one report a file, as a run on that file alone prints it.
    let json = valuesmith()
        .current_dir(workspace().path())
        .arg("migrate")
        .args(FILES)
        .args(["--to", "2025.05.00", "--format", "json", "--dry-run"])
        .output()
        .unwrap();
    let reports: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let alone = valuesmith()
        .current_dir(workspace().path())
        .args([
            "migrate",
            FILES[1],
            "--to",
            "2025.05.00",
            "--format",
            "json",
            "--dry-run",
        ])
        .output()
        .unwrap();
    let alone: serde_json::Value = serde_json::from_slice(&alone.stdout).unwrap();
    assert_eq!(reports.as_array().unwrap().len(), 3);
    assert_eq!(reports[1], alone);
    assert_no_secret(&json);
}

#[test]
fn a_failure_in_one_environment_writes_none() {
    let dir = workspace();
    // prod's output name is taken by a folder.
    std::fs::create_dir(dir.path().join(TARGETS[2])).unwrap();
    let before = listing(dir.path());
    let output = valuesmith()
        .current_dir(dir.path())
        .arg("migrate")
        .args(FILES)
        .args(["--to", "2025.05.00"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(listing(dir.path()), before);
    insta::assert_snapshot!(
        "migrate_three_write_failure",
        String::from_utf8(output.stderr).unwrap()
    );
    // A file whose tag disagrees with its name: refused before anything is written.
    let dir = workspace();
    let test = dir.path().join(FILES[1]);
    let text = std::fs::read_to_string(&test).unwrap().replacen(
        "  image:\n    tag: \"2024.12.02\"",
        "  image:\n    tag: \"2024.12.00\"",
        1,
    );
    std::fs::write(&test, text).unwrap();
    let before = listing(dir.path());
    let output = valuesmith()
        .current_dir(dir.path())
        .arg("migrate")
        .args(FILES)
        .args(["--to", "2025.05.00"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(listing(dir.path()), before);
    insta::assert_snapshot!(
        "migrate_three_mismatch",
        String::from_utf8(output.stderr).unwrap()
    );
}
