//! Unit tests of the validation checks; the fixture cases of every code are in
//! `tests/suite/validate.rs`.

use super::pitfalls::{go_print, helm_number, is_version_key};
use super::*;
use crate::diagnostic::did_you_mean;

fn findings(name: &str, text: &str, options: &ValidateOptions<'_>) -> Vec<Finding> {
    validate_file(name, text.as_bytes(), options)
}

/// `(line, column, code)` of each finding.
fn brief(findings: &[Finding]) -> Vec<(usize, usize, &'static str)> {
    findings
        .iter()
        .map(|f| (f.location.line, f.location.column, f.code.as_str()))
        .collect()
}

fn plain(text: &str) -> Vec<(usize, usize, &'static str)> {
    brief(&findings("values.yml", text, &ValidateOptions::default()))
}

const CATALOG: &str = "\
product: demo
chart: demo/demo
version_path: global.image.tag
releases:
  - version: 1.0.0
    chart_version: 1.0.0
    migrate:
      - require: auth.token
      - remove: legacy
      - rename: old.name
        to: new.name
  - version: 1.1.0
    chart_version: 1.1.0
    values:
      global: { image: { tag: \"1.1.0\" } }
    migrate:
      - rename: auth
        to: security.auth
      - set: legacy.enabled
        value: false
";

#[test]
fn codes_round_trip_and_have_their_severity() {
    assert_eq!(Code::ALL.len(), 23);
    assert_eq!(Code::FlowIndent.severity(), Severity::Warning);
    assert_eq!(Code::HelmOnlySyntax.severity(), Severity::Warning);
    for &code in Code::ALL {
        assert_eq!(Code::from_name(code.as_str()), Some(code));
        assert_eq!(code.to_string(), code.as_str());
    }
    assert_eq!(Code::Syntax.severity(), Severity::Error);
    assert_eq!(Code::UnknownKey.severity(), Severity::Warning);
    assert_eq!(Code::from_name("nope"), None);
}

#[test]
fn strict_fails_on_warnings() {
    let warning = findings("values.yml", "a: yes\n", &ValidateOptions::default());
    let summary = Summary::of(&warning);
    assert_eq!((summary.errors, summary.warnings), (0, 1));
    assert!(!summary.fails(false));
    assert!(summary.fails(true));
    assert!(!Summary::of(&[]).fails(true));
}

#[test]
fn go_prints_floats_like_helm_templates() {
    for (value, printed) in [
        (1.1, "1.1"),
        (1.0, "1"),
        (2024.12, "2024.12"),
        (123456.0, "123456"),
        (1234567.0, "1.234567e+06"),
        (20240102.0, "2.0240102e+07"),
        (1e21, "1e+21"),
        (0.0001, "0.0001"),
        (0.00001, "1e-05"),
        (-2.5, "-2.5"),
        (493.0, "493"),
    ] {
        assert_eq!(go_print(value), printed, "{value}");
    }
}

#[test]
fn numbers_as_go_yaml_reads_them() {
    assert_eq!(helm_number("1.10"), Some(1.1));
    assert_eq!(helm_number("0755"), Some(493.0));
    assert_eq!(helm_number("0x1F"), Some(31.0));
    assert_eq!(helm_number("1_000"), Some(1000.0));
    assert_eq!(helm_number("1e3"), Some(1000.0));
    assert_eq!(helm_number("-3"), Some(-3.0));
    assert_eq!(helm_number("08"), Some(8.0));
    assert_eq!(helm_number(".5"), Some(0.5));
    for text in [
        "2025.05.00",
        "1.2.3",
        "v1.10",
        "latest",
        "",
        "-",
        "1e",
        "0x",
    ] {
        assert_eq!(helm_number(text), None, "{text}");
    }
}

#[test]
fn version_keys_are_matched_by_word() {
    for key in [
        "tag",
        "imageTag",
        "appVersion",
        "chart_version",
        "TAG",
        "image-tags",
        "HTTPVersion",
    ] {
        assert!(is_version_key(key), "{key}");
    }
    for key in ["stage", "percentage", "versioning", "tagline", "storage"] {
        assert!(!is_version_key(key), "{key}");
    }
}

#[test]
fn suggestions_need_a_near_miss() {
    let keys = ["replicaCount", "image", "imagePullSecrets"];
    assert_eq!(did_you_mean("replicaCont", keys), Some("replicaCount"));
    assert_eq!(did_you_mean("Image", keys), Some("image"));
    assert_eq!(did_you_mean("service", keys), None);
}

#[test]
fn tabs_inside_scalars_and_flow_collections_are_content() {
    assert_eq!(
        plain("a: |\n  x\n  \ty\nb: \"p\n  \tq\"\nc: [1,\n \t2]\n"),
        vec![]
    );
    // Helm's parser refuses these tabs, so the read does, at the tab.
    assert_eq!(plain("a: 1\n\t# note\n"), vec![(2, 1, "tab-indent")]);
    assert_eq!(plain("a:\t1\nb:\n-\tx\n"), vec![(3, 2, "tab-indent")]);
    // And it reads these: a tab after `key:` and one past the indentation on a blank line.
    assert_eq!(plain("a:\t1\nb: 2\n"), vec![]);
    assert_eq!(plain("a: 1\n  \t\nb: 2\n"), vec![]);
    // A tab after an anchor or inside braces is one Helm's parser reads.
    assert_eq!(plain("a: &x\t1\nb: {c:\t1}\n"), vec![]);
}

#[test]
fn only_plain_untagged_yaml11_booleans_are_reported() {
    assert_eq!(
        plain("a: \"yes\"\nb: 'on'\nc: !!str no\nd: true\ne: yEs\nf: [y, n]\n"),
        vec![(6, 5, "yaml11-bool"), (6, 8, "yaml11-bool")]
    );
}

#[test]
fn version_like_numbers_are_reported_under_version_keys_only() {
    assert_eq!(
        plain("tag: 1.10\ncount: 1.10\nversion: 2\ntags: [1.10, \"1.10\", 1.5.0]\n"),
        vec![(1, 6, "float-version"), (4, 8, "float-version")]
    );
}

#[test]
fn rules_are_followed_through_later_releases() {
    let catalog = Catalog::parse(CATALOG, "releases.yml").unwrap();
    let options = ValidateOptions {
        catalog: Some(&catalog),
        ..ValidateOptions::default()
    };
    // At 1.1.0 the token is required where the rename of `auth` put it, `legacy` is back (a
    // `set` of 1.1.0 writes under it), and `old.name` is still retired.
    let text = "global:\n  image:\n    tag: \"1.1.0\"\nauth:\n  token: t\nlegacy:\n  enabled: false\nold:\n  name: x\n";
    let found = findings("values-dev-1-1-0.yml", text, &options);
    assert_eq!(
        brief(&found),
        vec![
            (1, 1, "required-input"),
            (4, 1, "retired-key"),
            (9, 3, "retired-key")
        ],
        "{found:#?}"
    );
    assert!(
        found[0]
            .message
            .contains("`security.auth.token` is missing"),
        "{}",
        found[0].message
    );
    assert!(
        found[1].message.contains("renamed to `security.auth`"),
        "{}",
        found[1].message
    );

    // At 1.0.0 the same file has the token, and `legacy` is retired.
    let text = "auth:\n  token: t\nlegacy: {}\n";
    let found = findings("values-dev-1-0-0.yml", text, &options);
    assert_eq!(brief(&found), vec![(3, 1, "retired-key")], "{found:#?}");
}

#[test]
fn standard_input_takes_its_release_from_the_version_path() {
    let catalog = Catalog::parse(CATALOG, "releases.yml").unwrap();
    let options = ValidateOptions {
        catalog: Some(&catalog),
        ..ValidateOptions::default()
    };
    let text = "global:\n  image:\n    tag: \"1.1.0\"\nsecurity:\n  auth:\n    token: t\n";
    assert_eq!(brief(&findings("<stdin>", text, &options)), vec![]);
    let text = "global:\n  image:\n    tag: \"1.2.0\"\n";
    assert_eq!(
        brief(&findings("<stdin>", text, &options)),
        vec![(3, 10, "unknown-release")]
    );
    // A file whose name and tag both say nothing is only warned about.
    let found = findings("my-values.yml", "a: 1\n", &options);
    assert_eq!(brief(&found), vec![(1, 1, "file-name")]);
    assert!(found[0].message.contains("skipped"), "{}", found[0].message);
}

#[test]
fn a_version_path_that_is_no_version_is_a_mismatch() {
    let catalog = Catalog::parse(CATALOG, "releases.yml").unwrap();
    let options = ValidateOptions {
        catalog: Some(&catalog),
        ..ValidateOptions::default()
    };
    let text = "global:\n  image:\n    tag: latest\nsecurity: {auth: {token: t}}\n";
    let found = findings("values-dev-1-1-0.yml", text, &options);
    // The mismatch is reported once, not again as a required value.
    assert_eq!(
        brief(&found),
        vec![(3, 10, "release-mismatch")],
        "{found:#?}"
    );
}

#[test]
fn required_properties_need_the_defaults_except_in_sequences() {
    let schema = Schema::from_json(
        "s.json",
        r#"{"type": "object", "required": ["port"],
            "properties": {"port": {"type": "integer"},
                           "hosts": {"type": "array", "items": {"required": ["host"]}}}}"#,
    )
    .unwrap();
    let text = "hosts:\n- path: /\n";
    let without = ValidateOptions {
        schema: Some(&schema),
        ..ValidateOptions::default()
    };
    assert_eq!(
        brief(&findings("v.yml", text, &without)),
        vec![(2, 3, "schema")]
    );
    let defaults = ChartValues::from_bytes("values.yaml", b"port: 80\nhosts: []\n").unwrap();
    let with = ValidateOptions {
        chart_values: Some(&defaults),
        ..without
    };
    assert_eq!(
        brief(&findings("v.yml", text, &with)),
        vec![(2, 3, "schema")]
    );
    // A `null` removes the default, as in Helm, and the missing property is reported where
    // the file is.
    let found = findings("v.yml", "port: null\n", &with);
    assert_eq!(brief(&found), vec![(1, 1, "schema")], "{found:#?}");
}

#[test]
fn schema_load_errors_say_where() {
    let err = Schema::from_json("s.json", "{\n  \"type\": \"object\",\n}\n").unwrap_err();
    let LoadError::SchemaJson { location, .. } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(location.line, 3);
    let err = Schema::from_json("s.json", r#"{"type": "no-such-type"}"#).unwrap_err();
    assert!(matches!(err, LoadError::SchemaInvalid { .. }), "{err:?}");
    let err = Schema::load(std::path::Path::new("/no/such/values.schema.json")).unwrap_err();
    assert!(err.to_string().contains("no such file"), "{err}");
}

#[test]
fn github_commands_escape_their_parts() {
    let finding = Finding {
        file: "a,b:c.yml".into(),
        location: Location { line: 2, column: 3 },
        severity: Severity::Warning,
        code: Code::UnknownKey,
        message: "100% sure\nnext".into(),
        hint: None,
        source_line: None,
        fix: None,
    };
    assert_eq!(
        render(&[finding], Format::Github, crate::diagnostic::Color::Never),
        "::warning file=a%2Cb%3Ac.yml,line=2,col=3,title=unknown-key::100%25 sure%0Anext\n"
    );
}

#[test]
fn every_duplicate_key_is_reported() {
    let found = plain("a: 1\nb:\n  x: 1\n  x: 2\na: 3\n\"1\": x\n1: y\n");
    assert_eq!(
        found,
        vec![
            (4, 3, "duplicate-key"),
            (5, 1, "duplicate-key"),
            (7, 1, "duplicate-key"),
            (7, 4, "yaml11-bool")
        ]
    );
}

#[test]
fn unreadable_files_are_findings_not_errors() {
    assert_eq!(plain(""), vec![(1, 1, "empty")]);
    assert_eq!(plain("- a\n"), vec![(1, 1, "syntax")]);
    let utf16: Vec<u8> = "a: 1\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
    let found = validate_file("v.yml", &utf16, &ValidateOptions::default());
    assert_eq!(brief(&found), vec![(1, 1, "encoding")]);
    assert_eq!(found[0].source_line, None);
}

#[test]
fn values_of_other_types_are_explained() {
    let catalog = Catalog::parse(
        "product: p\nchart: c/p\nreleases:\n  - version: 1.0.0\n    chart_version: 1.0.0\n    values:\n      app: {version: \"4.5\"}\n",
        "releases.yml",
    )
    .unwrap();
    let options = ValidateOptions {
        catalog: Some(&catalog),
        ..ValidateOptions::default()
    };
    let found = findings("values-dev-1-0-0.yml", "app:\n  version: 4.5\n", &options);
    assert_eq!(
        brief(&found),
        vec![(2, 12, "float-version"), (2, 12, "required-value")]
    );
    assert!(
        found[1]
            .message
            .contains("read as a float instead of a string"),
        "{}",
        found[1].message
    );
}

#[test]
fn numbers_helm_reads_otherwise_are_flagged_once() {
    let found = plain(
        "mode: 0755\nsep: 1_000\nbin: 0b101\nhex: 0x1F\nbig: 9007199254740993\nok: 0.5\n\
         0644: key\nplain: 08\nversion: 1.10\n",
    );
    assert_eq!(
        found,
        vec![
            (1, 7, "yaml11-number"),
            (2, 6, "yaml11-number"),
            (3, 6, "yaml11-number"),
            (4, 6, "yaml11-number"),
            (5, 6, "big-integer"),
            (7, 1, "yaml11-number"),
            (9, 10, "float-version"),
        ]
    );
    let findings = findings(
        "values.yml",
        "mode: 0755\nbig: 12345678901234567890\n",
        &ValidateOptions::default(),
    );
    assert_eq!(
        findings[0].message,
        "`0755` is the number 493 to Helm (a leading zero makes it octal in YAML 1.1) but the int \
         755 to YAML 1.2 tools"
    );
    assert_eq!(
        findings[0].hint.as_deref(),
        Some("write 493 for the number, or quote it (\"0755\") for the string")
    );
    assert_eq!(
        findings[1].message,
        "`12345678901234567890` is beyond 2^53: Helm holds every number as a float64, so it \
         becomes 12345678901234567000"
    );
}

#[test]
fn a_merge_key_after_explicit_keys_is_flagged() {
    let text = "base: &b {x: 1}\nfirst:\n  <<: *b\n  x: 2\nlater:\n  x: 2\n  <<: *b\n";
    assert_eq!(plain(text), vec![(7, 3, "merge-order")]);
    let findings = findings("values.yml", text, &ValidateOptions::default());
    assert!(findings[0]
        .message
        .contains("it overrides `x` written above it"));
    assert_eq!(
        findings[0].hint.as_deref(),
        Some("write `<<` first in its mapping")
    );
}

#[test]
fn yaml11_boolean_keys_are_flagged() {
    assert_eq!(
        plain("on: 1\nn: 2\n"),
        vec![(1, 1, "yaml11-bool"), (2, 1, "yaml11-bool")]
    );
}

/// `validate_file_redacted` takes the secret values from the document it read: its report is
/// what `validate_file` and a redaction from the bytes give, on every corpus file and on
/// findings that quote a secret.
#[test]
fn the_one_read_redaction_reports_what_redacting_the_bytes_reports() {
    let mut files: Vec<(String, Vec<u8>)> = crate::test_corpus::yaml_files("charts")
        .unwrap_or_default()
        .into_iter()
        .map(|(path, bytes)| (path.display().to_string(), bytes))
        .collect();
    files.push((
        "broken.yaml".to_owned(),
        b"db:\n  password: hunter22\n  x: [\n".to_vec(),
    ));
    // Every string fails it, so every string value is quoted in a finding with its line.
    let strings = Schema::from_json(
        "strings.json",
        r##"{"$defs": {"n": {"type": ["object", "array", "integer", "boolean", "null"],
                             "additionalProperties": {"$ref": "#/$defs/n"},
                             "items": {"$ref": "#/$defs/n"}}},
             "$ref": "#/$defs/n"}"##,
    )
    .unwrap();
    let options = ValidateOptions {
        schema: Some(&strings),
        ..ValidateOptions::default()
    };
    let mut findings = 0;
    for (name, bytes) in &files {
        let mut expected = validate_file(name, bytes, &options);
        crate::secrets::redact_findings(&mut expected, name, bytes);
        let found = validate_file_redacted(name, bytes, &options);
        assert_eq!(found, expected, "{name}");
        findings += found.len();
    }
    assert!(findings > 1000, "{findings} findings");
    // A schema message quotes the value it refuses: the secret's, here.
    let schema = Schema::from_json(
        "s.json",
        r#"{"properties": {"db": {"properties": {"password": {"enum": ["x"]}}}}}"#,
    )
    .unwrap();
    let options = ValidateOptions {
        schema: Some(&schema),
        ..ValidateOptions::default()
    };
    let planted = b"image:\n  tag: 2.0\ndb:\n  password: hunter2hunter2\n";
    let mut expected = validate_file("values.yaml", planted, &options);
    crate::secrets::redact_findings(&mut expected, "values.yaml", planted);
    let found = validate_file_redacted("values.yaml", planted, &options);
    assert_eq!(found, expected);
    let refused = found
        .iter()
        .find(|f| f.location.line == 4)
        .expect("the schema finding of the secret");
    assert!(
        !refused.message.contains("hunter2") && refused.message.contains("<redacted>"),
        "{}",
        refused.message
    );
    assert_eq!(
        refused.source_line.as_deref(),
        Some("  password: <redacted>")
    );
}
