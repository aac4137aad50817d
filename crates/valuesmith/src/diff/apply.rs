//! Applying a diff to the old value: the executable definition of "the report is complete".
//!
//! Changes are grouped by the path they fall under and applied node by node, so the order of
//! the list does not matter. Within a sequence the steps follow docs/diff.md: first the
//! changes inside items (positions and identities still as in OLD), then removals (OLD
//! positions), then a reorder of the common items, then insertions in ascending NEW position.

use std::collections::{HashMap, HashSet};

use super::{Change, ChangeKind, Diff};
use crate::path::{identity_of, Segment};
use crate::value::Value;

/// The old value with every change of `diff` applied: the new value, when `diff` was made
/// from documents whose values are `old` and the new one and nothing was ignored.
///
/// A change that does not fit `old` (its parent is missing or of another type) is skipped.
pub fn apply(old: &Value, diff: &Diff) -> Value {
    let mut value = old.clone();
    let changes: Vec<Scoped<'_>> = diff
        .changes
        .iter()
        .map(|change| (change.path.segments(), change))
        .collect();
    apply_at(&mut value, &changes);
    value
}

/// A change with the rest of its path, relative to the node being changed.
type Scoped<'c> = (&'c [Segment], &'c Change);

/// A change below a node: the segment naming the child, then the rest of the path.
type Below<'c> = (&'c Segment, &'c [Segment], &'c Change);

/// Applies `changes`, whose paths are relative to `value`.
fn apply_at(value: &mut Value, changes: &[Scoped<'_>]) {
    let mut here = Vec::new();
    let mut below = Vec::new();
    for &(rest, change) in changes {
        match rest.split_first() {
            None => here.push(change),
            Some((first, rest)) => below.push((first, rest, change)),
        }
    }
    for change in &here {
        if change.kind == ChangeKind::Changed {
            if let Some(new) = &change.new {
                *value = new.clone();
            }
        }
    }
    match value {
        Value::Mapping(mapping) => {
            for (key, group) in group_by_segment(&below) {
                let Segment::Key(key) = key else { continue };
                let (own, inside) = split_own(&group);
                for change in own {
                    match change.kind {
                        ChangeKind::Removed => {
                            mapping.remove(key);
                        }
                        ChangeKind::Added => {
                            if let Some(new) = &change.new {
                                mapping.insert(key.clone(), new.clone());
                            }
                        }
                        _ => {}
                    }
                }
                if let Some(child) = mapping.get_mut(key) {
                    apply_at(child, &inside);
                }
            }
        }
        Value::Sequence(items) => apply_sequence(items, &here, &below),
        _ => {}
    }
}

/// The children's changes grouped by their first segment, in first-seen order.
fn group_by_segment<'c>(below: &[Below<'c>]) -> Vec<(&'c Segment, Vec<Scoped<'c>>)> {
    let mut groups: Vec<(&Segment, Vec<Scoped<'c>>)> = Vec::new();
    let mut index = HashMap::new();
    for &(first, rest, change) in below {
        let slot = *index.entry(first).or_insert_with(|| {
            groups.push((first, Vec::new()));
            groups.len() - 1
        });
        groups[slot].1.push((rest, change));
    }
    groups
}

/// Splits a child's changes into those that add or remove the child itself, which its
/// parent carries out, and those the child carries out (`changed` and `reordered` at the
/// child, anything below it), with paths relative to the child.
fn split_own<'c>(group: &[Scoped<'c>]) -> (Vec<&'c Change>, Vec<Scoped<'c>>) {
    let mut own = Vec::new();
    let mut inside = Vec::new();
    for &(rest, change) in group {
        if rest.is_empty() && matches!(change.kind, ChangeKind::Added | ChangeKind::Removed) {
            own.push(change);
        } else {
            inside.push((rest, change));
        }
    }
    (own, inside)
}

/// Positions of items by identity, one table per identity key, built on first use so
/// applying many changes to a long sequence stays linear.
#[derive(Default)]
struct IdentityIndex {
    tables: HashMap<String, HashMap<String, usize>>,
}

impl IdentityIndex {
    fn find(&mut self, items: &[Value], key: &str, value: &str) -> Option<usize> {
        let table = self.tables.entry(key.to_owned()).or_insert_with(|| {
            let mut table = HashMap::new();
            for (i, item) in items.iter().enumerate() {
                if let Some(id) = identity_of(item, key) {
                    // The first item wins, as in `Document::child`.
                    table.entry(id).or_insert(i);
                }
            }
            table
        });
        table.get(value).copied()
    }
}

fn apply_sequence(items: &mut Vec<Value>, here: &[&Change], below: &[Below<'_>]) {
    let groups = group_by_segment(below);
    let mut identities = IdentityIndex::default();
    // 1. Changes in and to items that stay, addressed as in OLD.
    for (segment, group) in &groups {
        let index = match segment {
            Segment::Index(i) => Some(*i).filter(|&i| i < items.len()),
            Segment::Identity { key, value } => identities.find(items, key, value),
            Segment::Key(_) => None,
        };
        let Some(index) = index else { continue };
        let (_, inside) = split_own(group);
        apply_at(&mut items[index], &inside);
    }
    // 2. Removals: every position is resolved before anything is removed.
    let removals: Vec<usize> = groups
        .iter()
        .filter(|(_, group)| {
            group
                .iter()
                .any(|(rest, c)| rest.is_empty() && c.kind == ChangeKind::Removed)
        })
        .filter_map(|(segment, _)| match segment {
            Segment::Index(i) => Some(*i).filter(|&i| i < items.len()),
            Segment::Identity { key, value } => identities.find(items, key, value),
            Segment::Key(_) => None,
        })
        .collect();
    if !removals.is_empty() {
        let removals: HashSet<usize> = removals.into_iter().collect();
        let mut index = 0;
        items.retain(|_| {
            index += 1;
            !removals.contains(&(index - 1))
        });
    }
    // 3. The common items into their new order.
    for change in here {
        if change.kind != ChangeKind::Reordered {
            continue;
        }
        let Some(order) = &change.new_order else {
            continue;
        };
        let mut ranks: HashMap<&str, HashMap<&str, usize>> = HashMap::new();
        for (rank, segment) in order.iter().enumerate() {
            if let Segment::Identity { key, value } = segment {
                ranks.entry(key).or_default().entry(value).or_insert(rank);
            }
        }
        let rank = |item: &Value| {
            ranks.iter().find_map(|(key, table)| {
                let id = identity_of(item, key)?;
                table.get(id.as_str()).copied()
            })
        };
        // Items the order does not name keep their place after the named ones.
        items.sort_by_cached_key(|item| rank(item).unwrap_or(usize::MAX));
    }
    // 4. Insertions in ascending NEW position.
    let mut insertions: Vec<(usize, &Value)> = below
        .iter()
        .filter(|(_, rest, c)| rest.is_empty() && c.kind == ChangeKind::Added)
        .filter_map(|(segment, _, change)| {
            let position = match segment {
                Segment::Index(i) => Some(*i),
                _ => change.position,
            };
            Some((position.unwrap_or(usize::MAX), change.new.as_ref()?))
        })
        .collect();
    if insertions.is_empty() {
        return;
    }
    insertions.sort_by_key(|(position, _)| *position);
    // One merge instead of an insert each: an inserted value lands at its position counting
    // the values inserted before it, as inserting them one by one in ascending order would.
    let mut kept = std::mem::take(items).into_iter();
    for (position, value) in insertions {
        while items.len() < position {
            match kept.next() {
                Some(item) => items.push(item),
                None => break,
            }
        }
        items.push(value.clone());
    }
    items.extend(kept);
}
