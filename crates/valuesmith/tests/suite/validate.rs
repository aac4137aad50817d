//! Validation: the fixture cases of every finding code, the corpus charts against their own
//! schemas and defaults, and positions of findings in real charts.
//!
//! `fixtures/validate/<case>/`: one values file (any name but the support files' names), and
//! optionally `catalog.yml`, `values.schema.json` and `chart-values.yaml`, which are passed as
//! the catalog, schema and chart defaults. The JSON report must equal `expected.json`
//! (`VALUESMITH_BLESS=1` writes it; review before committing). A case named after a code must
//! report that code; `clean*` cases must report nothing. The examples of docs/validate.md must
//! be what these cases give.

use std::path::{Path as FsPath, PathBuf};

use valuesmith::catalog::Catalog;
use valuesmith::diagnostic::{Color, Location, Severity};
use valuesmith::document::Document;
use valuesmith::edit::DocumentMut;
use valuesmith::path::{Path, Segment};
use valuesmith::validate::{
    render, validate_document, validate_file, ChartValues, Code, Finding, Format, Schema,
    ValidateOptions,
};
use valuesmith::value::Value;

use crate::common::{chart_values_files, corpus_dir};
use crate::fixtures::check_expected;

const SUPPORT_FILES: &[&str] = &[
    "catalog.yml",
    "values.schema.json",
    "chart-values.yaml",
    "expected.json",
];

fn cases() -> Vec<PathBuf> {
    crate::common::fixture_cases("validate")
}

/// Runs one fixture case: the input's name and its findings.
fn run_case(case: &FsPath) -> (String, Vec<Finding>) {
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(case)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            !SUPPORT_FILES.contains(&name.as_ref())
        })
        .collect();
    assert_eq!(inputs.len(), 1, "{}: one input file", case.display());
    let input = inputs.remove(0);
    let name = input.file_name().unwrap().to_string_lossy().into_owned();
    // Support files are read under their bare names so messages do not hold machine paths.
    let read = |file: &str| std::fs::read_to_string(case.join(file)).ok();
    let catalog = read("catalog.yml").map(|text| Catalog::parse(&text, "catalog.yml").unwrap());
    let schema = read("values.schema.json")
        .map(|text| Schema::from_json("values.schema.json", &text).unwrap());
    let chart_values = read("chart-values.yaml")
        .map(|text| ChartValues::from_bytes("chart-values.yaml", text.as_bytes()).unwrap());
    let options = ValidateOptions::default()
        .with_catalog(catalog.as_ref())
        .with_schema(schema.as_ref())
        .with_chart_values(chart_values.as_ref());
    let findings = validate_file(&name, &std::fs::read(&input).unwrap(), &options);
    (name, findings)
}

/// One case: a `clean*` case reports nothing, a case named after a code reports it, and the
/// JSON report equals `expected.json`.
fn run_fixture_case(case: &FsPath) -> Result<(), String> {
    let case_name = case.file_name().unwrap().to_string_lossy().into_owned();
    let (_, findings) = run_case(case);
    if case_name.starts_with("clean") && !findings.is_empty() {
        return Err(format!(
            "{case_name}: a clean case has findings: {findings:#?}"
        ));
    }
    if let Some(code) = Code::from_name(&case_name) {
        if !findings.iter().any(|f| f.code == code) {
            return Err(format!("{case_name}: no `{code}` finding: {findings:#?}"));
        }
    }
    let report = render(&findings, Format::Json, Color::Never);
    check_expected(case, "expected.json", report.as_bytes())
}

/// One test per case of `fixtures/validate/`, named after it
/// (`cargo test -p valuesmith --test suite validate::cases::tab_indent`).
mod cases {
    crate::fixtures::fixture_tests!(
        "validate",
        super::run_fixture_case,
        [
            big_integer,
            clean,
            clean_calver,
            duplicate_key,
            empty,
            encoding,
            encoding_latin1,
            extra_package,
            file_name,
            float_version,
            flow_indent,
            helm_header,
            helm_only_syntax,
            merge_order,
            multi_document,
            release_mismatch,
            required_input,
            required_value,
            retired_key,
            schema,
            syntax,
            tab_after_colon,
            tab_indent,
            unknown_key,
            unknown_release,
            yaml11_bool,
            yaml11_number,
        ]
    );
}

#[test]
fn every_code_is_reported_by_a_fixture() {
    let mut covered = std::collections::HashSet::new();
    for case in &cases() {
        covered.extend(run_case(case).1.iter().map(|f| f.code));
    }
    let missing: Vec<&str> = Code::ALL
        .iter()
        .filter(|c| !covered.contains(c))
        .map(|c| c.as_str())
        .collect();
    assert!(missing.is_empty(), "codes no fixture reports: {missing:?}");
}

/// Every `values.schema.json` of the corpus beside its chart's `values.yaml`.
fn corpus_schemas() -> Vec<(PathBuf, PathBuf)> {
    let mut pairs: Vec<(PathBuf, PathBuf)> = chart_values_files()
        .into_iter()
        .filter_map(|values| {
            let schema = values.with_file_name("values.schema.json");
            schema.is_file().then_some((schema, values))
        })
        .collect();
    pairs.sort();
    pairs
}

#[test]
fn corpus_defaults_satisfy_their_own_schemas() {
    let pairs = corpus_schemas();
    assert_eq!(pairs.len(), 33, "the corpus has 33 chart schemas");
    let mut drafts = std::collections::BTreeMap::new();
    for (schema_path, values_path) in &pairs {
        let schema = Schema::load(schema_path)
            .unwrap_or_else(|err| panic!("{}: {err}", schema_path.display()));
        *drafts.entry(schema.draft()).or_insert(0) += 1;
        let bytes = std::fs::read(values_path).unwrap();
        let defaults = ChartValues::from_bytes("values.yaml", &bytes).unwrap();
        for chart_values in [None, Some(&defaults)] {
            let options = ValidateOptions::default()
                .with_schema(Some(&schema))
                .with_chart_values(chart_values);
            let findings = validate_file("values.yaml", &bytes, &options);
            let errors: Vec<&Finding> = findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .collect();
            assert!(errors.is_empty(), "{}: {errors:#?}", values_path.display());
        }
    }
    // Bitnami's and prometheus' `http://json-schema.org/schema#` names no draft: read as 7.
    assert_eq!(drafts.get("7"), Some(&23), "{drafts:?}");
    assert_eq!(drafts.get("2020-12"), Some(&10), "{drafts:?}");
}

/// The path of every scalar leaf of `value`, in document order.
fn leaves(value: &Value, path: Path, out: &mut Vec<(Path, Value)>) {
    match value {
        Value::Mapping(m) => {
            for (key, child) in m.iter() {
                leaves(child, path.key(key.clone()), out);
            }
        }
        Value::Sequence(items) => {
            for (i, child) in items.iter().enumerate() {
                leaves(child, path.index(i), out);
            }
        }
        scalar => out.push((path, scalar.clone())),
    }
}

fn value_set(value: &mut Value, segments: &[Segment], new: Value) {
    let Some((first, rest)) = segments.split_first() else {
        *value = new;
        return;
    };
    let next = match (first, value) {
        (Segment::Key(key), Value::Mapping(m)) => m.get_mut(key),
        (Segment::Index(i), Value::Sequence(items)) => items.get_mut(*i),
        _ => None,
    };
    if let Some(next) = next {
        value_set(next, rest, new);
    }
}

/// A value of another type than `value`, that a schema typing it would refuse.
fn wrong_type(value: &Value) -> Value {
    match value {
        Value::String(_) => Value::Sequence(vec![Value::Int(1)]),
        _ => Value::String("not-the-right-type".into()),
    }
}

#[test]
fn a_wrong_type_is_reported_at_its_value() {
    for (schema_path, values_path) in corpus_schemas() {
        let schema = Schema::load(&schema_path).unwrap();
        let bytes = std::fs::read(&values_path).unwrap();
        let document = Document::values_from_bytes(&bytes).unwrap();
        // The first leaf (booleans, then numbers, then strings) whose schema refuses another
        // type; found on values, so the document is edited once.
        let mut all = Vec::new();
        leaves(document.value(), Path::root(), &mut all);
        let rank = |v: &Value| match v {
            Value::Bool(_) => 0,
            Value::Int(_) | Value::Float(_) => 1,
            _ => 2,
        };
        all.sort_by_key(|(_, v)| rank(v));
        let target = all.iter().find(|(path, value)| {
            let mut changed = document.value().clone();
            value_set(&mut changed, path.segments(), wrong_type(value));
            !schema.is_valid(&changed)
        });
        let Some((path, value)) = target else {
            panic!("{}: no typed leaf found", schema_path.display());
        };
        let mut editor = DocumentMut::new(document.clone());
        editor.set(path, &wrong_type(value)).unwrap();
        let edited = editor.into_document();
        let node = edited.get(path).unwrap();
        let expected = edited.node_location(node);
        let options = ValidateOptions::default().with_schema(Some(&schema));
        let findings = validate_document("values.yaml", &edited, &options);
        let at_value: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.code == Code::Schema && f.location == expected)
            .collect();
        assert!(
            !at_value.is_empty(),
            "{}: `{path}` set to a wrong type at {expected:?}, findings: {findings:#?}",
            schema_path.display()
        );
        assert!(
            at_value[0].message.contains(&format!("`{path}`")),
            "{}",
            at_value[0].message
        );
    }
}

#[test]
fn corpus_defaults_have_no_unknown_keys_and_no_pitfalls() {
    for values_path in chart_values_files() {
        let bytes = std::fs::read(&values_path).unwrap();
        let defaults = ChartValues::from_bytes("values.yaml", &bytes).unwrap();
        let options = ValidateOptions::default().with_chart_values(Some(&defaults));
        let findings = validate_file("values.yaml", &bytes, &options);
        assert!(
            findings.is_empty(),
            "{}: {findings:#?}",
            values_path.display()
        );
    }
}

#[test]
fn a_misspelt_key_in_a_real_chart_gets_a_suggestion() {
    let chart = corpus_dir().join("charts/ingress-nginx");
    let mut versions: Vec<PathBuf> = std::fs::read_dir(&chart)
        .unwrap()
        .map(|e| e.unwrap().path().join("values.yaml"))
        .filter(|p| p.is_file())
        .collect();
    versions.sort();
    let values_path = versions.last().unwrap();
    let bytes = std::fs::read(values_path).unwrap();
    let defaults = ChartValues::from_bytes("values.yaml", &bytes).unwrap();

    // A user file: the defaults with `controller.replicaCount` misspelt.
    let document = Document::values_from_bytes(&bytes).unwrap();
    let mut editor = DocumentMut::new(document);
    let misspelt = Path::parse("controller.replicaCont").unwrap();
    editor.set(&misspelt, &Value::Int(3)).unwrap();
    let edited = editor.into_document();
    let key_location = {
        let controller = edited.get(&Path::parse("controller").unwrap()).unwrap();
        let entry = edited
            .entries(controller)
            .unwrap()
            .iter()
            .find(|e| e.key_text == "replicaCont")
            .unwrap();
        edited.node_location(entry.key)
    };
    let options = ValidateOptions::default().with_chart_values(Some(&defaults));
    let findings = validate_document("values-dev-1-0.yml", &edited, &options);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let finding = &findings[0];
    assert_eq!(finding.code, Code::UnknownKey);
    assert_eq!(finding.severity, Severity::Warning);
    assert_eq!(finding.location, key_location);
    assert!(
        key_location.line > 1 && key_location.column > 1,
        "{key_location:?}"
    );
    assert_eq!(
        finding.hint.as_deref(),
        Some("did you mean `controller.replicaCount`?")
    );
}

#[test]
fn findings_render_in_each_format() {
    let case =
        FsPath::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/validate/release-mismatch");
    let (name, findings) = run_case(&case);
    let human = render(&findings, Format::Human, Color::Never);
    let first = &findings[0];
    let Location { line, column } = first.location;
    assert!(
        human.starts_with(&format!(
            "{name}:{line}:{column}: error[release-mismatch]: "
        )),
        "{human}"
    );
    assert!(human.contains("\nhint: "), "{human}");
    let caret_line = human.lines().find(|l| l.trim_end().ends_with('^')).unwrap();
    assert_eq!(
        caret_line.find('^'),
        Some(caret_line.find('|').unwrap() + 1 + column)
    );

    let github = render(&findings, Format::Github, Color::Never);
    assert!(
        github.starts_with(&format!(
            "::error file={name},line={line},col={column},title=release-mismatch::"
        )),
        "{github}"
    );
    assert_eq!(github.lines().count(), findings.len());

    let json: serde_json::Value =
        serde_json::from_str(&render(&findings, Format::Json, Color::Never)).unwrap();
    assert_eq!(json["errors"], findings.len());
    assert_eq!(json["findings"][0]["line"], line);
}

#[test]
fn the_documented_examples_are_real_output() {
    let root = FsPath::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let doc = std::fs::read_to_string(root.join("docs/validate.md")).unwrap();
    let mut documented = std::collections::HashSet::new();
    for block in doc.split("```json\n").skip(1) {
        let text = block.split("\n```").next().unwrap();
        let example: serde_json::Value = serde_json::from_str(text).unwrap();
        let code = example["code"].as_str().unwrap().to_owned();
        let case = root.join("fixtures/validate").join(&code);
        let (_, findings) = run_case(&case);
        assert!(
            findings.iter().any(|f| f.to_json() == example),
            "docs/validate.md's `{code}` example is not what fixtures/validate/{code} gives: \
             {example}"
        );
        documented.insert(code);
    }
    let undocumented: Vec<&str> = Code::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| !documented.contains(*c))
        .collect();
    assert!(
        undocumented.is_empty(),
        "codes without an example: {undocumented:?}"
    );
}
