//! `valuesmith validate --format sarif|gitlab`: the output of every `fixtures/validate/` case is
//! valid against the format's schema (vendored in `fixtures/schemas/`, see its README), and the
//! output of one case is shown whole.

use std::path::Path;

use insta_cmd::assert_cmd_snapshot;

use crate::common::{fixture, valuesmith};

fn schema(name: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(fixture("schemas").join(name)).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

/// `validate --format FORMAT` in a case's folder, with the case's catalog, schema and chart
/// values where it has them; the report parsed, and the exit code.
fn report(case: &Path, format: &str) -> (serde_json::Value, Option<i32>) {
    let mut command = valuesmith();
    command
        .current_dir(case)
        .args(["validate", "--no-config", "--format", format]);
    for (file, flag) in [
        ("catalog.yml", "--catalog"),
        ("values.schema.json", "--schema"),
        ("chart-values.yaml", "--chart-values"),
    ] {
        if case.join(file).exists() {
            command.args([flag, file]);
        }
    }
    let mut names: Vec<String> = std::fs::read_dir(case)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| {
            (n.ends_with(".yml") || n.ends_with(".yaml"))
                && !["catalog.yml", "chart-values.yaml"].contains(&n.as_str())
        })
        .collect();
    names.sort();
    command.args(&names);
    let output = command.output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{case:?}: {e}: {text}"));
    (value, output.status.code())
}

fn cases() -> Vec<std::path::PathBuf> {
    let mut cases: Vec<_> = std::fs::read_dir(fixture("validate"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

#[test]
fn sarif_of_every_case_is_valid_sarif_2_1_0() {
    let validator = schema("sarif-schema-2.1.0.json");
    let mut rules_seen = std::collections::BTreeSet::new();
    for case in cases() {
        let (log, code) = report(&case, "sarif");
        let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{case:?}: {errors:#?}");
        let results = log["runs"][0]["results"].as_array().unwrap();
        let has_error = results.iter().any(|r| r["level"] == "error");
        assert_eq!(code, Some(i32::from(has_error)), "{case:?}");
        let rules = log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        for result in results {
            // ruleIndex points at the rule of ruleId.
            let index = usize::try_from(result["ruleIndex"].as_u64().unwrap()).unwrap();
            assert_eq!(rules[index]["id"], result["ruleId"], "{case:?}");
            rules_seen.insert(result["ruleId"].as_str().unwrap().to_owned());
        }
    }
    // The fixtures hold every code, so every kind of result was checked.
    assert!(rules_seen.len() >= 17, "{rules_seen:?}");
}

#[test]
fn gitlab_of_every_case_is_valid_and_fingerprints_are_unique() {
    let validator = schema("gitlab-code-quality.schema.json");
    for case in cases() {
        let (report, _) = report(&case, "gitlab");
        let errors: Vec<String> = validator
            .iter_errors(&report)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{case:?}: {errors:#?}");
        let fingerprints: std::collections::HashSet<&str> = report
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["fingerprint"].as_str().unwrap())
            .collect();
        assert_eq!(
            fingerprints.len(),
            report.as_array().unwrap().len(),
            "{case:?}"
        );
    }
}

#[test]
fn the_schemas_refuse_what_they_should() {
    // So that the two tests above cannot pass on a schema that accepts anything.
    let sarif = schema("sarif-schema-2.1.0.json");
    assert!(!sarif.is_valid(&serde_json::json!({"version": "2.1.0", "runs": [{"results": []}]})));
    let gitlab = schema("gitlab-code-quality.schema.json");
    assert!(!gitlab.is_valid(&serde_json::json!([{"description": "x", "check_name": "c",
        "fingerprint": "f", "severity": "error", "location": {"path": "p", "lines": {"begin": 1}}}])));
}

#[test]
fn sarif_and_gitlab_of_one_case() {
    for format in ["sarif", "gitlab"] {
        let mut command = valuesmith();
        command
            .current_dir(fixture("validate/duplicate-key"))
            .args([
                "validate",
                "--no-config",
                "--format",
                format,
                "values-dev-2025-05-00.yml",
            ]);
        assert_cmd_snapshot!(format!("validate_format_{format}"), command);
    }
}

#[test]
fn every_sarif_rule_links_to_its_section_of_the_docs() {
    let (log, _) = report(&fixture("validate/clean"), "sarif");
    let docs =
        std::fs::read_to_string(crate::common::repo_root().join("docs/validate.md")).unwrap();
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(rules.len(), valuesmith::validate::Code::ALL.len());
    for rule in rules {
        let id = rule["id"].as_str().unwrap();
        let level = rule["defaultConfiguration"]["level"].as_str().unwrap();
        // GitHub's anchor of the heading "### `CODE` (LEVEL)".
        assert!(docs.contains(&format!("\n### `{id}` ({level})\n")), "{id}");
        assert!(rule["helpUri"]
            .as_str()
            .unwrap()
            .ends_with(&format!("docs/validate.md#{id}-{level}")));
    }
}
