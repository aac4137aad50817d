//! The cases where two commands used to give two answers about one file (issue 10, "Why"):
//! each now has one answer, whichever use case asks.

use valuesmith::catalog::Catalog;
use valuesmith::document::Document;
use valuesmith::migrate::migrate;
use valuesmith::plan::plan;
use valuesmith::validate::{validate_file, Code, ValidateOptions};

const CATALOG: &str = "\
product: demo
chart: demo/demo
version_path: image.tag
releases:
  - version: 1.0.0
    chart_version: 1.0.0
    values:
      image: {tag: 1.0.0}
  - version: 1.1.0
    chart_version: 1.1.0
    values:
      image: {tag: 1.1.0}
      a: yes
      c: 1_000
      d: 0755
";

/// The `required-value` messages of validating `text` as a 1.1.0 file.
fn required_value_messages(catalog: &Catalog, text: &str) -> Vec<String> {
    validate_file(
        "values-dev-1-1-0.yml",
        text.as_bytes(),
        &ValidateOptions::default().with_catalog(Some(catalog)),
    )
    .into_iter()
    .filter(|f| f.code == Code::RequiredValue)
    .map(|f| f.message)
    .collect()
}

/// A catalog's `values: {a: yes, c: 1_000}` and a values file with exactly that text mean
/// the same: validate finds nothing to require and migrate changes nothing.
#[test]
fn catalog_values_mean_what_a_values_file_means() {
    let catalog = Catalog::parse(CATALOG, "releases.yml").unwrap();
    let text = "image: {tag: 1.1.0}\na: yes\nc: 1_000\nd: 0755\n";
    let required = required_value_messages(&catalog, text);
    assert_eq!(required, Vec::<String>::new());

    // Migrating a 1.0.0 file with that text to 1.1.0 changes only the tag.
    let old = Document::parse_values("image: {tag: 1.0.0}\na: yes\nc: 1_000\nd: 0755\n").unwrap();
    let path = plan(
        &catalog,
        &"1.0.0".parse().unwrap(),
        &"1.1.0".parse().unwrap(),
    )
    .unwrap();
    let migration = migrate(old, &path).unwrap();
    let changed: Vec<String> = migration.steps[0]
        .patch
        .changes()
        .iter()
        .map(|c| c.path().to_string())
        .collect();
    assert_eq!(changed, ["image.tag"]);
    assert!(migration.steps[0]
        .document
        .to_text()
        .ends_with("\na: yes\nc: 1_000\nd: 0755\n"));
}

/// Where validate reports a required value, it is exactly what migrate to the file's own
/// release would set.
#[test]
fn validate_reports_what_migrate_would_change() {
    let catalog = Catalog::parse(CATALOG, "releases.yml").unwrap();
    let text = "image: {tag: 1.1.0}\na: no\n";
    let mut reported: Vec<String> = required_value_messages(&catalog, text)
        .iter()
        .map(|m| m.split('`').nth(1).unwrap_or_default().to_owned())
        .collect();
    let release = catalog.release(&"1.1.0".parse().unwrap()).unwrap();
    let document = Document::parse_values(text).unwrap();
    let (patch, _) =
        valuesmith::migrate::required_values_patch(document.value(), release, &catalog);
    let mut changed: Vec<String> = patch
        .changes()
        .iter()
        .map(|c| c.path().to_string())
        .collect();
    reported.sort();
    changed.sort();
    assert_eq!(reported, ["a", "c", "d"]);
    assert_eq!(reported, changed);
}

/// An unmet `require` is an error value carrying the migration (for its report), not `Ok`.
#[test]
fn an_unmet_require_is_an_error_with_the_migration() {
    let catalog = Catalog::parse(
        &format!(
            "{CATALOG}    migrate:\n      - require: secret\n        reason: ask the vendor\n"
        ),
        "releases.yml",
    )
    .unwrap();
    let old = Document::parse_values("image: {tag: 1.0.0}\n").unwrap();
    let path = plan(
        &catalog,
        &"1.0.0".parse().unwrap(),
        &"1.1.0".parse().unwrap(),
    )
    .unwrap();
    match migrate(old, &path) {
        Err(valuesmith::migrate::MigrateError::Unmet(migration)) => {
            assert!(!migration.is_complete());
            assert_eq!(migration.steps.len(), 1);
        }
        other => panic!("expected Unmet, got {other:?}"),
    }
    let err = migrate(
        Document::parse_values("image: {tag: 1.0.0}\n").unwrap(),
        &path,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "1 required input is missing; nothing was written\n  secret (required by 1.1.0): ask the vendor"
    );
}
