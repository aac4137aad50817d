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
pub use apply::PatchError;
mod render;

use std::ops::Range;

pub use render::{double_quoted, flow_value as render_flow, is_plain_safe, Fragment, Layout, Tree};

use crate::diagnostic::{Diagnostic, Location, Severity, ToDiagnostic};
use crate::document::{CollectionStyle, Document, NodeId, NodeKind, ReadError, ScalarStyle};
use crate::patch::{identity_scalar, Change};
use crate::path::{Path, Segment};
use crate::value::{Mapping, Value};

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

/// Why an edit was not made. The document is unchanged after any of these.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum EditError {
    /// A parent of the path is a scalar or a sequence, so the key cannot be created.
    #[error("cannot set `{path}`: `{parent}` is a {found}, not a mapping")]
    ParentNotMapping {
        /// The path being set.
        path: Path,
        /// The parent in the way.
        parent: Path,
        /// What the parent is.
        found: &'static str,
        /// Where the parent is.
        location: Location,
    },
    /// The path goes through an alias; editing would change the anchored node instead.
    #[error("`{path}` goes through the alias `*{anchor}`; editing it would change what `&{anchor}` defines")]
    ThroughAlias {
        /// The path being edited.
        path: Path,
        /// The anchor's name.
        anchor: String,
        /// Where the alias is.
        location: Location,
    },
    /// The node carries an anchor that aliases use; replacing it would change them too.
    #[error("`{path}` defines the anchor `&{anchor}` that aliases use; changing it would change them too")]
    AnchoredNode {
        /// The path being edited.
        path: Path,
        /// The anchor's name.
        anchor: String,
        /// Where the node is.
        location: Location,
    },
    /// A rename whose target already holds another value.
    #[error("cannot rename `{from}` to `{to}`: `{to}` already holds another value")]
    Conflict {
        /// The key being renamed.
        from: Path,
        /// The target that holds another value.
        to: Path,
        /// Where the target is.
        location: Location,
    },
    /// A position past the end of a sequence.
    #[error("`{path}`: the sequence has {len} items")]
    IndexOutOfRange {
        /// The path.
        path: Path,
        /// The sequence length.
        len: usize,
    },
    /// A path the operation does not accept.
    #[error("cannot edit `{path}`: {reason}")]
    Unsupported {
        /// The path.
        path: Path,
        /// Why.
        reason: String,
    },
    /// The edited text did not read back (a bug: nothing was changed).
    #[error(
        "editing `{path}` would produce YAML that does not parse ({error}); nothing was changed"
    )]
    Reparse {
        /// The path.
        path: Path,
        /// The parser's complaint about the edited text.
        error: ReadError,
    },
    /// The edited text read back as a different change than asked (a bug: nothing was changed).
    #[error("editing `{path}` would change more than `{path}`; nothing was changed")]
    Unverified {
        /// The path.
        path: Path,
    },
}

impl EditError {
    /// Where in the document the problem is, when known.
    pub fn location(&self) -> Option<Location> {
        match self {
            EditError::ParentNotMapping { location, .. }
            | EditError::ThroughAlias { location, .. }
            | EditError::AnchoredNode { location, .. }
            | EditError::Conflict { location, .. } => Some(*location),
            _ => None,
        }
    }
}

impl ToDiagnostic for EditError {
    fn to_diagnostic(&self) -> Diagnostic {
        let hint = match self {
            EditError::ThroughAlias { anchor, .. } | EditError::AnchoredNode { anchor, .. } => {
                Some(format!(
                    "edit the node that defines `&{anchor}` or replace the alias by a copy"
                ))
            }
            EditError::Reparse { .. } | EditError::Unverified { .. } => {
                Some("please report this with the input file".to_owned())
            }
            _ => None,
        };
        Diagnostic {
            severity: Severity::Error,
            code: None,
            message: self.to_string(),
            file: None,
            location: self.location(),
            source_line: None,
            hint,
        }
    }
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
}

impl DocumentMut {
    /// Opens a document for editing; new text follows its indentation and line endings.
    pub fn new(doc: Document) -> Self {
        let layout = detect_layout(&doc);
        Self {
            doc,
            layout,
            reparses: 0,
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
        if self.doc.get(path).map(|id| self.doc.value_of(id)).as_ref() == Some(value) {
            return Ok(false);
        }
        let edits = self.plan_set(path, Tree::Value(value.clone()))?;
        let mut expected = self.doc.value().clone();
        Change::Set {
            path: path.clone(),
            old: None,
            new: value.clone(),
        }
        .apply(&mut expected);
        self.commit(path, &edits, &expected)?;
        Ok(true)
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
        .map_err(|error| EditError::Reparse {
            path: path.clone(),
            error,
        })?;
        if doc.value() != expected {
            return Err(EditError::Unverified { path: path.clone() });
        }
        self.doc = doc;
        Ok(())
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

    fn plan_set(&self, path: &Path, tree: Tree) -> Result<Vec<Edit>, EditError> {
        match self.locate(path)? {
            Lookup::Found(located) => {
                // A value replacing an existing one is rendered afresh, even a moved one.
                let value = tree_value(&tree);
                self.check_anchor(path, located.node)?;
                self.plan_replace(path, located, &value)
            }
            Lookup::Missing { parent, depth } => {
                let segments = &path.segments()[depth..];
                let parent_path = Path::from_segments(path.segments()[..depth].to_vec());
                let node = self.doc.node(parent.node);
                match (&node.kind, &segments[0]) {
                    (NodeKind::Mapping { .. }, Segment::Key(key)) => {
                        let subtree = nest(&segments[1..], tree)?;
                        Ok(self.plan_add_entry(parent.node, key, &subtree))
                    }
                    (NodeKind::Sequence { items, .. }, Segment::Index(i)) if *i == items.len() => {
                        let subtree = nest(&segments[1..], tree)?;
                        Ok(self.plan_append(parent.node, &tree_value(&subtree)))
                    }
                    (NodeKind::Sequence { items, .. }, Segment::Index(_)) => {
                        Err(EditError::IndexOutOfRange {
                            path: path.clone(),
                            len: items.len(),
                        })
                    }
                    (NodeKind::Sequence { .. }, Segment::Identity { key, value }) => {
                        let rest = tree_value(&nest(&segments[1..], tree)?);
                        let mut item = Mapping::new();
                        item.insert(key.clone(), identity_scalar(value));
                        match rest {
                            Value::Mapping(m) => {
                                for (k, v) in m {
                                    item.insert(k, v);
                                }
                            }
                            _ => {
                                return Err(EditError::Unsupported {
                                    path: path.clone(),
                                    reason: "a new item found by identity must be a mapping"
                                        .to_owned(),
                                })
                            }
                        }
                        Ok(self.plan_append(parent.node, &Value::Mapping(item)))
                    }
                    (NodeKind::Scalar { .. }, Segment::Key(_))
                        if self.doc.value_of(parent.node) == Value::Null =>
                    {
                        self.check_anchor(&parent_path, parent.node)?;
                        let value = tree_value(&nest(segments, tree)?);
                        self.plan_replace(&parent_path, parent, &value)
                    }
                    _ => Err(EditError::ParentNotMapping {
                        path: path.clone(),
                        parent: parent_path,
                        found: self.doc.value_of(parent.node).type_name(),
                        location: self.doc.node_location(parent.node),
                    }),
                }
            }
        }
    }

    fn check_anchor(&self, path: &Path, node: NodeId) -> Result<(), EditError> {
        if let Some(anchor) = &self.doc.node(node).anchor {
            let used = self.doc.root().is_some_and(|_| {
                self.doc.source()[anchor.span.end..].contains(&format!("*{}", anchor.name))
            });
            if used {
                return Err(EditError::AnchoredNode {
                    path: path.clone(),
                    anchor: anchor.name.clone(),
                    location: self.doc.location(anchor.span.start),
                });
            }
        }
        Ok(())
    }

    // ---- text geometry -------------------------------------------------------------------

    fn line_start(&self, offset: usize) -> usize {
        let lines = self.doc.lines();
        lines.line_start(lines.line_of(offset))
    }

    /// The end of the line holding `offset`, before its line break.
    fn line_end(&self, offset: usize) -> usize {
        let lines = self.doc.lines();
        // Never before `offset`: a line's range leaves out a `\r` before its `\n` (or a lone
        // `\r`, which YAML reads as a line break too), where a node may end.
        lines
            .line_range(self.doc.source(), lines.line_of(offset))
            .end
            .max(offset)
            .min(self.doc.source().len())
    }

    /// The start of the next line after `offset` (or the end of the text).
    fn next_line_start(&self, offset: usize) -> usize {
        let source = self.doc.source();
        // Offsets computed as "one past" an indicator may pass the end of the text.
        let offset = offset.min(source.len());
        match source[offset..].find('\n') {
            Some(i) => offset + i + 1,
            None => source.len(),
        }
    }

    fn column(&self, offset: usize) -> usize {
        self.doc.source()[self.line_start(offset)..offset]
            .chars()
            .count()
    }

    fn is_line_leading(&self, offset: usize) -> bool {
        self.doc.source()[self.line_start(offset)..offset]
            .trim()
            .is_empty()
    }

    fn line_indent(&self, line: usize) -> usize {
        let range = self.doc.lines().line_range(self.doc.source(), line);
        let text = &self.doc.source()[range];
        text.len() - text.trim_start_matches(' ').len()
    }

    /// The first byte after the `:` that follows a key ending at `key_end`.
    fn colon_end(&self, key_end: usize) -> usize {
        let source = self.doc.source();
        let mut in_comment = false;
        for (i, c) in source[key_end..].char_indices() {
            match c {
                '\n' => in_comment = false,
                '#' => in_comment = true,
                ':' if !in_comment => return key_end + i + 1,
                _ => {}
            }
        }
        key_end
    }

    /// The `-` of a block sequence item.
    fn dash_of(&self, item: NodeId) -> Option<usize> {
        let node = self.doc.node(item);
        let start = node
            .anchor
            .as_ref()
            .map_or(node.span.start, |a| a.span.start.min(node.span.start));
        let before = &self.doc.source()[..start];
        let trimmed = before.trim_end();
        trimmed.ends_with('-').then(|| trimmed.len() - 1)
    }

    /// Where the comment block directly above the line of `offset` begins: comment-only lines
    /// at column `col` with no blank line between (docs/commands.md).
    fn owned_comments_start(&self, offset: usize, col: usize) -> usize {
        let lines = self.doc.lines();
        let key_line = lines.line_of(offset);
        let mut line = key_line;
        while line > 0 && self.doc.is_comment_line(line - 1) && self.line_indent(line - 1) == col {
            line -= 1;
        }
        // A block that opens the file is the file's header, not the first key's.
        if line == 0 {
            line = key_line;
        }
        lines.line_start(line)
    }

    /// The end (after the line break) of the lines of a block entry or item that ends at
    /// `end`: its last line and the comment lines right after it indented deeper than `col`,
    /// which sit inside its block.
    fn block_end(&self, end: usize, col: usize) -> usize {
        let lines = self.doc.lines();
        let mut line = lines.line_of(end);
        while line + 1 < lines.line_count()
            && self.doc.is_comment_line(line + 1)
            && self.line_indent(line + 1) > col
        {
            line += 1;
        }
        let range = lines.line_range(self.doc.source(), line);
        self.next_line_start(range.end)
    }

    fn container_is_flow(&self, slot: Slot) -> bool {
        let container = match slot {
            Slot::Root => return false,
            Slot::MapValue { map, .. } => map,
            Slot::SeqItem { seq, .. } => seq,
        };
        !self.doc.node(container).is_block_collection()
    }

    // ---- planning ------------------------------------------------------------------------

    fn plan_replace(
        &self,
        path: &Path,
        located: Located,
        value: &Value,
    ) -> Result<Vec<Edit>, EditError> {
        let doc = &self.doc;
        let node = doc.node(located.node);
        let span = node.span.clone();
        let old_style = node.scalar_style();
        let old_block_scalar = old_style.is_some_and(ScalarStyle::is_block);
        let old_block = node.is_block_collection() || old_block_scalar;
        let inline = render::is_inline(value);
        let source = doc.source();
        if self.container_is_flow(located.slot) {
            let text = match value {
                Value::Sequence(_) | Value::Mapping(_) => render::flow_value(value),
                _ => render::scalar(value, old_style, true),
            };
            return Ok(vec![Edit::new(span, text)]);
        }
        match located.slot {
            Slot::Root => Err(EditError::Unsupported {
                path: path.clone(),
                reason: "the whole document cannot be replaced".to_owned(),
            }),
            Slot::MapValue { map, index } => {
                let key = doc.entries(map).expect("mapping")[index].key;
                let key_node = doc.node(key);
                let key_col = self.column(key_node.span.start);
                let colon_end = self.colon_end(key_node.span.end);
                if old_block_scalar {
                    if let (Value::String(text), Some(style)) = (value, old_style) {
                        if let Some(block) = self.block_scalar_text(located.node, text, style) {
                            return Ok(vec![Edit::new(span, block)]);
                        }
                    }
                }
                if inline {
                    let text = self.inline_scalar(located.node, value);
                    return Ok(vec![if old_block {
                        Edit::new(colon_end..span.end, format!(" {text}"))
                    } else if span.is_empty() {
                        Edit::new(span, format!(" {text}"))
                    } else {
                        self.keep_comment_column(span, text)
                    }]);
                }
                let same_shape = matches!(
                    (&node.kind, value),
                    (NodeKind::Mapping { .. }, Value::Mapping(_))
                        | (NodeKind::Sequence { .. }, Value::Sequence(_))
                );
                if node.is_block_collection() && same_shape && self.is_line_leading(span.start) {
                    let col = self.column(span.start);
                    return Ok(vec![Edit::new(span, self.layout.compact(value, col))]);
                }
                // Everything after `key:` is rewritten; a comment after an inline value stays
                // on the key line.
                let end = self.line_end(span.end);
                let keep = if old_block {
                    ""
                } else {
                    source[span.end..end].trim_end()
                };
                let rendered = self
                    .local_layout(map)
                    .after_key(&Tree::Value(value.clone()), key_col);
                let text = match rendered.find(self.layout.eol) {
                    Some(i) => format!("{}{keep}{}", &rendered[..i], &rendered[i..]),
                    None => format!("{rendered}{keep}"),
                };
                Ok(vec![Edit::new(colon_end..end, text)])
            }
            Slot::SeqItem { .. } => {
                let dash = self.dash_of(located.node);
                if old_block_scalar {
                    if let (Value::String(text), Some(style)) = (value, old_style) {
                        if let Some(block) = self.block_scalar_text(located.node, text, style) {
                            return Ok(vec![Edit::new(span, block)]);
                        }
                    }
                }
                let Some(dash) = dash else {
                    return Err(EditError::Unsupported {
                        path: path.clone(),
                        reason: "the item's `-` was not found".to_owned(),
                    });
                };
                let dash_col = self.column(dash);
                let rendered = self.layout.after_dash(value, dash_col);
                if inline && !old_block && !span.is_empty() {
                    let text = self.inline_scalar(located.node, value);
                    return Ok(vec![self.keep_comment_column(span, text)]);
                }
                if inline || !span.is_empty() && !self.is_line_leading(span.start) {
                    // The value continues the dash line: `- value` or `- key: ...`.
                    let text = if inline {
                        format!(" {}", self.inline_scalar(located.node, value))
                    } else {
                        rendered
                    };
                    return Ok(vec![Edit::new(dash + 1..span.end.max(dash + 1), text)]);
                }
                Ok(vec![Edit::new(dash + 1..span.end.max(dash + 1), rendered)])
            }
        }
    }

    /// A one-line scalar replacing the node `old`, in its quoting style.
    fn inline_scalar(&self, old: NodeId, value: &Value) -> String {
        let node = self.doc.node(old);
        let style = node.scalar_style().filter(|s| !s.is_block());
        if let (Some(ScalarStyle::Plain), Value::String(new)) = (style, value) {
            let old_text = self.doc.text_of(old);
            if render::is_multi_dot_version(old_text) && render::is_multi_dot_version(new) {
                return new.clone();
            }
        }
        render::scalar(value, style, false)
    }

    /// Replaces `span` with `text`, keeping an aligned trailing comment in its column
    /// (`port: 8080      # http`) when the spaces before it allow.
    fn keep_comment_column(&self, span: Range<usize>, text: String) -> Edit {
        let source = self.doc.source();
        let line_end = self.line_end(span.start);
        if span.end > line_end {
            return Edit::new(span, text);
        }
        let rest = &source[span.end..line_end];
        let gap = rest.len() - rest.trim_start_matches(' ').len();
        if gap < 2 || !rest[gap..].starts_with('#') {
            return Edit::new(span.clone(), text);
        }
        let old_width = source[span.clone()].chars().count();
        let new_width = text.chars().count();
        let new_gap = (gap + old_width).saturating_sub(new_width).max(1);
        Edit::new(
            span.start..span.end + gap,
            format!("{text}{}", " ".repeat(new_gap)),
        )
    }

    /// The layout for new entries of `map`: its own children's indentation step when one of
    /// them shows it (files with odd indents are not uniform), else the document's.
    fn local_layout(&self, map: NodeId) -> Layout {
        let doc = &self.doc;
        let step = doc.entries(map).and_then(|entries| {
            entries.iter().find_map(|entry| {
                let key = doc.node(entry.key);
                let value = doc.node(entry.value);
                let is_mapping = matches!(value.kind, NodeKind::Mapping { .. });
                (is_mapping && value.is_block_collection() && self.is_line_leading(key.span.start))
                    .then(|| {
                        self.column(value.span.start)
                            .checked_sub(self.column(key.span.start))
                    })
                    .flatten()
                    .filter(|&step| step > 0)
            })
        });
        Layout {
            step: step.unwrap_or(self.layout.step),
            ..self.layout
        }
    }

    /// A block scalar with new text, keeping the old header's style, indentation and comment.
    fn block_scalar_text(&self, node: NodeId, text: &str, style: ScalarStyle) -> Option<String> {
        let doc = &self.doc;
        let span = doc.node(node).span.clone();
        let source = doc.source();
        if text.is_empty()
            || text.starts_with([' ', '\n'])
            || text.chars().any(|c| c.is_control() && c != '\n')
        {
            return None;
        }
        let body = text.trim_end_matches('\n');
        if body.lines().any(|l| l.ends_with(' ')) {
            return None;
        }
        let chomp = match text.len() - body.len() {
            0 => "-",
            1 => "",
            _ => "+",
        };
        // Folding would join the lines of a multi-line text: write those as literal.
        let indicator = if style == ScalarStyle::Folded && !body.contains('\n') {
            '>'
        } else {
            '|'
        };
        let header_end = self.line_end(span.start);
        let header = &source[span.start..header_end];
        let comment = header
            .find(" #")
            .map(|i| header[i..].to_owned())
            .unwrap_or_default();
        // Content indentation: the old first content line's, or one step past the key.
        let lines = doc.lines();
        let first_content = lines.line_of(span.start) + 1;
        let indent = (first_content..lines.line_count())
            .find(|&line| !doc.is_blank_line(line))
            .filter(|&line| lines.line_start(line) < span.end)
            .map(|line| self.line_indent(line))
            .unwrap_or_else(|| self.line_indent(lines.line_of(span.start)) + self.layout.step);
        let eol = doc.line_ending().as_str();
        let mut out = format!("{indicator}{chomp}{comment}");
        for line in body.split('\n') {
            out.push_str(eol);
            if !line.is_empty() {
                out.push_str(&" ".repeat(indent));
                out.push_str(line);
            }
        }
        Some(out)
    }

    fn plan_add_entry(&self, map: NodeId, key: &str, tree: &Tree) -> Vec<Edit> {
        let doc = &self.doc;
        let node = doc.node(map);
        let NodeKind::Mapping { style, entries } = &node.kind else {
            unreachable!("plan_add_entry on a mapping");
        };
        if *style == CollectionStyle::Flow {
            let text = format!(
                "{}: {}",
                render::key(key),
                render::flow_value(&tree_value(tree))
            );
            return vec![match entries.last() {
                Some(last) => Edit::new(
                    doc.node(last.value).span.end..doc.node(last.value).span.end,
                    format!(", {text}"),
                ),
                None => Edit::new(node.span.start + 1..node.span.start + 1, text),
            }];
        }
        let last = entries.last().expect("a block mapping has entries");
        let key_start = doc.node(last.key).span.start;
        let col = self.column(key_start);
        let end = doc
            .node(last.value)
            .span
            .end
            .max(doc.node(last.key).span.end);
        let at = self.next_line_start(self.line_end(end));
        let entry = self.local_layout(map).entry(key, tree, col);
        let source = doc.source();
        let text = if at == source.len() && !source.ends_with('\n') {
            format!("{}{entry}", self.layout.eol)
        } else {
            format!("{entry}{}", self.layout.eol)
        };
        vec![Edit::new(at..at, text)]
    }

    fn plan_append(&self, seq: NodeId, value: &Value) -> Vec<Edit> {
        let doc = &self.doc;
        let node = doc.node(seq);
        let NodeKind::Sequence { style, items } = &node.kind else {
            unreachable!("plan_append on a sequence");
        };
        if *style == CollectionStyle::Flow {
            let text = render::flow_value(value);
            return vec![match items.last() {
                Some(&last) => {
                    let end = doc.node(last).span.end;
                    Edit::new(end..end, format!(", {text}"))
                }
                None => Edit::new(node.span.start + 1..node.span.start + 1, text),
            }];
        }
        let last = *items.last().expect("a block sequence has items");
        let dash = self.dash_of(last).unwrap_or(doc.node(last).span.start);
        let col = self.column(dash);
        let end = doc.node(last).span.end.max(dash + 1);
        let at = self.next_line_start(self.line_end(end));
        let item = format!("{}-{}", " ".repeat(col), self.layout.after_dash(value, col));
        let source = doc.source();
        let text = if at == source.len() && !source.ends_with('\n') {
            format!("{}{item}", self.layout.eol)
        } else {
            format!("{item}{}", self.layout.eol)
        };
        vec![Edit::new(at..at, text)]
    }

    fn plan_remove(&self, path: &Path, located: Located) -> Result<Vec<Edit>, EditError> {
        let doc = &self.doc;
        let (container, index, count) = match located.slot {
            Slot::Root => {
                return Err(EditError::Unsupported {
                    path: path.clone(),
                    reason: "the whole document cannot be removed".to_owned(),
                })
            }
            Slot::MapValue { map, index } => (map, index, doc.entries(map).map_or(0, <[_]>::len)),
            Slot::SeqItem { seq, index } => (seq, index, doc.items(seq).map_or(0, <[_]>::len)),
        };
        let parent_path = path.split_last().map(|(p, _)| p).unwrap_or_default();
        if count == 1 {
            // The container would be left empty: it becomes `{}` or `[]`.
            let empty = match located.slot {
                Slot::MapValue { .. } => Value::Mapping(Mapping::new()),
                _ => Value::Sequence(Vec::new()),
            };
            return match self.locate(&parent_path)? {
                Lookup::Found(parent) => self.plan_replace(&parent_path, parent, &empty),
                Lookup::Missing { .. } => unreachable!("the parent of a found path exists"),
            };
        }
        // (start of this element, start of the next one, end of this element)
        let (start, next_start, end) = match located.slot {
            Slot::MapValue { map, index } => {
                let entries = doc.entries(map).expect("mapping");
                let key = doc.node(entries[index].key);
                let value = doc.node(entries[index].value);
                (
                    key.span.start,
                    entries.get(index + 1).map(|e| doc.node(e.key).span.start),
                    value.span.end.max(key.span.end),
                )
            }
            Slot::SeqItem { seq, index } => {
                let items = doc.items(seq).expect("sequence");
                let item = doc.node(items[index]);
                let start = if doc.node(seq).is_block_collection() {
                    self.dash_of(items[index]).unwrap_or(item.span.start)
                } else {
                    item.span.start
                };
                let next = items.get(index + 1).map(|&next| {
                    if doc.node(seq).is_block_collection() {
                        self.dash_of(next).unwrap_or(doc.node(next).span.start)
                    } else {
                        doc.node(next).span.start
                    }
                });
                (start, next, item.span.end.max(start + 1))
            }
            Slot::Root => unreachable!(),
        };
        if !doc.node(container).is_block_collection() {
            // Flow: take the element with the comma after it, or before it when last.
            return Ok(vec![match next_start {
                Some(next) => Edit::new(start..next, ""),
                None => {
                    let previous_end = match located.slot {
                        Slot::MapValue { map, .. } => {
                            doc.node(doc.entries(map).expect("mapping")[index - 1].value)
                                .span
                                .end
                        }
                        Slot::SeqItem { seq, .. } => {
                            doc.node(doc.items(seq).expect("sequence")[index - 1])
                                .span
                                .end
                        }
                        Slot::Root => unreachable!(),
                    };
                    Edit::new(previous_end..end, "")
                }
            }]);
        }
        if self.is_line_leading(start) {
            let col = self.column(start);
            let from = self.owned_comments_start(start, col);
            return Ok(vec![Edit::new(from..self.block_end(end, col), "")]);
        }
        // The first key of a compact item (`- name: a`): the next key moves up to its place.
        match next_start {
            Some(next) => Ok(vec![Edit::new(start..next, "")]),
            None => Err(EditError::Unsupported {
                path: path.clone(),
                reason: "it shares its line with other content".to_owned(),
            }),
        }
    }

    /// The text and comments of the value at `located`, to be put elsewhere by a move.
    fn cut(&self, located: Located, value: Value) -> Fragment {
        let doc = &self.doc;
        let fresh = || Fragment {
            above: Vec::new(),
            key_line_rest: String::new(),
            lines: Vec::new(),
            value: value.clone(),
        };
        let Slot::MapValue { map, index } = located.slot else {
            return fresh();
        };
        if !doc.node(map).is_block_collection() {
            return fresh();
        }
        let key = doc.node(doc.entries(map).expect("mapping")[index].key);
        let node = doc.node(located.node);
        if !self.is_line_leading(key.span.start) || node.anchor.is_some() {
            return fresh();
        }
        let source = doc.source();
        let lines = doc.lines();
        let key_col = self.column(key.span.start);
        let key_line = lines.line_of(key.span.start);
        let above_start = self.owned_comments_start(key.span.start, key_col);
        let above = (lines.line_of(above_start)..key_line)
            .map(|line| {
                source[lines.line_range(source, line)]
                    .trim_start()
                    .to_owned()
            })
            .collect();
        let colon_end = self.colon_end(key.span.end);
        let key_line_end = self.line_end(key.span.start);
        // A key over several lines (`?` and a block sequence), or one without a `:` of its own
        // (`? key` with no value: the next `:` found belongs to another entry), has no key line
        // whose rest could travel with the value: render the value afresh.
        if colon_end > key_line_end {
            return fresh();
        }
        let end = node.span.end.max(key.span.end);
        let last_line = lines.line_of(self.block_end(end, key_col).saturating_sub(1));
        let key_line_rest = source[colon_end..key_line_end].to_owned();
        let mut moved = Vec::new();
        for line in key_line + 1..=last_line.max(key_line) {
            if line == key_line {
                continue;
            }
            let text = &source[lines.line_range(source, line)];
            let indent = text.len() - text.trim_start_matches(' ').len();
            if text.trim().is_empty() {
                moved.push(String::new());
            } else if indent < key_col {
                return fresh();
            } else {
                moved.push(text[key_col..].to_owned());
            }
        }
        Fragment {
            above,
            key_line_rest,
            lines: moved,
            value,
        }
    }
}

/// Wraps `tree` in mappings for the remaining key segments.
fn nest(segments: &[Segment], tree: Tree) -> Result<Tree, EditError> {
    let mut tree = tree;
    for segment in segments.iter().rev() {
        match segment {
            Segment::Key(key) => tree = Tree::Map(vec![(key.clone(), tree)]),
            _ => {
                return Err(EditError::Unsupported {
                    path: Path::from_segments(segments.to_vec()),
                    reason: "only mapping keys can be created below a missing parent".to_owned(),
                })
            }
        }
    }
    Ok(tree)
}

fn tree_value(tree: &Tree) -> Value {
    match tree {
        Tree::Value(value) => value.clone(),
        Tree::Map(entries) => Value::Mapping(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), tree_value(v)))
                .collect(),
        ),
        Tree::Moved(fragment) => fragment.value.clone(),
    }
}

fn detect_layout(doc: &Document) -> Layout {
    let mut steps = std::collections::HashMap::<usize, usize>::new();
    let (mut indentless, mut indented) = (0usize, 0usize);
    let source = doc.source();
    let column = |offset: usize| {
        let lines = doc.lines();
        let start = lines.line_start(lines.line_of(offset));
        source[start..offset].chars().count()
    };
    let leading = |offset: usize| {
        let lines = doc.lines();
        let start = lines.line_start(lines.line_of(offset));
        source[start..offset].trim().is_empty()
    };
    let mut stack: Vec<NodeId> = doc.root().into_iter().collect();
    while let Some(id) = stack.pop() {
        if let NodeKind::Mapping { entries, .. } = &doc.node(id).kind {
            for entry in entries {
                let key = doc.node(entry.key);
                let value = doc.node(entry.value);
                stack.push(entry.value);
                if !leading(key.span.start) || !value.is_block_collection() {
                    continue;
                }
                let key_col = column(key.span.start);
                match &value.kind {
                    NodeKind::Mapping { .. } => {
                        let child_col = column(value.span.start);
                        if child_col > key_col {
                            *steps.entry(child_col - key_col).or_default() += 1;
                        }
                    }
                    NodeKind::Sequence { .. } => {
                        if column(value.span.start) == key_col {
                            indentless += 1;
                        } else {
                            indented += 1;
                        }
                    }
                    _ => {}
                }
            }
        } else if let NodeKind::Sequence { items, .. } = &doc.node(id).kind {
            stack.extend(items.iter().copied());
        }
    }
    let step = steps
        .into_iter()
        .max_by_key(|&(step, count)| (count, std::cmp::Reverse(step)))
        .map_or(2, |(step, _)| step);
    Layout {
        step,
        indentless: indentless > indented,
        eol: doc.line_ending().as_str(),
    }
}

#[cfg(test)]
mod tests;
