//! `valuesmith diff`: exit codes, formats, standard input, options and read errors.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use crate::common::{fixture, valuesmith};

/// `valuesmith diff ARGS...` run in `fixtures/diff`, so file names in the output are short.
fn diff(args: &[&str]) -> Command {
    let mut command = valuesmith();
    command.current_dir(fixture("diff")).arg("diff").args(args);
    command
}

fn run(mut command: Command) -> (i32, String, String) {
    let output = command.output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn with_stdin(mut command: Command, input: &[u8]) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The command may exit before reading (`- -` is refused first): a broken pipe is fine.
    let _ = child.stdin.take().unwrap().write_all(input);
    child.wait_with_output().unwrap()
}

#[test]
fn equal_documents_exit_0_and_print_nothing() {
    let (code, stdout, stderr) = run(diff(&["reorder/old.yml", "reorder/old.yml"]));
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (0, "", ""));
    // Formatting alone is no difference.
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.yml");
    let b = dir.path().join("b.yml");
    std::fs::write(&a, "a: {x: 1, y: [1, 2]}  # comment\n").unwrap();
    std::fs::write(&b, "a:\n    y:\n      - 1\n      - 2\n    x: 1\n").unwrap();
    let mut command = valuesmith();
    command.arg("diff").arg(&a).arg(&b);
    assert_eq!(run(command).0, 0);
}

#[test]
fn differences_exit_1_with_the_human_report() {
    let (code, stdout, stderr) = run(diff(&["values-upgrade/old.yml", "values-upgrade/new.yml"]));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.is_empty());
    insta::assert_snapshot!(stdout);
}

#[test]
fn json_report() {
    let (code, stdout, _) = run(diff(&[
        "values-upgrade/old.yml",
        "values-upgrade/new.yml",
        "--format",
        "json",
    ]));
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["old"], "values-upgrade/old.yml");
    assert_eq!(json["new"], "values-upgrade/new.yml");
    let changes = json["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 5);
    assert_eq!(
        changes[0],
        serde_json::json!({"kind": "changed", "path": "global.image.tag",
            "segments": ["global", "image", "tag"],
            "old": "2024.12.02", "new": "2025.05.00", "old_line": 4, "new_line": 4})
    );
    assert_eq!(
        changes[4]["segments"],
        serde_json::json!(["application", "cluedin", "components", "packages", {"name": "CluedIn.EventHub"}])
    );
}

#[test]
fn brief_and_github_reports() {
    let (code, stdout, _) = run(diff(&[
        "identity-lists/old.yml",
        "identity-lists/new.yml",
        "--format",
        "brief",
    ]));
    assert_eq!(code, 1);
    assert_eq!(stdout.lines().count(), 4, "{stdout}");
    let (code, stdout, _) = run(diff(&[
        "identity-lists/old.yml",
        "identity-lists/new.yml",
        "--format",
        "github",
    ]));
    assert_eq!(code, 1);
    assert!(
        stdout.lines().all(|l| l.starts_with("::notice file=")),
        "{stdout}"
    );
    assert!(stdout.contains("::notice file=identity-lists/old.yml,line=5,title=removed"));
}

#[test]
fn old_document_from_standard_input() {
    let old = std::fs::read(fixture("diff/values-upgrade/old.yml")).unwrap();
    let output = with_stdin(
        diff(&["-", "values-upgrade/new.yml", "--format", "json"]),
        &old,
    );
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["old"], "<stdin>");
    assert_eq!(json["changes"].as_array().unwrap().len(), 5);
    // The new side works too, and equal input exits 0.
    let new = std::fs::read(fixture("diff/values-upgrade/new.yml")).unwrap();
    let output = with_stdin(diff(&["values-upgrade/new.yml", "-"]), &new);
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn standard_input_for_both_sides_is_refused() {
    let output = with_stdin(diff(&["-", "-"]), b"a: 1\n");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.starts_with("error: standard input"), "{stderr}");
}

#[test]
fn ignored_paths() {
    let base = [
        "values-upgrade/old.yml",
        "values-upgrade/new.yml",
        "--format",
        "brief",
    ];
    let ignoring = |patterns: &[&str]| {
        let mut args: Vec<&str> = base.to_vec();
        for pattern in patterns {
            args.extend(["--ignore", pattern]);
        }
        run(diff(&args))
    };
    let (code, stdout, _) = ignoring(&["global", "application.cluedin.components"]);
    assert_eq!(code, 1);
    assert_eq!(
        stdout,
        "removed   application.cluedin.image: {tag: \"2024.12.02\"}\n"
    );
    // `*` matches one segment: `*.image` is global.image, not application.cluedin.image.
    let (code, stdout, _) = ignoring(&["*.image", "application.*.components"]);
    assert_eq!(code, 1);
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        [
            "added     global.strategy: {type: Recreate}",
            "removed   application.cluedin.image: {tag: \"2024.12.02\"}"
        ]
    );
    // Everything ignored: no differences.
    let (code, stdout, _) = ignoring(&["global", "application"]);
    assert_eq!((code, stdout.as_str()), (0, ""));
    // A pattern that does not parse is a usage error.
    let (code, _, stderr) = ignoring(&["a..b"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("a..b"), "{stderr}");
}

#[test]
fn identity_keys_from_the_command_line() {
    let (code, stdout, _) = run(diff(&[
        "reorder/old.yml",
        "reorder/new.yml",
        "--format",
        "brief",
        "--identity",
        "port",
    ]));
    assert_eq!(code, 1);
    assert!(
        stdout.contains("reordered ports: 80, 443 -> 443, 80\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("changed   ports[port=80].protocol: TCP -> UDP\n"),
        "{stdout}"
    );
}

#[test]
fn secrets_are_redacted_unless_asked() {
    let args = ["secrets/old.yml", "secrets/new.yml", "--format", "brief"];
    let (_, stdout, _) = run(diff(&args));
    assert!(stdout.contains("application.admin.password: <redacted> -> <redacted>"));
    assert!(!stdout.contains("hunter2"));
    let mut shown = args.to_vec();
    shown.push("--show-secrets");
    let (_, stdout, _) = run(diff(&shown));
    assert!(stdout.contains("application.admin.password: hunter2 -> correct-horse"));
}

#[test]
fn colour_follows_the_color_option() {
    let args = ["multiline/old.yml", "multiline/new.yml"];
    let (_, plain, _) = run(diff(&args));
    assert!(!plain.contains('\x1b'));
    let mut command = diff(&args);
    command.arg("--color").arg("always");
    let (_, colored, _) = run(command);
    assert!(
        colored.contains("\x1b[31m-   worker_connections 1024;\x1b[0m"),
        "{colored}"
    );
    // JSON is never coloured.
    let mut command = diff(&["multiline/old.yml", "multiline/new.yml", "--format", "json"]);
    command.arg("--color").arg("always");
    let (_, json, _) = run(command);
    assert!(!json.contains('\x1b'));
}

#[test]
fn unparsable_input_exits_2_with_position_and_caret() {
    let (code, stdout, stderr) = run(diff(&["broken.yml", "reorder/old.yml"]));
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(stderr.contains("--> broken.yml:"), "{stderr}");
    insta::assert_snapshot!(stderr);
}

#[test]
fn unreadable_input_exits_2() {
    let (code, _, stderr) = run(diff(&["missing.yml", "reorder/old.yml"]));
    assert_eq!(code, 2);
    assert_eq!(stderr, "error: missing.yml: no such file or directory\n");
    let dir = tempfile::tempdir().unwrap();
    let utf16 = dir.path().join("utf16.yml");
    std::fs::write(&utf16, b"\xff\xfea\x00:\x00 \x001\x00\n\x00").unwrap();
    let mut command = valuesmith();
    command.arg("diff").arg(&utf16).arg(&utf16);
    let (code, _, stderr) = run(command);
    assert_eq!(code, 2);
    assert!(stderr.contains("UTF-16"), "{stderr}");
}
