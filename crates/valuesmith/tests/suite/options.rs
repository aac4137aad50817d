//! The option structs are `#[non_exhaustive]`: an embedding tool builds each from `Default`
//! and its `with_` setters, and each setter changes what the call does.

use valuesmith::diff::{diff, DiffOptions, PathPattern};
use valuesmith::document::Document;
use valuesmith::effective::{effective, Inputs};
use valuesmith::migrate::ReportOptions;
use valuesmith::path::Path;
use valuesmith::promote::{promote, PromoteOptions};
use valuesmith::value::Value;

fn doc(text: &str) -> Document {
    Document::values_from_bytes(text.as_bytes()).unwrap()
}

#[test]
fn diff_options_from_default_and_setters() {
    let old = doc("a: 1\nb: 1\npassword: x\n");
    let new = doc("a: 2\nb: 2\npassword: y\n");
    assert_eq!(diff(&old, &new, &DiffOptions::default()).changes.len(), 3);
    let ignoring = DiffOptions::default().with_ignore(vec![PathPattern::parse("b").unwrap()]);
    assert_eq!(diff(&old, &new, &ignoring).changes.len(), 2);
    let shown = DiffOptions::default().with_show_secrets(true);
    assert!(shown.show_secrets);
    let keyed = DiffOptions::default().with_identity_keys(vec!["port".into()]);
    let old = doc("l: [{port: 1, v: a}, {port: 2, v: b}]\n");
    let new = doc("l: [{port: 2, v: b}, {port: 1, v: c}]\n");
    let paths: Vec<String> = diff(&old, &new, &keyed)
        .changes
        .iter()
        .map(|c| c.path.to_string())
        .collect();
    assert!(paths.contains(&"l[port=1].v".to_owned()), "{paths:?}");
}

#[test]
fn effective_inputs_from_default_and_setters() {
    let files = vec![("a.yml".to_owned(), doc("x: 1\n"))];
    let result = effective(Inputs::default().with_files(&files)).unwrap();
    assert_eq!(result.to_helm_json(), r#"{"x":1}"#);
}

#[test]
fn promote_and_report_options_from_default_and_setters() {
    let patch = diff(
        &doc("x: 1\na: {b: 1}\n"),
        &doc("x: 1\na: {}\n"),
        &DiffOptions::default(),
    )
    .to_patch();
    let emptied = promote(doc("x: 1\na: {b: 1}\n"), &patch, &PromoteOptions::default()).unwrap();
    assert_eq!(emptied.document.to_text(), "x: 1\n");
    let kept = PromoteOptions::default()
        .with_keep_empty(true)
        .with_skip_conflicts(true);
    let kept = promote(doc("x: 1\na: {b: 1}\n"), &patch, &kept).unwrap();
    assert_eq!(
        kept.document.value().at(&Path::parse("a").unwrap()),
        Some(&Value::Mapping(Default::default()))
    );

    let options = ReportOptions::default()
        .with_input("in.yml")
        .with_files(vec!["out.yml".into()])
        .with_show_secrets(true);
    assert_eq!((options.input.as_str(), options.files.len()), ("in.yml", 1));
    assert!(options.show_secrets);
}
