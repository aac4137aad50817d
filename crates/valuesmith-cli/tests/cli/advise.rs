//! `advise`: the report in every format, the draft rules and `--write`, the round trip
//! through `migrate`, and every bad input with its exit code.

use insta_cmd::assert_cmd_snapshot;

use crate::common::{fixture, valuesmith};

const TRAEFIK_A: &str = "../../../shared/corpus/charts-full/traefik/40.3.0";
const TRAEFIK_B: &str = "../../../shared/corpus/charts-full/traefik/41.0.0";
const PG_A: &str = "../../../shared/corpus/charts-full/bitnami-postgresql/16.7.27";
const PG_B: &str = "../../../shared/corpus/charts-full/bitnami-postgresql/17.1.0";

/// `valuesmith` run in `fixtures/advise`, so that snapshots hold relative paths.
fn cli() -> std::process::Command {
    let mut command = valuesmith();
    command.current_dir(fixture("advise"));
    command
}

fn traefik(extra: &[&str]) -> std::process::Command {
    let mut command = cli();
    command.args([
        "advise",
        "traefik-values.yaml",
        "--from-chart",
        TRAEFIK_A,
        "--to-chart",
        TRAEFIK_B,
    ]);
    command.args(extra);
    command
}

#[test]
fn advise_traefik_report_in_every_format() {
    assert_cmd_snapshot!("advise_traefik_human", traefik(&[]));
    assert_cmd_snapshot!("advise_traefik_json", traefik(&["--format", "json"]));
    assert_cmd_snapshot!(
        "advise_traefik_markdown",
        traefik(&["--format", "markdown"])
    );
    assert_cmd_snapshot!("advise_traefik_github", traefik(&["--format", "github"]));
}

#[test]
fn advise_postgresql_with_its_subchart_redacts_secrets() {
    let mut command = cli();
    command.args([
        "advise",
        "postgresql-values.yaml",
        "--from-chart",
        PG_A,
        "--to-chart",
        PG_B,
        "--format",
        "json",
    ]);
    let output = command.output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        !text.contains("hunter2"),
        "the password is redacted: {text}"
    );
    assert_cmd_snapshot!("advise_postgresql_human", {
        let mut c = cli();
        c.args([
            "advise",
            "postgresql-values.yaml",
            "--from-chart",
            PG_A,
            "--to-chart",
            PG_B,
        ]);
        c
    });
}

#[test]
fn advise_rules_pasted_into_a_catalog_then_migrate_gives_the_written_file() {
    let tmp = tempfile::tempdir().unwrap();
    let values = fixture("advise/traefik-values.yaml");
    let original = std::fs::read(&values).unwrap();
    let written = tmp.path().join("written.yaml");
    let run = traefik(&["--write", written.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(1),
        "schema failures are left: exit 1"
    );
    // What is left is read off the written file: `logs` went with the renames, so only
    // `myCustomThing` is left, at its line in the written file.
    let stdout = String::from_utf8(run.stdout).unwrap();
    let tmp_shown = tmp.path().display().to_string();
    assert!(!stdout.contains("`logs`"), "{stdout}");
    insta::assert_snapshot!("advise_traefik_write", stdout.replace(&tmp_shown, "[TMP]"));
    assert_eq!(
        std::fs::read(&values).unwrap(),
        original,
        "the input is untouched"
    );
    let written_bytes = std::fs::read_to_string(&written).unwrap();
    insta::assert_snapshot!("advise_traefik_written_file", written_bytes);

    let rules = traefik(&["--rules"]).output().unwrap();
    assert_eq!(rules.status.code(), Some(1));
    let rules = String::from_utf8(rules.stdout).unwrap();
    insta::assert_snapshot!("advise_traefik_rules", rules);
    let mut catalog = String::from(
        "product: traefik\nchart: traefik/traefik\npolicy:\n  sequential: none\nreleases:\n  - version: \"40.3.0\"\n    chart_version: \"40.3.0\"\n",
    );
    for line in rules.lines() {
        catalog.push_str("  ");
        catalog.push_str(line);
        catalog.push('\n');
    }
    let catalog_path = tmp.path().join("releases.yml");
    std::fs::write(&catalog_path, catalog).unwrap();
    let migrated = tmp.path().join("migrated.yaml");
    let status = valuesmith()
        .args([
            "migrate",
            values.to_str().unwrap(),
            "--from",
            "40.3.0",
            "--to",
            "41.0.0",
        ])
        .args(["--catalog", catalog_path.to_str().unwrap()])
        .args(["--out", migrated.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(status.status.code(), Some(0), "{status:?}");
    assert_eq!(std::fs::read_to_string(&migrated).unwrap(), written_bytes);
}

#[test]
fn advise_bad_input() {
    // Not a chart.
    assert_cmd_snapshot!("advise_not_a_chart", {
        let mut c = cli();
        c.args([
            "advise",
            "plain.yaml",
            "--from-chart",
            ".",
            "--to-chart",
            TRAEFIK_B,
        ]);
        c
    });
    // A newer than B: said, and the report goes on.
    assert_cmd_snapshot!("advise_downgrade", {
        let mut c = cli();
        c.args([
            "advise",
            "plain.yaml",
            "--from-chart",
            TRAEFIK_B,
            "--to-chart",
            TRAEFIK_A,
        ]);
        c
    });
    // Identical charts: nothing to act on.
    assert_cmd_snapshot!("advise_identical", {
        let mut c = cli();
        c.args([
            "advise",
            "plain.yaml",
            "--from-chart",
            TRAEFIK_B,
            "--to-chart",
            TRAEFIK_B,
        ]);
        c
    });
    // An override file that does not parse.
    assert_cmd_snapshot!("advise_broken_file", {
        let mut c = cli();
        c.args([
            "advise",
            "broken.yaml",
            "--from-chart",
            TRAEFIK_A,
            "--to-chart",
            TRAEFIK_B,
        ]);
        c
    });
    // --write takes one file.
    assert_cmd_snapshot!("advise_write_two_files", {
        let mut c = cli();
        c.args([
            "advise",
            "plain.yaml",
            "traefik-values.yaml",
            "--from-chart",
            TRAEFIK_A,
        ])
        .args(["--to-chart", TRAEFIK_B, "--write", "out.yaml"]);
        c
    });
}

#[test]
fn advise_schema_pass_sees_the_set_flags() {
    // The flags are part of the values B's schema sees: `--set deployment.replicas=three` is
    // a string where B's schema wants an integer, and `--set myCustomThing=null` sets last the
    // key B's schema refuses (a `null` deletes only a key the chart has, as in Helm), so both
    // failures are the flags', and `logs` stays the file's.
    let output = traefik(&[
        "--set",
        "myCustomThing=null",
        "--set",
        "deployment.replicas=three",
        "--format",
        "json",
    ])
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let schema: Vec<String> = report["schema"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}: {}",
                f["at"]["file"].as_str().unwrap(),
                f["at"]["line"],
                f["message"].as_str().unwrap()
            )
        })
        .collect();
    insta::assert_debug_snapshot!("advise_schema_with_set_flags", schema);
}
