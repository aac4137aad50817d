//! `valuesmith validate --fix`, `--unsafe-fixes` and `--diff`: the fixed files byte for byte
//! (`fixtures/validate-fix/`), a second `--fix` changing nothing, `--diff` writing nothing.

use std::path::Path;
use std::process::Output;

use crate::common::{fixture, valuesmith};

/// A folder with the catalog and the two inputs of `fixtures/validate-fix/release`.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let copy = |from: &str, to: &str| {
        std::fs::copy(fixture(from), dir.path().join(to)).unwrap();
    };
    for name in [
        "catalog.yml",
        "values-dev-2025-05-00.yml",
        "values-qa-2025-05-00.yml",
    ] {
        copy(&format!("validate-fix/release/{name}"), name);
    }
    dir
}

fn validate(dir: &Path, args: &[&str]) -> Output {
    valuesmith()
        .current_dir(dir)
        .args(["validate", "--no-config", "--catalog", "catalog.yml"])
        .args(args)
        .args(["values-dev-2025-05-00.yml", "values-qa-2025-05-00.yml"])
        .output()
        .unwrap()
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap()
}

fn expected(name: &str) -> Vec<u8> {
    std::fs::read(fixture("validate-fix/release").join(name)).unwrap()
}

#[test]
fn fix_applies_the_safe_fixes_and_a_second_run_changes_nothing() {
    let dir = workspace();
    let output = validate(dir.path(), &["--fix"]);
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "values-dev-2025-05-00.yml: fixed 1 finding\nvalues-qa-2025-05-00.yml: fixed 3 findings\n"
    );
    // What is left: a rename whose target is already written (the user's call).
    let report = String::from_utf8(output.stdout.clone()).unwrap();
    assert!(report.ends_with("0 errors, 1 warning\n"), "{report}");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        read(dir.path(), "values-dev-2025-05-00.yml"),
        expected("values-dev-2025-05-00.expected.yml")
    );
    assert_eq!(
        read(dir.path(), "values-qa-2025-05-00.yml"),
        expected("values-qa-2025-05-00.expected.yml")
    );
    let again = validate(dir.path(), &["--fix"]);
    assert!(again.stderr.is_empty(), "{again:?}");
    assert_eq!(again.stdout, output.stdout);
    assert_eq!(
        read(dir.path(), "values-qa-2025-05-00.yml"),
        expected("values-qa-2025-05-00.expected.yml")
    );
    // No temporary file is left beside the inputs.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 3);
}

#[test]
fn diff_shows_the_fixes_and_writes_nothing() {
    let dir = workspace();
    let before = read(dir.path(), "values-qa-2025-05-00.yml");
    let output = validate(dir.path(), &["--diff"]);
    assert_eq!(output.status.code(), Some(1));
    let diff = String::from_utf8(output.stdout).unwrap();
    assert!(
        diff.starts_with("--- values-dev-2025-05-00.yml\n+++ values-dev-2025-05-00.yml\n"),
        "{diff}"
    );
    assert!(diff.contains("\n-        version: 4.4.0          # still the 2024.12 version\n+        version: 4.5.0          # still the 2024.12 version\n"), "{diff}");
    assert_eq!(read(dir.path(), "values-qa-2025-05-00.yml"), before);
}

#[test]
fn a_fix_that_may_be_wrong_waits_for_unsafe_fixes() {
    // `strategy.typ` is likely a misspelling of the `type` the release requires: adding
    // `type` would leave `typ` behind, so the fix is unsafe.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture("validate/required-value/catalog.yml"),
        dir.path().join("catalog.yml"),
    )
    .unwrap();
    let file = dir.path().join("values-dev-2025-05-00.yml");
    let text = "global:\n  image:\n    tag: \"2025.05.00\"\n  strategy:\n    typ: Recreate\n";
    std::fs::write(&file, text).unwrap();
    let run = |args: &[&str]| {
        valuesmith()
            .current_dir(dir.path())
            .args([
                "validate",
                "--no-config",
                "--catalog",
                "catalog.yml",
                "--select",
                "required-value",
            ])
            .args(args)
            .arg("values-dev-2025-05-00.yml")
            .output()
            .unwrap()
    };
    let output = run(&["--fix"]);
    let report = String::from_utf8(output.stdout).unwrap();
    assert!(
        report.contains("is `global.strategy.typ` a misspelling of `type`?"),
        "{report}"
    );
    let after_safe = std::fs::read_to_string(&file).unwrap();
    assert!(
        after_safe.contains("    typ: Recreate\n") && !after_safe.contains("type:"),
        "{after_safe}"
    );
    run(&["--fix", "--unsafe-fixes"]);
    let after = std::fs::read_to_string(&file).unwrap();
    assert!(
        after.contains("  strategy:\n    typ: Recreate\n    type: Recreate\n"),
        "{after}"
    );
}
