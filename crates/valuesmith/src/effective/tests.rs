//! Unit tests of the coalescing rules, the `--set` syntax and Go's JSON.

use super::coalesce::version_matches;
use super::*;
use crate::chart::Chart;

fn doc(text: &str) -> Document {
    Document::parse_values(text).unwrap()
}

fn chart(defaults: &str) -> Chart {
    let document = doc(defaults);
    Chart::from_parts(
        "chart",
        document.value().clone(),
        "values.yaml",
        Some(document),
        None,
    )
}

fn json_of(
    chart: Option<&Chart>,
    files: &[&str],
    sets: &[(SetKind, &str)],
    helm: HelmVersion,
) -> String {
    let files: Vec<(String, Document)> = files
        .iter()
        .enumerate()
        .map(|(i, t)| (format!("f{i}.yaml"), doc(t)))
        .collect();
    let sets: Vec<SetFlag> = sets
        .iter()
        .map(|(kind, text)| SetFlag {
            kind: *kind,
            text: (*text).to_owned(),
        })
        .collect();
    effective(Inputs {
        chart,
        files: &files,
        sets: &sets,
        helm,
    })
    .unwrap()
    .to_helm_json()
}

#[test]
fn maps_merge_lists_replace_nulls_delete() {
    let c = chart("a: {x: 1, w: 2}\nb: [1]\nc: 3\n");
    let out = json_of(
        Some(&c),
        &["a: {w: 5, z: 6}\nb: [2]\nc: null\nd: null\n"],
        &[],
        HelmVersion::V4,
    );
    assert_eq!(out, r#"{"a":{"w":5,"x":1,"z":6},"b":[2],"d":null}"#);
}

#[test]
fn nested_null_over_a_null_default_differs_between_helm_3_and_4() {
    let c = chart("a: {x: 1, m: null}\n");
    let file = ["a: {kept: null, x: null, m: null}\n"];
    assert_eq!(
        json_of(Some(&c), &file, &[], HelmVersion::V4),
        r#"{"a":{"kept":null,"m":null}}"#
    );
    assert_eq!(
        json_of(Some(&c), &file, &[], HelmVersion::V3),
        r#"{"a":{"kept":null}}"#
    );
}

#[test]
fn type_clashes_keep_the_users_value_and_warn() {
    let c = chart("a: {x: 1}\nb: text\n");
    let files = [("u.yaml".to_owned(), doc("a: flat\nb:\n  w: 1\n"))];
    let result = effective(Inputs {
        chart: Some(&c),
        files: &files,
        ..Default::default()
    })
    .unwrap();
    assert_eq!(result.to_helm_json(), r#"{"a":"flat","b":{"w":1}}"#);
    let warnings: Vec<String> = result
        .warnings()
        .iter()
        .map(|w| format!("{}: {} ({})", w.path, w.message, w.source))
        .collect();
    assert_eq!(
        warnings,
        vec![
            "a: a string replaces the chart's default, which is a mapping (u.yaml:1:4)",
            "b: a mapping replaces the chart's default, which is a string (u.yaml:3:3)",
        ]
    );
}

#[test]
fn several_files_merge_before_the_defaults() {
    let c = chart("a: {x: 1, w: 2}\n");
    let out = json_of(
        Some(&c),
        &["a: {x: 5}\n", "a: {x: null}\n", "b: 1\n", "b: {c: 2}\n"],
        &[],
        HelmVersion::V4,
    );
    assert_eq!(out, r#"{"a":{"w":2},"b":{"c":2}}"#);
}

#[test]
fn set_syntax_as_helm_reads_it() {
    use SetKind::{Set, SetString};
    let out = json_of(
        None,
        &[],
        &[
            (SetString, "s=5"),
            (Set, "a.b=c,n=10,z=0,lead=010,f=1.5,t=TRUE,nul=null"),
            (Set, "l={x,y},i[2].k=v"),
            (Set, r"dot\.key=1,comma=a\,b,empty="),
        ],
        HelmVersion::V4,
    );
    assert_eq!(
        out,
        r#"{"a":{"b":"c"},"comma":"a,b","dot.key":1,"empty":"","f":"1.5","i":[null,null,{"k":"v"}],"l":["x","y"],"lead":"010","n":10,"nul":null,"s":"5","t":true,"z":0}"#
    );
}

#[test]
fn bad_set_syntax_is_an_error_with_its_column() {
    for (text, reason) in [
        ("a", "key \"a\" has no value"),
        ("a.b", "key \"b\" has no value"),
        ("a[x]=1", "error parsing index"),
        ("a={x,y", "list must terminate with '}'"),
        ("a,b=1", "cannot end with ,"),
        ("a[-1]=1", "negative -1 index not allowed"),
        ("a[70000]=1", "greater than maximum supported index"),
    ] {
        let sets = [SetFlag {
            kind: SetKind::Set,
            text: text.to_owned(),
        }];
        let err = effective(Inputs {
            sets: &sets,
            ..Default::default()
        })
        .unwrap_err();
        assert!(err.to_string().contains(reason), "{text}: {err}");
        let d = err.to_diagnostic();
        assert!(d.location.is_some() && d.hint.is_some(), "{text}");
    }
    let files = [("u.yaml".to_owned(), doc("a: x\nl: {k: 1}\n"))];
    for text in ["a.b=1", "l[0]=1"] {
        let sets = [SetFlag {
            kind: SetKind::Set,
            text: text.to_owned(),
        }];
        let err = effective(Inputs {
            files: &files,
            sets: &sets,
            ..Default::default()
        })
        .unwrap_err();
        assert!(
            err.to_string().starts_with(&format!("--set {text}: `")),
            "{err}"
        );
    }
}

#[test]
fn go_json_numbers_and_escapes() {
    let out = json_of(None, &["a: 1.0\nb: 1e21\nc: 0.0000001\nd: 12345678901234567890\ne: \"<&>\"\nf: -0.5\ng: \"\\x01\\t\"\n"], &[], HelmVersion::V4);
    assert_eq!(
        out,
        r#"{"a":1,"b":1e+21,"c":1e-7,"d":12345678901234567000,"e":"\u003c\u0026\u003e","f":-0.5,"g":"\u0001\t"}"#
    );
}

#[test]
fn explain_names_every_source_and_deletion() {
    let c = chart("image:\n  tag: \"1.0\"\n  pull: IfNotPresent\nremove: x\n");
    let files = [(
        "prod.yaml".to_owned(),
        doc("image:\n  tag: \"2.0\"\nremove: null\n"),
    )];
    let sets = [SetFlag {
        kind: SetKind::Set,
        text: "extra=1".to_owned(),
    }];
    let result = effective(Inputs {
        chart: Some(&c),
        files: &files,
        sets: &sets,
        ..Default::default()
    })
    .unwrap();
    assert_eq!(
        explain(&result, true),
        "extra = 1  <- --set extra=1\n\
         image.pull = IfNotPresent  <- values.yaml:3:9 (chart default)\n\
         image.tag = \"2.0\"  <- prod.yaml:2:8\n\
         remove deleted by the null at prod.yaml:3:9 (the default was at values.yaml:4:9)\n"
    );
}

#[test]
fn masterminds_ranges() {
    let dep = |range: &str| Dependency {
        name: "x".into(),
        version: Some(range.into()),
        alias: None,
        condition: None,
        tags: vec![],
        import_values: vec![],
    };
    for (range, version, ok) in [
        ("2.x.x", "2.31.4", true),
        ("2.x.x", "3.0.0", false),
        ("1.2.3", "1.2.3", true),
        ("1.2.3", "1.2.4", false),
        ("~1.2.0", "1.2.9", true),
        ("^1", "1.9.0", true),
        (">=1.0.0 <2.0.0", "1.5.0", true),
        (">=1.0.0, <2.0.0", "2.0.0", false),
        ("1.0.0 || 2.x", "2.1.0", true),
        ("*", "0.1.0", true),
    ] {
        assert_eq!(
            version_matches(&dep(range), version),
            ok,
            "{range} {version}"
        );
    }
}
