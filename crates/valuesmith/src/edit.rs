//! Format-preserving edits (write side): span splices on the source, verified by re-reading.
//!
//! [`DocumentMut`] owns a [`Document`] and changes it one operation at a time: set a value
//! (creating missing parents), remove a key or item, rename or move a key, append to a
//! sequence. Each operation is planned as a few [`Edit`]s (byte range + replacement text)
//! that touch only the bytes the change needs; the result is parsed again and its value must
//! equal the old value with exactly that change applied, or the operation fails and the
//! document is left as it was. Comments, blank lines, quoting, indentation and line endings
//! outside the edited ranges are never rewritten.

mod apply;
mod entry_proof;
mod error;
mod geometry;
mod plan;
mod render;

pub use apply::PatchError;

use std::ops::Range;

pub use error::EditError;
use plan::detect_layout;
pub use render::{double_quoted, flow_value as render_flow, is_plain_safe, Fragment, Layout, Tree};

use crate::document::{Document, NodeId, NodeKind};
use crate::patch::Change;
use crate::path::{Path, Segment};
use crate::value::Value;

/// One splice: replace `range` of the source with `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// The byte range replaced.
    pub range: Range<usize>,
    /// The new text.
    pub text: String,
}

impl Edit {
    fn new(range: Range<usize>, text: impl Into<String>) -> Self {
        Self {
            range,
            text: text.into(),
        }
    }
}

/// Applies non-overlapping edits to `source`.
pub fn apply_edits(source: &str, edits: &[Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(source.len() + 64);
    let mut at = 0;
    for edit in sorted {
        out.push_str(&source[at..edit.range.start.max(at)]);
        out.push_str(&edit.text);
        at = edit.range.end.max(at);
    }
    out.push_str(&source[at..]);
    out
}

/// Where a node hangs in its parent.
#[derive(Debug, Clone, Copy)]
enum Slot {
    Root,
    MapValue { map: NodeId, index: usize },
    SeqItem { seq: NodeId, index: usize },
}

#[derive(Debug, Clone, Copy)]
struct Located {
    node: NodeId,
    slot: Slot,
}

#[derive(Clone, Copy)]
enum Lookup {
    Found(Located),
    /// `depth` segments exist; `parent` is the node at that depth.
    Missing {
        parent: Located,
        depth: usize,
    },
}

/// A document open for format-preserving edits.
#[derive(Debug, Clone)]
pub struct DocumentMut {
    doc: Document,
    layout: Layout,
    /// How many times edited text was parsed again (the cost `apply` keeps to one per patch).
    reparses: usize,
    /// While [`DocumentMut::apply`] writes a patch: the document as it was before the patch,
    /// taken from the first commit that replaces it instead of copied up front.
    rollback: Rollback,
}

/// Whether the document a commit replaces is kept for [`DocumentMut::apply`] to roll back to.
#[derive(Debug, Clone)]
enum Rollback {
    /// No patch is being applied: a replaced document is dropped.
    Off,
    /// A patch is being applied and nothing was committed yet.
    Armed,
    /// The document before the patch.
    Holding(Box<Document>),
}

impl DocumentMut {
    /// Opens a document for editing; new text follows its indentation and line endings.
    pub fn new(doc: Document) -> Self {
        let layout = detect_layout(&doc);
        Self {
            doc,
            layout,
            reparses: 0,
            rollback: Rollback::Off,
        }
    }

    /// The document as it is now.
    pub fn document(&self) -> &Document {
        &self.doc
    }

    /// The edited document.
    pub fn into_document(self) -> Document {
        self.doc
    }

    /// The text as it is now (BOM included).
    pub fn to_text(&self) -> String {
        self.doc.to_text()
    }

    /// The layout new text follows.
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// Sets `path` to `value`, creating missing parent mappings. A scalar keeps its quoting
    /// style; setting a value it already has changes nothing. Returns whether it changed.
    pub fn set(&mut self, path: &Path, value: &Value) -> Result<bool, EditError> {
        let Some(edits) = self.plan_set_value(path, value)? else {
            return Ok(false);
        };
        self.commit_set(path, &edits, value)?;
        Ok(true)
    }

    /// Sets `path` to `value` like [`DocumentMut::set`] and returns the resulting text (BOM
    /// included) with whether it changed, without a document of that text: for a caller that
    /// only writes the result (`valuesmith set`). When every splice lies in one block mapping
    /// entry whose key opens its line, the result is proven by reading back that entry's lines
    /// instead of the whole text (docs/library.md, "Read types and edit types"); otherwise, or
    /// when that read does not prove it, the whole text is read back as `set` does, with the
    /// same errors.
    pub fn set_to_text(mut self, path: &Path, value: &Value) -> Result<(String, bool), EditError> {
        let Some(edits) = self.plan_set_value(path, value)? else {
            return Ok((self.to_text(), false));
        };
        if let Some(text) = self.prove_set_in_entry(path, &edits, value) {
            return Ok((text, true));
        }
        self.commit_set(path, &edits, value)?;
        Ok((self.to_text(), true))
    }

    /// The splices that set `path` to `value`; `None` when it holds that value already.
    fn plan_set_value(&self, path: &Path, value: &Value) -> Result<Option<Vec<Edit>>, EditError> {
        if self.doc.get(path).map(|id| self.doc.value_of(id)).as_ref() == Some(value) {
            return Ok(None);
        }
        self.plan_set(path, Tree::Value(value.clone())).map(Some)
    }

    /// Writes the splices of a set, read back whole and checked against the value with the set
    /// applied.
    fn commit_set(&mut self, path: &Path, edits: &[Edit], value: &Value) -> Result<(), EditError> {
        let mut expected = self.doc.value().clone();
        Change::Set {
            path: path.clone(),
            old: None,
            new: value.clone(),
        }
        .apply(&mut expected);
        self.commit(path, edits, &expected)
    }

    /// Removes `path` and what it holds, with its own comments. Returns the removed value, or
    /// `None` when the path was absent.
    pub fn remove(&mut self, path: &Path) -> Result<Option<Value>, EditError> {
        let located = match self.locate(path)? {
            Lookup::Found(located) => located,
            Lookup::Missing { .. } => return Ok(None),
        };
        let removed = self.doc.value_of(located.node);
        let edits = self.plan_remove(path, located)?;
        let mut expected = self.doc.value().clone();
        Change::Remove {
            path: path.clone(),
            old: removed.clone(),
        }
        .apply(&mut expected);
        self.commit(path, &edits, &expected)?;
        Ok(Some(removed))
    }

    /// Moves the value at `from` to `to`, keeping its text and comments. Within one mapping
    /// only the key's text changes. Returns whether anything changed (`false` when `from` is
    /// absent, or when `to` names the same node). A `to` that already holds the same value
    /// just loses `from`; another value is a [`EditError::Conflict`].
    pub fn rename(&mut self, from: &Path, to: &Path) -> Result<bool, EditError> {
        let located = match self.locate(from)? {
            Lookup::Found(located) => located,
            Lookup::Missing { .. } => return Ok(false),
        };
        let value = self.doc.value_of(located.node);
        // Into itself, spelled as `from` is or another way (`seq[name=a].x` for `seq[0].x`).
        let mut node = self.doc.root();
        let mut inside = false;
        for segment in &to.segments()[..to.len().saturating_sub(1)] {
            node = node.and_then(|id| self.doc.child(id, segment));
            inside |= node == Some(located.node);
        }
        if to.starts_with(from) || inside {
            return Err(EditError::Unsupported {
                path: from.clone(),
                reason: format!("cannot move it into itself (`{to}`)"),
            });
        }
        if let Some(existing) = self.doc.get(to) {
            // `to` may name the node itself another way (`seq[0]` and `seq[name=a]`): the value
            // is already there, and removing `from` would remove it.
            if existing == located.node {
                return Ok(false);
            }
            if self.doc.value_of(existing) == value {
                self.remove(from)?;
                return Ok(true);
            }
            return Err(EditError::Conflict {
                from: from.clone(),
                to: to.clone(),
                location: self.doc.node_location(existing),
            });
        }
        let (Some((from_parent, Segment::Key(_))), Some((to_parent, Segment::Key(new_key)))) =
            (from.split_last(), to.split_last())
        else {
            return Err(EditError::Unsupported {
                path: from.clone(),
                reason: "only mapping keys can be renamed".to_owned(),
            });
        };
        let mut expected = self.doc.value().clone();
        Change::Move {
            from: from.clone(),
            to: to.clone(),
            value: value.clone(),
        }
        .apply(&mut expected);
        if from_parent == to_parent {
            let Slot::MapValue { map, index } = located.slot else {
                unreachable!("a key segment locates a mapping value");
            };
            let key = self.doc.entries(map).expect("mapping")[index].key;
            let edits = vec![Edit::new(
                self.doc.node(key).span.clone(),
                render::key(new_key),
            )];
            self.commit(from, &edits, &expected)?;
            return Ok(true);
        }
        let fragment = self.cut(located, value.clone());
        let before = self.doc.clone();
        self.remove(from)?;
        let tree = Tree::Moved(fragment);
        let result = self
            .plan_set(to, tree)
            .and_then(|edits| self.commit(to, &edits, &expected));
        if let Err(err) = result {
            self.doc = before;
            return Err(err);
        }
        Ok(true)
    }

    /// Appends `value` to the sequence at `path` in the sequence's own style.
    pub fn append(&mut self, path: &Path, value: &Value) -> Result<(), EditError> {
        let len = self.sequence_len(path)?;
        self.set(&path.index(len), value).map(|_| ())
    }

    /// The length of the sequence at `path`.
    fn sequence_len(&self, path: &Path) -> Result<usize, EditError> {
        match self.doc.get(path).and_then(|id| self.doc.items(id)) {
            Some(items) => Ok(items.len()),
            None => Err(EditError::Unsupported {
                path: path.clone(),
                reason: "it is not a sequence".to_owned(),
            }),
        }
    }

    fn commit(&mut self, path: &Path, edits: &[Edit], expected: &Value) -> Result<(), EditError> {
        let mut text = apply_edits(self.doc.source(), edits);
        if self.doc.has_bom() {
            text.insert(0, '\u{feff}');
        }
        self.reparses += 1;
        let doc = Document::parse_with(
            &text,
            self.doc.kind(),
            self.doc.limits(),
            self.doc.reading(),
        )
        .map_err(|error| {
            self.helm_only_form(path, edits)
                .unwrap_or_else(|| EditError::Reparse {
                    path: path.clone(),
                    error,
                })
        })?;
        if doc.value() != expected {
            return Err(self
                .helm_only_form(path, edits)
                .unwrap_or_else(|| EditError::Unverified { path: path.clone() }));
        }
        let replaced = std::mem::replace(&mut self.doc, doc);
        if matches!(self.rollback, Rollback::Armed) {
            self.rollback = Rollback::Holding(Box::new(replaced));
        }
        Ok(())
    }

    /// Why an edit that did not read back as planned touches a form only Helm's parser reads
    /// (`[?a]`, a tag before `,`): the edit is planned over the YAML 1.2 form the reader read
    /// it as, which the source does not hold.
    fn helm_only_form(&self, path: &Path, edits: &[Edit]) -> Option<EditError> {
        let doc = &self.doc;
        let lines = |e: &Edit| doc.location(e.range.start).line..=doc.location(e.range.end).line;
        doc.notes().iter().find_map(|note| match note {
            crate::document::ReadNote::HelmOnlySyntax {
                what,
                hint,
                location,
            } if edits.iter().any(|e| lines(e).contains(&location.line)) => {
                Some(EditError::Unsupported {
                    path: path.clone(),
                    reason: format!("line {} holds {what}; {hint}, then edit it", location.line),
                })
            }
            _ => None,
        })
    }

    fn locate(&self, path: &Path) -> Result<Lookup, EditError> {
        let doc = &self.doc;
        let Some(root) = doc.root() else {
            return Err(EditError::Unsupported {
                path: path.clone(),
                reason: "the document is empty".to_owned(),
            });
        };
        let mut current = Located {
            node: root,
            slot: Slot::Root,
        };
        for (depth, segment) in path.segments().iter().enumerate() {
            let node = doc.node(current.node);
            if let NodeKind::Alias { name, .. } = &node.kind {
                return Err(EditError::ThroughAlias {
                    path: path.clone(),
                    anchor: name.clone(),
                    location: doc.location(node.span.start),
                });
            }
            let next = match (&node.kind, segment) {
                (NodeKind::Mapping { entries, .. }, Segment::Key(key)) => entries
                    .iter()
                    .position(|e| &e.key_text == key)
                    .map(|index| Located {
                        node: entries[index].value,
                        slot: Slot::MapValue {
                            map: current.node,
                            index,
                        },
                    }),
                (NodeKind::Sequence { items, .. }, Segment::Index(index)) => {
                    items.get(*index).map(|&item| Located {
                        node: item,
                        slot: Slot::SeqItem {
                            seq: current.node,
                            index: *index,
                        },
                    })
                }
                (NodeKind::Sequence { items, .. }, Segment::Identity { .. }) => {
                    doc.child(current.node, segment).map(|item| Located {
                        node: item,
                        slot: Slot::SeqItem {
                            seq: current.node,
                            index: items.iter().position(|&i| i == item).unwrap_or(0),
                        },
                    })
                }
                _ => None,
            };
            match next {
                Some(next) => current = next,
                None => {
                    return Ok(Lookup::Missing {
                        parent: current,
                        depth,
                    })
                }
            }
        }
        Ok(Lookup::Found(current))
    }
}

#[cfg(test)]
mod tests;
