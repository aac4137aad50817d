//! `apply` on real files: the diff of every consecutive corpus chart pair, applied to the
//! older file with the editor, gives the newer value exactly, a second apply changes nothing,
//! and a file with some of the patch's keys changed gets a conflict for each and the rest.

use valuesmith::diff::diff;
use valuesmith::edit::DocumentMut;
use valuesmith::patch::{self, Change};
use valuesmith::promote::{promote, PromoteOptions};
use valuesmith::value::Value;

use crate::diff::{chart_pairs, read, show_all, values_file};

#[test]
fn every_consecutive_chart_pair_applies_exactly_and_once() {
    let pairs = chart_pairs();
    let (mut changes, mut conflicts, mut failures) = (0, 0, Vec::new());
    for (chart, from, to) in &pairs {
        let old = read(&values_file(chart, from));
        let new = read(&values_file(chart, to));
        let patch = diff(&old, &new, &show_all()).to_patch();
        changes += patch.len();
        // keep_empty: the newer file's own `[]` and `{}` are part of the exact value.
        let mut exact = PromoteOptions::default();
        exact.keep_empty = true;
        let first = promote(old.clone(), &patch, &exact).unwrap();
        if first.document.value() != new.value() || first.count("conflict") > 0 {
            failures.push(format!("{chart} {from} -> {to}: not exact"));
            continue;
        }
        let second = promote(first.document.clone(), &patch, &exact).unwrap();
        if second.document.to_text() != first.document.to_text() || second.count("applied") > 0 {
            failures.push(format!(
                "{chart} {from} -> {to}: second apply changed something"
            ));
        }
        // Change the old value of up to three scalar sets in the target: each conflicts,
        // the rest is applied.
        let changed: Vec<_> = patch
            .changes()
            .iter()
            .filter_map(|c| match c {
                Change::Set {
                    path,
                    old: Some(old),
                    ..
                } if old.is_scalar() => Some(path.clone()),
                _ => None,
            })
            .take(3)
            .collect();
        if changed.is_empty() {
            continue;
        }
        let mut editor = DocumentMut::new(old.clone());
        let marker = Value::String("changed-in-prod".into());
        for path in &changed {
            editor.set(path, &marker).unwrap();
        }
        let target = editor.into_document();
        let mut options = exact.clone();
        options.skip_conflicts = true;
        let result = promote(target, &patch, &options).unwrap();
        let mut reported: Vec<String> = result
            .conflicts()
            .map(|(entry, conflict)| {
                assert_eq!(conflict.found.as_ref(), Some(&marker));
                entry.change.path().to_string()
            })
            .collect();
        let mut expected: Vec<String> = changed.iter().map(ToString::to_string).collect();
        reported.sort();
        expected.sort();
        if reported != expected {
            failures.push(format!("{chart} {from} -> {to}: conflicts {reported:?}"));
        }
        conflicts += reported.len();
        let mut want = new.value().clone();
        for path in &changed {
            patch::Change::Set {
                path: path.clone(),
                old: None,
                new: marker.clone(),
            }
            .apply(&mut want);
        }
        if result.document.value() != &want {
            failures.push(format!("{chart} {from} -> {to}: the rest was not applied"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    eprintln!(
        "apply: {} chart pairs, {changes} changes applied exactly and once, {conflicts} planted \
         conflicts each reported",
        pairs.len()
    );
}
