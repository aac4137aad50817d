//! Writing a whole [`Patch`] into a document: all edits of the patch planned on one read of
//! the text, spliced together, and verified once.
//!
//! Each change is planned against the last parsed document. A change whose planning would
//! read what an earlier pending change rewrites (a path under or above it, a position in a
//! sequence whose length changed, a byte range it touches) first has the pending splices
//! written and parsed; independent changes share one parse. Sets, removals, appends and
//! moves of a key to a free key are planned as splices; a reorder, an insertion before the
//! end and a move onto a present key are written on their own. Whatever the grouping, the
//! result is accepted only when its value equals [`Patch::applied`] to the old value; when a
//! group does not verify (or any change fails), the patch is written again one change at a
//! time from the start, which gives the same result or the same error as separate edits.

use std::ops::Range;

use super::{DocumentMut, EditError, Lookup, Slot, Tree};
use crate::document::{NodeId, NodeKind};
use crate::patch::{Change, Patch};
use crate::path::{identity_of, Path, Segment};
use crate::value::Value;

/// A change of a patch that could not be written; the document is unchanged.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("change {index}: {error}")]
#[non_exhaustive]
pub struct PatchError {
    /// The zero-based position of the failing change in the patch.
    pub index: usize,
    /// Why it failed.
    pub error: EditError,
}

/// One change planned against the current document.
struct Planned {
    /// The path the change replaces, removes or creates.
    path: Path,
    /// For a move, the path it creates (`path` is the one it empties).
    moved_to: Option<Path>,
    /// Whether it replaces a value that exists (a set of a path that is there).
    replaces: bool,
    /// The sequence whose length it changes, if any.
    resizes: Option<Path>,
    /// For an insertion, the new item (a change to another item found by identity does not
    /// wait for it).
    inserted: Option<Value>,
    /// For an addition at the end of a block collection: the collection (additions to one
    /// collection are spliced at one offset in the order they were made).
    appends_to: Option<NodeId>,
    edits: Vec<super::Edit>,
}

enum Plan {
    /// Nothing to write (the value is already there, or the path is already absent).
    Nothing,
    /// Splices on the current text.
    Edits(Planned),
    /// A change that edits in several passes itself (a reorder, an insertion before the
    /// end, a move onto a present key or into a sequence).
    Own,
}

impl DocumentMut {
    /// Writes every change of `patch`, in order, keeping the format of everything else.
    ///
    /// On success the document's value is [`Patch::applied`] to the old value, checked by
    /// reading the result again; on error nothing was changed and the error says which
    /// change failed.
    pub fn apply(&mut self, patch: &Patch) -> Result<(), PatchError> {
        let start = self.doc.clone();
        match self.apply_together(patch) {
            Ok(true) => return Ok(()),
            Ok(false) | Err(_) => self.doc = start.clone(),
        }
        for (index, change) in patch.changes().iter().enumerate() {
            if let Err(error) = self.apply_one(change) {
                self.doc = start;
                return Err(PatchError { index, error });
            }
        }
        Ok(())
    }

    /// The number of times edited text has been parsed again since the editor was opened.
    pub fn reparses(&self) -> usize {
        self.reparses
    }

    /// One change as its own edit (parsed and verified on its own).
    fn apply_one(&mut self, change: &Change) -> Result<(), EditError> {
        match change {
            Change::Set { path, new, .. } => self.set(path, new).map(|_| ()),
            Change::Remove { path, .. } => self.remove(path).map(|_| ()),
            Change::Move { from, to, .. } => self.rename(from, to).map(|_| ()),
            Change::Insert {
                path,
                position,
                value,
            } => {
                if self.sequence_len(path)? != *position {
                    return self.rewrite_sequence(path, change);
                }
                self.append(path, value)
            }
            Change::Reorder { path, .. } => self.rewrite_sequence(path, change),
        }
    }

    /// Writes the sequence at `path` as `change` leaves it (an insertion before the end, a
    /// reorder): the editor splices items in only at the end, so the sequence is written
    /// again as a whole; everything outside it keeps its bytes.
    fn rewrite_sequence(&mut self, path: &Path, change: &Change) -> Result<(), EditError> {
        self.sequence_len(path)?;
        let mut whole = self.doc.value().clone();
        change.apply(&mut whole);
        match crate::patch::get(&whole, path) {
            Some(new) => self.set(path, &new.clone()).map(|_| ()),
            None => Ok(()),
        }
    }

    /// Writes the patch with as few parses as the changes allow. `Ok(false)` when a group
    /// did not verify, which the caller answers by writing the changes one at a time.
    fn apply_together(&mut self, patch: &Patch) -> Result<bool, EditError> {
        let old = self.doc.value().clone();
        let mut expected = old;
        let mut pending: Vec<Planned> = Vec::new();
        for change in patch.changes() {
            // A later value for a path a pending change already sets replaces it (a step that
            // covers several releases may set the image tag once per release).
            if let Change::Set { path, .. } = change {
                if let Some(at) = pending.iter().position(|p| p.replaces && &p.path == path) {
                    let planned = pending.remove(at);
                    if pending.iter().any(|p| related(p, change)) {
                        pending.insert(at, planned);
                    }
                }
            }
            // What the current text says about a path an earlier pending change rewrites is
            // out of date: write those first.
            if pending.iter().any(|p| related(p, change)) && !self.flush(&mut pending, &expected)? {
                return Ok(false);
            }
            let mut plan = self.plan_change(change, appended(&pending, change))?;
            if let Plan::Edits(planned) = &plan {
                if pending.iter().any(|p| depends(p, planned)) {
                    if !self.flush(&mut pending, &expected)? {
                        return Ok(false);
                    }
                    plan = self.plan_change(change, 0)?;
                }
            }
            match plan {
                Plan::Nothing => {}
                Plan::Edits(planned) => pending.push(planned),
                Plan::Own => {
                    if !self.flush(&mut pending, &expected)? {
                        return Ok(false);
                    }
                    self.apply_one(change)?;
                }
            }
            change.apply(&mut expected);
        }
        self.flush(&mut pending, &expected)
    }

    /// Writes the pending splices and checks the result against `expected`.
    fn flush(&mut self, pending: &mut Vec<Planned>, expected: &Value) -> Result<bool, EditError> {
        if pending.is_empty() {
            return Ok(true);
        }
        let edits: Vec<super::Edit> = pending.drain(..).flat_map(|p| p.edits).collect();
        match self.commit(&Path::root(), &edits, expected) {
            Ok(()) => Ok(true),
            Err(EditError::Unverified { .. } | EditError::Reparse { .. }) => Ok(false),
            Err(other) => Err(other),
        }
    }

    /// The current length of the sequence at `path`, when an insertion at `position` is an
    /// append after the `appended` items pending for it (the only insertion the editor makes).
    fn append_position(
        &self,
        path: &Path,
        position: usize,
        appended: usize,
    ) -> Result<usize, EditError> {
        let len = self.sequence_len(path)?;
        if position != len + appended {
            return Err(EditError::Unsupported {
                path: path.clone(),
                reason: format!(
                    "items can only be appended (at position {})",
                    len + appended
                ),
            });
        }
        Ok(len)
    }

    /// Plans `change` on the current text; `appended` items are pending for the end of the
    /// sequence an insertion goes to.
    fn plan_change(&self, change: &Change, appended: usize) -> Result<Plan, EditError> {
        match change {
            Change::Set { path, new, .. } => {
                if self.doc.get(path).map(|id| self.doc.value_of(id)).as_ref() == Some(new) {
                    return Ok(Plan::Nothing);
                }
                // A set below missing parents creates the first missing key: a later change
                // under that key must see it written.
                let mut created = path.clone();
                let (resizes, appends_to, replaces) = match self.locate(path)? {
                    Lookup::Found(_) => (None, None, true),
                    Lookup::Missing { parent, depth } => {
                        created = Path::from_segments(path.segments()[..=depth].to_vec());
                        let node = self.doc.node(parent.node);
                        let parent_path = Path::from_segments(path.segments()[..depth].to_vec());
                        let block = node.is_block_collection();
                        match node.kind {
                            NodeKind::Sequence { .. } => {
                                (Some(parent_path), block.then_some(parent.node), false)
                            }
                            NodeKind::Mapping { .. } => (None, block.then_some(parent.node), false),
                            _ => (None, None, false),
                        }
                    }
                };
                let edits = self.plan_set(path, Tree::Value(new.clone()))?;
                Ok(Plan::Edits(Planned {
                    path: created,
                    moved_to: None,
                    replaces,
                    resizes,
                    inserted: None,
                    appends_to,
                    edits,
                }))
            }
            Change::Remove { path, .. } => {
                let located = match self.locate(path)? {
                    Lookup::Found(located) => located,
                    Lookup::Missing { .. } => return Ok(Plan::Nothing),
                };
                let resizes = match path.split_last() {
                    Some((parent, Segment::Index(_) | Segment::Identity { .. })) => Some(parent),
                    _ => None,
                };
                let edits = self.plan_remove(path, located)?;
                Ok(Plan::Edits(Planned {
                    path: path.clone(),
                    moved_to: None,
                    replaces: false,
                    resizes,
                    inserted: None,
                    appends_to: None,
                    edits,
                }))
            }
            Change::Move { from, to, .. } => self.plan_move(from, to),
            Change::Reorder { .. } => Ok(Plan::Own),
            Change::Insert { path, position, .. }
                if self.sequence_len(path)? + appended != *position =>
            {
                Ok(Plan::Own)
            }
            Change::Insert {
                path,
                position,
                value,
            } => {
                let len = self.append_position(path, *position, appended)?;
                let id = self.doc.get(path).expect("a sequence was found");
                let block = self.doc.node(id).is_block_collection();
                let edits = self.plan_set(&path.index(len), Tree::Value(value.clone()))?;
                Ok(Plan::Edits(Planned {
                    path: path.clone(),
                    moved_to: None,
                    replaces: false,
                    resizes: Some(path.clone()),
                    inserted: Some(value.clone()),
                    appends_to: block.then_some(id),
                    edits,
                }))
            }
        }
    }
}

impl DocumentMut {
    /// Plans the move of the mapping key at `from` to the free key `to` on the current text,
    /// as [`DocumentMut::rename`] writes it: within one mapping only the key's text changes;
    /// elsewhere the value is cut with its comments and spliced in at `to`. Anything else
    /// (`to` present, inside `from`, not a key, or splices that touch) is the rename's own.
    fn plan_move(&self, from: &Path, to: &Path) -> Result<Plan, EditError> {
        let located = match self.locate(from)? {
            Lookup::Found(located) => located,
            Lookup::Missing { .. } => return Ok(Plan::Nothing),
        };
        if to.starts_with(from) || from.starts_with(to) || self.doc.get(to).is_some() {
            return Ok(Plan::Own);
        }
        let mut node = self.doc.root();
        for segment in &to.segments()[..to.len().saturating_sub(1)] {
            node = node.and_then(|id| self.doc.child(id, segment));
            if node == Some(located.node) {
                return Ok(Plan::Own);
            }
        }
        let (Some((from_parent, Segment::Key(_))), Some((to_parent, Segment::Key(new_key)))) =
            (from.split_last(), to.split_last())
        else {
            return Ok(Plan::Own);
        };
        let edits = match located.slot {
            Slot::MapValue { map, index } if from_parent == to_parent => {
                let key = self.doc.entries(map).expect("mapping")[index].key;
                vec![super::Edit {
                    range: self.doc.node(key).span.clone(),
                    text: super::render::key(new_key),
                }]
            }
            _ => {
                let fragment = self.cut(located, self.doc.value_of(located.node));
                let mut edits = self.plan_remove(from, located)?;
                let added = self.plan_set(to, Tree::Moved(fragment))?;
                if edits
                    .iter()
                    .any(|a| added.iter().any(|b| touches(&a.range, &b.range)))
                {
                    return Ok(Plan::Own);
                }
                edits.extend(added);
                edits
            }
        };
        Ok(Plan::Edits(Planned {
            path: from.clone(),
            moved_to: Some(to.clone()),
            replaces: false,
            resizes: None,
            inserted: None,
            appends_to: None,
            edits,
        }))
    }
}

impl Planned {
    /// The paths the change acts on: the one it sets, removes or empties, and a move's
    /// destination.
    fn paths(&self) -> impl Iterator<Item = &Path> {
        std::iter::once(&self.path).chain(self.moved_to.as_ref())
    }
}

/// How many items pending changes append to the sequence `change` inserts into.
fn appended(pending: &[Planned], change: &Change) -> usize {
    match change {
        Change::Insert { path, .. } => pending
            .iter()
            .filter(|p| p.appends_to.is_some() && p.resizes.as_ref() == Some(path))
            .count(),
        _ => 0,
    }
}

/// Whether `change` acts on a path that the pending `earlier` rewrites (at, above or below
/// it, or by position in a sequence whose length it changes).
fn related(earlier: &Planned, change: &Change) -> bool {
    let (paths, inserted): (Vec<&Path>, _) = match change {
        Change::Set { path, .. } | Change::Remove { path, .. } | Change::Reorder { path, .. } => {
            (vec![path], None)
        }
        Change::Move { from, to, .. } => (vec![from, to], None),
        Change::Insert { path, value, .. } => {
            // More items for the sequence `earlier` appends to splice after its own.
            if earlier.appends_to.is_some() && earlier.resizes.as_ref() == Some(path) {
                return false;
            }
            (vec![path], Some(value))
        }
    };
    paths.into_iter().any(|path| {
        earlier
            .paths()
            .any(|at| nested(at, earlier.inserted.as_ref(), path, inserted))
            || earlier
                .resizes
                .as_ref()
                .is_some_and(|sequence| through_index(path, sequence))
    })
}

/// Whether the change at `a` and the one at `b` act on one node or one inside the other.
/// Changes inside an item found by identity do not depend on an item appended to its
/// sequence (`a_inserted`, `b_inserted`), unless it is that item.
fn nested(a: &Path, a_inserted: Option<&Value>, b: &Path, b_inserted: Option<&Value>) -> bool {
    let (outer, inserted, inner) = if b.starts_with(a) {
        (a, a_inserted, b)
    } else if a.starts_with(b) {
        (b, b_inserted, a)
    } else {
        return false;
    };
    match (inserted, inner.segments().get(outer.len())) {
        (Some(item), Some(Segment::Identity { key, value })) => {
            identity_of(item, key).as_deref() == Some(value.as_str())
        }
        _ => true,
    }
}

/// Whether `later` must be planned on the text after `earlier` is written.
fn depends(earlier: &Planned, later: &Planned) -> bool {
    // Appends to one sequence, or keys added to one mapping, splice at one offset in order.
    let both_append = earlier.appends_to.is_some() && earlier.appends_to == later.appends_to;
    let same_sequence = both_append && earlier.path == later.path && later.resizes.is_some();
    if !same_sequence
        && earlier.paths().any(|a| {
            later
                .paths()
                .any(|b| nested(a, earlier.inserted.as_ref(), b, later.inserted.as_ref()))
        })
    {
        return true;
    }
    // A position in a sequence whose length changed names another item now.
    for (resized, other) in [(&earlier.resizes, later), (&later.resizes, earlier)] {
        if let Some(sequence) = resized {
            if other.paths().any(|path| through_index(path, sequence)) {
                return true;
            }
        }
    }
    earlier.edits.iter().any(|a| {
        later.edits.iter().any(|b| {
            let same_point = a.range.is_empty() && b.range == a.range;
            if same_point {
                !both_append
            } else {
                touches(&a.range, &b.range)
            }
        })
    })
}

/// Whether `path` goes into `sequence` through an index (identities stay valid when the
/// sequence's length changes, indexes do not).
fn through_index(path: &Path, sequence: &Path) -> bool {
    path.len() > sequence.len()
        && path.starts_with(sequence)
        && matches!(path.segments()[sequence.len()], Segment::Index(_))
}

/// Overlapping ranges, or an insertion at the edge of another edit.
fn touches(a: &Range<usize>, b: &Range<usize>) -> bool {
    if a.is_empty() || b.is_empty() {
        a.start <= b.end && b.start <= a.end
    } else {
        a.start < b.end && b.start < a.end
    }
}
