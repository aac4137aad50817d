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

use std::hash::{Hash as _, Hasher as _};
use std::ops::Range;

use super::{DocumentMut, EditError, Lookup, Rollback, Slot, Tree};
use crate::document::{NodeId, NodeKind};
use crate::patch::{Change, Patch};
use crate::path::{Path, Segment};
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
    /// What the checks against later changes look at first.
    scope: Scope,
}

/// A cheap outline of where a change acts, so that checking a change against the pending
/// ones stays linear in their number: two changes can only be related when a path one acts
/// on (including a sequence it resizes) lies at, above or below a path of the other, and
/// their splices can only touch when the byte ranges that hold them do.
#[derive(Default)]
struct Scope {
    /// For each path the change acts on, the hashes of its prefixes, from the whole document
    /// (the empty prefix) to the path itself: two paths nest exactly when the shorter one's
    /// last hash is the longer one's hash at that length (up to a hash collision, which
    /// only makes a candidate that the full check then rejects).
    prefixes: Vec<Vec<u64>>,
    /// From the first byte its splices replace to the last.
    hull: Range<usize>,
}

impl Scope {
    fn of<'a>(paths: impl Iterator<Item = &'a Path>, edits: &[super::Edit]) -> Scope {
        let prefixes = paths.map(prefix_hashes).collect();
        let hull = match (
            edits.iter().map(|e| e.range.start).min(),
            edits.iter().map(|e| e.range.end).max(),
        ) {
            (Some(start), Some(end)) => start..end,
            _ => 0..0,
        };
        Scope { prefixes, hull }
    }

    /// Whether a path of one may lie at, above or below a path of the other.
    fn may_nest(&self, other: &Scope) -> bool {
        self.prefixes.iter().any(|a| {
            other.prefixes.iter().any(|b| {
                let depth = a.len().min(b.len()) - 1;
                a[depth] == b[depth]
            })
        })
    }
}

/// The hashes of `path`'s prefixes, the empty one first.
fn prefix_hashes(path: &Path) -> Vec<u64> {
    let mut hashes = Vec::with_capacity(path.len() + 1);
    let mut hash = 0;
    hashes.push(hash);
    for segment in path.segments() {
        let mut hasher = rustc_hash::FxHasher::default();
        hasher.write_u64(hash);
        segment.hash(&mut hasher);
        hash = hasher.finish();
        hashes.push(hash);
    }
    hashes
}

/// The pending changes registered under one hash, in order: nearly always one (a path that
/// only one change acts on), which needs no list of its own.
enum Positions {
    One(usize),
    Many(Vec<usize>),
}

impl Positions {
    /// Registers `at`, a position after every one registered before it.
    fn push(&mut self, at: usize) {
        match self {
            Positions::One(first) if *first != at => *self = Positions::Many(vec![*first, at]),
            Positions::One(_) => {}
            Positions::Many(list) => {
                if list.last() != Some(&at) {
                    list.push(at);
                }
            }
        }
    }

    fn as_slice(&self) -> &[usize] {
        match self {
            Positions::One(at) => std::slice::from_ref(at),
            Positions::Many(list) => list,
        }
    }
}

/// The changes planned on the current text and not yet written, indexed by [`Scope`] so that
/// a new change is checked only against those it may be related to.
#[derive(Default)]
struct Pending {
    planned: Vec<Planned>,
    /// Positions in `planned` by the hash of each path a change acts on.
    at: rustc_hash::FxHashMap<u64, Positions>,
    /// Positions in `planned` by the hash of every prefix of each path a change acts on.
    under: rustc_hash::FxHashMap<u64, Positions>,
    /// Positions in `planned` by the first byte of their hull.
    by_start: std::collections::BTreeMap<usize, Vec<usize>>,
    /// The longest hull, which bounds how far before a range a touching hull can start.
    longest: usize,
}

impl Pending {
    fn push(&mut self, planned: Planned) {
        let at = self.planned.len();
        let register = |index: &mut rustc_hash::FxHashMap<u64, Positions>, hash: u64| {
            index
                .entry(hash)
                .and_modify(|positions| positions.push(at))
                .or_insert(Positions::One(at));
        };
        for prefixes in &planned.scope.prefixes {
            register(&mut self.at, *prefixes.last().expect("the empty prefix"));
            for hash in prefixes {
                register(&mut self.under, *hash);
            }
        }
        let hull = &planned.scope.hull;
        self.by_start.entry(hull.start).or_default().push(at);
        self.longest = self.longest.max(hull.len());
        self.planned.push(planned);
    }

    fn take(&mut self) -> Vec<Planned> {
        let planned = std::mem::take(&mut self.planned);
        *self = Pending::default();
        planned
    }

    fn remove(&mut self, at: usize) -> Planned {
        let mut all = self.take();
        let removed = all.remove(at);
        all.into_iter().for_each(|p| self.push(p));
        removed
    }

    fn insert(&mut self, at: usize, planned: Planned) {
        let mut all = self.take();
        all.insert(at, planned);
        all.into_iter().for_each(|p| self.push(p));
    }

    /// The positions of the changes with a path at, above or below one of `scope`'s, in
    /// order.
    fn nesting(&self, scope: &Scope) -> Vec<usize> {
        let mut found = Vec::new();
        for prefixes in &scope.prefixes {
            let whole = prefixes.last().expect("the empty prefix");
            found.extend(
                self.under
                    .get(whole)
                    .map(Positions::as_slice)
                    .unwrap_or_default(),
            );
            for hash in prefixes {
                found.extend(
                    self.at
                        .get(hash)
                        .map(Positions::as_slice)
                        .unwrap_or_default(),
                );
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    /// The first pending change that replaces the value at `path`.
    fn replacing(&self, path: &Path, scope: &Scope) -> Option<usize> {
        self.nesting(scope)
            .into_iter()
            .find(|&at| self.planned[at].replaces && &self.planned[at].path == path)
    }

    fn any_related(&self, subject: &Subject<'_>) -> bool {
        self.nesting(&subject.scope)
            .into_iter()
            .any(|at| related(&self.planned[at], subject))
    }

    fn any_depends(&self, later: &Planned) -> bool {
        let hull = &later.scope.hull;
        let from = hull.start.saturating_sub(self.longest);
        let touching = self
            .by_start
            .range(from..=hull.end)
            .flat_map(|(_, list)| list.iter().copied());
        self.nesting(&later.scope)
            .into_iter()
            .chain(touching)
            .any(|at| depends(&self.planned[at], later))
    }
}

/// The value the changes before some position of a patch leave, built only when a write
/// in the middle of the patch needs it: after each verified write the document means every
/// change before it, so the value is the document's own with the changes since applied.
/// A patch written in one group (the common case) never builds it.
#[derive(Default)]
struct Expected {
    /// How many changes the document's value already includes.
    synced: usize,
    /// The document's value with the changes from `synced` up to `.1` applied.
    built: Option<(Value, usize)>,
}

impl Expected {
    /// The value after `changes[..upto]`, built on the last one asked for when that was at
    /// or before `upto`, else on the document's value.
    fn upto<'a>(
        &'a mut self,
        doc: &crate::document::Document,
        changes: &[Change],
        upto: usize,
    ) -> &'a Value {
        let (mut value, from) = match self.built.take() {
            Some((value, built)) if built <= upto => (value, built),
            _ => (doc.value().clone(), self.synced),
        };
        for change in &changes[from..upto] {
            change.apply(&mut value);
        }
        &self.built.insert((value, upto)).0
    }

    /// The document now means every change before `upto`.
    fn synced(&mut self, upto: usize) {
        self.synced = upto;
        self.built = None;
    }
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
        self.apply_reaching(patch, None)
    }

    /// [`DocumentMut::apply`] for a caller that already holds `applied`, the value the patch
    /// leaves (`migrate` builds it while it makes the changes): the last check compares with
    /// it instead of applying every change to a copy of the old value again. A wrong
    /// `applied` can only fail that check, which writes the changes one at a time, each
    /// verified on its own; debug builds also assert it.
    pub(crate) fn apply_reaching(
        &mut self,
        patch: &Patch,
        applied: Option<&Value>,
    ) -> Result<(), PatchError> {
        debug_assert!(applied.is_none_or(|v| *v == patch.applied(self.doc.value())));
        self.rollback = Rollback::Armed;
        let together = self.apply_together(patch, applied);
        if matches!(together, Ok(true)) {
            self.rollback = Rollback::Off;
            return Ok(());
        }
        self.roll_back();
        let mut result = Ok(());
        for (index, change) in patch.changes().iter().enumerate() {
            if let Err(error) = self.apply_one(change) {
                self.roll_back();
                result = Err(PatchError { index, error });
                break;
            }
        }
        self.rollback = Rollback::Off;
        result
    }

    /// Puts back the document as it was before the patch (if a commit replaced it) and keeps
    /// the rollback armed for the next attempt.
    fn roll_back(&mut self) {
        if let Rollback::Holding(before) = std::mem::replace(&mut self.rollback, Rollback::Armed) {
            self.doc = *before;
        }
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
    fn apply_together(
        &mut self,
        patch: &Patch,
        applied: Option<&Value>,
    ) -> Result<bool, EditError> {
        let changes = patch.changes();
        let mut expected = Expected::default();
        let mut pending = Pending::default();
        for (index, change) in changes.iter().enumerate() {
            let subject = Subject::of(change);
            // A later value for a path a pending change already sets replaces it (a step that
            // covers several releases may set the image tag once per release).
            if let Change::Set { path, .. } = change {
                if let Some(at) = pending.replacing(path, &subject.scope) {
                    let planned = pending.remove(at);
                    if pending.any_related(&subject) {
                        pending.insert(at, planned);
                    }
                }
            }
            // What the current text says about a path an earlier pending change rewrites is
            // out of date: write those first.
            if pending.any_related(&subject) {
                let upto = expected.upto(&self.doc, changes, index);
                if !self.flush(&mut pending, upto)? {
                    return Ok(false);
                }
            }
            let mut plan = self.plan_change(change, appended(&pending.planned, change))?;
            if let Plan::Edits(planned) = &mut plan {
                planned.scope = Scope::of(
                    planned.paths().chain(planned.resizes.as_ref()),
                    &planned.edits,
                );
                if pending.any_depends(planned) {
                    let upto = expected.upto(&self.doc, changes, index);
                    if !self.flush(&mut pending, upto)? {
                        return Ok(false);
                    }
                    plan = self.plan_change(change, 0)?;
                    if let Plan::Edits(planned) = &mut plan {
                        planned.scope = Scope::of(
                            planned.paths().chain(planned.resizes.as_ref()),
                            &planned.edits,
                        );
                    }
                }
            }
            match plan {
                Plan::Nothing => {}
                Plan::Edits(planned) => pending.push(planned),
                Plan::Own => {
                    let upto = expected.upto(&self.doc, changes, index);
                    if !self.flush(&mut pending, upto)? {
                        return Ok(false);
                    }
                    self.apply_one(change)?;
                    // The change verified on its own: the document now means every change
                    // up to it.
                    expected.synced(index + 1);
                }
            }
        }
        if pending.planned.is_empty() {
            return Ok(true);
        }
        let end = match applied {
            Some(value) => value,
            None => expected.upto(&self.doc, changes, changes.len()),
        };
        self.flush(&mut pending, end)
    }

    /// Writes the pending splices and checks the result against `expected`.
    fn flush(&mut self, pending: &mut Pending, expected: &Value) -> Result<bool, EditError> {
        if pending.planned.is_empty() {
            return Ok(true);
        }
        let planned = pending.take();
        let mut edits = Vec::with_capacity(planned.iter().map(|p| p.edits.len()).sum());
        planned.into_iter().for_each(|p| edits.extend(p.edits));
        match self.commit(&Path::root(), &edits, expected) {
            // What was just verified is the document's value now.
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
                let lookup = self.locate(path)?;
                let (resizes, appends_to, replaces) = match lookup {
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
                let edits = self.plan_set_at(path, lookup, Tree::Value(new.clone()))?;
                Ok(Plan::Edits(Planned {
                    path: created,
                    moved_to: None,
                    replaces,
                    resizes,
                    inserted: None,
                    appends_to,
                    edits,
                    scope: Scope::default(),
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
                    scope: Scope::default(),
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
                    scope: Scope::default(),
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
            scope: Scope::default(),
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

/// The paths a change of the patch acts on, outlined once for the checks against every
/// pending change.
struct Subject<'a> {
    change: &'a Change,
    paths: Vec<&'a Path>,
    inserted: Option<&'a Value>,
    scope: Scope,
}

impl<'a> Subject<'a> {
    fn of(change: &'a Change) -> Self {
        let (paths, inserted): (Vec<&Path>, _) = match change {
            Change::Set { path, .. }
            | Change::Remove { path, .. }
            | Change::Reorder { path, .. } => (vec![path], None),
            Change::Move { from, to, .. } => (vec![from, to], None),
            Change::Insert { path, value, .. } => (vec![path], Some(value)),
        };
        let scope = Scope::of(paths.iter().copied(), &[]);
        Subject {
            change,
            paths,
            inserted,
            scope,
        }
    }
}

/// Whether `change` acts on a path that the pending `earlier` rewrites (at, above or below
/// it, or by position in a sequence whose length it changes).
fn related(earlier: &Planned, subject: &Subject<'_>) -> bool {
    if !earlier.scope.may_nest(&subject.scope) {
        return false;
    }
    if let Change::Insert { path, .. } = subject.change {
        // More items for the sequence `earlier` appends to splice after its own.
        if earlier.appends_to.is_some() && earlier.resizes.as_ref() == Some(path) {
            return false;
        }
    }
    subject.paths.iter().any(|path| {
        earlier
            .paths()
            .any(|at| nested(at, earlier.inserted.as_ref(), path, subject.inserted))
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
            crate::path::item_has_identity(item, key, value)
        }
        _ => true,
    }
}

/// Whether `later` must be planned on the text after `earlier` is written.
fn depends(earlier: &Planned, later: &Planned) -> bool {
    // Appends to one sequence, or keys added to one mapping, splice at one offset in order.
    let both_append = earlier.appends_to.is_some() && earlier.appends_to == later.appends_to;
    let same_sequence = both_append && earlier.path == later.path && later.resizes.is_some();
    let may_nest = earlier.scope.may_nest(&later.scope);
    if may_nest
        && !same_sequence
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
        if let Some(sequence) = resized.as_ref().filter(|_| may_nest) {
            if other.paths().any(|path| through_index(path, sequence)) {
                return true;
            }
        }
    }
    // Edges count here (an insertion may touch the end of another edit).
    let (a, b) = (&earlier.scope.hull, &later.scope.hull);
    if a.start > b.end || b.start > a.end {
        return false;
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

#[cfg(test)]
mod tests {
    use super::Positions;

    /// The index keeps every position registered under a hash, once and in order, as the
    /// list it replaces did.
    #[test]
    fn positions_keep_every_registered_change_once_in_order() {
        let mut positions = Positions::One(3);
        positions.push(3);
        assert_eq!(positions.as_slice(), &[3]);
        positions.push(5);
        positions.push(5);
        positions.push(8);
        assert_eq!(positions.as_slice(), &[3, 5, 8]);
    }
}
