//! Reading the shared corpus: every chart values file and every valid single-document case of
//! the YAML test suite reads, and writes back byte for byte.

use valuesmith::document::{Document, ReadError};

use crate::common::{chart_values_files, yaml_test_suite_cases};

#[test]
fn every_chart_values_file_round_trips() {
    let files = chart_values_files();
    assert_eq!(files.len(), 88, "the corpus has 88 chart values files");
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        let document = Document::values_from_bytes(&bytes)
            .unwrap_or_else(|err| panic!("{}: {err}", file.display()));
        assert_eq!(document.to_bytes(), bytes, "{}", file.display());
    }
}

#[test]
fn yaml_test_suite_valid_cases_round_trip() {
    let cases = yaml_test_suite_cases();
    assert_eq!(cases.len(), 402);
    let (mut single, mut multi, mut duplicates, mut failures) = (0, 0, 0, Vec::new());
    for case in cases.iter().filter(|c| !c.invalid) {
        let bytes = std::fs::read(case.dir.join("in.yaml")).unwrap();
        // The suite is YAML, not values files: the YAML 1.2 switch.
        let read = Document::from_bytes_with(
            &bytes,
            valuesmith::document::DocumentKind::Any,
            valuesmith::document::Limits::default(),
            valuesmith::document::Reading::Yaml12,
        );
        match read {
            Ok(document) => {
                assert_eq!(document.to_bytes(), bytes, "{}", case.name);
                single += 1;
            }
            Err(ReadError::MultiDocument { .. }) => multi += 1,
            // Valid YAML events, but the keys are equal in the data model (two empty keys;
            // an alias to the first key): docs/validate.md makes duplicate keys an error.
            Err(ReadError::DuplicateKey { .. })
                if ["2JQS", "X38W"].contains(&case.name.as_str()) =>
            {
                duplicates += 1
            }
            Err(err) => failures.push(format!("{}: {err}", case.name)),
        }
    }
    assert!(
        failures.is_empty(),
        "valid cases refused:\n{}",
        failures.join("\n")
    );
    assert_eq!(duplicates, 2);
    assert_eq!(single + multi + duplicates, 308);
    eprintln!("yaml-test-suite valid cases: {single} single-document round-trip, {multi} multi-document refused, {duplicates} duplicate keys refused");
}
