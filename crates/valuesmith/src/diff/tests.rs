use proptest::prelude::*;

use super::render::{self, Format};
use super::*;
use crate::diagnostic::Color;
use crate::edit::Layout;
use crate::value::Mapping;

fn doc(text: &str) -> Document {
    Document::parse(text).unwrap_or_else(|err| panic!("{err}\n{text}"))
}

fn run(old: &str, new: &str, options: &DiffOptions) -> (Document, Document, Diff) {
    let (old, new) = (doc(old), doc(new));
    let diff = diff(&old, &new, options);
    (old, new, diff)
}

/// Diffs with default options and checks the apply property on the way.
fn changes(old: &str, new: &str) -> Diff {
    let (a, b, d) = run(old, new, &DiffOptions::default());
    assert_eq!(&d.to_patch().applied(a.value()), b.value(), "apply\n{d:#?}");
    d
}

fn summary(d: &Diff) -> Vec<String> {
    d.changes
        .iter()
        .map(|c| format!("{} {}", c.kind, c.path))
        .collect()
}

#[test]
fn mappings_key_by_key_in_document_order() {
    let d = changes(
        "a: 1\nb: 2\nc:\n  x: 1\nd: gone\ne: 5\n",
        "a: 1\nnew: 0\nb: 3\nc:\n  x: 2\n  y: 1\ne: 5\n",
    );
    assert_eq!(
        summary(&d),
        [
            "added new",
            "changed b",
            "changed c.x",
            "added c.true",
            "removed d"
        ]
    );
    let b = &d.changes[1];
    assert_eq!(
        (b.old_line, b.new_line, b.old.clone(), b.new.clone()),
        (Some(2), Some(3), Some(Value::Int(2)), Some(Value::Int(3)))
    );
    let removed = &d.changes[4];
    assert_eq!((removed.old_line, removed.new_line), (Some(5), None));
    assert_eq!(removed.old, Some(Value::String("gone".into())));
}

#[test]
fn formatting_and_key_order_are_not_differences() {
    let d = changes(
        "# comment\na:   {x: 1, y: [1, 2]}\nb: 'text'\n",
        "b: text   # other comment\na:\n    y:\n    - 1\n    - 2\n    x: 1\n",
    );
    assert!(d.is_empty(), "{d:#?}");
}

#[test]
fn identity_matched_sequences() {
    let d = changes(
        "pkgs:\n- name: a\n  v: 1\n- name: b\n  v: 1\n- name: c\n  v: 1\n- name: d\n",
        "pkgs:\n- name: c\n  v: 1\n- name: a\n  v: 2\n- name: new\n- name: b\n  v: 1\n",
    );
    assert_eq!(
        summary(&d),
        [
            "reordered pkgs",
            "changed pkgs[name=a].v",
            "added pkgs[name=new]",
            "removed pkgs[name=d]",
        ]
    );
    let reorder = &d.changes[0];
    let ids = |order: &Option<Vec<Segment>>| order_values(order.as_ref().unwrap());
    assert_eq!(ids(&reorder.old_order), ["a", "b", "c"]);
    assert_eq!(ids(&reorder.new_order), ["c", "a", "b"]);
    assert_eq!((reorder.old_line, reorder.new_line), (Some(1), Some(1)));
    assert_eq!(d.changes[2].new_line, Some(6));
    assert_eq!(d.changes[2].position, Some(2));
    assert_eq!(d.changes[3].old_line, Some(8));
}

fn order_values(order: &[Segment]) -> Vec<String> {
    order
        .iter()
        .map(|s| match s {
            Segment::Identity { value, .. } => value.clone(),
            other => panic!("{other:?}"),
        })
        .collect()
}

#[test]
fn an_insertion_alone_is_not_a_reorder() {
    let d = changes(
        "l:\n- {name: a}\n- {name: c}\n",
        "l:\n- {name: a}\n- {name: b}\n- {name: c}\n",
    );
    assert_eq!(summary(&d), ["added l[name=b]"]);
}

#[test]
fn identity_needs_unique_keys_on_both_sides() {
    // `name` repeats in NEW, so `id` identifies the items.
    let d = changes(
        "l:\n- {name: a, id: 1}\n- {name: b, id: 2}\n",
        "l:\n- {name: a, id: 1}\n- {name: a, id: 2}\n",
    );
    assert_eq!(summary(&d), ["changed l[id=2].name"]);
    // No key identifies every item: by position.
    let d = changes(
        "l:\n- {name: a}\n- {other: b}\n",
        "l:\n- {name: a}\n- {other: c}\n",
    );
    assert_eq!(summary(&d), ["changed l[1].other"]);
}

#[test]
fn user_identity_keys_come_first() {
    let options = DiffOptions {
        identity_keys: vec!["port".into()],
        ..DiffOptions::default()
    };
    let (a, b, d) = run(
        "ports:\n- {port: 80, name: http}\n- {port: 443, name: https}\n",
        "ports:\n- {port: 80, name: web}\n- {port: 443, name: https}\n",
        &options,
    );
    assert_eq!(summary(&d), ["changed ports[port=80].name"]);
    assert_eq!(&d.to_patch().applied(a.value()), b.value());
}

#[test]
fn position_matched_sequences() {
    let d = changes(
        "args: [a, b, c, d]\nl: [1, 2, 3]\n",
        "args: [a, x, c, d, e]\nl: [0, 2]\n",
    );
    assert_eq!(
        summary(&d),
        [
            "changed args[1]",
            "added args[4]",
            "changed l[0]",
            "removed l[2]"
        ]
    );
    // Removed positions count in OLD, added in NEW.
    let d = changes("l: [x, a, b, c]\n", "l: [a, b, y, c, z]\n");
    assert_eq!(
        summary(&d),
        ["removed l[0]", "added l[2]", "added l[4]"],
        "{d:#?}"
    );
}

#[test]
fn items_at_the_same_position_are_compared_in_place() {
    let d = changes(
        "tolerations:\n- key: a\n  effect: NoSchedule\n- key: b\n",
        "tolerations:\n- key: a\n  effect: NoExecute\n- key: b\n",
    );
    assert_eq!(summary(&d), ["changed tolerations[key=a].effect"]);
    let d = changes(
        "t:\n- {x: 1, e: 1}\n- {x: 1}\n",
        "t:\n- {x: 1, e: 2}\n- {x: 1}\n",
    );
    assert_eq!(summary(&d), ["changed t[0].e"]);
}

#[test]
fn type_changes() {
    let d = changes(
        "foo:\n  a: 1\nbar:\n  c: 3\nbaz: 1\n",
        "foo:\n  - 1\nbar:\nbaz: '1'\n",
    );
    assert_eq!(summary(&d), ["changed foo", "changed bar", "changed baz"]);
    assert!(d.changes.iter().all(Change::is_type_change));
}

#[test]
fn any_documents_not_only_mappings() {
    assert_eq!(
        summary(&changes("- a\n- b\n", "- a\n- c\n")),
        ["changed [1]"]
    );
    assert_eq!(summary(&changes("1\n", "2\n")), ["changed "]);
    assert_eq!(summary(&changes("", "a: 1\n")), ["changed "]);
    assert!(changes("", "null\n").is_empty());
    assert!(changes("", "# only a comment\n").is_empty());
    let d = changes("a: 1\n", "");
    assert_eq!(
        (d.changes[0].old_line, d.changes[0].new_line),
        (Some(1), None)
    );
}

#[test]
fn aliases_are_expanded() {
    let d = changes(
        "base: &b {x: 1, y: 2}\nuse: *b\n",
        "base: &b {x: 1, y: 3}\nuse: *b\n",
    );
    assert_eq!(summary(&d), ["changed base.true", "changed use.true"]);
    let d = changes("base: &b {x: 1}\nuse: *b\n", "base: {x: 1}\nuse: {x: 2}\n");
    assert_eq!(summary(&d), ["changed use.x"]);
    let d = changes("a: [1, 2]\nb: 0\n", "a: &x [1, 2]\nb: *x\n");
    assert_eq!(
        d.changes[0].new,
        Some(Value::from_json(&serde_json::json!([1, 2])))
    );
}

#[test]
fn keys_with_dots_are_quoted_in_paths() {
    let d = changes(
        "podAnnotations:\n  prometheus.io/port: '9090'\n\"grafana.ini\": {a: 1}\n",
        "podAnnotations:\n  prometheus.io/port: '9091'\n\"grafana.ini\": {a: 2}\n",
    );
    assert_eq!(
        summary(&d),
        [
            "changed podAnnotations.\"prometheus.io/port\"",
            "changed \"grafana.ini\".a"
        ]
    );
}

#[test]
fn ignored_paths_are_left_out() {
    let options = DiffOptions {
        ignore: vec![
            PathPattern::parse("*.image.tag").unwrap(),
            PathPattern::parse("metadata").unwrap(),
            PathPattern::parse("l[*].v").unwrap(),
        ],
        ..DiffOptions::default()
    };
    let (_, _, d) = run(
        "a:\n  image: {tag: 1, repo: x}\nmetadata: {n: 1}\nl:\n- {name: a, v: 1, w: 1}\n",
        "a:\n  image: {tag: 2, repo: y}\nmetadata: {n: 2}\nl:\n- {name: a, v: 2, w: 2}\n",
        &options,
    );
    assert_eq!(summary(&d), ["changed a.image.repo", "changed l[name=a].w"]);
    let everything = DiffOptions {
        ignore: vec![PathPattern::parse("").unwrap()],
        ..DiffOptions::default()
    };
    assert!(run("a: 1\n", "a: 2\n", &everything).2.is_empty());
}

#[test]
fn secrets_are_redacted_in_reports_only() {
    let (a, b, d) = run(
        "db:\n  password: old\n  host: h\n",
        "db:\n  password: new\n  host: h\n",
        &DiffOptions::default(),
    );
    assert_eq!(summary(&d), ["changed db.password"]);
    assert_eq!(&d.to_patch().applied(a.value()), b.value());
    let shown = d.shown_old(&d.changes[0]).unwrap();
    assert_eq!(shown, Value::String(crate::secrets::REDACTED.into()));
    let json = render::json_value(&d, "a", "b");
    assert_eq!(json["changes"][0]["old"], "<redacted>");
    assert_eq!(json["changes"][0]["new"], "<redacted>");
    for format in Format::ALL {
        let text = render::render(&d, format, "a", "b", Color::Never);
        assert!(!text.contains(": old") && !text.contains("- old"), "{text}");
    }
    let shown = DiffOptions {
        show_secrets: true,
        ..DiffOptions::default()
    };
    let d = run("password: old\n", "password: new\n", &shown).2;
    assert!(render::brief(&d, Color::Never).contains("old -> new"));
}

#[test]
fn an_identity_that_names_a_secret_redacts_the_item() {
    let d = changes(
        "env:\n- {name: DB_PASSWORD, value: old}\n- {name: LOG, value: info}\n",
        "env:\n- {name: DB_PASSWORD, value: new}\n- {name: LOG, value: debug}\n",
    );
    let brief = render::brief(&d, Color::Never);
    assert_eq!(
        brief,
        "changed   env[name=DB_PASSWORD].value: <redacted> -> <redacted>\n\
         changed   env[name=LOG].value: info -> debug\n"
    );
}

#[test]
fn nesting_through_aliases_beyond_the_walk_limit_is_one_change() {
    // Each anchor nests the previous one 100 levels deeper: 300 levels once expanded, more
    // than the walk descends, though the text itself nests only 100 levels.
    let chain = |leaf: &str| {
        let mut text = String::new();
        let mut inner = leaf.to_owned();
        for name in ["a", "b", "c"] {
            let nested = format!("{}{inner}{}", "[".repeat(100), "]".repeat(100));
            text.push_str(&format!("{name}: &{name} {nested}\n"));
            inner = format!("*{name}");
        }
        text
    };
    // The reader refuses that by default (it bounds nesting after alias expansion too); a
    // caller may allow more, and the walk still stops at its own limit.
    assert!(matches!(
        Document::parse(&chain("1")),
        Err(crate::document::ReadError::TooDeep { .. })
    ));
    let limits = crate::document::Limits {
        max_depth: 400,
        ..Default::default()
    };
    let read =
        |text: &str| Document::parse_as(text, crate::document::DocumentKind::Any, limits).unwrap();
    let (old, new) = (read(&chain("1")), read(&chain("2")));
    let d = diff(&old, &new, &DiffOptions::default());
    assert_eq!(&d.to_patch().applied(old.value()), new.value());
    let depths: Vec<usize> = d.changes.iter().map(|c| c.path.len()).collect();
    assert_eq!(depths, [101, 201, super::engine::MAX_WALK_DEPTH]);
}

#[test]
fn json_follows_the_product_contract() {
    let d = changes(
        "global:\n  image:\n    tag: 2024.12.02\napplication:\n  cluedin:\n    image:\n      tag: 2024.12.02\n    components:\n      packages:\n      - name: A\n        version: 1.0.0\n",
        "global:\n  image:\n    tag: 2025.05.00\napplication:\n  cluedin:\n    components:\n      packages:\n      - name: A\n        version: 1.0.0\n      - name: CluedIn.EventHub\n        version: 4.5.0\n",
    );
    let json = render::json_value(&d, "old.yml", "new.yml");
    assert_eq!(
        json,
        serde_json::json!({
            "old": "old.yml",
            "new": "new.yml",
            "changes": [
                {"kind": "changed", "path": "global.image.tag",
                 "segments": ["global", "image", "tag"],
                 "old": "2024.12.02", "new": "2025.05.00", "old_line": 3, "new_line": 3},
                {"kind": "removed", "path": "application.cluedin.image",
                 "segments": ["application", "cluedin", "image"], "old": {"tag": "2024.12.02"}, "old_line": 6},
                {"kind": "added", "path": "application.cluedin.components.packages[name=CluedIn.EventHub]",
                 "segments": ["application", "cluedin", "components", "packages", {"name": "CluedIn.EventHub"}],
                 "new": {"name": "CluedIn.EventHub", "version": "4.5.0"}, "new_line": 10,
                 "position": 1},
            ]
        })
    );
    let keys: Vec<&String> = json["changes"][0].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["kind", "path", "segments", "old", "new", "old_line", "new_line"]
    );
}

#[test]
fn reorders_in_json_list_identities_as_segments_do() {
    let d = changes("l:\n- id: 1\n- id: 2\n", "l:\n- id: 2\n- id: 1\n");
    let json = render::json_value(&d, "a", "b");
    assert_eq!(
        json["changes"][0],
        serde_json::json!({"kind": "reordered", "path": "l", "segments": ["l"],
            "old_line": 1, "new_line": 1,
            "old_order": [{"id": "1"}, {"id": "2"}], "new_order": [{"id": "2"}, {"id": "1"}]})
    );
}

#[test]
fn apply_skips_what_does_not_fit() {
    let d = changes("a: {b: 1}\nl: [1]\n", "a: {b: 2}\nl: [1, 2]\n");
    let unrelated = Value::from_json(&serde_json::json!({"a": 5, "l": "x"}));
    assert_eq!(d.to_patch().applied(&unrelated), unrelated);
}

#[test]
fn github_annotations_escape_their_text() {
    let d = changes("a: \"x,y\"\nb: 1\n", "a: \"x:%\"\n");
    let text = render::github(&d, "old.yml", "dir/new,1.yml");
    assert_eq!(
        text,
        "::notice file=dir/new%2C1.yml,line=1,title=changed a::a changed: \"x,y\" -> x:%25\n\
         ::notice file=old.yml,line=2,title=removed b::b removed: 1\n"
    );
}

#[test]
fn human_shows_multi_line_text_as_a_line_diff() {
    let d = changes(
        "text: |\n  one\n  two\n  three\n",
        "text: |\n  one\n  2\n  three\n",
    );
    let text = render::human(&d, Color::Never);
    assert_eq!(
        text,
        "text\n  ± value change in multi-line text (1 line added, 1 removed)  (old line 1, new line 1)\n      one\n    - two\n    + 2\n      three\n"
    );
    let colored = render::human(&d, Color::Always);
    assert!(colored.contains("\x1b[31m- two\x1b[0m"), "{colored}");
}

// Property tests: generated documents, written as YAML text and read back.

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-3i64..1000).prop_map(Value::Int),
        prop_oneof![Just(0.5), Just(-1.25), Just(1e10)].prop_map(Value::Float),
        "[a-c]{0,3}".prop_map(Value::String),
        prop_oneof![
            Just("1.10"),
            Just("yes"),
            Just("a, b"),
            Just("x: y"),
            Just("two\nlines\n"),
            Just("no final break\nx"),
            Just(" lead"),
        ]
        .prop_map(|s| Value::String(s.to_owned())),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-d]",
        Just("name".to_owned()),
        Just("x.y".to_owned()),
        Just("".to_owned()),
        Just("port".to_owned()),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Sequence),
            proptest::collection::vec((key(), inner.clone()), 0..5)
                .prop_map(|entries| Value::Mapping(entries.into_iter().collect())),
            // Sequences of named mappings, so identity matching gets exercised.
            proptest::collection::vec(("[a-f]", inner), 0..5).prop_map(|items| {
                let mut seen = std::collections::HashSet::new();
                Value::Sequence(
                    items
                        .into_iter()
                        .filter(|(name, _)| seen.insert(name.clone()))
                        .map(|(name, v)| {
                            let mut m = Mapping::new();
                            m.insert("name", Value::String(name));
                            m.insert("v", v);
                            Value::Mapping(m)
                        })
                        .collect(),
                )
            }),
        ]
    })
}

/// One edit of a generated value, steered by `seed`.
#[derive(Debug, Clone)]
enum Edit {
    Set(u32, Value),
    Remove(u32),
    Insert(u32, String, Value),
    Swap(u32),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<u32>(), value()).prop_map(|(s, v)| Edit::Set(s, v)),
        any::<u32>().prop_map(Edit::Remove),
        (any::<u32>(), key(), value()).prop_map(|(s, k, v)| Edit::Insert(s, k, v)),
        any::<u32>().prop_map(Edit::Swap),
    ]
}

/// The collection nodes of a value, outermost first (paths as segment lists).
fn collections(value: &Value, path: &mut Vec<Segment>, out: &mut Vec<Vec<Segment>>) {
    match value {
        Value::Mapping(m) => {
            out.push(path.clone());
            for (k, v) in m.iter() {
                path.push(Segment::Key(k.clone()));
                collections(v, path, out);
                path.pop();
            }
        }
        Value::Sequence(items) => {
            out.push(path.clone());
            for (i, v) in items.iter().enumerate() {
                path.push(Segment::Index(i));
                collections(v, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn at_mut<'v>(value: &'v mut Value, path: &[Segment]) -> &'v mut Value {
    path.iter().fold(value, |v, segment| match (v, segment) {
        (Value::Mapping(m), Segment::Key(k)) => m.get_mut(k).unwrap(),
        (Value::Sequence(items), Segment::Index(i)) => &mut items[*i],
        _ => unreachable!(),
    })
}

fn mutate(mut value: Value, edits: &[Edit]) -> Value {
    for edit in edits {
        let mut found = Vec::new();
        collections(&value, &mut Vec::new(), &mut found);
        if found.is_empty() {
            if let Edit::Set(_, v) = edit {
                value = v.clone();
            }
            continue;
        }
        let seed = match edit {
            Edit::Set(s, _) | Edit::Remove(s) | Edit::Insert(s, _, _) | Edit::Swap(s) => *s,
        } as usize;
        let target = at_mut(&mut value, &found[seed % found.len()]);
        match (target, edit) {
            (Value::Mapping(m), Edit::Set(_, v)) if !m.is_empty() => {
                let key = m.keys().nth(seed % m.len()).unwrap().clone();
                m.insert(key, v.clone());
            }
            (Value::Sequence(items), Edit::Set(_, v)) if !items.is_empty() => {
                let i = seed % items.len();
                // Keep named items named, so identity matching stays in play.
                match (&mut items[i], v) {
                    (Value::Mapping(item), v) if item.contains_key("name") => {
                        item.insert("v", v.clone());
                    }
                    (slot, v) => *slot = v.clone(),
                }
            }
            (Value::Mapping(m), Edit::Remove(_)) if !m.is_empty() => {
                let key = m.keys().nth(seed % m.len()).unwrap().clone();
                m.remove(&key);
            }
            (Value::Sequence(items), Edit::Remove(_)) if !items.is_empty() => {
                items.remove(seed % items.len());
            }
            (Value::Mapping(m), Edit::Insert(_, k, v)) => {
                m.insert(k.clone(), v.clone());
            }
            (Value::Sequence(items), Edit::Insert(_, k, v)) => {
                let i = seed % (items.len() + 1);
                let mut item = Mapping::new();
                item.insert("name", Value::String(format!("{k}{seed}")));
                item.insert("v", v.clone());
                items.insert(i, Value::Mapping(item));
            }
            (Value::Sequence(items), Edit::Swap(_)) if items.len() > 1 => {
                let i = seed % items.len();
                let j = (seed / 7) % items.len();
                items.swap(i, j);
            }
            _ => {}
        }
    }
    value
}

/// YAML text for a value, written by the edit module's renderer.
fn yaml(value: &Value) -> String {
    let layout = Layout::default();
    let mut text = match value {
        Value::Mapping(m) if !m.is_empty() => layout.mapping_lines(value, 0),
        Value::Sequence(items) if !items.is_empty() => layout.sequence_lines(items, 0),
        _ => layout.compact(value, 0),
    };
    text.push('\n');
    text
}

fn read(value: &Value) -> Document {
    let text = yaml(value);
    let document = doc(&text);
    assert_eq!(document.value(), value, "read back\n{text}");
    document
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    #[test]
    fn applying_the_diff_to_old_gives_new(
        old in value(),
        edits in proptest::collection::vec(edit(), 0..5),
        identity_keys in proptest::sample::subsequence(vec!["port".to_owned(), "v".to_owned()], 0..=2),
    ) {
        let new = mutate(old.clone(), &edits);
        let (old_doc, new_doc) = (read(&old), read(&new));
        let options = DiffOptions { identity_keys, ..DiffOptions::default() };
        let d = diff(&old_doc, &new_doc, &options);
        prop_assert_eq!(&d.to_patch().applied(old_doc.value()), new_doc.value(), "{:#?}", d);
        prop_assert_eq!(d.is_empty(), old == new);
        // Every renderer copes with every diff.
        for format in Format::ALL {
            let _ = render::render(&d, format, "old", "new", Color::Always);
        }
    }

    #[test]
    fn a_document_equals_itself(value in value()) {
        let document = read(&value);
        prop_assert!(diff(&document, &document, &DiffOptions::default()).is_empty());
        let again = read(&value);
        prop_assert!(diff(&document, &again, &DiffOptions::default()).is_empty());
    }

    #[test]
    fn unrelated_documents_apply_too(old in value(), new in value()) {
        let (old_doc, new_doc) = (read(&old), read(&new));
        let d = diff(&old_doc, &new_doc, &DiffOptions::default());
        prop_assert_eq!(&d.to_patch().applied(old_doc.value()), new_doc.value(), "{:#?}", d);
    }
}
