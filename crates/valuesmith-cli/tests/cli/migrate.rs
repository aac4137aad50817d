//! `migrate`: step files, dry runs, reports, exit codes, and never touching the input.

use insta_cmd::assert_cmd_snapshot;

use crate::common::{fixture, listing, repo_root, valuesmith};

/// A temporary folder holding the product-example fixture as a real values file and its
/// catalog as `releases.yml` (found by discovery).
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let case = fixture("migrate/product-example");
    std::fs::copy(
        case.join("input.yml"),
        dir.path().join("values-dev-2024-12-02.yml"),
    )
    .unwrap();
    std::fs::copy(case.join("catalog.yml"), dir.path().join("releases.yml")).unwrap();
    dir
}

#[test]
fn writes_one_file_per_step_and_leaves_the_input_alone() {
    let dir = workspace();
    let input = dir.path().join("values-dev-2024-12-02.yml");
    let before = std::fs::read(&input).unwrap();
    let output = valuesmith()
        .current_dir(dir.path())
        .args(["migrate", "values-dev-2024-12-02.yml", "--to", "2025.05.00"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    insta::assert_snapshot!("migrate_report", String::from_utf8_lossy(&output.stdout));
    assert_eq!(
        std::fs::read(&input).unwrap(),
        before,
        "the input is never modified"
    );
    assert_eq!(
        listing(dir.path()),
        [
            "releases.yml",
            "values-dev-2024-12-02.yml",
            "values-dev-2025-05-00.yml"
        ]
    );
    let written = std::fs::read(dir.path().join("values-dev-2025-05-00.yml")).unwrap();
    let expected = std::fs::read(fixture("migrate/product-example/expected.yml")).unwrap();
    assert_eq!(written, expected);

    // A second run refuses to overwrite, and --force overwrites with the same bytes.
    let again = valuesmith()
        .current_dir(dir.path())
        .args(["migrate", "values-dev-2024-12-02.yml", "--to", "2025.05.00"])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    let forced = valuesmith()
        .current_dir(dir.path())
        .args([
            "migrate",
            "values-dev-2024-12-02.yml",
            "--to",
            "2025.05.00",
            "--force",
        ])
        .status()
        .unwrap();
    assert!(forced.success());
    assert_eq!(
        std::fs::read(dir.path().join("values-dev-2025-05-00.yml")).unwrap(),
        expected
    );
}

#[test]
fn the_output_migrated_again_changes_nothing() {
    let dir = workspace();
    let run = |file: &str, to: &str| {
        valuesmith()
            .current_dir(dir.path())
            .args(["migrate", file, "--to", to, "--dry-run", "--format", "json"])
            .output()
            .unwrap()
    };
    assert!(valuesmith()
        .current_dir(dir.path())
        .args(["migrate", "values-dev-2024-12-02.yml", "--to", "2025.05.00"])
        .status()
        .unwrap()
        .success());
    let same = run("values-dev-2025-05-00.yml", "2025.05.00");
    assert_eq!(same.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&same.stdout).unwrap();
    assert_eq!(report["steps"], serde_json::json!([]));
}

#[test]
fn dry_run_prints_report_and_diff_and_writes_nothing() {
    let dir = workspace();
    let mut command = valuesmith();
    command.current_dir(dir.path()).args([
        "migrate",
        "values-dev-2024-12-02.yml",
        "--to",
        "2025.05.00",
        "--dry-run",
    ]);
    assert_cmd_snapshot!("migrate_dry_run", command);
    assert_eq!(
        listing(dir.path()),
        ["releases.yml", "values-dev-2024-12-02.yml"]
    );
}

#[test]
fn json_report_redacts_secrets_unless_asked() {
    let dir = workspace();
    let mut command = valuesmith();
    command.current_dir(dir.path()).args([
        "migrate",
        "values-dev-2024-12-02.yml",
        "--to",
        "2025.05.00",
        "--dry-run",
        "--format",
        "json",
    ]);
    assert_cmd_snapshot!("migrate_json", command);
    let shown = valuesmith()
        .current_dir(dir.path())
        .args([
            "migrate",
            "values-dev-2024-12-02.yml",
            "--to",
            "2025.05.00",
            "--dry-run",
            "--format",
            "json",
            "--show-secrets",
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&shown.stdout).contains("pat-na1-1234"));
}

#[test]
fn unmet_requires_exit_1_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let case = fixture("migrate/require-unmet");
    std::fs::copy(
        case.join("input.yml"),
        dir.path().join("values-prod-1-0-0.yml"),
    )
    .unwrap();
    std::fs::copy(case.join("catalog.yml"), dir.path().join("releases.yml")).unwrap();
    let mut command = valuesmith();
    command
        .current_dir(dir.path())
        .args(["migrate", "values-prod-1-0-0.yml", "--to", "1.1.0"]);
    assert_cmd_snapshot!("migrate_require_unmet", command);
    assert_eq!(
        listing(dir.path()),
        ["releases.yml", "values-prod-1-0-0.yml"]
    );
}

#[test]
fn stdin_with_from_and_env_writes_to_out_dir() {
    let dir = tempfile::tempdir().unwrap();
    let case = fixture("migrate/crlf-multi-step");
    let input = std::fs::read(case.join("input.yml")).unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let mut child = valuesmith()
        .args(["migrate", "-", "--to", "1.2.0", "--env", "qa", "--catalog"])
        .arg(case.join("catalog.yml"))
        .arg("--out-dir")
        .arg(&out)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert_eq!(
        listing(&out),
        ["values-qa-1-1-0.yml", "values-qa-1-2-0.yml"]
    );
    assert_eq!(
        std::fs::read(out.join("values-qa-1-2-0.yml")).unwrap(),
        std::fs::read(case.join("expected.yml")).unwrap()
    );
}

#[test]
fn errors_exit_2() {
    let dir = workspace();
    let run = |args: &[&str]| {
        let mut command = valuesmith();
        command.current_dir(dir.path()).arg("migrate").args(args);
        command
    };
    // A file of 2025.05.00 (its name and its tag agree; a name alone is a release-mismatch).
    let text = std::fs::read_to_string(dir.path().join("values-dev-2024-12-02.yml")).unwrap();
    assert!(text.contains("tag: \"2024.12.02\""));
    std::fs::write(
        dir.path().join("values-dev-2025-05-00.yml"),
        text.replace("tag: \"2024.12.02\"", "tag: \"2025.05.00\""),
    )
    .unwrap();
    assert_cmd_snapshot!(
        "migrate_downgrade",
        run(&["values-dev-2025-05-00.yml", "--to", "2024.12.02"])
    );
    assert_cmd_snapshot!(
        "migrate_unknown_release",
        run(&["values-dev-2024-12-02.yml", "--to", "2025.06.00"])
    );
    std::fs::write(
        dir.path().join("releases.yml"),
        "product: x\nreleases:\n  - version: 1.0\n    chart_versio: 1\n",
    )
    .unwrap();
    assert_cmd_snapshot!(
        "migrate_bad_catalog",
        run(&["values-dev-2024-12-02.yml", "--to", "2025.05.00"])
    );
    let mut command = valuesmith();
    command
        .current_dir(fixture("migrate/rename-conflict"))
        .args([
            "migrate",
            "input.yml",
            "--from",
            "1.0.0",
            "--env",
            "dev",
            "--to",
            "1.1.0",
            "--catalog",
            "catalog.yml",
            "--dry-run",
        ]);
    assert_cmd_snapshot!("migrate_rename_conflict", command);
}

/// The README's first command, run exactly as written (with the built binary in place of
/// `cargo run --release --`).
#[test]
fn the_readme_first_command_succeeds() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let block = readme.split("```console\n").nth(1).unwrap();
    let first = block.lines().next().unwrap();
    let mut outputs = Vec::new();
    for command in first.split(" && ") {
        let args = command
            .strip_prefix("cargo run --release -- ")
            .unwrap_or_else(|| panic!("not a cargo run command: {command}"));
        let output = valuesmith()
            .current_dir(repo_root())
            .args(args.split_whitespace())
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{command}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        outputs.push(String::from_utf8(output.stdout).unwrap());
    }
    assert!(outputs[0].starts_with(
        "examples/cluedin/values-dev-2024-12-02.yml: 2024.12.02 -> 2026.02.00 in 5 steps"
    ));
    assert!(
        outputs[1].contains("helm upgrade cluedin-platform -n cluedin cluedin/cluedin-platform")
    );
}

/// Issue 17: with the second step's output name taken by a folder, `--force` writes no step
/// file at all (it used to write the first before failing), and says which output failed.
#[test]
fn a_folder_in_the_way_of_a_later_step_writes_no_step_file() {
    let dir = tempfile::tempdir().unwrap();
    let example = repo_root().join("examples/cluedin");
    for name in ["values-dev-2024-12-02.yml", "releases.yml"] {
        std::fs::copy(example.join(name), dir.path().join(name)).unwrap();
    }
    std::fs::create_dir(dir.path().join("values-dev-2025-05-02.yml")).unwrap();
    let before = listing(dir.path());
    let output = valuesmith()
        .current_dir(dir.path())
        .args([
            "migrate",
            "values-dev-2024-12-02.yml",
            "--to",
            "2026.02.00",
            "--force",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("values-dev-2025-05-02.yml: is a directory"),
        "{stderr}"
    );
    assert_eq!(listing(dir.path()), before);
}
