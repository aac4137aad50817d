//! Unit tests of reading: spans, errors, the Helm and YAML 1.2 readings, limits.

use super::*;

fn doc(text: &str) -> Document {
    Document::parse(text).unwrap()
}

#[test]
fn spans_of_scalars_and_collections() {
    let text = "a: \"é\" # c1\r\nb:\r\n  - x\r\n  - y  # c2\r\nc: |\r\n  lit\r\n  more\r\n\r\nd: &anc {x: 1}\r\ne: *anc\r\ng:\r\n";
    let d = doc(text);
    let at = |p: &str| {
        d.text_of(d.get(&Path::parse(p).unwrap()).unwrap())
            .to_owned()
    };
    assert_eq!(at("a"), "\"é\"");
    assert_eq!(at("b"), "- x\r\n  - y");
    assert_eq!(at("c"), "|\r\n  lit\r\n  more");
    assert_eq!(at("d"), "{x: 1}");
    assert_eq!(at("e.x"), "1");
    assert_eq!(at("g"), "");
    assert_eq!(d.line_ending(), LineEnding::CrLf);
    assert_eq!(d.comments().len(), 2);
    assert!(d.comments().iter().all(|c| c.trailing));
    let g = d.get(&Path::parse("g").unwrap()).unwrap();
    assert_eq!(d.node(g).span.start, text.find("g:").unwrap() + 2);
    assert_eq!(
        d.get_value(&Path::parse("c").unwrap()),
        Some(Value::String("lit\nmore\n".into()))
    );
}

#[test]
fn bom_is_kept() {
    let d = Document::from_bytes("\u{feff}a: 1\n".as_bytes()).unwrap();
    assert!(d.has_bom());
    assert_eq!(d.to_bytes(), "\u{feff}a: 1\n".as_bytes());
}

#[test]
fn read_errors() {
    let err = |bytes: &[u8]| {
        Document::from_bytes_with(
            bytes,
            DocumentKind::Values,
            Limits::default(),
            Reading::Yaml12,
        )
        .unwrap_err()
    };
    assert!(matches!(
        err(b"\xff\xfea\x00:\x00"),
        ReadError::Utf16 { .. }
    ));
    assert!(matches!(
        err(b"a: 1\nb: \xff\n"),
        ReadError::InvalidUtf8 {
            location: Location { line: 2, column: 4 },
            ..
        }
    ));
    assert!(matches!(
        err(b"a:\n\tb: 1\n"),
        ReadError::TabIndent {
            location: Location { line: 2, column: 1 }
        }
    ));
    assert!(matches!(
        err(b"a: 1\nb: 2\na: 3\n"),
        ReadError::DuplicateKey {
            first: Location { line: 1, .. },
            second: Location { line: 3, .. },
            ..
        }
    ));
    assert!(matches!(
        err(b"# only\n"),
        ReadError::Empty {
            comments_only: true
        }
    ));
    assert!(matches!(
        err(b""),
        ReadError::Empty {
            comments_only: false
        }
    ));
    assert!(matches!(
        err(b"USER-SUPPLIED VALUES:\na: 1\n"),
        ReadError::HelmHeader { .. }
    ));
    assert!(matches!(
        err(b"a: 1\n---\nb: 2\n"),
        ReadError::MultiDocument {
            location: Location { line: 2, column: 1 }
        }
    ));
    assert!(matches!(
        err(b"- a\n"),
        ReadError::NotAMapping {
            found: "sequence",
            ..
        }
    ));
    assert!(matches!(err(b"a: [1, 2\nb: 3\n"), ReadError::Syntax { .. }));
}

#[test]
fn flow_lines_must_be_indented_past_their_parent() {
    // yaml-test-suite 9C9N: refused by YAML 1.2, read by Helm (go-yaml v2).
    for (text, line) in [("flow: [a,\nb,\nc]\n", 2), ("a:\n  b: {\n  }\n", 3)] {
        assert!(Document::parse(text).is_ok(), "{text:?}");
        let err = Document::parse_with(text, DocumentKind::Any, Limits::default(), Reading::Yaml12)
            .unwrap_err();
        assert!(
            matches!(&err, ReadError::Syntax { location, .. } if location.line == line),
            "{text:?}: {err:?}"
        );
        assert!(err
            .hint()
            .is_some_and(|h| h.contains("indent this line more")));
    }
    for text in [
        "flow: [a,\n b,\n c]\n",
        "[a,\nb,\nc]\n",
        "a:\n  b: {\n   }\n",
        "- [a,\n  b]\n",
    ] {
        assert!(Document::parse(text).is_ok(), "{text:?}");
    }
}

fn helm(text: &str) -> serde_json::Value {
    let d = Document::parse_values(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    serde_json::from_str(&crate::value::helm_json(d.value()).unwrap()).unwrap()
}

#[test]
fn helm_reading_of_scalars_and_keys() {
    assert_eq!(
        helm("a: on\nb: 0755\nc: '0755'\ny: 1\n0x10: x\nd: !!binary aGk=\ne: 1_000\n"),
        serde_json::json!({"a": true, "b": 493, "c": "0755", "true": 1, "16": "x", "d": "hi", "e": 1000})
    );
    // Duplicate keys: the last wins, and the document remembers both places.
    let d = doc("a: 1\nb: 2\na: 3\n");
    assert_eq!(d.get_value(&Path::parse("a").unwrap()), Some(Value::Int(3)));
    assert_eq!(d.duplicate_keys().len(), 1);
    assert_eq!(
        d.duplicate_keys()[0].second,
        Location { line: 3, column: 1 }
    );
    for (text, line) in [
        ("a: .inf\n", 1),
        ("a: 1\n~: 2\n", 2),
        ("a:\n  ? [x]\n  : 1\n", 2),
        ("a: !!int abc\n", 1),
        ("a: 1\nb:\n  <<: 3\n", 3),
        ("a: !!binary '%%'\n", 1),
        ("18446744073709551615: x\n", 1),
    ] {
        let err = Document::parse_values(text).unwrap_err();
        assert!(
            matches!(&err, ReadError::HelmRefuses { location, .. } if location.line == line),
            "{text:?}: {err:?}"
        );
        assert!(err.to_string().starts_with("Helm would refuse this file: "));
        assert!(err.hint().is_some());
    }
}

#[test]
fn a_mapping_that_merges_itself_is_bounded() {
    for text in ["a: &a {<<: *a}\n", "a: &a\n  b: 1\n  <<: [*a, *a]\n"] {
        let err = Document::parse_values(text).unwrap_err();
        assert!(
            matches!(err, ReadError::TooDeep { .. } | ReadError::Syntax { .. }),
            "{text:?}: {err:?}"
        );
    }
}

#[test]
fn helm_merge_keys_follow_go_yaml_v2() {
    // A merge overrides the keys written before it; keys after it override the merge; in a
    // list of merges the earlier wins; a merged mapping's own merges apply.
    let text = "base: &b {x: 1, p: 2}\nother: &o {p: 3, z: 4}\nderived: &d\n  <<: *b\n  w: 0\n\
        m:\n  x: 9\n  <<: *b\n  p: 5\ns:\n  <<: [*o, *b]\nk:\n  <<: *d\n  q: 1\nlit:\n  \"<<\": 1\n";
    assert_eq!(
        helm(text),
        serde_json::json!({
            "base": {"x": 1, "p": 2}, "other": {"p": 3, "z": 4},
            "derived": {"x": 1, "p": 2, "w": 0},
            "m": {"x": 1, "p": 5}, "s": {"x": 1, "p": 3, "z": 4},
            "k": {"x": 1, "p": 2, "w": 0, "q": 1}, "lit": {"<<": 1}
        })
    );
    let yaml12 = Document::parse_with(
        text,
        DocumentKind::Values,
        Limits::default(),
        Reading::Yaml12,
    )
    .unwrap();
    assert!(yaml12
        .value()
        .as_mapping()
        .unwrap()
        .get("m")
        .unwrap()
        .as_mapping()
        .unwrap()
        .contains_key("<<"));
}

#[test]
fn identity_lookup_and_aliases() {
    let d =
        doc("base: &b\n  k: v\nuse: *b\npkgs:\n- name: A\n  version: 1\n- name: B\n  version: 2\n");
    assert_eq!(
        d.get_value(&Path::parse("pkgs[name=B].version").unwrap()),
        Some(Value::Int(2))
    );
    assert_eq!(
        d.get_value(&Path::parse("use.k").unwrap()),
        Some(Value::String("v".into()))
    );
}

/// Anchors defined inside complex keys cost nothing while reading (keys are not
/// expanded), and each one nests the previous: the value's depth grows with their number.
#[test]
fn alias_nesting_is_bounded_by_max_depth() {
    let mut text = String::from("? &k0 [[[[[x]]]]]\n: 0\n");
    for i in 1..100 {
        text.push_str(&format!("? &k{i} [[[[[*k{}]]]]]\n: {i}\n", i - 1));
    }
    text.push_str("last: *k99\n");
    // Helm refuses complex keys outright; the YAML 1.2 reading expands them.
    assert!(matches!(
        Document::parse(&text),
        Err(ReadError::HelmRefuses { location, .. }) if location.line == 1
    ));
    let yaml12 = |text: &str| {
        Document::parse_with(text, DocumentKind::Any, Limits::default(), Reading::Yaml12)
    };
    let err = yaml12(&text).unwrap_err();
    assert!(
        matches!(err, ReadError::TooDeep { limit: 200, location } if location.line == 201),
        "{err:?}"
    );
    // Within the limit, the expansion reads.
    let shallow = "? &k0 [[x]]\n: 0\n? &k1 [[*k0]]\n: 1\nlast: *k1\n";
    let d = yaml12(shallow).unwrap();
    assert_eq!(
        d.value()
            .as_mapping()
            .unwrap()
            .get("last")
            .unwrap()
            .to_json(),
        serde_json::json!([[[["x"]]]])
    );
}

#[test]
fn long_strings_repeated_through_aliases_are_bounded() {
    // 1,000 copies of 1 MB would be 1 GB: refused, though only 1,000 nodes.
    let text = format!(
        "a: &a {}\nb: [{}]\n",
        "x".repeat(1 << 20),
        "*a, ".repeat(1000)
    );
    assert!(matches!(
        Document::parse(&text),
        Err(ReadError::AliasBudget { location, .. }) if location.line == 2
    ));
    // The same document without aliases is only as large as its text.
    let text = format!("a: {}\nb: [{}]\n", "x".repeat(1 << 20), "y, ".repeat(1000));
    assert!(Document::parse(&text).is_ok());
}

#[test]
fn nodes_without_aliases_spend_no_alias_budget() {
    let text: String = (0..2000).map(|i| format!("k{i}: v\n")).collect();
    let limits = Limits {
        max_expanded_nodes: 10,
        ..Limits::default()
    };
    let d = Document::parse_as(&text, DocumentKind::Values, limits).unwrap();
    assert_eq!(d.value().as_mapping().unwrap().len(), 2000);
    assert_eq!(d.limits(), limits);
    let aliased = "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nb: *a\n";
    assert!(matches!(
        Document::parse_as(aliased, DocumentKind::Any, limits),
        Err(ReadError::AliasBudget { limit: 10, location }) if location.line == 2
    ));
}

#[test]
fn node_count_is_bounded() {
    let limits = Limits {
        max_nodes: 5,
        ..Limits::default()
    };
    // A mapping and four nodes: its two keys and two values.
    assert!(Document::parse_as("a: 1\nb: 2\n", DocumentKind::Values, limits).is_ok());
    let err = Document::parse_as("a: 1\nb: 2\nc: 3\n", DocumentKind::Values, limits).unwrap_err();
    assert!(
        matches!(
            err,
            ReadError::TooManyNodes {
                limit: 5,
                location: Location { line: 3, column: 1 }
            }
        ),
        "{err:?}"
    );
    assert!(err.hint().is_some());
}

#[test]
fn nesting_limit_is_ours_not_the_parsers() {
    // Above the parser's own default of 255 levels.
    let limits = Limits {
        max_depth: 1000,
        ..Limits::default()
    };
    let deep = format!("{}{}", "[".repeat(600), "]".repeat(600));
    assert!(Document::parse_as(&deep, DocumentKind::Any, limits).is_ok());
    let deeper = format!("{}{}", "[".repeat(1001), "]".repeat(1001));
    assert!(matches!(
        Document::parse_as(&deeper, DocumentKind::Any, limits),
        Err(ReadError::TooDeep { limit: 1000, .. })
    ));
    let err = Document::parse(&deep).unwrap_err();
    assert!(
        matches!(
            err,
            ReadError::TooDeep {
                limit: 200,
                location: Location {
                    line: 1,
                    column: 201
                }
            }
        ),
        "{err:?}"
    );
}

#[test]
fn billion_laughs_is_refused() {
    let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..9 {
        let prev = (b'a' + i - 1) as char;
        let name = (b'a' + i) as char;
        text.push_str(&format!("{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
    }
    assert!(matches!(
        Document::parse(&text),
        Err(ReadError::AliasBudget { .. })
    ));
}

#[test]
fn several_documents_by_helm_version() {
    let text = "a: {x: {y: 1, z: 2}, l: [1, 2]}\n---\n# only\n---\na: {x: {y: ~}, l: [3]}\nb: 1\n";
    let read = |reading| {
        Document::parse_with(text, DocumentKind::Values, Limits::default(), reading).unwrap()
    };
    let helm4 = read(Reading::Helm);
    assert_eq!(
        helm4.value().to_json(),
        serde_json::json!({"a": {"x": {"true": null, "z": 2}, "l": [3]}, "b": 1})
    );
    assert_eq!(helm4.documents(), 3);
    assert_eq!(helm4.document_roots().len(), 2);
    // The node of a key is the one in the last document that writes it.
    let b = helm4.get(&Path::parse("b").unwrap()).unwrap();
    assert_eq!(helm4.node_location(b).line, 6);
    assert_eq!(
        helm4
            .get_value(&Path::parse("a.x").unwrap())
            .unwrap()
            .to_json(),
        serde_json::json!({"true": null, "z": 2})
    );
    assert_eq!(
        helm4.notes(),
        &[ReadNote::MultiDocument {
            reading: Reading::Helm,
            location: Location { line: 2, column: 1 }
        }]
    );
    assert!(helm4.notes()[0].to_string().contains("Helm 4"));
    let helm3 = read(Reading::Helm3);
    assert_eq!(
        helm3.value().to_json(),
        serde_json::json!({"a": {"x": {"true": 1, "z": 2}, "l": [1, 2]}})
    );
    assert!(helm3.notes()[0].to_string().contains("Helm 3"));
    // Helm 3 never parses the later documents; Helm 4 refuses one that does not parse, one
    // that is not a mapping and an alias to an earlier document's anchor.
    for text in [
        "a: 1\n---\nb: [\n",
        "a: 1\n---\n- x\n",
        "a: &x 1\n---\nb: *x\n",
    ] {
        let helm3 = Document::parse_with(
            text,
            DocumentKind::Values,
            Limits::default(),
            Reading::Helm3,
        );
        assert_eq!(
            helm3.unwrap().value().to_json(),
            serde_json::json!({"a": 1}),
            "{text:?}"
        );
        assert!(Document::parse_values(text).is_err(), "{text:?}");
    }
    // Not a values file, or the YAML 1.2 reading: several documents stay an error.
    assert!(matches!(
        Document::parse("a: 1\n---\nb: 2\n"),
        Err(ReadError::MultiDocument { .. })
    ));
}

#[test]
fn flow_lines_at_their_keys_column_are_read_with_a_note() {
    for (text, line, column) in [("flow: [a,\nb,\nc]\n", 2, 1), ("a:\n  b: {\n  }\n", 3, 3)] {
        let d = Document::parse_values(text).unwrap();
        assert_eq!(
            d.notes(),
            &[ReadNote::FlowIndent {
                location: Location { line, column }
            }],
            "{text:?}"
        );
        assert_eq!(d.notes()[0].code(), "flow-indent");
    }
    for text in [
        "flow: [a,\n b,\n c]\n",
        "[a,\nb,\nc]\n",
        "a:\n  b: {\n   }\n",
        "- [a,\n  b]\n",
        "a: [1, 2]\n",
    ] {
        assert!(
            Document::parse(text).unwrap().notes().is_empty(),
            "{text:?}"
        );
    }
}

/// The Helm 4 reading of a values file, or the refusal's position and message.
fn helm_read(text: &str, reading: Reading) -> Result<serde_json::Value, (usize, usize, String)> {
    Document::parse_with(text, DocumentKind::Values, Limits::default(), reading)
        .map(|d| d.value().to_json())
        .map_err(|e| {
            let at = e.location().unwrap();
            (at.line, at.column, e.to_string())
        })
}

#[test]
fn tabs_go_yamls_scanner_refuses_are_refused_at_the_tab() {
    for (text, line, column, goyaml) in [
        ("a: 1\n\t# c\n", 2, 1, "violates indentation"),
        ("a:\n  b: 1\n \t\nc: 2\n", 3, 2, "violates indentation"),
        ("a: 1 # c\n\t\nb: 2\n", 2, 1, "cannot start any token"),
        ("a:\n- \tx\n", 2, 3, "cannot start any token"),
        ("? a\n:\tb\n", 2, 2, "cannot start any token"),
        ("\t{}\n", 1, 1, "cannot start any token"),
        (
            "a: |-\n \tb\n",
            2,
            2,
            "where an indentation space is expected",
        ),
        (
            "a: |\n  x\n\t\nb: 1\n",
            3,
            1,
            "where an indentation space is expected",
        ),
    ] {
        let (l, c, message) = helm_read(text, Reading::Helm).unwrap_err();
        assert_eq!((l, c), (line, column), "{text:?}: {message}");
        assert!(
            message.starts_with("Helm would refuse this file: a tab"),
            "{message}"
        );
        assert!(message.contains(goyaml), "{text:?}: {message}");
    }
    for (text, json) in [
        ("a:\t1\n", serde_json::json!({"a": 1})),
        ("a: 1\n \t\nb: 2\n", serde_json::json!({"a": 1, "b": 2})),
        (
            "a: x\t# c\nb: [1,\n\t2]\n",
            serde_json::json!({"a": "x", "b": [1, 2]}),
        ),
        (
            "a: |\n  x\ty\n  \tz\n",
            serde_json::json!({"a": "x\ty\n\tz\n"}),
        ),
        ("a: &x\t1\n", serde_json::json!({"a": 1})),
    ] {
        assert_eq!(helm_read(text, Reading::Helm), Ok(json), "{text:?}");
    }
}

#[test]
fn forms_go_yaml_refuses_are_refused_with_its_words() {
    for (text, line, column, words) in [
        ("a: \"x\\/y\"\n", 1, 6, "found unknown escape character"),
        ("a: &x.y 1\n", 1, 6, "alphabetic or numeric"),
        ("&a: key: v\n", 1, 3, "mapping values are not allowed"),
        ("a: {x: !!str, y: z}\n", 1, 13, "did not find expected ','"),
        ("a: {x: :x}\n", 1, 8, "expected node content"),
        ("a: [x?y]\n", 1, 6, "did not find expected ','"),
        ("a: {\"x\"\n  : 1}\n", 2, 3, "did not find expected ','"),
        ("a: {x # c\n  : 1}\n", 2, 3, "did not find expected ','"),
    ] {
        let (l, c, message) = helm_read(text, Reading::Helm).unwrap_err();
        assert_eq!((l, c), (line, column), "{text:?}: {message}");
        assert!(message.contains(words), "{text:?}: {message}");
    }
}

#[test]
fn forms_go_yaml_reads_otherwise_are_read_as_it_reads_them() {
    for (text, reading, json) in [
        (
            "a: &x:y 1\n",
            Reading::Helm,
            serde_json::json!({"a": ":y 1"}),
        ),
        (
            "a: {?x: 1}\n",
            Reading::Helm,
            serde_json::json!({"a": {"x": 1}}),
        ),
        (
            "a: [http://h:80/p]\n",
            Reading::Helm,
            serde_json::json!({"a": ["http://h:80/p"]}),
        ),
        // The last line ends the file without a line break: go-yaml keeps no final break;
        // Helm 4 gives every line one before parsing.
        ("a: |\n  x", Reading::Helm3, serde_json::json!({"a": "x"})),
        (
            "a: |\n  x\n   ",
            Reading::Helm3,
            serde_json::json!({"a": "x\n "}),
        ),
        ("a: |\n  x", Reading::Helm, serde_json::json!({"a": "x\n"})),
        (
            "a: |\n  x\n   ",
            Reading::Helm,
            serde_json::json!({"a": "x\n \n"}),
        ),
        (
            "a: |\n  x\nb: 1",
            Reading::Helm3,
            serde_json::json!({"a": "x\n", "b": 1}),
        ),
    ] {
        assert_eq!(helm_read(text, reading), Ok(json), "{text:?} {reading:?}");
    }
}

#[test]
fn helm_4_cuts_a_values_file_at_its_separator_lines() {
    // go-yaml reads the first document of each part: what follows `...` is not read.
    assert_eq!(
        helm_read("a: 1\n...\nb: 2\n---\nc: 3\n", Reading::Helm),
        Ok(serde_json::json!({"a": 1, "c": 3}))
    );
    let (line, column, message) = helm_read("a: 1\n--- !!set\n? b\n", Reading::Helm).unwrap_err();
    assert_eq!((line, column), (2, 1));
    assert!(
        message.contains("invalid Yaml document separator: !!set"),
        "{message}"
    );
    let (line, _, message) = helm_read("%YAML 1.1\n---\na: 1\n", Reading::Helm).unwrap_err();
    assert_eq!(line, 1);
    assert!(message.contains("directive"), "{message}");
    // Helm 3 parses the whole file as YAML, and reads its first document.
    assert_eq!(
        helm_read("%YAML 1.1\n---\na: 1\n", Reading::Helm3),
        Ok(serde_json::json!({"a": 1}))
    );
    assert_eq!(
        helm_read("a: 1\n--- # next\nb: 2\n", Reading::Helm),
        Ok(serde_json::json!({"a": 1, "b": 2}))
    );
}

/// Forms Helm's parser reads otherwise than YAML 1.2 are read as Helm reads them (real Helm
/// reads `[?a]` as `[{a: null}]`, `[!!str, b]` as `["b"]` and `[-]` as `["-"]`), and forms it
/// refuses stay refused (`{a: !!str, b: c}`, `[?]`).
#[test]
fn forms_helm_reads_otherwise_are_read_as_helm_reads_them() {
    for (text, helm) in [
        ("a: [?b]\n", serde_json::json!({"a": [{"b": null}]})),
        ("a: [x, ?b]\n", serde_json::json!({"a": ["x", {"b": null}]})),
        ("a: [!!str, b]\n", serde_json::json!({"a": ["b"]})),
        ("a: [-]\n", serde_json::json!({"a": ["-"]})),
    ] {
        assert_eq!(helm_read(text, Reading::Helm), Ok(helm), "{text:?}");
    }
    let err = Document::parse_values("v: [?]\n").unwrap_err();
    assert!(matches!(err, ReadError::HelmRefuses { .. }), "{err:?}");
    let err = Document::parse_values("v: {a: !!str, b: c}\n").unwrap_err();
    assert!(matches!(err, ReadError::HelmRefuses { .. }), "{err:?}");
    // YAML 1.2's reading refuses `[-]` with the parser's own words.
    let err = Document::from_bytes_with(
        b"a: [-]\n",
        DocumentKind::Values,
        Limits::default(),
        Reading::Yaml12,
    )
    .unwrap_err();
    assert!(matches!(err, ReadError::Syntax { .. }), "{err:?}");
}

#[test]
fn a_node_stays_small() {
    // Every key, value and collection is a node: their size is most of a document's memory
    // on dense files. The anchor and the tag are boxed, as few nodes have them.
    assert!(
        std::mem::size_of::<Node>() <= 72,
        "{}",
        std::mem::size_of::<Node>()
    );
}

/// Reading leaves a value to be built on first use only when building it cannot fail: on
/// every corpus file and every yaml-test-suite input, under each reading, a document read
/// with its value left for later builds it without an error; and each form whose value can
/// fail to build is still refused while reading.
#[test]
fn a_value_left_for_later_always_builds() {
    let Some(files) = crate::test_corpus::yaml_files("") else {
        return;
    };
    let inputs: Vec<String> = files
        .into_iter()
        .filter_map(|(_, bytes)| String::from_utf8(bytes).ok())
        .collect();
    assert!(inputs.len() > 400, "{} inputs", inputs.len());
    let (mut later, mut eager) = (0, 0);
    for text in &inputs {
        for reading in [Reading::Helm, Reading::Helm3, Reading::Yaml12] {
            let Ok(doc) = Document::parse_with(text, DocumentKind::Any, Limits::default(), reading)
            else {
                continue;
            };
            if doc.value.get().is_some() {
                eager += 1;
                continue;
            }
            later += 1;
            if let Some(root) = doc.root {
                let mut budget = doc.limits.max_expanded_nodes;
                assert!(
                    doc.build_value(root, &mut budget, 0, None).is_ok(),
                    "{reading:?}: a value left for later does not build:\n{text}"
                );
            }
        }
    }
    assert!(
        later > 1000 && eager > 100,
        "{later} left for later, {eager} built"
    );
    // Each form that can fail while building is built (and refused) while reading.
    let deep = format!("{}1{}", "[".repeat(20), "]".repeat(20));
    let tight = Limits {
        max_depth: 10,
        max_expanded_nodes: 4,
        ..Limits::default()
    };
    for (text, limits) in [
        ("a: .nan\n", Limits::default()),
        ("a: [-.inf]\n", Limits::default()),
        ("a: !!int x\n", Limits::default()),
        ("a: &x [1, 2, 3, 4, 5]\nb: *x\nc: *x\n", tight),
        ("a: &x [[[[[[1]]]]]]\nb: [[[[[*x]]]]]\n", tight),
        ("<<: 1\n", Limits::default()),
        (deep.as_str(), tight),
    ] {
        let read = Document::parse_with(text, DocumentKind::Any, limits, Reading::Helm);
        assert!(read.is_err(), "read: {text}");
    }
}

/// A string told from its node (`Document::string_text`, which the diff hashes without
/// building values) is the value the scalar rules give, on every scalar of the corpus and
/// the YAML test suite read by Helm, and the forms it leaves to the rules are left.
#[test]
fn a_string_told_from_its_node_is_its_value() {
    let Some(files) = crate::test_corpus::yaml_files("") else {
        return;
    };
    let (mut told, mut left) = (0, 0);
    for (path, bytes) in files {
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        let Ok(doc) =
            Document::parse_with(&text, DocumentKind::Any, Limits::default(), Reading::Helm)
        else {
            continue;
        };
        for index in 0..doc.node_count() {
            let id = NodeId(u32::try_from(index).unwrap());
            if !matches!(doc.node(id).kind, NodeKind::Scalar { .. }) {
                continue;
            }
            match doc.string_text(id) {
                Some(string) => {
                    told += 1;
                    assert_eq!(
                        doc.value_of(id),
                        Value::String(string.to_owned()),
                        "{}",
                        path.display()
                    );
                }
                None => left += 1,
            }
        }
    }
    assert!(told > 10_000 && left > 1_000, "{told} told, {left} left");
    for plain in [
        "true",
        "yes",
        "~",
        "",
        "1",
        "-1",
        ".5",
        "+1",
        "0x1F",
        "2024-01-01",
    ] {
        let doc = Document::parse_with(
            &format!("a: {plain}\n"),
            DocumentKind::Any,
            Limits::default(),
            Reading::Helm,
        )
        .unwrap();
        let id = doc.get(&Path::parse("a").unwrap()).unwrap();
        assert_eq!(doc.string_text(id), None, "{plain:?}");
    }
}
