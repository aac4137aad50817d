//! `get` and `set`: output, exit codes, and every bad input with its position.

use insta_cmd::assert_cmd_snapshot;

use crate::common::{fixture, valuesmith};

/// The fixture's name, relative to the folder the commands run in (see [`cli`]), so that
/// snapshots hold no machine-specific path.
fn values() -> String {
    "values-dev-2024-12-02.yml".to_owned()
}

/// `valuesmith` run in `fixtures/cli`.
fn cli() -> std::process::Command {
    let mut command = valuesmith();
    command.current_dir(fixture("cli"));
    command
}

#[test]
fn get_scalar_subtree_and_identity() {
    assert_cmd_snapshot!(
        "get_scalar",
        cli().args(["get", &values(), "global.image.tag"])
    );
    assert_cmd_snapshot!("get_subtree", cli().args(["get", &values(), "global"]));
    assert_cmd_snapshot!(
        "get_identity",
        cli().args([
            "get",
            &values(),
            "application.cluedin.components.packages[name=Contoso.Connector.Sap].version"
        ])
    );
    assert_cmd_snapshot!(
        "get_quoted_key",
        cli().args(["get", &values(), "podAnnotations.\"prometheus.io/port\""])
    );
}

#[test]
fn get_missing_path_suggests() {
    assert_cmd_snapshot!(
        "get_missing",
        cli().args(["get", &values(), "global.imag.tag"])
    );
    assert_cmd_snapshot!(
        "get_bad_path",
        cli().args(["get", &values(), "global..tag"])
    );
}

#[test]
fn get_from_stdin() {
    assert_cmd_snapshot!(
        "get_stdin",
        valuesmith()
            .args(["get", "-", "a.b"])
            .pass_stdin("a:\n  b: [1, 2]\n")
    );
}

#[test]
fn set_prints_the_file_with_one_change() {
    assert_cmd_snapshot!(
        "set_tag",
        cli().args(["set", &values(), "global.image.tag", "2025.05.00"])
    );
    assert_cmd_snapshot!(
        "set_package_version",
        cli().args([
            "set",
            &values(),
            "application.cluedin.components.packages[name=CluedIn.Connector.Http].version",
            "4.5.0"
        ])
    );
    assert_cmd_snapshot!(
        "set_new_subtree",
        cli().args(["set", &values(), "global.strategy", "{type: Recreate}"])
    );
    assert_cmd_snapshot!(
        "set_string_flag",
        cli().args(["set", "--string", &values(), "global.dns.hostname", "on"])
    );
}

#[test]
fn set_errors() {
    assert_cmd_snapshot!(
        "set_parent_scalar",
        cli().args(["set", &values(), "global.image.tag.x", "1"])
    );
    assert_cmd_snapshot!(
        "set_bad_value",
        cli().args(["set", &values(), "global.image.tag", "[unclosed"])
    );
    assert_cmd_snapshot!(
        "set_in_place_stdin",
        valuesmith()
            .args(["set", "--in-place", "-", "a", "1"])
            .pass_stdin("a: 0\n")
    );
}

#[test]
fn set_in_place_writes_atomically_and_only_when_changed() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("values.yml");
    std::fs::write(&file, "a: 1 # keep\r\nb: x\r\n").unwrap();
    let status = valuesmith()
        .args(["set", "-i", file.to_str().unwrap(), "b", "yes"])
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(
        std::fs::read(&file).unwrap(),
        b"a: 1 # keep\r\nb: \"yes\"\r\n"
    );
    let entries: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(entries.len(), 1, "no temporary file is left behind");
}

#[test]
fn bad_inputs_exit_2_with_position() {
    for name in [
        "tab",
        "duplicate",
        "helm-header",
        "comments-only",
        "syntax",
        "utf16",
        "latin1",
        "list",
        "missing",
    ] {
        let mut command = valuesmith();
        command
            .current_dir(fixture("cli"))
            .args(["get", &format!("{name}.yml"), "a"]);
        assert_cmd_snapshot!(format!("bad_input_{name}"), command);
    }
}
