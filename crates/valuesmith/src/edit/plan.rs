//! Planning of each operation: the [`Edit`]s that set, replace, add, append, remove or cut
//! a node, touching only the bytes the change needs, and the layout (indent step, indentless
//! sequences, line ending) new text is written in.

use std::ops::Range;

use super::render::{Fragment, Layout, Tree};

use super::{render, DocumentMut, Edit, EditError, Located, Lookup, Slot};
use crate::document::{CollectionStyle, Document, NodeId, NodeKind, ScalarStyle};
use crate::patch::identity_scalar;
use crate::path::{Path, Segment};
use crate::value::{Mapping, Value};

impl DocumentMut {
    pub(super) fn plan_set(&self, path: &Path, tree: Tree) -> Result<Vec<Edit>, EditError> {
        self.plan_set_at(path, self.locate(path)?, tree)
    }

    /// [`DocumentMut::plan_set`] for a caller that has just located `path` (a path is
    /// walked key by key, and a patch of thousands of changes walked each twice).
    pub(super) fn plan_set_at(
        &self,
        path: &Path,
        lookup: Lookup,
        tree: Tree,
    ) -> Result<Vec<Edit>, EditError> {
        match lookup {
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

    pub(super) fn check_anchor(&self, path: &Path, node: NodeId) -> Result<(), EditError> {
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
    // ---- planning ------------------------------------------------------------------------

    pub(super) fn plan_replace(
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
    pub(super) fn inline_scalar(&self, old: NodeId, value: &Value) -> String {
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
    pub(super) fn keep_comment_column(&self, span: Range<usize>, text: String) -> Edit {
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
    pub(super) fn local_layout(&self, map: NodeId) -> Layout {
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
    pub(super) fn block_scalar_text(
        &self,
        node: NodeId,
        text: &str,
        style: ScalarStyle,
    ) -> Option<String> {
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

    pub(super) fn plan_add_entry(&self, map: NodeId, key: &str, tree: &Tree) -> Vec<Edit> {
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

    pub(super) fn plan_append(&self, seq: NodeId, value: &Value) -> Vec<Edit> {
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

    pub(super) fn plan_remove(
        &self,
        path: &Path,
        located: Located,
    ) -> Result<Vec<Edit>, EditError> {
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
    pub(super) fn cut(&self, located: Located, value: Value) -> Fragment {
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
pub(super) fn nest(segments: &[Segment], tree: Tree) -> Result<Tree, EditError> {
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

pub(super) fn tree_value(tree: &Tree) -> Value {
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

pub(super) fn detect_layout(doc: &Document) -> Layout {
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
