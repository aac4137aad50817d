//! `valuesmith validate` with a project config file (`.valuesmith.yml`, found upward from each
//! values file) and the flags that say the same: `--select`, `--ignore`, `--warn`,
//! `--placeholder`, `--config`, `--no-config`.

use std::path::Path;
use std::process::Output;

use crate::common::{fixture, valuesmith};

/// A repository with the `required-input` fixture and its catalog in `envs/`, the
/// `yaml11-bool` fixture in `misc/` (no catalog there), and `config` (if any) as its
/// `.valuesmith.yml` at the top.
fn repository(config: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let envs = dir.path().join("envs");
    std::fs::create_dir(&envs).unwrap();
    let case = fixture("validate/required-input");
    std::fs::copy(case.join("catalog.yml"), envs.join("releases.yml")).unwrap();
    std::fs::copy(
        case.join("values-dev-2025-05-00.yml"),
        envs.join("values-dev-2025-05-00.yml"),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("misc")).unwrap();
    std::fs::copy(
        fixture("validate/yaml11-bool/values-dev-2025-05-00.yml"),
        dir.path().join("misc/values-qa-2025-05-00.yml"),
    )
    .unwrap();
    if let Some(config) = config {
        std::fs::write(dir.path().join(".valuesmith.yml"), config).unwrap();
    }
    dir
}

fn validate(dir: &Path, args: &[&str]) -> Output {
    valuesmith()
        .current_dir(dir)
        .arg("validate")
        .args(args)
        .output()
        .unwrap()
}

/// `code severity` of each finding, from the JSON format.
fn codes(output: &Output) -> Vec<String> {
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {} {}",
                f["file"].as_str().unwrap(),
                f["code"].as_str().unwrap(),
                f["severity"].as_str().unwrap()
            )
        })
        .collect()
}

const FILES: &[&str] = &[
    "--format",
    "json",
    "envs/values-dev-2025-05-00.yml",
    "misc/values-qa-2025-05-00.yml",
];

#[test]
fn without_config_every_finding_is_reported() {
    let dir = repository(None);
    let output = validate(dir.path(), FILES);
    assert_eq!(output.status.code(), Some(1));
    let codes = codes(&output);
    assert_eq!(
        codes
            .iter()
            .filter(|c| c.contains("required-input error"))
            .count(),
        2,
        "{codes:?}"
    );
    assert_eq!(
        codes
            .iter()
            .filter(|c| c.contains("yaml11-bool warning"))
            .count(),
        4,
        "{codes:?}"
    );
}

#[test]
fn placeholders_of_the_config_count_as_supplied() {
    let dir = repository(Some(
        "# the secrets come from the vault at deploy time\nvalidate:\n  placeholders: ['<set-*>']\n  ignore: [yaml11-bool]\n",
    ));
    let output = validate(dir.path(), FILES);
    // The placeholder is accepted; the missing password is still missing.
    assert_eq!(
        codes(&output),
        ["envs/values-dev-2025-05-00.yml required-input error"]
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(report["findings"][0]["message"]
        .as_str()
        .unwrap()
        .starts_with("`infrastructure.neo4j.password` is missing"));
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn warn_downgrades_and_select_narrows() {
    let dir = repository(Some("validate:\n  warn: [required-input]\n"));
    let output = validate(dir.path(), FILES);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let all = codes(&output);
    assert_eq!(
        all.iter()
            .filter(|c| c.contains("required-input warning"))
            .count(),
        2,
        "{all:?}"
    );
    // --strict still fails on the downgraded findings.
    let mut strict = FILES.to_vec();
    strict.push("--strict");
    assert_eq!(validate(dir.path(), &strict).status.code(), Some(1));
    // A flag's select replaces the file's, and --ignore adds to it.
    let mut args = FILES.to_vec();
    args.extend([
        "--select",
        "yaml11-bool,required-input",
        "--ignore=required-input",
    ]);
    let only = codes(&validate(dir.path(), &args));
    assert_eq!(only.len(), 4, "{only:?}");
    assert!(
        only.iter().all(|c| c.ends_with("yaml11-bool warning")),
        "{only:?}"
    );
}

#[test]
fn flags_alone_and_no_config() {
    let dir = repository(Some("validate:\n  ignore: [required-input, yaml11-bool]\n"));
    assert_eq!(codes(&validate(dir.path(), FILES)), Vec::<String>::new());
    let mut args = FILES.to_vec();
    args.extend([
        "--no-config",
        "--placeholder",
        "<set-me>",
        "--warn",
        "required-input",
    ]);
    let output = validate(dir.path(), &args);
    assert_eq!(output.status.code(), Some(0));
    let found = codes(&output);
    assert_eq!(
        found[0],
        "envs/values-dev-2025-05-00.yml required-input warning"
    );
    assert_eq!(found.len(), 5, "{found:?}");
}

#[test]
fn the_nearest_config_wins_and_config_names_one() {
    // The top config would keep the required inputs; the one in envs/ would keep the
    // booleans: with each file under its nearest config, nothing is reported.
    let dir = repository(Some("validate:\n  ignore: [yaml11-bool]\n"));
    std::fs::write(
        dir.path().join("envs/.valuesmith.yaml"),
        "validate:\n  ignore: [required-input]\n",
    )
    .unwrap();
    assert_eq!(codes(&validate(dir.path(), FILES)), Vec::<String>::new());
    let mut args = FILES.to_vec();
    args.extend(["--config", ".valuesmith.yml"]);
    let found = codes(&validate(dir.path(), &args));
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found.iter().all(|c| c.contains("required-input")),
        "{found:?}"
    );
}

#[test]
fn a_bad_config_or_code_stops_before_checking() {
    let dir = repository(Some("validate:\n  ignore: [yaml11-boool]\n"));
    let output = validate(dir.path(), &["misc/values-qa-2025-05-00.yml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("error: unknown finding code `yaml11-boool`\n  --> "),
        "{stderr}"
    );
    assert!(stderr.contains(".valuesmith.yml:2:12\n"), "{stderr}");
    assert!(
        stderr.ends_with("hint: did you mean `yaml11-bool`?\n"),
        "{stderr}"
    );

    let output = validate(
        dir.path(),
        &[
            "--no-config",
            "--ignore",
            "tabs",
            "misc/values-qa-2025-05-00.yml",
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("unknown finding code `tabs`"), "{stderr}");
}
