//! Conformance with the YAML test suite (`shared/corpus/yaml-test-suite/data`), every one of its
//! 402 cases, numbered sub-cases included.
//!
//! What each case must do:
//! - an invalid case (`error` marker) is refused by the reader, with a position;
//! - a valid case whose event stream holds one document reads, gives the value of its
//!   `in.json` (numbers compared by value), and writes back byte for byte;
//! - a valid case with several documents is a [`ReadError::MultiDocument`] and one with none
//!   reads as `null` (and, as a values file, is a [`ReadError::Empty`]): docs/helm-semantics.md;
//! - read as a values file, a single-document case is either accepted with the same value or
//!   refused because its top level is not a mapping.
//!
//! Deliberate differences from the suite are listed in [`DELIBERATE`] with their reasons; the
//! harness fails if one of them starts to behave like the suite, so the list stays true.
//! (The parser's PyYAML-compatible default accepted one invalid case, `9C9N`, flow lines
//! indented no deeper than their key: the reader now parses with strict indentation.)

use std::fmt::Write as _;

use valuesmith::document::{Document, DocumentKind, Limits, ReadError, Reading};
use valuesmith::value::Value;

use crate::common::{yaml_test_suite_cases, SuiteCase};

/// The suite's `in.json` holds YAML 1.2 values: the harness reads by the YAML 1.2 switch.
fn yaml12(bytes: &[u8], kind: DocumentKind) -> Result<Document, ReadError> {
    Document::from_bytes_with(bytes, kind, Limits::default(), Reading::Yaml12)
}

/// Valid cases we refuse on purpose, with the error we give and why.
const DELIBERATE: &[(&str, &str, &str)] = &[
    (
        "2JQS",
        "duplicate-key",
        "two empty keys in one mapping are equal in the data model; docs/validate.md makes a \
         duplicate key an error (Helm would silently keep the last one)",
    ),
    (
        "X38W",
        "duplicate-key",
        "the alias `*a` as a key repeats the first key `&a [a, b]`: a duplicate key",
    ),
];

/// How one case turned out.
#[derive(Debug, Default)]
struct Tally {
    invalid: usize,
    invalid_refused: usize,
    invalid_as_multi: usize,
    single: usize,
    single_with_json: usize,
    single_json_equal: usize,
    single_round_trip: usize,
    multi: usize,
    multi_refused: usize,
    empty: usize,
    empty_handled: usize,
    deliberate: usize,
    values_accepted: usize,
    values_not_mapping: usize,
    failures: Vec<String>,
}

/// The number of documents in a case's expected event stream.
fn document_count(case: &SuiteCase) -> usize {
    std::fs::read_to_string(case.dir.join("test.event"))
        .unwrap()
        .lines()
        .filter(|line| line.starts_with("+DOC"))
        .count()
}

/// The JSON values of a case's `in.json` (one per document), if it has one.
fn expected_json(case: &SuiteCase) -> Option<Vec<serde_json::Value>> {
    let text = std::fs::read_to_string(case.dir.join("in.json")).ok()?;
    let values = serde_json::Deserializer::from_str(&text)
        .into_iter::<serde_json::Value>()
        .collect::<Result<Vec<_>, _>>()
        .unwrap_or_else(|err| panic!("{}: in.json does not parse: {err}", case.name));
    Some(values)
}

/// Semantic equality of our value and the suite's JSON: numbers by value (`1` equals `1.0`),
/// mappings regardless of key order.
fn same_value(ours: &Value, json: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match (ours, json) {
        (Value::Null, J::Null) => true,
        (Value::Bool(a), J::Bool(b)) => a == b,
        (Value::Int(a), J::Number(n)) => match n.as_i64() {
            Some(b) => *a == b,
            None => n.as_f64() == Some(*a as f64),
        },
        (Value::Float(a), J::Number(n)) => n.as_f64() == Some(*a),
        (Value::String(a), J::String(b)) => a == b,
        (Value::Sequence(a), J::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_value(x, y))
        }
        (Value::Mapping(a), J::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(k, v)| b.get(k.as_str()).is_some_and(|j| same_value(v, j)))
        }
        _ => false,
    }
}

fn check_invalid(case: &SuiteCase, bytes: &[u8], tally: &mut Tally) {
    tally.invalid += 1;
    // The events stop at the error: a second `+DOC` means the error is in a later document,
    // which a reader of single documents may refuse as a second document. Before that, the
    // refusal must be about the YAML itself.
    let error_after_first_document = document_count(case) > 1;
    match yaml12(bytes, DocumentKind::Any) {
        Ok(_) => tally
            .failures
            .push(format!("{}: invalid YAML was accepted", case.name)),
        Err(err) if err.location().is_none() => tally.failures.push(format!(
            "{}: refused without a position: {err:?}",
            case.name
        )),
        Err(ReadError::MultiDocument { .. }) if error_after_first_document => {
            tally.invalid_refused += 1;
            tally.invalid_as_multi += 1;
        }
        Err(ReadError::MultiDocument { location }) => tally.failures.push(format!(
            "{}: refused as multi-document at {}:{}, but the error is in the first document",
            case.name, location.line, location.column
        )),
        Err(_) => tally.invalid_refused += 1,
    }
}

fn check_valid(case: &SuiteCase, bytes: &[u8], tally: &mut Tally) {
    let name = case.name.as_str();
    if let Some((_, code, _)) = DELIBERATE.iter().find(|(id, ..)| *id == name) {
        match yaml12(bytes, DocumentKind::Any) {
            Err(err) if err.code() == *code => tally.deliberate += 1,
            other => tally.failures.push(format!(
                "{name}: listed as deliberately refused ({code}) but read as {other:?}"
            )),
        }
        return;
    }
    let documents = document_count(case);
    let json = expected_json(case);
    let read = yaml12(bytes, DocumentKind::Any);
    let as_values = yaml12(bytes, DocumentKind::Values);
    match documents {
        0 => {
            tally.empty += 1;
            let read_ok =
                matches!(&read, Ok(doc) if doc.root().is_none() && *doc.value() == Value::Null);
            let values_empty = matches!(as_values, Err(ReadError::Empty { .. }));
            if read_ok && values_empty {
                tally.empty_handled += 1;
            } else {
                tally.failures.push(format!(
                    "{name}: an empty stream should read as null and be an empty values file: \
                     {read:?} / {as_values:?}"
                ));
            }
        }
        1 => {
            tally.single += 1;
            let document = match read {
                Ok(document) => document,
                Err(err) => {
                    tally
                        .failures
                        .push(format!("{name}: valid single document refused: {err:?}"));
                    return;
                }
            };
            if document.to_bytes() == bytes {
                tally.single_round_trip += 1;
            } else {
                tally
                    .failures
                    .push(format!("{name}: does not write back byte for byte"));
            }
            if let Some(json) = json {
                tally.single_with_json += 1;
                match json.as_slice() {
                    [expected] if same_value(document.value(), expected) => {
                        tally.single_json_equal += 1;
                    }
                    _ => tally.failures.push(format!(
                        "{name}: value {} differs from in.json {}",
                        document.value().to_json(),
                        json.iter()
                            .map(|j| j.to_string())
                            .collect::<Vec<_>>()
                            .join(" ")
                    )),
                }
            }
            match as_values {
                Ok(values) if values.value() == document.value() => tally.values_accepted += 1,
                Err(ReadError::NotAMapping { .. } | ReadError::Empty { .. }) if !matches!(document.value(), Value::Mapping(m) if !m.is_empty()) => {
                    tally.values_not_mapping += 1
                }
                other => tally.failures.push(format!(
                    "{name}: as a values file: {other:?} (as any document: {})",
                    document.value().to_json()
                )),
            }
        }
        _ => {
            tally.multi += 1;
            let read_multi = matches!(read, Err(ReadError::MultiDocument { .. }));
            let values_multi = matches!(as_values, Err(ReadError::MultiDocument { .. }));
            if read_multi && values_multi {
                tally.multi_refused += 1;
            } else {
                tally.failures.push(format!(
                    "{name}: {documents} documents should be a MultiDocument error: \
                     {read:?} / {as_values:?}"
                ));
            }
        }
    }
}

#[test]
fn yaml_test_suite_conformance() {
    let cases = yaml_test_suite_cases();
    assert_eq!(cases.len(), 402, "the suite has 402 cases");
    let mut tally = Tally::default();
    for case in &cases {
        let bytes = std::fs::read(case.dir.join("in.yaml")).unwrap();
        if case.invalid {
            check_invalid(case, &bytes, &mut tally);
        } else {
            check_valid(case, &bytes, &mut tally);
        }
    }
    let t = &tally;
    let mut summary = String::new();
    let _ = write!(
        summary,
        "yaml-test-suite: {}/{} invalid refused ({} of them as a second document), {}/{} valid single-document read \
         ({}/{} to in.json, {}/{} round-trip byte for byte; as values files {} accepted, {} not \
         a mapping), {}/{} multi-document refused, {}/{} empty streams handled, {}/{} \
         deliberately refused (duplicate keys)",
        t.invalid_refused,
        t.invalid,
        t.invalid_as_multi,
        t.single - t.failures.iter().filter(|f| f.contains("single document refused")).count(),
        t.single,
        t.single_json_equal,
        t.single_with_json,
        t.single_round_trip,
        t.single,
        t.values_accepted,
        t.values_not_mapping,
        t.multi_refused,
        t.multi,
        t.empty_handled,
        t.empty,
        t.deliberate,
        DELIBERATE.len(),
    );
    eprintln!("{summary}");
    // Every case is counted exactly once: nothing is skipped silently.
    assert_eq!(
        t.invalid + t.single + t.multi + t.empty + t.deliberate,
        cases.len(),
        "{summary}"
    );
    assert!(
        t.failures.is_empty(),
        "{} of {} cases fail:\n{}\n{summary}",
        t.failures.len(),
        cases.len(),
        t.failures.join("\n")
    );
}
