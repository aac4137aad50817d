//! Inputs the fuzz targets (`fuzz/`) found, minimised, each with what went wrong. The targets'
//! checks are repeated here so that each finding stays fixed without running a fuzzer.

use valuesmith::document::Document;
use valuesmith::edit::DocumentMut;
use valuesmith::path::Path;

/// These inputs are YAML, not values files: read by the YAML 1.2 switch.
fn yaml12(text: &str) -> Result<Document, valuesmith::document::ReadError> {
    Document::parse_with(
        text,
        valuesmith::document::DocumentKind::Any,
        valuesmith::document::Limits::default(),
        valuesmith::document::Reading::Yaml12,
    )
}

fn open(text: &str) -> DocumentMut {
    DocumentMut::new(yaml12(text).unwrap())
}

fn path(text: &str) -> Path {
    Path::parse(text).unwrap()
}

/// `edit` target: renaming a sequence item to an identity path naming the same item took the
/// "`to` already holds the same value" branch and removed the item: the value was lost and
/// the rename reported success.
#[test]
fn rename_to_another_name_of_the_same_node_keeps_it() {
    let text = "maintainers:\n- name: a\n- name: b\n";
    let mut doc = open(text);
    let renamed = doc.rename(&path("maintainers[1]"), &path("maintainers[name=b]"));
    assert_eq!(renamed, Ok(false));
    assert_eq!(doc.to_text(), text);
    let renamed = doc.rename(&path("maintainers[name=a]"), &path("maintainers[0]"));
    assert_eq!(renamed, Ok(false));
    assert_eq!(doc.to_text(), text);
}

/// `edit` target: a new item created by an identity path got its identity as the number the
/// text resolves to (`0755` became `755`, `1.10` became `1.1`), so the same path no longer
/// found it and a second, identical set appended a second item.
#[test]
fn identity_of_a_new_item_keeps_its_text() {
    for identity in ["0755", "1.10", "True", "0x1F", "1e3", "42", "true"] {
        let mut doc = open("bar:\n- name: x\n");
        let p = path(&format!("bar[name={identity}].v"));
        let one = valuesmith::value::Value::Int(1);
        assert_eq!(doc.set(&p, &one), Ok(true), "{identity}");
        assert_eq!(
            doc.document().get_value(&p),
            Some(one.clone()),
            "{identity}"
        );
        assert_eq!(doc.set(&p, &one), Ok(false), "{identity}: set twice");
        let items = doc
            .document()
            .get(&path("bar"))
            .and_then(|id| doc.document().items(id));
        assert_eq!(items.map(<[_]>::len), Some(2), "{identity}");
    }
}

/// `edit` target: moving a key below itself is refused when written that way
/// (`a.x` to `a.x.y`), but spelled through an identity (`[0].x` to `[name=m].x.y`) it went
/// ahead and nested the value under itself.
#[test]
fn rename_into_itself_is_refused_however_spelled() {
    let text = "- name: m\n  x: s\n";
    let mut doc = open(text);
    for to in ["[0].x.y", "[name=m].x.y", "[name=m].x.y.z"] {
        let err = doc.rename(&path("[0].x"), &path(to)).unwrap_err();
        assert!(err.to_string().contains("into itself"), "{to}: {err}");
        assert_eq!(doc.to_text(), text);
    }
    // Beside itself is a move like any other.
    assert_eq!(
        doc.rename(&path("[0].x"), &path("[name=m].moved")),
        Ok(true)
    );
    assert_eq!(doc.to_text(), "- name: m\n  moved: s\n");
}

/// `edit` target (a panic: "byte range starts at 33 but ends at 15"): moving the value of a
/// complex key written over several lines (`?` then a block sequence) took the text from its
/// key's line to the next `:`, which lay on a later line and belonged to another entry.
#[test]
fn moving_the_value_of_a_multi_line_key_does_not_panic() {
    let text = "?\n- b\n- c\n? d\n: f\n";
    for key in ["- b\n- c", "d"] {
        let mut doc = open(text);
        let from = Path::root().key(key);
        // Removing an explicit key is beyond the planner (the re-read check or the planner
        // refuses it, changing nothing); what matters here is an error, not a panic.
        match doc.rename(&from, &path("new.x")) {
            Ok(moved) => {
                assert!(moved, "{key:?}");
                let reread = yaml12(&doc.to_text()).unwrap();
                assert!(reread.get(&from).is_none(), "{key:?}");
            }
            Err(_) => assert_eq!(doc.to_text(), text, "{key:?}"),
        }
    }
}

/// `edit` target (a panic: "byte range starts at 21 but ends at 20"): an empty value after a
/// lone `\r` at the end of the text stood past its line's range (which leaves `\r` out), and
/// setting it to a collection sliced backwards.
#[test]
fn a_value_ending_in_a_lone_carriage_return_can_be_set() {
    let text = "? a\n \t\t\t\t\t\t\t\t\t\t\t\r\t\t\t\r";
    use valuesmith::value::{Mapping, Value};
    let mapping: Mapping = [("x".to_owned(), Value::Int(1))].into_iter().collect();
    for value in [
        Value::Int(1),
        Value::Sequence(vec![Value::Int(1)]),
        Value::Mapping(mapping),
    ] {
        let mut doc = open(text);
        match doc.set(&path("a"), &value) {
            Ok(_) => {
                let reread = yaml12(&doc.to_text()).unwrap();
                assert_eq!(reread.get_value(&path("a")), Some(value));
            }
            Err(_) => assert_eq!(doc.to_text(), text),
        }
    }
}

/// `edit` target (a panic: "start byte index 5 is out of bounds for string of length 4"):
/// appending to `- ? ` looked for the next line one past the end of the text ("after the
/// `-`" of an item that ends the text) and sliced there.
#[test]
fn spans_stay_within_the_text() {
    let text = "- ? ";
    let document = yaml12(text).unwrap();
    for index in 0..10 {
        let Some(id) = document.get(&Path::root().index(index)) else {
            break;
        };
        assert!(document.node(id).span.end <= text.len());
    }
    let mut doc = open(text);
    let value = valuesmith::value::Value::Int(1);
    match doc.append(&Path::root(), &value) {
        Ok(()) => {
            let reread = yaml12(&doc.to_text()).unwrap();
            assert_eq!(reread.get_value(&path("[1]")), Some(value));
        }
        Err(_) => assert_eq!(doc.to_text(), text),
    }
}
