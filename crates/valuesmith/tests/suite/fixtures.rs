//! The fixture harness: every `fixtures/<area>/<case>/` folder is run and its output compared
//! byte for byte with `expected.yml`; then the output is run again and must not change
//! (idempotence).
//!
//! `fixtures/edit/<case>/`: `input.yml` and `edits.yml`, a list of operations written like
//! catalog rules (`set`+`value`, `remove`, `rename`+`to`, `append`+`value`).
//!
//! `fixtures/migrate/<case>/`: `input.yml` on the catalog's first release and `catalog.yml`;
//! the input is migrated to the catalog's last release. `expected.yml` is the last step's
//! file, `report.txt` the human report and `report.json` the `json` one (docs/migrate.md); a
//! migration that fails has `error.txt` instead.
//! The second run re-applies the last step to the output.
//!
//! `fixtures/validate-fix/<case>/`: for each `<name>.expected.yml`, the input `<name>.yml` and
//! optionally `catalog.yml`; the input's safe fixes (`validate --fix`) must give the expected
//! file, and fixing the result again must change nothing.
//!
//! Each case is its own test, named after its folder (`rename-move` is `rename_move`), so one
//! case runs alone: `cargo test -p valuesmith --test suite rename_move`. The cases of an area
//! are listed in [`fixture_tests!`]; the area's `every_case_is_listed` test fails when a folder
//! has no test. A byte-exact output that differs prints a unified diff (`-` expected, `+`
//! actual).
//!
//! The one bless switch: `VALUESMITH_BLESS=1` writes missing or changed expected files
//! (`expected.yml`, `report.txt`, `error.txt`, `expected.json`, `*.expected.yml`); review them
//! before committing.

use std::path::Path as FsPath;

use valuesmith::catalog::Catalog;
use valuesmith::document::Document;
use valuesmith::edit::DocumentMut;
use valuesmith::migrate::{migrate, migrate_step, render, ReportFormat, ReportOptions};
use valuesmith::path::Path;
use valuesmith::plan::plan;
use valuesmith::validate::{apply_fixes, validate_file, ChartValues, ValidateOptions};
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
            "{}: output differs from {name} (VALUESMITH_BLESS=1 rewrites it):\n{}",
            case.display(),
            unified_diff(&expected, actual)
        )),
        Err(_) => Err(format!(
            "{}: no {name} (run with VALUESMITH_BLESS=1)",
            case.display()
        )),
    }
}

/// A unified diff of two outputs, `-` for the expected lines and `+` for the actual ones.
pub fn unified_diff(expected: &[u8], actual: &[u8]) -> String {
    let (expected, actual) = (
        String::from_utf8_lossy(expected),
        String::from_utf8_lossy(actual),
    );
    let diff = similar::TextDiff::from_lines(expected.as_ref(), actual.as_ref())
        .unified_diff()
        .context_radius(3)
        .header("expected", "actual")
        .to_string();
    if diff.is_empty() {
        "(the outputs differ only in bytes that are not valid UTF-8)".to_owned()
    } else {
        diff
    }
}

/// The case folder `fixtures/<area>/<case>/`.
pub fn case_dir(area: &str, case: &str) -> std::path::PathBuf {
    FsPath::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(area)
        .join(case)
}

/// Fails unless `listed` names every case folder of `fixtures/<area>/` and nothing else.
pub fn assert_listed(area: &str, listed: &[&str]) {
    let folders: Vec<String> = fixture_cases(area)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let unlisted: Vec<&String> = folders
        .iter()
        .filter(|f| !listed.contains(&f.as_str()))
        .collect();
    let missing: Vec<&&str> = listed
        .iter()
        .filter(|l| !folders.iter().any(|f| f == *l))
        .collect();
    assert!(
        unlisted.is_empty() && missing.is_empty(),
        "fixtures/{area}/: folders without a test {unlisted:?}, tests without a folder \
         {missing:?} (list each case in its area's `fixture_tests!`)"
    );
}

/// One `#[test]` per case of `fixtures/<area>/`, named after its folder (the folder's `-` is
/// the name's `_`), each running `run(&folder) -> Result<(), String>`; plus
/// `every_case_is_listed`, which fails when a folder of the area is not in the list.
macro_rules! fixture_tests {
    ($area:literal, $run:path, [$($case:ident),* $(,)?]) => {
        $(
            #[test]
            fn $case() {
                let name = stringify!($case).replace('_', "-");
                let dir = $crate::fixtures::case_dir($area, &name);
                if let Err(err) = $run(&dir) {
                    panic!("{err}");
                }
            }
        )*

        #[test]
        fn every_case_is_listed() {
            let listed: Vec<String> = [$(stringify!($case)),*]
                .iter()
                .map(|c| c.replace('_', "-"))
                .collect();
            let listed: Vec<&str> = listed.iter().map(String::as_str).collect();
            $crate::fixtures::assert_listed($area, &listed);
        }
    };
}
pub(crate) use fixture_tests;

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

fn run_edit_case(case: &FsPath) -> Result<(), String> {
    let input = std::fs::read(case.join("input.yml")).unwrap();
    let edits_text = std::fs::read_to_string(case.join("edits.yml")).unwrap();
    let edits = Document::parse(&edits_text).unwrap().value().clone();
    let output = run_edits(&input, &edits).map_err(|err| format!("{}: {err}", case.display()))?;
    check_expected(case, "expected.yml", &output)?;
    if !edits_text.contains("- append:") {
        match run_edits(&output, &edits) {
            Ok(again) if again == output => {}
            Ok(again) => {
                return Err(format!(
                    "{}: not idempotent:\n{}",
                    case.display(),
                    unified_diff(&output, &again)
                ))
            }
            Err(err) => return Err(format!("{}: second run: {err}", case.display())),
        }
    }
    Ok(())
}

mod edit {
    super::fixture_tests!(
        "edit",
        super::run_edit_case,
        [
            aligned_comments,
            block_scalars,
            bom_no_final_newline,
            comment_blocks,
            crlf,
            empty_flow_collections,
            keys_with_dots,
            mixed_sequence_styles,
            odd_indents,
            quoting_table,
            rename_move,
            subtree_replace,
            templates,
            trailing_spaces,
        ]
    );
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
        &ReportOptions::default().with_input("input.yml"),
    );
    let json = render(
        &migration,
        ReportFormat::Json,
        &ReportOptions::default()
            .with_input("input.yml")
            .with_files(vec!["output.yml".into()]),
    );
    let output = migration.steps.last().expect("a step").document.clone();
    check_expected(case, "expected.yml", &output.to_bytes())?;
    check_expected(case, "report.txt", report.as_bytes())?;
    check_expected(case, "report.json", json.as_bytes())?;
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

mod migrate {
    super::fixture_tests!(
        "migrate",
        super::run_migrate_case,
        [
            crlf_multi_step,
            jumped_release,
            product_example,
            remove_emptied_list,
            rename_conflict,
            require_unmet,
            required_values_merge,
            rules_remove,
            rules_rename,
            rules_set_add_replace,
            set_parent_scalar,
        ]
    );
}

/// Runs the safe fixes of each `<name>.yml` of a `fixtures/validate-fix/` case and compares
/// the result with `<name>.expected.yml`; the fixes of the result must change nothing.
fn run_validate_fix_case(case: &FsPath) -> Result<(), String> {
    let catalog = std::fs::read_to_string(case.join("catalog.yml"))
        .ok()
        .map(|text| Catalog::parse(&text, "catalog.yml").unwrap());
    let chart_values = std::fs::read(case.join("chart-values.yaml"))
        .ok()
        .map(|bytes| ChartValues::from_bytes("chart-values.yaml", &bytes).unwrap());
    let options = ValidateOptions::default()
        .with_catalog(catalog.as_ref())
        .with_chart_values(chart_values.as_ref());
    let fix = |name: &str, bytes: &[u8]| -> Result<Vec<u8>, String> {
        let findings = validate_file(name, bytes, &options);
        let document = Document::values_from_bytes(bytes).map_err(|e| e.to_string())?;
        Ok(match apply_fixes(document, &findings, false) {
            Some((editor, _)) => editor.to_text().into_bytes(),
            None => bytes.to_vec(),
        })
    };
    let mut expected_files: Vec<String> = std::fs::read_dir(case)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".expected.yml"))
        .collect();
    expected_files.sort();
    if expected_files.is_empty() {
        return Err(format!("{}: no `*.expected.yml`", case.display()));
    }
    for expected in expected_files {
        let input = format!("{}.yml", expected.trim_end_matches(".expected.yml"));
        let bytes = std::fs::read(case.join(&input))
            .map_err(|e| format!("{}: {input}: {e}", case.display()))?;
        let output = fix(&input, &bytes)?;
        check_expected(case, &expected, &output)?;
        let again = fix(&input, &output)?;
        if again != output {
            return Err(format!(
                "{}: a second --fix of {input} changed it:\n{}",
                case.display(),
                unified_diff(&output, &again)
            ));
        }
    }
    Ok(())
}

mod validate_fix {
    super::fixture_tests!(
        "validate-fix",
        super::run_validate_fix_case,
        [float_version, release, yaml11_bool]
    );
}
