//! The fixture harness: every `fixtures/<area>/<case>/` folder is run and its output compared
//! byte for byte with `expected.yml`; then the output is run again and must not change
//! (idempotence).
//!
//! `fixtures/edit/<case>/`: `input.yml` and `edits.yml`, a list of operations written like
//! catalog rules (`set`+`value`, `remove`, `rename`+`to`, `append`+`value`).
//!
//! `fixtures/migrate/<case>/`: `input.yml` on the catalog's first release and `catalog.yml`;
//! the input is migrated to the catalog's last release. `expected.yml` is the last step's
//! file and `report.txt` the human report; a migration that fails has `error.txt` instead.
//! The second run re-applies the last step to the output.
//!
//! Set `VALUESMITH_BLESS=1` to write missing or changed `expected.yml` files; review them
//! before committing.

use std::path::Path as FsPath;

use valuesmith::catalog::Catalog;
use valuesmith::document::Document;
use valuesmith::edit::DocumentMut;
use valuesmith::migrate::{migrate, migrate_step, render, ReportFormat, ReportOptions};
use valuesmith::path::Path;
use valuesmith::plan::plan;
use valuesmith::value::Value;

use crate::common::fixture_cases;

/// Compares `actual` with the case's `expected.yml`, or writes it when blessing.
pub fn check_expected(case: &FsPath, name: &str, actual: &[u8]) -> Result<(), String> {
    let path = case.join(name);
    let bless = std::env::var_os("VALUESMITH_BLESS").is_some();
    match std::fs::read(&path) {
        Ok(expected) if expected == actual => Ok(()),
        _ if bless => {
            std::fs::write(&path, actual).unwrap();
            Ok(())
        }
        Ok(expected) => Err(format!(
            "{}: output differs from {name}\n--- expected\n{}\n--- actual\n{}",
            case.display(),
            String::from_utf8_lossy(&expected),
            String::from_utf8_lossy(actual)
        )),
        Err(_) => Err(format!(
            "{}: no {name} (run with VALUESMITH_BLESS=1)",
            case.display()
        )),
    }
}

fn run_edits(input: &[u8], edits: &Value) -> Result<Vec<u8>, String> {
    let doc = Document::values_from_bytes(input).map_err(|e| e.to_string())?;
    let mut editor = DocumentMut::new(doc);
    let path = |v: &Value| Path::parse(v.as_str().unwrap()).unwrap();
    for op in edits.as_sequence().expect("edits.yml is a list") {
        let op = op.as_mapping().expect("each edit is a mapping");
        let result = if let Some(p) = op.get("set") {
            editor.set(&path(p), op.get("value").unwrap()).map(drop)
        } else if let Some(p) = op.get("remove") {
            editor.remove(&path(p)).map(drop)
        } else if let Some(p) = op.get("rename") {
            editor
                .rename(&path(p), &path(op.get("to").unwrap()))
                .map(drop)
        } else if let Some(p) = op.get("append") {
            editor.append(&path(p), op.get("value").unwrap())
        } else {
            panic!("unknown edit {op:?}");
        };
        result.map_err(|e| e.to_string())?;
    }
    Ok(editor.to_text().into_bytes())
}

#[test]
fn edit_fixtures() {
    let mut failures = Vec::new();
    let cases = fixture_cases("edit");
    assert!(cases.len() >= 12, "{} edit fixtures", cases.len());
    for case in cases {
        let input = std::fs::read(case.join("input.yml")).unwrap();
        let edits_text = std::fs::read_to_string(case.join("edits.yml")).unwrap();
        let edits = Document::parse(&edits_text).unwrap().value().clone();
        let output = match run_edits(&input, &edits) {
            Ok(output) => output,
            Err(err) => {
                failures.push(format!("{}: {err}", case.display()));
                continue;
            }
        };
        if let Err(err) = check_expected(&case, "expected.yml", &output) {
            failures.push(err);
            continue;
        }
        let appends = edits_text.contains("- append:");
        if !appends {
            match run_edits(&output, &edits) {
                Ok(again) if again == output => {}
                Ok(_) => failures.push(format!("{}: not idempotent", case.display())),
                Err(err) => failures.push(format!("{}: second run: {err}", case.display())),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn run_migrate_case(case: &FsPath) -> Result<(), String> {
    let catalog = Catalog::load(&case.join("catalog.yml")).map_err(|e| e.to_string())?;
    let releases = catalog.releases();
    let (first, last) = (&releases[0].version, &releases[releases.len() - 1].version);
    let input = std::fs::read(case.join("input.yml")).unwrap();
    let doc = Document::values_from_bytes(&input).map_err(|e| e.to_string())?;
    let path = plan(&catalog, first, last).map_err(|e| e.to_string())?;
    let migration = match migrate(doc, &path) {
        Ok(migration) => migration,
        // The report of an incomplete migration is the case's output all the same.
        Err(valuesmith::migrate::MigrateError::Unmet(migration)) => *migration,
        Err(err) => return check_expected(case, "error.txt", format!("{err}\n").as_bytes()),
    };
    let report = render(
        &migration,
        ReportFormat::Human,
        &ReportOptions {
            input: "input.yml".to_owned(),
            ..ReportOptions::default()
        },
    );
    let output = migration.steps.last().expect("a step").document.clone();
    check_expected(case, "expected.yml", &output.to_bytes())?;
    check_expected(case, "report.txt", report.as_bytes())?;
    let last_step = path.steps.last().expect("a step");
    let again = migrate_step(output.clone(), last_step, &catalog).map_err(|e| e.to_string())?;
    if !again.patch.is_empty() || again.document.to_bytes() != output.to_bytes() {
        return Err(format!(
            "{}: the last step applied again changed {:?}",
            case.display(),
            again
                .patch
                .changes()
                .iter()
                .map(|c| c.path().to_string())
                .collect::<Vec<_>>()
        ));
    }
    Ok(())
}

#[test]
fn migrate_fixtures() {
    let cases = fixture_cases("migrate");
    assert!(cases.len() >= 10, "{} migrate fixtures", cases.len());
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| run_migrate_case(case).err())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
