use super::*;

fn edit(text: &str, f: impl FnOnce(&mut DocumentMut)) -> String {
    let mut doc = DocumentMut::new(Document::parse_values(text).unwrap());
    f(&mut doc);
    doc.to_text()
}

fn p(text: &str) -> Path {
    Path::parse(text).unwrap()
}

fn s(text: &str) -> Value {
    Value::String(text.to_owned())
}

#[test]
fn set_scalar_keeps_quotes_and_comment() {
    let out = edit("a:\n  tag: \"1.0\"   # pinned\n  b: 'x'\n", |d| {
        d.set(&p("a.tag"), &s("2.0")).unwrap();
        d.set(&p("a.b"), &s("it's")).unwrap();
    });
    assert_eq!(out, "a:\n  tag: \"2.0\"   # pinned\n  b: 'it''s'\n");
}

#[test]
fn set_same_value_changes_nothing() {
    let text = "a: 1\nb: \"x\"\n";
    let mut doc = DocumentMut::new(Document::parse_values(text).unwrap());
    assert!(!doc.set(&p("b"), &s("x")).unwrap());
    assert_eq!(doc.to_text(), text);
}

#[test]
fn set_creates_parents() {
    let out = edit("global:\n    image:\n        tag: x\nother: 1\n", |d| {
        d.set(&p("global.strategy.type"), &s("Recreate")).unwrap();
    });
    assert_eq!(
        out,
        "global:\n    image:\n        tag: x\n    strategy:\n        type: Recreate\nother: 1\n"
    );
}

#[test]
fn set_into_null_and_flow() {
    let out = edit("a:\nb: {}\nc: [x]\n", |d| {
        d.set(&p("a.k"), &Value::Int(1)).unwrap();
        d.set(&p("b.k"), &s("on")).unwrap();
        d.set(&p("c[1]"), &s("z")).unwrap();
    });
    assert_eq!(out, "a:\n  k: 1\nb: {k: \"on\"}\nc: [x, z]\n");
}

#[test]
fn set_parent_scalar_is_an_error() {
    let mut doc = DocumentMut::new(Document::parse_values("a: 1\n").unwrap());
    let err = doc.set(&p("a.b"), &s("x")).unwrap_err();
    assert!(
        matches!(err, EditError::ParentNotMapping { found: "int", .. }),
        "{err}"
    );
}

#[test]
fn remove_takes_its_comment_block() {
    let text = "a: 1\n\n# about b\n# more\nb:\n  c: 2 # t\n  # inside\nd: 3\n";
    let out = edit(text, |d| {
        assert_eq!(
            d.remove(&p("b")).unwrap(),
            Some(Value::from_json(&serde_json::json!({"c": 2})))
        );
    });
    assert_eq!(out, "a: 1\n\nd: 3\n");
}

#[test]
fn remove_last_key_leaves_empty_mapping() {
    let out = edit("a:\n  b: 1\nc: 2\n", |d| {
        d.remove(&p("a.b")).unwrap();
    });
    assert_eq!(out, "a: {}\nc: 2\n");
}

#[test]
fn remove_first_key_of_compact_item() {
    let out = edit("l:\n- name: a\n  v: 1\n- name: b\n", |d| {
        d.remove(&p("l[0].name")).unwrap();
        d.remove(&p("l[name=b]")).unwrap();
    });
    assert_eq!(out, "l:\n- v: 1\n");
}

#[test]
fn rename_in_place_and_move() {
    let text = "application:\n  gql:\n    # the token\n    token: abc # secret\n    x: 1\n  cluedin:\n    y: 2\n";
    let out = edit(text, |d| {
        assert!(d
            .rename(
                &p("application.gql.token"),
                &p("application.cluedin.gql.hubSpotToken")
            )
            .unwrap());
        assert!(d
            .rename(&p("application.gql.x"), &p("application.gql.z"))
            .unwrap());
    });
    assert_eq!(
        out,
        "application:\n  gql:\n    z: 1\n  cluedin:\n    y: 2\n    gql:\n      # the token\n      hubSpotToken: abc # secret\n"
    );
}

#[test]
fn a_patch_of_moves_and_sets_is_written_on_one_read() {
    let text = "application:\n  gql:\n    # the token\n    token: abc # secret\n    x: 1\n    w: 3\n  cluedin:\n    y: 2\n";
    let mut patch = crate::patch::Patch::new();
    let change = |from: &str, to: &str, value: Value| Change::Move {
        from: p(from),
        to: p(to),
        value,
    };
    patch.push(change(
        "application.gql.token",
        "application.cluedin.gql.hubSpotToken",
        s("abc"),
    ));
    patch.push(change(
        "application.gql.x",
        "application.gql.z",
        Value::Int(1),
    ));
    patch.push(Change::Set {
        path: p("application.gql.w"),
        old: None,
        new: Value::Int(4),
    });
    let mut doc = DocumentMut::new(Document::parse_values(text).unwrap());
    doc.apply(&patch).unwrap();
    assert_eq!(
        doc.to_text(),
        "application:\n  gql:\n    z: 1\n    w: 4\n  cluedin:\n    y: 2\n    gql:\n      # the token\n      hubSpotToken: abc # secret\n"
    );
    assert_eq!(doc.reparses(), 1);
    // A move onto a present key with another value is still the rename's conflict.
    let mut conflict = crate::patch::Patch::new();
    conflict.push(change(
        "application.gql.z",
        "application.gql.w",
        Value::Int(1),
    ));
    assert!(matches!(
        doc.apply(&conflict),
        Err(PatchError {
            index: 0,
            error: EditError::Conflict { .. }
        })
    ));
}

#[test]
fn rename_conflict() {
    let mut doc = DocumentMut::new(Document::parse_values("a: 1\nb: 2\n").unwrap());
    assert!(matches!(
        doc.rename(&p("a"), &p("b")),
        Err(EditError::Conflict { .. })
    ));
}

#[test]
fn append_in_both_sequence_styles() {
    // `4.5.0` matches YAML 1.1's float pattern, so a new one is quoted.
    let value = Value::from_json(&serde_json::json!({"name": "Http", "version": "4.5.0"}));
    let out = edit(
        "a:\n- name: A\n  version: 1.0.0\nb:\n    - name: B\n      version: x\n",
        |d| {
            d.append(&p("a"), &value).unwrap();
            d.append(&p("b"), &value).unwrap();
        },
    );
    assert_eq!(
        out,
        "a:\n- name: A\n  version: 1.0.0\n- name: Http\n  version: \"4.5.0\"\nb:\n    - name: B\n      version: x\n    - name: Http\n      version: \"4.5.0\"\n"
    );
}

#[test]
fn crlf_bom_and_no_final_newline() {
    let text = "\u{feff}a: 1\r\nb:\r\n  c: 2";
    let out = edit(text, |d| {
        d.set(&p("b.d"), &s("x")).unwrap();
        d.set(&p("a"), &Value::Int(5)).unwrap();
    });
    assert_eq!(out, "\u{feff}a: 5\r\nb:\r\n  c: 2\r\n  d: x");
}

#[test]
fn block_scalars_keep_their_style() {
    let out = edit("s: |\n    one\n    two\nt: >-\n  folded\nu: 1\n", |d| {
        d.set(&p("s"), &s("three\nfour\n")).unwrap();
        d.set(&p("t"), &s("other")).unwrap();
    });
    assert_eq!(out, "s: |\n    three\n    four\nt: >-\n  other\nu: 1\n");
}

#[test]
fn replace_scalar_with_subtree_and_back() {
    let out = edit("a: 1 # c\nb:\n  x: 1\n  y: 2\nc: 3\n", |d| {
        d.set(&p("a"), &Value::from_json(&serde_json::json!({"k": "v"})))
            .unwrap();
        d.set(&p("b"), &s("flat")).unwrap();
    });
    assert_eq!(out, "a: # c\n  k: v\nb: flat\nc: 3\n");
}

#[test]
fn edits_through_aliases_are_refused() {
    let mut doc = DocumentMut::new(Document::parse_values("a: &x\n  k: 1\nb: *x\n").unwrap());
    let err = doc.set(&p("b.k"), &Value::Int(2)).unwrap_err();
    assert!(
        matches!(&err, EditError::ThroughAlias { anchor, .. } if anchor == "x"),
        "{err}"
    );
    let err = doc.set(&p("a"), &Value::Int(2)).unwrap_err();
    assert!(
        matches!(&err, EditError::AnchoredNode { anchor, .. } if anchor == "x"),
        "{err}"
    );
}

/// A change under or above a pending one (at any depth) is planned on the text with the
/// pending one written: one more read, never the slow path of a failed group (which would
/// read once more per change); changes beside each other share one read.
#[test]
fn a_patch_reads_again_only_for_changes_at_above_or_below_pending_ones() {
    let text = "a:\n  b:\n    c: 1 # one\n  d: 2\n";
    let cases = [
        (vec![("a.b.c", Value::Int(3)), ("a.d", Value::Int(4))], 1),
        (
            vec![
                ("a.b", Value::from_json(&serde_json::json!({"c": 5}))),
                ("a.b.c", Value::Int(6)),
            ],
            2,
        ),
        (
            vec![
                ("a.b.c", Value::Int(6)),
                ("a.b", Value::from_json(&serde_json::json!({"c": 7}))),
            ],
            2,
        ),
    ];
    for (sets, reads) in cases {
        let mut patch = crate::patch::Patch::new();
        for (path, value) in &sets {
            patch.push(Change::Set {
                path: p(path),
                old: None,
                new: value.clone(),
            });
        }
        assert_reads(text, &patch, reads);
    }
    // A removal from a sequence renumbers the items after it, whose splices do not touch its
    // own: only the index of what the removal resizes sees that they are related.
    let mut patch = crate::patch::Patch::new();
    patch.push(Change::Remove {
        path: p("a.list[0]"),
        old: Value::from_json(&serde_json::json!({"x": 1})),
    });
    patch.push(Change::Set {
        path: p("a.list[1].x"),
        old: Some(Value::Int(3)),
        new: Value::Int(9),
    });
    assert_reads("a:\n  list:\n  - x: 1\n  - x: 2\n  - x: 3\n", &patch, 2);
    // Three groups and a change written on its own between them: each write is checked
    // against the value the changes before it leave, built on the last one.
    let mut patch = crate::patch::Patch::new();
    patch.push(Change::Set {
        path: p("a.b.c"),
        old: Some(Value::Int(1)),
        new: Value::Int(6),
    });
    patch.push(Change::Set {
        path: p("a.b"),
        old: None,
        new: Value::from_json(&serde_json::json!({"c": 7})),
    });
    patch.push(Change::Insert {
        path: p("a.list"),
        position: 0,
        value: Value::Int(0),
    });
    patch.push(Change::Set {
        path: p("a.d"),
        old: Some(Value::Int(2)),
        new: Value::Int(4),
    });
    patch.push(Change::Set {
        path: p("a.b.c"),
        old: Some(Value::Int(7)),
        new: Value::Int(8),
    });
    assert_reads(
        "a:\n  b:\n    c: 1 # one\n  d: 2\n  list:\n  - 1\n  - 2\n",
        &patch,
        4,
    );
}

/// `patch` written into `text` means the patch and took `reads` reads of the edited text,
/// and the same when the caller hands over the value the patch leaves (as `migrate` does).
fn assert_reads(text: &str, patch: &crate::patch::Patch, reads: usize) {
    let mut doc = DocumentMut::new(Document::parse_values(text).unwrap());
    doc.apply(patch).unwrap();
    let expected = patch.applied(Document::parse_values(text).unwrap().value());
    assert_eq!(doc.document().value(), &expected, "{patch:?}");
    assert_eq!(doc.reparses(), reads, "{patch:?}");
    let mut reaching = DocumentMut::new(Document::parse_values(text).unwrap());
    reaching.apply_reaching(patch, Some(&expected)).unwrap();
    assert_eq!(reaching.document().to_text(), doc.document().to_text());
    assert_eq!(reaching.reparses(), reads, "{patch:?}");
}

/// A patch that fails after some of its changes were written leaves the document as it was
/// before the patch, both after the grouped attempt and after the one-at-a-time one.
#[test]
fn a_patch_that_fails_after_writing_leaves_the_document_as_it_was() {
    let text = "a:\n  x: 1 # keep\n  list:\n  - 1\n  - 2\nb: 1\nc: 2\n";
    let mut patch = crate::patch::Patch::new();
    patch.push(Change::Set {
        path: p("a.x"),
        old: Some(Value::Int(1)),
        new: Value::Int(5),
    });
    // Written on its own (an insertion before the end), after the set above is written.
    patch.push(Change::Insert {
        path: p("a.list"),
        position: 0,
        value: Value::Int(0),
    });
    patch.push(Change::Move {
        from: p("b"),
        to: p("c"),
        value: Value::Int(1),
    });
    let mut doc = DocumentMut::new(Document::parse_values(text).unwrap());
    assert!(matches!(
        doc.apply(&patch),
        Err(PatchError {
            index: 2,
            error: EditError::Conflict { .. }
        })
    ));
    assert!(doc.reparses() >= 2, "{} reads", doc.reparses());
    assert_eq!(doc.to_text(), text);
    assert_eq!(
        doc.document().value(),
        Document::parse_values(text).unwrap().value()
    );
}
