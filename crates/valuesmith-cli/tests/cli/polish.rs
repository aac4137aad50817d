//! What every command shares: the top-level help, `--` before a value that starts with `-`,
//! and `migrate --out-dir` making its folder.

use crate::common::{fixture, valuesmith};

#[test]
fn top_level_help_describes_the_tool_and_the_double_dash() {
    let output = valuesmith().arg("--help").output().unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    assert!(help.starts_with(
        "Diff, migrate and validate Helm values files, keeping every comment and blank line\n"
    ));
    assert!(
        help.contains("valuesmith set values.yml replicas -- -1"),
        "{help}"
    );
}

#[test]
fn validate_help_says_the_catalog_is_optional_and_migrate_help_does_not() {
    let help = |command: &str| {
        let output = valuesmith().args([command, "--help"]).output().unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let skipped = "without one, the release checks are skipped";
    assert!(help("validate").contains(skipped), "{}", help("validate"));
    assert!(!help("migrate").contains(skipped), "{}", help("migrate"));
}

#[test]
fn a_value_starting_with_a_dash_goes_after_double_dash() {
    let file = fixture("cli/values-dev-2024-12-02.yml");
    let output = valuesmith()
        .arg("set")
        .arg(&file)
        .args(["global.replicaOffset", "--", "-1"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("\n  replicaOffset: -1\n"), "{text}");
    // Without `--`, clap reads `-1` as an option and says what to do.
    let output = valuesmith()
        .arg("set")
        .arg(&file)
        .args(["global.replicaOffset", "-1"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("-- -1"));
}

/// `migrate` of the CRLF fixture to 1.2.0 with `--out-dir out` and `extra` flags.
fn migrate_into(out: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let case = fixture("migrate/crlf-multi-step");
    valuesmith()
        .arg("migrate")
        .arg(case.join("input.yml"))
        .args([
            "--to",
            "1.2.0",
            "--from",
            "1.0.0",
            "--env",
            "qa",
            "--catalog",
        ])
        .arg(case.join("catalog.yml"))
        .arg("--out-dir")
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn migrate_makes_a_missing_out_dir() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("releases/next");
    let output = migrate_into(&out, &[]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        std::fs::read(out.join("values-qa-1-2-0.yml")).unwrap(),
        std::fs::read(fixture("migrate/crlf-multi-step/expected.yml")).unwrap()
    );
    // A dry run makes nothing.
    let dry = dir.path().join("dry");
    let output = migrate_into(&dry, &["--dry-run"]);
    assert!(output.status.success(), "{output:?}");
    assert!(!dry.exists());
}
