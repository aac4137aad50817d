//! A diff as a [`Patch`]: the executable definition of "the report is complete".
//!
//! A diff names positions of OLD and NEW at once (a removed item by its OLD index, an added
//! one by its NEW index); a patch is a list of changes applied one after the other. The
//! changes are grouped by the node they fall under and emitted node by node in the order
//! docs/diff.md gives for a sequence: first the changes inside items (positions and
//! identities still as in OLD), then removals (by identity, or by OLD position from the
//! highest down so the lower ones still hold), then a reorder of the common items, then
//! insertions in ascending NEW position. Applied in that order, the patch turns the old
//! value into the new one exactly.

use std::collections::HashMap;

use super::{Change, ChangeKind, Diff};
use crate::patch::{Change as Op, Patch};
use crate::path::{Path, Segment};

/// A change with the rest of its path, relative to the node being changed.
type Scoped<'c> = (&'c [Segment], &'c Change);

/// A change below a node: the segment naming the child, then the rest of the path.
type Below<'c> = (&'c Segment, &'c [Segment], &'c Change);

/// The patch of `diff` (see the module documentation).
pub(super) fn to_patch(diff: &Diff) -> Patch {
    let changes: Vec<Scoped<'_>> = diff
        .changes
        .iter()
        .map(|change| (change.path.segments(), change))
        .collect();
    let mut patch = Patch::new();
    emit(&Path::root(), &changes, &mut patch);
    patch
}

/// Emits `changes`, whose paths are relative to the node at `at`.
fn emit(at: &Path, changes: &[Scoped<'_>], patch: &mut Patch) {
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
                patch.push(Op::Set {
                    path: at.clone(),
                    old: change.old.clone(),
                    new: new.clone(),
                });
            }
        }
    }
    let groups = group_by_segment(&below);
    let is_sequence = groups
        .iter()
        .any(|(segment, _)| !matches!(segment, Segment::Key(_)))
        || here.iter().any(|c| c.kind == ChangeKind::Reordered);
    if !is_sequence {
        for (segment, group) in &groups {
            let child = at.child((*segment).clone());
            let (own, inside) = split_own(group);
            for change in own {
                match (change.kind, &change.old, &change.new) {
                    (ChangeKind::Removed, Some(old), _) => patch.push(Op::Remove {
                        path: child.clone(),
                        old: old.clone(),
                    }),
                    (ChangeKind::Added, _, Some(new)) => patch.push(Op::Set {
                        path: child.clone(),
                        old: None,
                        new: new.clone(),
                    }),
                    _ => {}
                }
            }
            emit(&child, &inside, patch);
        }
        return;
    }
    // 1. Changes in and to items that stay, addressed as in OLD.
    for (segment, group) in &groups {
        let (_, inside) = split_own(group);
        emit(&at.child((*segment).clone()), &inside, patch);
    }
    // 2. Removals: by identity in report order, by position from the highest down.
    let mut removals: Vec<(&Segment, &Change)> = groups
        .iter()
        .filter_map(|(segment, group)| {
            let removed = group
                .iter()
                .find(|(rest, c)| rest.is_empty() && c.kind == ChangeKind::Removed)?;
            Some((*segment, removed.1))
        })
        .collect();
    removals.sort_by_key(|(segment, _)| match segment {
        Segment::Index(i) => std::cmp::Reverse(*i),
        _ => std::cmp::Reverse(usize::MAX),
    });
    for (segment, change) in removals {
        if let Some(old) = &change.old {
            patch.push(Op::Remove {
                path: at.child(segment.clone()),
                old: old.clone(),
            });
        }
    }
    // 3. The common items into their new order.
    for change in &here {
        if change.kind == ChangeKind::Reordered {
            if let Some(order) = &change.new_order {
                patch.push(Op::Reorder {
                    path: at.clone(),
                    order: order.clone(),
                });
            }
        }
    }
    // 4. Insertions in ascending NEW position.
    let mut insertions: Vec<(usize, &Change)> = below
        .iter()
        .filter(|(_, rest, c)| rest.is_empty() && c.kind == ChangeKind::Added)
        .map(|(segment, _, change)| {
            let position = match segment {
                Segment::Index(i) => Some(*i),
                _ => change.position,
            };
            (position.unwrap_or(usize::MAX), *change)
        })
        .collect();
    insertions.sort_by_key(|(position, _)| *position);
    for (position, change) in insertions {
        if let Some(new) = &change.new {
            patch.push(Op::Insert {
                path: at.clone(),
                position,
                value: new.clone(),
            });
        }
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
