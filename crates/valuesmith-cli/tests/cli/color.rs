//! `--color` and `NO_COLOR`, decided per stream.

use crate::common::{fixture, valuesmith};

fn diff_stdout(args: &[&str], no_color: bool) -> String {
    let case = fixture("diff/identity-lists");
    let mut command = valuesmith();
    if !no_color {
        command.env_remove("NO_COLOR");
    }
    let output = command
        .args(args)
        .arg("diff")
        .arg(case.join("old.yml"))
        .arg(case.join("new.yml"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn auto_is_plain_when_stdout_is_not_a_terminal() {
    assert!(!diff_stdout(&["--color", "auto"], false).contains('\x1b'));
}

#[test]
fn always_colours_and_never_does_not() {
    assert!(diff_stdout(&["--color", "always"], false).contains('\x1b'));
    assert!(diff_stdout(&["--color", "always"], true).contains('\x1b'));
    assert!(!diff_stdout(&["--color", "never"], false).contains('\x1b'));
}

#[test]
fn errors_are_coloured_only_when_asked() {
    let run = |color: &str| {
        let output = valuesmith()
            .args(["--color", color, "get", "missing.yml", "a"])
            .output()
            .unwrap();
        String::from_utf8(output.stderr).unwrap()
    };
    assert!(run("always").starts_with("\x1b[1;31merror\x1b[0m: missing.yml"));
    assert!(run("never").starts_with("error: missing.yml"));
}
