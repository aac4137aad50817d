//! `effective`, and `validate --chart`: output, exit codes and every bad input.

use insta_cmd::assert_cmd_snapshot;

use crate::common::{fixture, valuesmith};

/// `valuesmith` run in `fixtures/effective`, so that snapshots hold relative paths.
fn cli() -> std::process::Command {
    let mut command = valuesmith();
    command.current_dir(fixture("effective"));
    command
}

#[test]
fn effective_yaml_json_and_explain() {
    let args = [
        "effective",
        "--chart",
        "parent",
        "-f",
        "prod.yaml",
        "--set",
        "image.pullPolicy=Always",
    ];
    assert_cmd_snapshot!("effective_yaml", cli().args(args));
    assert_cmd_snapshot!(
        "effective_json",
        cli().args(args).args(["--format", "json"])
    );
    assert_cmd_snapshot!("effective_explain", cli().args(args).arg("--explain"));
}

#[test]
fn effective_without_a_chart_and_with_type_clashes() {
    assert_cmd_snapshot!(
        "effective_no_chart",
        cli().args([
            "effective",
            "-f",
            "prod.yaml",
            "--set-string",
            "n=5",
            "--set",
            "n=6,l={a,b}"
        ])
    );
    assert_cmd_snapshot!(
        "effective_clash",
        cli().args([
            "effective",
            "--chart",
            "parent",
            "-f",
            "clash.yaml",
            "--format",
            "json"
        ])
    );
}

#[test]
fn effective_set_json_file_and_literal() {
    assert_cmd_snapshot!(
        "effective_set_json_file_literal",
        cli().args([
            "effective",
            "--set-literal",
            r"csv=a,b\c",
            "--set-file",
            "note=set-file/two.txt",
            "--set",
            "n=1,csv=from-set",
            "--set-json",
            r#"obj={"k":[1,2.5,null]},n=2"#,
            "--explain",
        ])
    );
    assert_cmd_snapshot!(
        "effective_set_file_missing",
        cli().args(["effective", "--set-file", "note=set-file/missing.txt"])
    );
    // As in Helm, `-` is standard input (read once: a second `-` gets nothing), and a URL,
    // which Helm downloads, is refused: valuesmith works offline.
    assert_cmd_snapshot!(
        "effective_set_file_stdin",
        cli()
            .args([
                "effective",
                "--format",
                "json",
                "--set-file",
                "note=-,again= - ",
            ])
            .pass_stdin("line one\nline two\n")
    );
    assert_cmd_snapshot!(
        "effective_set_file_url",
        cli().args(["effective", "--set-file", "note=HTTPS://example.com/ca.pem"])
    );
    // `import-values` bring a subchart's values into the parent's defaults; --explain names
    // the subchart's values.yaml line.
    assert_cmd_snapshot!(
        "effective_import_values_explain",
        cli().args(["effective", "--chart", "importer", "--explain"])
    );
    assert_cmd_snapshot!(
        "effective_set_json_object_helm3",
        cli().args([
            "effective",
            "--helm-version",
            "3",
            "--set-json",
            r#"{"a":1}"#
        ])
    );
}

#[test]
fn effective_redacts_secrets_unless_shown() {
    let args = [
        "effective",
        "--set",
        "auth.password=TopSecret1,auth.user=admin",
        "--explain",
    ];
    assert_cmd_snapshot!("effective_secret_explain", cli().args(args));
    assert_cmd_snapshot!(
        "effective_secret_json",
        cli().args(&args[..3]).args(["--format", "json"])
    );
    assert_cmd_snapshot!(
        "effective_secret_shown",
        cli().args(args).arg("--show-secrets")
    );
}

#[test]
fn effective_bad_input_is_exit_2_with_position() {
    assert_cmd_snapshot!(
        "effective_bad_set",
        cli().args(["effective", "--set", "a.b"])
    );
    assert_cmd_snapshot!(
        "effective_bad_index",
        cli().args(["effective", "--set", "a[x]=1"])
    );
    assert_cmd_snapshot!(
        "effective_set_into_scalar",
        cli().args(["effective", "-f", "clash.yaml", "--set", "image.a=1"])
    );
    assert_cmd_snapshot!(
        "effective_not_a_tgz",
        cli().args(["effective", "--chart", "not-a-chart.tgz"])
    );
    assert_cmd_snapshot!(
        "effective_no_chart_yaml",
        cli().args(["effective", "--chart", "no-chart-yaml"])
    );
    assert_cmd_snapshot!(
        "effective_broken_values",
        cli().args(["effective", "--chart", "broken-values"])
    );
    assert_cmd_snapshot!(
        "effective_missing_chart",
        cli().args(["effective", "--chart", "nowhere"])
    );
}

#[test]
fn validate_with_a_chart() {
    assert_cmd_snapshot!(
        "validate_chart_findings",
        cli().args(["validate", "bad-schema.yaml", "--chart", "parent"])
    );
    assert_cmd_snapshot!(
        "validate_chart_clean",
        cli().args(["validate", "prod.yaml", "--chart", "parent"])
    );
    assert_cmd_snapshot!(
        "validate_chart_inherited",
        cli().args(["validate", "clash.yaml", "--chart", "bad-default"])
    );
    assert_cmd_snapshot!(
        "validate_chart_unreadable",
        cli().args(["validate", "prod.yaml", "--chart", "not-a-chart.tgz"])
    );
}
