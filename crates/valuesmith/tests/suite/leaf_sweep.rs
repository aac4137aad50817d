//! The edit promise on real files: setting any scalar leaf of any corpus values file changes
//! exactly the lines that leaf occupied, and setting it to its current value changes nothing.
//!
//! CI runs a fixed sample of one leaf in twenty from every file; the full sweep runs on
//! demand: `cargo test --release -p valuesmith --test suite -- --ignored --nocapture`.

use valuesmith::document::{Document, NodeId, NodeKind};
use valuesmith::edit::DocumentMut;
use valuesmith::path::Path;
use valuesmith::value::Value;

use crate::common::chart_values_files;

/// Every scalar value reachable without going through an alias, with its path.
fn scalar_leaves(doc: &Document) -> Vec<(Path, NodeId)> {
    let mut leaves = Vec::new();
    let mut stack = vec![(Path::root(), doc.root().unwrap())];
    while let Some((path, id)) = stack.pop() {
        match &doc.node(id).kind {
            NodeKind::Scalar { .. } => leaves.push((path, id)),
            NodeKind::Mapping { entries, .. } => {
                for entry in entries.iter().rev() {
                    stack.push((path.key(entry.key_text.clone()), entry.value));
                }
            }
            NodeKind::Sequence { items, .. } => {
                for (i, &item) in items.iter().enumerate().rev() {
                    stack.push((path.index(i), item));
                }
            }
            NodeKind::Alias { .. } => {}
        }
    }
    leaves
}

struct Sweep {
    leaves: usize,
    files: usize,
}

fn sweep(every: usize) -> Sweep {
    let mut result = Sweep {
        leaves: 0,
        files: 0,
    };
    let mut failures = Vec::new();
    for file in chart_values_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        let doc = Document::parse_values(&text).unwrap();
        let old_lines: Vec<&str> = text.split_inclusive('\n').collect();
        result.files += 1;
        for (n, (path, id)) in scalar_leaves(&doc).into_iter().enumerate() {
            if n % every != 0 {
                continue;
            }
            let node = doc.node(id);
            if node.anchor.is_some() {
                continue;
            }
            result.leaves += 1;
            let first_line = doc.lines().line_of(node.span.start);
            let last_line = doc.lines().line_of(node.span.end);
            let current = doc.value_of(id);
            let mut same = DocumentMut::new(doc.clone());
            match same.set(&path, &current) {
                Ok(false) if same.to_text() == text => {}
                other => {
                    failures.push(format!("{}: {path}: same value: {other:?}", file.display()))
                }
            }
            let mut edited = DocumentMut::new(doc.clone());
            let new_value = Value::String(format!("valuesmith-{n}"));
            if let Err(err) = edited.set(&path, &new_value) {
                failures.push(format!("{}: {path}: {err}", file.display()));
                continue;
            }
            let new_text = edited.to_text();
            let new_lines: Vec<&str> = new_text.split_inclusive('\n').collect();
            let tail = old_lines.len() - last_line - 1;
            let kept_head = old_lines[..first_line] == new_lines[..first_line.min(new_lines.len())];
            let kept_tail = new_lines.len() >= tail
                && old_lines[last_line + 1..] == new_lines[new_lines.len() - tail..];
            let one_line = first_line != last_line
                || node.scalar_style().is_some_and(|s| s.is_block())
                || new_lines.len() == old_lines.len();
            if !(kept_head && kept_tail && one_line) {
                failures.push(format!(
                    "{}: {path}: changed lines outside {}..={}",
                    file.display(),
                    first_line + 1,
                    last_line + 1
                ));
            }
            let mut expected = doc.value().clone();
            set_value(&mut expected, &path, new_value);
            if edited.document().value() != &expected {
                failures.push(format!("{}: {path}: re-read value differs", file.display()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures, first ones:\n{}",
        failures.len(),
        failures[..failures.len().min(20)].join("\n")
    );
    result
}

fn set_value(root: &mut Value, path: &Path, new: Value) {
    use valuesmith::path::Segment;
    let mut current = root;
    for segment in path.segments() {
        current = match (current, segment) {
            (Value::Mapping(m), Segment::Key(k)) => m.get_mut(k).unwrap(),
            (Value::Sequence(items), Segment::Index(i)) => &mut items[*i],
            _ => unreachable!(),
        };
    }
    *current = new;
}

#[test]
fn one_leaf_in_twenty_of_every_corpus_file() {
    let result = sweep(20);
    assert_eq!(result.files, 88);
    assert!(result.leaves > 1500, "{} leaves", result.leaves);
}

#[test]
#[ignore = "full sweep: run in release mode on demand"]
fn every_leaf_of_every_corpus_file() {
    let start = std::time::Instant::now();
    let result = sweep(1);
    eprintln!(
        "full leaf sweep: {} leaves in {} files, {:.1?}",
        result.leaves,
        result.files,
        start.elapsed()
    );
}
