//! `get`, `set` and `diff` read values as Helm does: `get --format json` prints Helm's
//! `toJson`, `set` keeps a string a string (with a notice) unless `--typed`, and refuses a key
//! that only a merge key brings; `diff --yaml-1.2` is the switch for YAML that is not values.

use insta_cmd::assert_cmd_snapshot;

use crate::common::valuesmith;

const FILE: &str = "image:\n  tag: \"1.9\"\nmode: x\nbase: &b {port: 80}\nsvc:\n  <<: *b\n  name: a\nperm: 0644\non: yes\n";

#[test]
fn get_prints_helms_reading() {
    assert_cmd_snapshot!(
        "helm_get_json",
        valuesmith()
            .args(["get", "-", "svc", "--format", "json"])
            .pass_stdin(FILE)
    );
    assert_cmd_snapshot!(
        "helm_get_json_bool_key",
        valuesmith()
            .args(["get", "-", "true", "--format", "json"])
            .pass_stdin(FILE)
    );
    // A key that only the merge key brings, and an octal number.
    assert_cmd_snapshot!(
        "helm_get_merged",
        valuesmith().args(["get", "-", "svc.port"]).pass_stdin(FILE)
    );
    assert_cmd_snapshot!(
        "helm_get_octal",
        valuesmith().args(["get", "-", "perm"]).pass_stdin(FILE)
    );
}

#[test]
fn set_keeps_strings_unless_typed() {
    for (name, value) in [
        ("helm_set_keeps_1_10", "1.10"),
        ("helm_set_keeps_on", "on"),
        ("helm_set_keeps_empty", ""),
    ] {
        assert_cmd_snapshot!(
            name,
            valuesmith()
                .args(["set", "-", "image.tag", value])
                .pass_stdin(FILE)
        );
    }
    assert_cmd_snapshot!(
        "helm_set_typed",
        valuesmith()
            .args(["set", "-", "image.tag", "0755", "--typed"])
            .pass_stdin(FILE)
    );
}

#[test]
fn set_refuses_a_key_that_a_merge_brings() {
    assert_cmd_snapshot!(
        "helm_set_merged",
        valuesmith()
            .args(["set", "-", "svc.port", "81"])
            .pass_stdin(FILE)
    );
}

#[test]
fn diff_compares_helm_readings_unless_yaml_1_2() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.yml");
    let new = dir.path().join("new.yml");
    std::fs::write(&old, "mode: 010\nflag: on\n").unwrap();
    std::fs::write(&new, "mode: 10\nflag: true\n").unwrap();
    let (old, new) = (old.to_str().unwrap(), new.to_str().unwrap());
    let brief = |extra: &[&str]| {
        let out = valuesmith()
            .args(["diff", old, new, "--format", "brief"])
            .args(extra)
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap())
    };
    // Helm: 8 becomes 10, and `on` is already true.
    let (code, helm) = brief(&[]);
    assert_eq!(code, Some(1));
    assert_eq!(helm.lines().count(), 1, "{helm}");
    assert!(helm.contains("mode") && helm.contains('8'), "{helm}");
    // YAML 1.2: 10 stays 10, and the string `on` becomes true.
    let (code, yaml12) = brief(&["--yaml-1.2"]);
    assert_eq!(code, Some(1));
    assert_eq!(yaml12.lines().count(), 1, "{yaml12}");
    assert!(yaml12.contains("flag"), "{yaml12}");
}

/// Several documents: Helm 4 (the default) merges them, `--helm-version 3` reads the first;
/// `validate` says which reading it used.
#[test]
fn helm_version_chooses_how_several_documents_read() {
    let text = "a: {x: 1, z: 2}\n---\na: {x: 3}\nb: 4\n";
    assert_cmd_snapshot!(
        "helm_version_4_merges_documents",
        valuesmith()
            .args(["get", "-", "", "--format", "json"])
            .pass_stdin(text)
    );
    assert_cmd_snapshot!(
        "helm_version_3_reads_the_first_document",
        valuesmith()
            .args(["--helm-version", "3", "get", "-", "", "--format", "json"])
            .pass_stdin(text)
    );
    assert_cmd_snapshot!(
        "helm_version_3_validate",
        valuesmith()
            .args(["validate", "-", "--helm-version", "3"])
            .pass_stdin(text)
    );
}

#[test]
fn what_helms_parser_refuses_is_refused_with_its_position() {
    // A tab right after `- `: YAML 1.2 reads it, go-yaml v2 (Helm) stops there.
    assert_cmd_snapshot!(
        "helm_refuses_tab_after_dash",
        valuesmith()
            .args(["get", "-", "a"])
            .pass_stdin("a:\n- \tx\n")
    );
    assert_cmd_snapshot!(
        "helm_refuses_escaped_slash_validate",
        valuesmith()
            .args(["validate", "-"])
            .pass_stdin("a: \"x\\/y\"\n")
    );
    // Helm 4 cuts the file at `---` lines before parsing; Helm 3 reads the first document.
    assert_cmd_snapshot!(
        "helm_4_refuses_separator_with_content",
        valuesmith()
            .args(["get", "-", "a"])
            .pass_stdin("a: 1\n--- |\n  x\n")
    );
    assert_cmd_snapshot!(
        "helm_3_reads_separator_with_content",
        valuesmith()
            .args(["--helm-version", "3", "get", "-", "a"])
            .pass_stdin("a: 1\n--- |\n  x\n")
    );
}
