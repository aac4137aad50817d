//! `valuesmith schema catalog`: the repository's copy (`schemas/catalog.schema.json`, which the
//! example catalog's `yaml-language-server` modeline names) is the command's output, and every
//! catalog of the fixtures and examples that valuesmith reads is valid against it.

use std::path::{Path, PathBuf};

use crate::common::{repo_root, valuesmith};

fn schema_text() -> String {
    let output = valuesmith().args(["schema", "catalog"]).output().unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn the_repository_copy_is_the_command_output() {
    let expected = schema_text();
    let copy = repo_root().join("schemas/catalog.schema.json");
    if std::env::var_os("VALUESMITH_BLESS").is_some() {
        std::fs::write(&copy, &expected).unwrap();
    }
    assert_eq!(
        std::fs::read_to_string(&copy).unwrap(),
        expected,
        "schemas/catalog.schema.json is out of date: VALUESMITH_BLESS=1 cargo test -p \
         valuesmith-cli --test cli schema"
    );
    // The example catalog points editors at it.
    let example =
        std::fs::read_to_string(repo_root().join("examples/cluedin/releases.yml")).unwrap();
    assert!(
        example.starts_with("# yaml-language-server: $schema=../../schemas/catalog.schema.json\n")
    );
}

/// Every catalog file of the fixtures and examples: `catalog.yml`, `releases.yml` and the
/// files of `releases/` folders.
fn catalog_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for top in ["fixtures", "examples"] {
        for entry in walkdir::WalkDir::new(repo_root().join(top)) {
            let entry = entry.unwrap();
            let path = entry.path();
            let name = path.file_name().unwrap().to_string_lossy();
            let in_folder = path
                .parent()
                .and_then(Path::file_name)
                .is_some_and(|p| p == "releases");
            let yaml = name.ends_with(".yml") || name.ends_with(".yaml");
            if entry.file_type().is_file()
                && yaml
                && (name == "catalog.yml" || name == "releases.yml" || in_folder)
            {
                files.push(path.to_path_buf());
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_catalog_fixture_is_valid_against_the_schema() {
    let schema: serde_json::Value = serde_json::from_str(&schema_text()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let files = catalog_files();
    assert!(files.len() >= 15, "{files:?}");
    let mut checked = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        // Only catalogs valuesmith reads; the fixtures of catalog errors are refused by the
        // reader, and need not be refused by a schema (many are semantic).
        if valuesmith::catalog::Catalog::parse(&text, "releases.yml").is_err()
            && !file.parent().unwrap().ends_with("releases")
        {
            continue;
        }
        let document = valuesmith::document::Document::parse_values(&text).unwrap();
        let value = document.value().to_json();
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", file.display());
        checked += 1;
    }
    assert!(checked >= 15, "{checked}");
}
