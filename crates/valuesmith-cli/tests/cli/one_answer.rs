//! Issue 10, "Why": the cases where `validate`, `plan` and `migrate` gave different answers
//! about one file now give one.

use std::path::Path;

use crate::common::{listing, valuesmith};

const CATALOG: &str = "\
product: demo
chart: demo/demo
version_path: global.image.tag
releases:
  - version: 1.0.0
    chart_version: 1.0.0
    values:
      global: {image: {tag: 1.0.0}}
  - version: 1.1.0
    chart_version: 1.1.0
    values:
      global: {image: {tag: 1.1.0}}
    migrate:
      - set: moved
        value: true
  - version: 2.0.0
    chart_version: 2.0.0
    values:
      global: {image: {tag: 2.0.0}}
  - version: 2024.10
    chart_version: 3.0.0
    values:
      global: {image: {tag: 2024.10}}
  - version: 2024.11
    chart_version: 3.0.1
    values:
      global: {image: {tag: 2024.11}}
";

fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("releases.yml"), CATALOG).unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let output = valuesmith().current_dir(dir).args(args).output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A 1.0.0 file copied to the 1.1.0 name: validate reports a release-mismatch, and migrate
/// and plan refuse it with the same message (exit 2, nothing written) unless --from says.
#[test]
fn a_name_and_a_version_path_that_disagree_are_refused_alike() {
    let dir = folder(&[(
        "values-dev-1-1-0.yml",
        "global:\n  image:\n    tag: 1.0.0\n",
    )]);
    let message = "`global.image.tag` says release 1.0.0, but the file name says 1.1.0";
    let (code, stdout, _) = run(dir.path(), &["validate", "values-dev-1-1-0.yml"]);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.contains(message), "{stdout}");
    let before = listing(dir.path());
    for command in ["migrate", "plan"] {
        let (code, _, stderr) = run(
            dir.path(),
            &[command, "values-dev-1-1-0.yml", "--to", "2.0.0"],
        );
        assert_eq!(code, Some(2), "{command}: {stderr}");
        assert!(stderr.contains(message), "{command}: {stderr}");
        assert!(
            stderr.contains("values-dev-1-1-0.yml:3:10"),
            "{command}: {stderr}"
        );
        assert_eq!(listing(dir.path()), before, "{command} wrote nothing");
    }
    // --from settles it: the file is at 1.0.0, so 1.1.0's rule runs.
    let (code, stdout, stderr) = run(
        dir.path(),
        &[
            "migrate",
            "values-dev-1-1-0.yml",
            "--to",
            "2.0.0",
            "--from",
            "1.0.0",
            "--dry-run",
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("+ moved: true"), "{stdout}");
}

/// `tag: 2024.10` is release 2024.10 for every command (it used to be 2024.1 for migrate),
/// and plan reads the `version_path` of a file without a release in its name as migrate
/// does.
#[test]
fn a_version_path_is_read_as_written_by_every_command() {
    let dir = folder(&[("current.yml", "global:\n  image:\n    tag: 2024.10\n")]);
    let (code, stdout, stderr) = run(
        dir.path(),
        &[
            "migrate",
            "current.yml",
            "--to",
            "2024.11",
            "--env",
            "dev",
            "--dry-run",
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains("current.yml: 2024.10 -> 2024.11"),
        "{stdout}"
    );
    let (code, stdout, stderr) = run(
        dir.path(),
        &["plan", "current.yml", "--to", "2024.11", "--env", "dev"],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("2024.10"), "{stdout}");
}
