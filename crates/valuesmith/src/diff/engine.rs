//! The walk that finds the changes: both trees at once, descending only where they differ.
//!
//! Every node gets a structural hash (order-independent for mappings, as [`Value`] equality
//! is), computed once and cached, so equal subtrees are skipped without building their values
//! and sequence items can be matched by hash. A hash match is always confirmed by a real
//! comparison, so a collision can cost time but never hide a change.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHashSet, FxHasher};

use similar::DiffOp;

use super::{matching, Change, ChangeKind, DiffOptions};
use crate::document::{Document, Entry, NodeId, NodeKind};
use crate::path::{Path, Segment};
use crate::value::Value;

/// Deeper than this, a differing subtree is reported as one `changed` instead of being
/// descended into, so hostile nesting (through aliases) cannot exhaust the stack.
pub(super) const MAX_WALK_DEPTH: usize = 256;

/// The nodes (old, new) whose lines a change at the current path reports.
type LineNodes = (Option<NodeId>, Option<NodeId>);

/// One document with its cache of node hashes.
struct Side<'a> {
    doc: &'a Document,
    /// The hash of each node by its index, [`NOT_HASHED`] until computed: a map here was a
    /// tenth of a 100k-item diff.
    hashes: Vec<u64>,
}

/// The cache slot of a node not hashed yet; a hash that comes out as this is stored as 1
/// (hashes only pick candidates, a comparison confirms them).
const NOT_HASHED: u64 = 0;

impl<'a> Side<'a> {
    fn new(doc: &'a Document) -> Self {
        Self {
            doc,
            hashes: vec![NOT_HASHED; doc.node_count()],
        }
    }

    fn cached(&self, id: NodeId) -> Option<u64> {
        let hash = self.hashes[id.index()];
        (hash != NOT_HASHED).then_some(hash)
    }

    fn kind(&self, id: NodeId) -> &'a NodeKind {
        &self.doc.node(self.doc.resolve(id)).kind
    }

    fn line(&self, id: NodeId) -> usize {
        self.doc.node_location(id).line
    }

    /// The structural hash of a node (aliases resolved). Iterative: alias expansion can nest
    /// far deeper than the source text does.
    fn hash(&mut self, id: NodeId) -> u64 {
        let root = self.doc.resolve(id);
        if let Some(hash) = self.cached(root) {
            return hash;
        }
        // Post-order over the resolved tree: a node is hashed once all its children are.
        let mut stack = vec![(root, false)];
        while let Some((node, children_done)) = stack.pop() {
            if self.cached(node).is_some() {
                continue;
            }
            let doc = self.doc;
            let kind = &doc.node(node).kind;
            // The children, resolved, without collecting them: this runs once per node.
            let children = || -> Box<dyn Iterator<Item = NodeId> + 'a> {
                match kind {
                    NodeKind::Mapping { entries, .. } => {
                        Box::new(entries.iter().map(move |e| doc.resolve(e.value)))
                    }
                    NodeKind::Sequence { items, .. } => {
                        Box::new(items.iter().map(move |&i| doc.resolve(i)))
                    }
                    _ => Box::new(std::iter::empty()),
                }
            };
            if !children_done {
                let mark = stack.len();
                stack.push((node, true));
                stack.extend(
                    children()
                        .filter(|&c| self.cached(c).is_none())
                        .map(|c| (c, false)),
                );
                if stack.len() > mark + 1 {
                    continue;
                }
                stack.truncate(mark);
            }
            let hash = match kind {
                NodeKind::Mapping { entries, .. } => {
                    // Sum of per-entry hashes: independent of key order, like mapping equality.
                    let mut sum: u64 = 0;
                    for (entry, child) in entries.iter().zip(children()) {
                        let mut h = FxHasher::default();
                        entry.key_text.hash(&mut h);
                        self.hashes[child.index()].hash(&mut h);
                        sum = sum.wrapping_add(h.finish());
                    }
                    let mut h = FxHasher::default();
                    (b'm', entries.len(), sum).hash(&mut h);
                    h.finish()
                }
                NodeKind::Sequence { items, .. } => {
                    let mut h = FxHasher::default();
                    (b's', items.len()).hash(&mut h);
                    for child in children() {
                        self.hashes[child.index()].hash(&mut h);
                    }
                    h.finish()
                }
                // A string is hashed from its text, without building its value.
                _ => match self.doc.string_text(node) {
                    Some(text) => string_hash(text),
                    None => scalar_hash(&self.doc.value_of(node)),
                },
            };
            self.hashes[node.index()] = if hash == NOT_HASHED { 1 } else { hash };
        }
        self.hashes[root.index()]
    }

    /// The identity text of a sequence item under `key`: its scalar value's text.
    fn identity(&self, item: NodeId, key: &str) -> Option<String> {
        let entries = self.doc.entries(item)?;
        let entry = entries.iter().find(|e| e.key_text == key)?;
        let value = self.doc.resolve(entry.value);
        match self.doc.node(value).kind {
            NodeKind::Scalar { .. } => match self.doc.string_text(value) {
                Some(text) => Some(text.to_owned()),
                None => match self.doc.value_of(value) {
                    Value::String(text) => Some(text),
                    other => other.scalar_text(),
                },
            },
            _ => None,
        }
    }

    /// Every item's identity under `key`, or `None` when some item has none or two share one.
    fn identities(&self, items: &[NodeId], key: &str) -> Option<Vec<String>> {
        let ids: Vec<String> = items
            .iter()
            .map(|&item| self.identity(item, key))
            .collect::<Option<_>>()?;
        let mut seen = FxHashSet::with_capacity_and_hasher(ids.len(), Default::default());
        ids.iter().all(|id| seen.insert(id.as_str())).then_some(ids)
    }
}

fn scalar_hash(value: &Value) -> u64 {
    let mut h = FxHasher::default();
    match value {
        Value::Null => 0u8.hash(&mut h),
        Value::Bool(b) => (1u8, b).hash(&mut h),
        Value::Int(i) => (2u8, i).hash(&mut h),
        Value::Float(f) => {
            // Equal floats must hash alike: NaN equals NaN here, and -0.0 equals 0.0.
            let bits = if f.is_nan() {
                f64::NAN.to_bits()
            } else if *f == 0.0 {
                0
            } else {
                f.to_bits()
            };
            (3u8, bits).hash(&mut h)
        }
        Value::String(s) => return string_hash(s),
        Value::Sequence(_) | Value::Mapping(_) => 5u8.hash(&mut h),
    }
    h.finish()
}

/// The hash of a string value (one form for [`scalar_hash`] and a text read without building
/// its value).
fn string_hash(text: &str) -> u64 {
    let mut h = FxHasher::default();
    (4u8, text).hash(&mut h);
    h.finish()
}

/// Key lookup in a mapping's entries; a hash map only pays off on larger mappings.
enum EntryIndex<'a> {
    Linear(&'a [Entry]),
    Hashed(&'a [Entry], HashMap<&'a str, usize>),
}

impl<'a> EntryIndex<'a> {
    fn new(entries: &'a [Entry]) -> Self {
        if entries.len() <= 8 {
            EntryIndex::Linear(entries)
        } else {
            EntryIndex::Hashed(
                entries,
                entries
                    .iter()
                    .enumerate()
                    .map(|(i, e)| (e.key_text.as_str(), i))
                    .collect(),
            )
        }
    }

    fn position(&self, key: &str) -> Option<usize> {
        match self {
            EntryIndex::Linear(entries) => entries.iter().position(|e| e.key_text == key),
            EntryIndex::Hashed(_, map) => map.get(key).copied(),
        }
    }

    fn get(&self, key: &str) -> Option<&'a Entry> {
        let entries = match self {
            EntryIndex::Linear(entries) | EntryIndex::Hashed(entries, _) => entries,
        };
        self.position(key).map(|i| &entries[i])
    }
}

/// The state of one comparison.
pub(super) struct Engine<'a> {
    old: Side<'a>,
    new: Side<'a>,
    options: &'a DiffOptions,
    /// The path of the nodes being compared.
    path: Vec<Segment>,
    changes: Vec<Change>,
    /// Whether both documents were read the same way (so equal scalar texts are equal values).
    same_reading: bool,
}

impl<'a> Engine<'a> {
    pub(super) fn new(old: &'a Document, new: &'a Document, options: &'a DiffOptions) -> Self {
        Self {
            old: Side::new(old),
            new: Side::new(new),
            options,
            path: Vec::new(),
            changes: Vec::new(),
            same_reading: old.reading() == new.reading(),
        }
    }

    pub(super) fn run(mut self) -> Vec<Change> {
        if self.ignored() {
            return Vec::new();
        }
        match (self.old.doc.root(), self.new.doc.root()) {
            (Some(old), Some(new)) => {
                self.walk(old, new, (Some(old), Some(new)));
            }
            (old, new) => {
                // An empty document is `null`; a document holding `null` equals it.
                if self.old.doc.value() != self.new.doc.value() {
                    let mut change = Change::new(ChangeKind::Changed, Path::root());
                    change.old = Some(self.old.doc.value().clone());
                    change.new = Some(self.new.doc.value().clone());
                    change.old_line = old.map(|id| self.old.line(id));
                    change.new_line = new.map(|id| self.new.line(id));
                    self.changes.push(change);
                }
            }
        }
        self.changes
    }

    /// Whether the current path is ignored. Shorter patterns were checked on the way down.
    fn ignored(&self) -> bool {
        self.options
            .ignore
            .iter()
            .any(|pattern| pattern.matches_exactly(&self.path))
    }

    fn current_path(&self) -> Path {
        Path::from_segments(self.path.clone())
    }

    /// Whether two nodes are equal by value (hashes first, then a full comparison).
    fn equal(&mut self, old: NodeId, new: NodeId) -> bool {
        if self.old.hash(old) != self.new.hash(new) {
            return false;
        }
        // Iterative, like hashing, for the same reason.
        let mut stack = vec![(old, new)];
        while let Some((a, b)) = stack.pop() {
            let (a, b) = (self.old.doc.resolve(a), self.new.doc.resolve(b));
            if self.old.hash(a) != self.new.hash(b) {
                return false;
            }
            match (self.old.kind(a), self.new.kind(b)) {
                (
                    NodeKind::Scalar {
                        text: ta,
                        style: sa,
                    },
                    NodeKind::Scalar {
                        text: tb,
                        style: sb,
                    },
                ) => {
                    // A scalar's value is a function of its text, style and tag under one
                    // reading: the same three need no values built to compare.
                    let same_form = self.same_reading
                        && ta == tb
                        && sa == sb
                        && self.old.doc.node(a).tag == self.new.doc.node(b).tag;
                    if !same_form && self.old.doc.value_of(a) != self.new.doc.value_of(b) {
                        return false;
                    }
                }
                (NodeKind::Mapping { entries: ea, .. }, NodeKind::Mapping { entries: eb, .. }) => {
                    if ea.len() != eb.len() {
                        return false;
                    }
                    let index = EntryIndex::new(eb);
                    for entry in ea {
                        match index.get(&entry.key_text) {
                            Some(other) => stack.push((entry.value, other.value)),
                            None => return false,
                        }
                    }
                }
                (NodeKind::Sequence { items: ia, .. }, NodeKind::Sequence { items: ib, .. }) => {
                    if ia.len() != ib.len() {
                        return false;
                    }
                    stack.extend(ia.iter().copied().zip(ib.iter().copied()));
                }
                _ => return false,
            }
        }
        true
    }

    /// The lines of `at`'s nodes, looked up only for a change that is reported.
    fn lines(&self, at: LineNodes) -> (Option<usize>, Option<usize>) {
        (
            at.0.map(|id| self.old.line(id)),
            at.1.map(|id| self.new.line(id)),
        )
    }

    /// Compares the nodes at the current path. `lines` are the nodes whose lines say where the
    /// path stands in each document (the key for a mapping entry).
    fn walk(&mut self, old: NodeId, new: NodeId, lines: LineNodes) {
        if self.equal(old, new) {
            return;
        }
        let (old_kind, new_kind) = (self.old.kind(old), self.new.kind(new));
        if self.path.len() < MAX_WALK_DEPTH {
            match (old_kind, new_kind) {
                (NodeKind::Mapping { entries: a, .. }, NodeKind::Mapping { entries: b, .. }) => {
                    return self.walk_mapping(a, b);
                }
                (NodeKind::Sequence { items: a, .. }, NodeKind::Sequence { items: b, .. }) => {
                    return self.walk_sequence(a, b, lines);
                }
                _ => {}
            }
        }
        let mut change = Change::new(ChangeKind::Changed, self.current_path());
        change.old = Some(self.old.doc.value_of(old));
        change.new = Some(self.new.doc.value_of(new));
        (change.old_line, change.new_line) = self.lines(lines);
        self.changes.push(change);
    }

    /// Runs `f` with `segment` pushed on the path, unless that path is ignored.
    fn at(&mut self, segment: Segment, f: impl FnOnce(&mut Self)) {
        self.path.push(segment);
        if !self.ignored() {
            f(self);
        }
        self.path.pop();
    }

    fn removed(&mut self, segment: Segment, old: NodeId, line: usize, position: Option<usize>) {
        self.at(segment, |this| {
            let mut change = Change::new(ChangeKind::Removed, this.current_path());
            change.old = Some(this.old.doc.value_of(old));
            change.old_line = Some(line);
            change.position = position;
            this.changes.push(change);
        });
    }

    fn added(&mut self, segment: Segment, new: NodeId, line: usize, position: Option<usize>) {
        self.at(segment, |this| {
            let mut change = Change::new(ChangeKind::Added, this.current_path());
            change.new = Some(this.new.doc.value_of(new));
            change.new_line = Some(line);
            change.position = position;
            this.changes.push(change);
        });
    }

    fn walk_child(&mut self, segment: Segment, old: NodeId, new: NodeId, lines: LineNodes) {
        self.at(segment, |this| this.walk(old, new, lines));
    }

    /// Key by key. Changes come in the new document's key order, each removed key right
    /// after the old key it followed, so the report reads top to bottom in both files.
    fn walk_mapping(&mut self, old: &'a [Entry], new: &'a [Entry]) {
        let old_index = EntryIndex::new(old);
        let new_index = EntryIndex::new(new);
        let mut cursor = 0;
        for entry in new {
            match old_index.position(&entry.key_text) {
                Some(i) => {
                    if i >= cursor {
                        self.removed_entries(&old[cursor..i], &new_index);
                        cursor = i + 1;
                    }
                    let lines = (Some(old[i].key), Some(entry.key));
                    let segment = Segment::Key(entry.key_text.clone());
                    self.walk_child(segment, old[i].value, entry.value, lines);
                }
                None => {
                    let line = self.new.line(entry.key);
                    self.added(
                        Segment::Key(entry.key_text.clone()),
                        entry.value,
                        line,
                        None,
                    );
                }
            }
        }
        self.removed_entries(&old[cursor..], &new_index);
    }

    fn removed_entries(&mut self, entries: &[Entry], new_index: &EntryIndex<'_>) {
        for entry in entries {
            if new_index.position(&entry.key_text).is_none() {
                let line = self.old.line(entry.key);
                self.removed(
                    Segment::Key(entry.key_text.clone()),
                    entry.value,
                    line,
                    None,
                );
            }
        }
    }

    fn walk_sequence(&mut self, old: &'a [NodeId], new: &'a [NodeId], lines: LineNodes) {
        match self.identity_key(old, new) {
            Some((key, old_ids, new_ids)) => {
                self.walk_identified(old, new, &key, &old_ids, &new_ids, lines)
            }
            None => self.walk_positional(old, new),
        }
    }

    /// The identity key of a pair of sequences and every item's identity: the first candidate
    /// (the user's keys, then `name`, `id`, `key`) that identifies every item of both sides.
    fn identity_key(
        &self,
        old: &[NodeId],
        new: &[NodeId],
    ) -> Option<(String, Vec<String>, Vec<String>)> {
        if old.is_empty() && new.is_empty() {
            return None;
        }
        let all_mappings = |side: &Side<'_>, items: &[NodeId]| {
            items
                .iter()
                .all(|&item| matches!(side.kind(item), NodeKind::Mapping { .. }))
        };
        if !all_mappings(&self.old, old) || !all_mappings(&self.new, new) {
            return None;
        }
        crate::path::identity_candidates(&self.options.identity_keys).find_map(|key| {
            let old_ids = self.old.identities(old, key)?;
            let new_ids = self.new.identities(new, key)?;
            Some((key.to_owned(), old_ids, new_ids))
        })
    }

    /// Item by identity; a reorder of the common items is one `reordered` change reported
    /// before the item changes.
    fn walk_identified(
        &mut self,
        old: &'a [NodeId],
        new: &'a [NodeId],
        key: &str,
        old_ids: &[String],
        new_ids: &[String],
        lines: LineNodes,
    ) {
        let old_pos: FxHashMap<&str, usize> = old_ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_str(), i))
            .collect();
        let new_pos: FxHashMap<&str, usize> = new_ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_str(), i))
            .collect();
        let identity = |value: &str| Segment::Identity {
            key: key.to_owned(),
            value: value.to_owned(),
        };
        let old_common: Vec<&String> = old_ids
            .iter()
            .filter(|id| new_pos.contains_key(id.as_str()))
            .collect();
        let new_common: Vec<&String> = new_ids
            .iter()
            .filter(|id| old_pos.contains_key(id.as_str()))
            .collect();
        if old_common != new_common {
            let mut change = Change::new(ChangeKind::Reordered, self.current_path());
            change.old_order = Some(old_common.iter().map(|id| identity(id)).collect());
            change.new_order = Some(new_common.iter().map(|id| identity(id)).collect());
            (change.old_line, change.new_line) = self.lines(lines);
            self.changes.push(change);
        }
        let removed_before = |this: &mut Self, range: std::ops::Range<usize>| {
            for i in range {
                if !new_pos.contains_key(old_ids[i].as_str()) {
                    let line = this.old.line(old[i]);
                    this.removed(identity(&old_ids[i]), old[i], line, Some(i));
                }
            }
        };
        let mut cursor = 0;
        for (j, id) in new_ids.iter().enumerate() {
            match old_pos.get(id.as_str()) {
                Some(&i) => {
                    if i >= cursor {
                        removed_before(self, cursor..i);
                        cursor = i + 1;
                    }
                    self.walk_child(identity(id), old[i], new[j], (Some(old[i]), Some(new[j])));
                }
                None => {
                    let line = self.new.line(new[j]);
                    self.added(identity(id), new[j], line, Some(j));
                }
            }
        }
        removed_before(self, cursor..old.len());
    }

    /// Longest common subsequence of whole items (by hash, confirmed by comparison; see
    /// [`matching`] for how a large one stays sub-quadratic). Items
    /// left over at the same index on both sides are compared in place, so a changed value in
    /// a list reads as `changed args[1]` rather than a removal and an addition.
    fn walk_positional(&mut self, old: &'a [NodeId], new: &'a [NodeId]) {
        let old_hashes: Vec<u64> = old.iter().map(|&id| self.old.hash(id)).collect();
        let new_hashes: Vec<u64> = new.iter().map(|&id| self.new.hash(id)).collect();
        for op in matching::sequence_ops(&old_hashes, &new_hashes) {
            match op {
                DiffOp::Equal {
                    old_index,
                    new_index,
                    len,
                } => {
                    for k in 0..len {
                        let (i, j) = (old_index + k, new_index + k);
                        if !self.equal(old[i], new[j]) {
                            // A hash collision: report the pair as what it really is.
                            self.replace(old, new, i..i + 1, j..j + 1);
                        }
                    }
                }
                DiffOp::Delete {
                    old_index, old_len, ..
                } => self.replace(old, new, old_index..old_index + old_len, 0..0),
                DiffOp::Insert {
                    new_index, new_len, ..
                } => self.replace(old, new, 0..0, new_index..new_index + new_len),
                DiffOp::Replace {
                    old_index,
                    old_len,
                    new_index,
                    new_len,
                } => self.replace(
                    old,
                    new,
                    old_index..old_index + old_len,
                    new_index..new_index + new_len,
                ),
            }
        }
    }

    /// Reports old items `olds` replaced by new items `news`. Items at the same index on both
    /// sides are compared in place; the rest are removed (OLD index) and added (NEW index).
    fn replace(
        &mut self,
        old: &'a [NodeId],
        new: &'a [NodeId],
        olds: std::ops::Range<usize>,
        news: std::ops::Range<usize>,
    ) {
        let paired = if olds.start == news.start && !olds.is_empty() && !news.is_empty() {
            olds.len().min(news.len())
        } else {
            0
        };
        for k in 0..paired {
            let i = olds.start + k;
            self.walk_child(
                Segment::Index(i),
                old[i],
                new[i],
                (Some(old[i]), Some(new[i])),
            );
        }
        let (first_removed, first_added) = (olds.start + paired, news.start + paired);
        for (i, &item) in old[first_removed..olds.end].iter().enumerate() {
            let line = self.old.line(item);
            let i = first_removed + i;
            self.removed(Segment::Index(i), item, line, Some(i));
        }
        for (j, &item) in new[first_added..news.end].iter().enumerate() {
            let line = self.new.line(item);
            let j = first_added + j;
            self.added(Segment::Index(j), item, line, Some(j));
        }
    }
}
