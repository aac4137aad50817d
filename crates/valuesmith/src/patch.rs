//! The change vocabulary: a [`Patch`] is an ordered list of [`Change`]s, and
//! [`Patch::apply`] is the one executable meaning of "apply these changes to a value".
//!
//! This module owns what a change to a values file is, independent of how it is written:
//! `migrate` records every step as a patch whose changes carry their [`Origin`] (the release,
//! the rule and its reason), and the editor ([`crate::edit::DocumentMut::apply`]) writes any
//! patch into a document format-preserving, accepting the result only when re-reading it
//! gives exactly [`Patch::apply`] of the old value. Paths are resolved on values the way
//! [`crate::document::Document::child`] resolves them on documents: keys by text, indexes
//! by position, identities (`[name=x]`) by the first item whose key has that scalar text.

mod read;

use std::collections::HashMap;
use std::fmt;

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use crate::path::{item_has_identity, Path, Segment};
use crate::value::{Mapping, Value};
use crate::version::Version;

pub use read::ReadPatchError;

/// One change to a value, with what it replaces so reports can show both sides.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Change {
    /// `path` takes the value `new`, creating missing parent mappings (and an item found by
    /// identity) on the way. `old` is the value it had, `None` when it was absent.
    Set {
        /// Where.
        path: Path,
        /// The value before; `None` for an addition.
        old: Option<Value>,
        /// The value after.
        new: Value,
    },
    /// `path` and what it holds go away.
    Remove {
        /// Where.
        path: Path,
        /// The value removed.
        old: Value,
    },
    /// The value at `from` moves to `to` unchanged (a rename when both have one parent).
    Move {
        /// Where it was.
        from: Path,
        /// Where it goes.
        to: Path,
        /// The value moved.
        value: Value,
    },
    /// `value` is inserted into the sequence at `path` before the item at `position`
    /// (`position` equal to the length appends).
    Insert {
        /// The sequence.
        path: Path,
        /// The new item's index.
        position: usize,
        /// The new item.
        value: Value,
    },
    /// The items of the sequence at `path` that `order` names (each a
    /// [`Segment::Identity`]) take that order; items it does not name keep their order
    /// after them (a diff's `reordered`, applied after its removals and before its
    /// insertions).
    Reorder {
        /// The sequence.
        path: Path,
        /// The identities of the items, in their new order.
        order: Vec<Segment>,
    },
}

impl Change {
    /// The path the change acts on (for a move, where the value was; for an insertion, the
    /// new item's path).
    pub fn path(&self) -> Path {
        match self {
            Change::Set { path, .. }
            | Change::Remove { path, .. }
            | Change::Reorder { path, .. } => path.clone(),
            Change::Move { from, .. } => from.clone(),
            Change::Insert { path, position, .. } => path.index(*position),
        }
    }

    /// The value before the change, when there was one at [`Change::path`].
    pub fn old(&self) -> Option<&Value> {
        match self {
            Change::Set { old, .. } => old.as_ref(),
            Change::Remove { old, .. } => Some(old),
            Change::Move { value, .. } => Some(value),
            Change::Insert { .. } | Change::Reorder { .. } => None,
        }
    }

    /// The value after the change, when there is one.
    pub fn new_value(&self) -> Option<&Value> {
        match self {
            Change::Set { new, .. } => Some(new),
            Change::Remove { .. } | Change::Reorder { .. } => None,
            Change::Move { value, .. } | Change::Insert { value, .. } => Some(value),
        }
    }

    /// How reports name the change: `added` (a set of an absent path), `changed`, `removed`,
    /// `moved`, `appended` or `reordered`.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Change::Set { old: None, .. } => "added",
            Change::Set { .. } => "changed",
            Change::Remove { .. } => "removed",
            Change::Move { .. } => "moved",
            Change::Insert { .. } => "appended",
            Change::Reorder { .. } => "reordered",
        }
    }

    /// Applies this one change to `value`. A change whose parent is missing or of another
    /// type (a scalar where a mapping should be) does nothing: the editor refuses those
    /// before they get here.
    pub fn apply(&self, value: &mut Value) {
        match self {
            Change::Set { path, new, .. } => set_at(value, path.segments(), new.clone()),
            Change::Remove { path, .. } => {
                remove_at(value, path.segments());
            }
            Change::Move { from, to, .. } => {
                if let Some(moved) = remove_at(value, from.segments()) {
                    set_at(value, to.segments(), moved);
                }
            }
            Change::Insert {
                path,
                position,
                value: item,
            } => {
                if let Some(Value::Sequence(items)) = get_mut(value, path.segments()) {
                    let at = (*position).min(items.len());
                    items.insert(at, item.clone());
                }
            }
            Change::Reorder { path, order } => {
                if let Some(Value::Sequence(items)) = get_mut(value, path.segments()) {
                    reorder(items, order);
                }
            }
        }
    }
}

/// Sorts `items` by the rank of their identity in `order` (stable; unnamed items last).
fn reorder(items: &mut [Value], order: &[Segment]) {
    let mut ranks: HashMap<&str, HashMap<&str, usize>> = HashMap::new();
    for (rank, segment) in order.iter().enumerate() {
        if let Segment::Identity { key, value } = segment {
            ranks.entry(key).or_default().entry(value).or_insert(rank);
        }
    }
    let rank = |item: &Value| {
        ranks.iter().find_map(|(key, table)| {
            let id = crate::path::identity_of(item, key)?;
            table.get(id.as_str()).copied()
        })
    };
    items.sort_by_cached_key(|item| rank(item).unwrap_or(usize::MAX));
}

/// What made a change: a catalog release's rule, or its required values.
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    /// The release whose catalog entry made the change.
    pub release: Version,
    /// The rule's zero-based position in the release's `migrate` list; `None` for the
    /// release's required `values`.
    pub rule: Option<usize>,
    /// The rule's kind (`set`, `remove`...), or `values`.
    pub kind: &'static str,
    /// The rule's reason.
    pub reason: Option<String>,
}

impl Origin {
    /// `: <reason>` when the rule has a reason, else nothing (for one-line reports).
    pub fn reason_suffix(&self) -> String {
        self.reason
            .as_ref()
            .map(|r| format!(": {r}"))
            .unwrap_or_default()
    }

    /// `2025.05.00 migrate[2] rename` or `2025.05.00 values`.
    pub fn label(&self) -> String {
        let mut label = String::new();
        let _ = self.write_label(&mut label);
        label
    }

    /// [`Origin::label`] and [`Origin::reason_suffix`] as one displayable value, written
    /// where it is shown without a string of its own (a report line per change).
    pub fn labelled(&self) -> impl fmt::Display + '_ {
        struct Labelled<'a>(&'a Origin);
        impl fmt::Display for Labelled<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.write_label(f)?;
                match &self.0.reason {
                    Some(reason) => write!(f, ": {reason}"),
                    None => Ok(()),
                }
            }
        }
        Labelled(self)
    }

    fn write_label(&self, out: &mut impl fmt::Write) -> fmt::Result {
        match self.rule {
            Some(index) => write!(out, "{} migrate[{index}] {}", self.release, self.kind),
            None => write!(out, "{} values", self.release),
        }
    }
}

impl Serialize for Origin {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("release", &self.release.to_string())?;
        map.serialize_entry("rule", &self.rule)?;
        map.serialize_entry("kind", self.kind)?;
        map.serialize_entry("reason", &self.reason)?;
        map.end()
    }
}

/// An ordered list of changes, each with the origin that made it when one did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Patch {
    changes: Vec<Change>,
    origins: Vec<Option<Origin>>,
}

impl Patch {
    /// An empty patch.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a change made by nothing in particular (a diff, a `set`).
    pub fn push(&mut self, change: Change) {
        self.changes.push(change);
        self.origins.push(None);
    }

    /// Appends a change and what made it.
    pub fn push_from(&mut self, change: Change, origin: Origin) {
        self.changes.push(change);
        self.origins.push(Some(origin));
    }

    /// The changes, in order.
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// What made the change at `index`, when something did.
    pub fn origin(&self, index: usize) -> Option<&Origin> {
        self.origins.get(index).and_then(Option::as_ref)
    }

    /// The changes with their origins, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&Change, Option<&Origin>)> {
        self.changes
            .iter()
            .zip(self.origins.iter().map(Option::as_ref))
    }

    /// Whether the patch changes nothing.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The number of changes.
    pub fn len(&self) -> usize {
        self.changes.len()
    }

    /// Applies every change to `value`, in order.
    pub fn apply(&self, value: &mut Value) {
        for change in &self.changes {
            change.apply(value);
        }
    }

    /// `value` with the patch applied.
    pub fn applied(&self, value: &Value) -> Value {
        let mut out = value.clone();
        self.apply(&mut out);
        out
    }

    /// The first `count` changes, with their origins.
    pub fn prefix(&self, count: usize) -> Patch {
        Patch {
            changes: self.changes[..count.min(self.changes.len())].to_vec(),
            origins: self.origins[..count.min(self.origins.len())].to_vec(),
        }
    }
}

impl FromIterator<Change> for Patch {
    fn from_iter<I: IntoIterator<Item = Change>>(iter: I) -> Self {
        let changes: Vec<Change> = iter.into_iter().collect();
        let origins = vec![None; changes.len()];
        Patch { changes, origins }
    }
}

/// A change as JSON: `{"op": "set", "path": "a.b", "old": 1, "new": 2, "origin": ...}`;
/// `remove` has `old`, `move` has `from`, `to` and `value`, `insert` has `path` (the
/// sequence), `position` and `value`, `reorder` has `path` and `order` (identities in the
/// form `segments` of docs/diff.md uses: `{"name": "a"}`).
struct ChangeJson<'a>(&'a Change, Option<&'a Origin>);

impl Serialize for ChangeJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        match self.0 {
            Change::Set { path, old, new } => {
                map.serialize_entry("op", "set")?;
                map.serialize_entry("path", path)?;
                if let Some(old) = old {
                    map.serialize_entry("old", old)?;
                }
                map.serialize_entry("new", new)?;
            }
            Change::Remove { path, old } => {
                map.serialize_entry("op", "remove")?;
                map.serialize_entry("path", path)?;
                map.serialize_entry("old", old)?;
            }
            Change::Move { from, to, value } => {
                map.serialize_entry("op", "move")?;
                map.serialize_entry("from", from)?;
                map.serialize_entry("to", to)?;
                map.serialize_entry("value", value)?;
            }
            Change::Insert {
                path,
                position,
                value,
            } => {
                map.serialize_entry("op", "insert")?;
                map.serialize_entry("path", path)?;
                map.serialize_entry("position", position)?;
                map.serialize_entry("value", value)?;
            }
            Change::Reorder { path, order } => {
                map.serialize_entry("op", "reorder")?;
                map.serialize_entry("path", path)?;
                let order = Path::from_segments(order.clone()).segments_json();
                map.serialize_entry("order", &order)?;
            }
        }
        if let Some(origin) = self.1 {
            map.serialize_entry("origin", origin)?;
        }
        map.end()
    }
}

impl Serialize for Change {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        ChangeJson(self, None).serialize(serializer)
    }
}

impl Serialize for Patch {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.changes.len()))?;
        for (change, origin) in self.iter() {
            seq.serialize_element(&ChangeJson(change, origin))?;
        }
        seq.end()
    }
}

impl Serialize for Path {
    /// A path serializes as its text (`packages[name=a].version`).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl Serialize for Value {
    /// A value serializes as its JSON meaning ([`Value::to_json`]).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

// ---- paths on values ----------------------------------------------------------------------

fn child<'v>(value: &'v Value, segment: &Segment) -> Option<&'v Value> {
    match (value, segment) {
        (Value::Mapping(m), Segment::Key(k)) => m.get(k),
        (Value::Sequence(items), Segment::Index(i)) => items.get(*i),
        (Value::Sequence(items), Segment::Identity { key, value }) => items
            .iter()
            .find(|item| item_has_identity(item, key, value)),
        _ => None,
    }
}

fn child_mut<'v>(value: &'v mut Value, segment: &Segment) -> Option<&'v mut Value> {
    match (value, segment) {
        (Value::Mapping(m), Segment::Key(k)) => m.get_mut(k),
        (Value::Sequence(items), Segment::Index(i)) => items.get_mut(*i),
        (Value::Sequence(items), Segment::Identity { key, value }) => items
            .iter_mut()
            .find(|item| item_has_identity(item, key, value)),
        _ => None,
    }
}

/// The value at `path` inside `root`.
pub fn get<'v>(root: &'v Value, path: &Path) -> Option<&'v Value> {
    path.segments()
        .iter()
        .try_fold(root, |value, segment| child(value, segment))
}

fn get_mut<'v>(root: &'v mut Value, segments: &[Segment]) -> Option<&'v mut Value> {
    let mut value = root;
    for segment in segments {
        value = child_mut(value, segment)?;
    }
    Some(value)
}

/// The scalar an identity segment's text stands for (`[port=80]` is the number 80).
pub(crate) fn identity_scalar(text: &str) -> Value {
    match crate::value::resolve_plain(text) {
        // Only a value whose text is the identity's finds the item again: `0755` or `1.10`
        // as numbers would read back as `755` and `1.1`, and a second set would add another.
        other @ (Value::Bool(_) | Value::Int(_) | Value::Float(_))
            if other.scalar_text().as_deref() == Some(text) =>
        {
            other
        }
        _ => Value::String(text.to_owned()),
    }
}

/// Sets `segments` in `root` to `new`, creating mappings (and identity items) on the way.
fn set_at(root: &mut Value, segments: &[Segment], new: Value) {
    let Some((first, rest)) = segments.split_first() else {
        *root = new;
        return;
    };
    if child_mut(root, first).is_none() {
        if let (Value::Null, Segment::Key(_)) = (&mut *root, first) {
            *root = Value::Mapping(Mapping::new());
        }
        match (&mut *root, first) {
            (Value::Mapping(m), Segment::Key(k)) => {
                m.insert(k.clone(), Value::Null);
            }
            (Value::Sequence(items), Segment::Index(i)) if *i == items.len() => {
                items.push(Value::Null);
            }
            (Value::Sequence(items), Segment::Identity { key, value }) => {
                let mut item = Mapping::new();
                item.insert(key.clone(), identity_scalar(value));
                items.push(Value::Mapping(item));
            }
            _ => return,
        }
    }
    if let Some(child) = child_mut(root, first) {
        set_at(child, rest, new);
    }
}

/// Removes `segments` from `root`, returning what was there.
fn remove_at(root: &mut Value, segments: &[Segment]) -> Option<Value> {
    let (last, parents) = segments.split_last()?;
    let parent = get_mut(root, parents)?;
    match (parent, last) {
        (Value::Mapping(m), Segment::Key(k)) => m.remove(k),
        (Value::Sequence(items), Segment::Index(i)) if *i < items.len() => Some(items.remove(*i)),
        (Value::Sequence(items), Segment::Identity { key, value }) => {
            let index = items
                .iter()
                .position(|item| item_has_identity(item, key, value))?;
            Some(items.remove(index))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;

    fn p(text: &str) -> Path {
        Path::parse(text).unwrap()
    }

    fn v(text: &str) -> Value {
        Document::parse(text).unwrap().value().clone()
    }

    #[test]
    fn apply_runs_every_change_in_order() {
        let mut value = v("a: {b: 1}\nlist: [{name: x, v: 1}]\n");
        let patch: Patch = [
            Change::Set {
                path: p("a.c.d"),
                old: None,
                new: Value::Int(2),
            },
            Change::Move {
                from: p("a.b"),
                to: p("z"),
                value: Value::Int(1),
            },
            Change::Set {
                path: p("list[name=x].v"),
                old: Some(Value::Int(1)),
                new: Value::Int(3),
            },
            Change::Insert {
                path: p("list"),
                position: 0,
                value: v("{name: y}"),
            },
            Change::Remove {
                path: p("list[name=x]"),
                old: v("{name: x, v: 3}"),
            },
        ]
        .into_iter()
        .collect();
        patch.apply(&mut value);
        assert_eq!(value, v("a: {c: {d: 2}}\nlist: [{name: y}]\nz: 1\n"));
    }

    #[test]
    fn get_follows_keys_indexes_and_identities() {
        let value = v("s: [{name: a, port: 80}, {name: b}]\n");
        assert_eq!(
            get(&value, &p("s[1].name")),
            Some(&Value::String("b".into()))
        );
        assert_eq!(
            get(&value, &p("s[port=80].name")),
            Some(&Value::String("a".into()))
        );
        assert_eq!(get(&value, &p("s[name=c]")), None);
    }

    #[test]
    fn a_patch_serializes_with_its_origins() {
        let mut patch = Patch::new();
        patch.push_from(
            Change::Set {
                path: p("a"),
                old: None,
                new: Value::Bool(true),
            },
            Origin {
                release: "1.1.0".parse().unwrap(),
                rule: Some(0),
                kind: "set",
                reason: None,
            },
        );
        assert_eq!(
            serde_json::to_string(&patch).unwrap(),
            r#"[{"op":"set","path":"a","new":true,"origin":{"release":"1.1.0","rule":0,"kind":"set","reason":null}}]"#
        );
    }
}
