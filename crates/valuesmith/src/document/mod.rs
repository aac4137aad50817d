//! The format-preserving document model (read side): bytes to a tree of nodes with byte spans,
//! lines, columns and comments.
//!
//! A [`Document`] keeps its source text untouched and indexes it: every key, value and
//! collection is a [`Node`] in an arena with its byte range, and every comment is kept with its
//! range. Writing a document back gives its bytes unchanged; edits are made by
//! [`crate::edit::DocumentMut`] as splices of this text. The reader checks what docs/validate.md
//! asks of input (encoding, BOM, CRLF, one document, duplicate keys) and, for values files,
//! that the top level is a mapping that is not `helm get values`' header. What the document
//! means follows a [`Reading`]: Helm's (go-yaml v2 and `sigs.k8s.io/yaml`, the default) or
//! YAML 1.2's.
//!
//! The module is split along its seams: `model` types (nodes, styles, reading, limits),
//! `error` (why a read fails and what to do about it), `builder` (parser events to nodes,
//! spans and the read-time checks), `comments` (which comments a document keeps and the line
//! queries over them) and `expand` (a node's [`Value`] by the document's reading). This file
//! holds [`Document`] itself: its constructors and its accessors.

use crate::diagnostic::{LineIndex, Location};
use crate::path::{Path, Segment};
use crate::value::Value;

mod builder;
mod comments;
mod error;
mod expand;
mod goyaml;
mod model;
mod rewrite;
#[cfg(test)]
mod tests;

pub use comments::Comment;
pub use error::{FileReadError, ReadError, ReadNote};
pub use expand::{scalar_value, scalar_value_as};
pub use model::{
    Anchor, CollectionStyle, DocumentKind, DuplicateKey, Entry, Limits, LineEnding, Node, NodeId,
    NodeKind, Reading, ScalarStyle,
};

use builder::{decode, Builder};

/// A parsed YAML document that remembers exactly how it was written.
#[derive(Debug, Clone)]
pub struct Document {
    source: String,
    bom: bool,
    line_ending: LineEnding,
    lines: LineIndex,
    nodes: Vec<Node>,
    root: Option<NodeId>,
    /// The root of every document with content (several only by Helm 4's reading of a values
    /// file), in order.
    roots: Vec<NodeId>,
    /// How many YAML documents were read.
    documents: usize,
    comments: Vec<Comment>,
    /// Set while reading, unless building it cannot fail: then on first use.
    value: std::sync::OnceLock<Value>,
    kind: DocumentKind,
    limits: Limits,
    reading: Reading,
    duplicates: Vec<DuplicateKey>,
    /// Mappings whose value needs more than one pass over the entries (Helm reading: a merge
    /// key or a duplicate key); every other mapping is built without lookups.
    merging: rustc_hash::FxHashSet<NodeId>,
    notes: Vec<ReadNote>,
}

impl Document {
    /// Reads any single YAML document from bytes (UTF-8, with or without BOM).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ReadError> {
        Self::from_bytes_as(bytes, DocumentKind::Any, Limits::default())
    }

    /// Reads a values file from bytes: like [`Document::from_bytes`], and the top level must be
    /// a non-empty mapping without `helm get values`' header.
    pub fn values_from_bytes(bytes: &[u8]) -> Result<Self, ReadError> {
        Self::from_bytes_as(bytes, DocumentKind::Values, Limits::default())
    }

    /// Reads bytes as the given kind of document within `limits`, by the default reading ([`Reading::default`]: Helm's).
    pub fn from_bytes_as(
        bytes: &[u8],
        kind: DocumentKind,
        limits: Limits,
    ) -> Result<Self, ReadError> {
        Self::from_bytes_with(bytes, kind, limits, Reading::default())
    }

    /// Reads bytes as the given kind of document within `limits`, by `reading`.
    pub fn from_bytes_with(
        bytes: &[u8],
        kind: DocumentKind,
        limits: Limits,
        reading: Reading,
    ) -> Result<Self, ReadError> {
        if bytes.len() > limits.max_bytes {
            return Err(ReadError::TooLarge {
                size: bytes.len(),
                limit: limits.max_bytes,
            });
        }
        let text = decode(bytes)?;
        Self::parse_with(text, kind, limits, reading)
    }

    /// Reads any single YAML document from text. A leading BOM is kept.
    pub fn parse(text: &str) -> Result<Self, ReadError> {
        Self::parse_as(text, DocumentKind::Any, Limits::default())
    }

    /// Reads a values file from text.
    pub fn parse_values(text: &str) -> Result<Self, ReadError> {
        Self::parse_as(text, DocumentKind::Values, Limits::default())
    }

    /// Reads text as the given kind of document within `limits`, by the default reading ([`Reading::default`]: Helm's).
    pub fn parse_as(text: &str, kind: DocumentKind, limits: Limits) -> Result<Self, ReadError> {
        Self::parse_with(text, kind, limits, Reading::default())
    }

    /// Reads text as the given kind of document within `limits`, by `reading`.
    pub fn parse_with(
        text: &str,
        kind: DocumentKind,
        limits: Limits,
        reading: Reading,
    ) -> Result<Self, ReadError> {
        if text.len() > limits.max_bytes {
            return Err(ReadError::TooLarge {
                size: text.len(),
                limit: limits.max_bytes,
            });
        }
        let (bom, source) = match text.strip_prefix('\u{feff}') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        match Builder::new(source, kind, limits, reading).build(bom) {
            // Forms Helm's parser reads and the parser refuses: read again, rewritten.
            Err(error) if reading.is_helm() && rewrite::answers(&error) => {
                rewrite::read(source, kind, limits, reading, bom, error)
            }
            read => read,
        }
    }

    /// The source text (without the BOM).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The document's bytes exactly as read (BOM included).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.to_text().into_bytes()
    }

    /// The document's text exactly as read (BOM included).
    pub fn to_text(&self) -> String {
        if self.bom {
            format!("\u{feff}{}", self.source)
        } else {
            self.source.clone()
        }
    }

    /// Whether the input started with a UTF-8 BOM.
    pub fn has_bom(&self) -> bool {
        self.bom
    }

    /// The line ending the document uses (the first one found; `\n` if none).
    pub fn line_ending(&self) -> LineEnding {
        self.line_ending
    }

    /// What kind of document this was read as.
    pub fn kind(&self) -> DocumentKind {
        self.kind
    }

    /// The limits it was read within (an edited text is read again within the same).
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// How it was read (an edited text is read again the same way).
    pub fn reading(&self) -> Reading {
        self.reading
    }

    /// The keys that a mapping holds twice (Helm's reading keeps the last value; the YAML 1.2
    /// reading refuses them, so this is empty there), in source order.
    pub fn duplicate_keys(&self) -> &[DuplicateKey] {
        &self.duplicates
    }

    /// The root node (`None` for an empty stream read as [`DocumentKind::Any`]); in a values
    /// file of several documents, the first with content ([`Document::document_roots`]).
    pub fn root(&self) -> Option<NodeId> {
        self.root
    }

    /// How many nodes the document holds: every [`NodeId`] of it indexes below this.
    pub(crate) fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// A node by id.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }

    /// Follows aliases to the node that holds the content.
    pub fn resolve(&self, mut id: NodeId) -> NodeId {
        // Aliases only point backwards at anchored nodes, so this ends.
        while let NodeKind::Alias { target, .. } = self.node(id).kind {
            id = target;
        }
        id
    }

    /// The line index of the source.
    pub fn lines(&self) -> &LineIndex {
        &self.lines
    }

    /// The position of a byte offset of the source.
    pub fn location(&self, offset: usize) -> Location {
        self.lines.location(&self.source, offset)
    }

    /// Where a node starts.
    pub fn node_location(&self, id: NodeId) -> Location {
        self.location(self.node(id).span.start)
    }

    /// The whole document's value (aliases expanded), built the first time it is asked for
    /// when reading proved that building it cannot fail.
    pub fn value(&self) -> &Value {
        self.value.get_or_init(|| match self.root {
            Some(root) => {
                let mut budget = self.limits.max_expanded_nodes;
                // Cannot fail: the reader built every value that could (see
                // `Document::builds_without_failure`).
                self.build_value(root, &mut budget, 0, None)
                    .unwrap_or(Value::Null)
            }
            None => Value::Null,
        })
    }

    /// The value of one node (aliases expanded). Every node of the document's value is within
    /// the limits it was read with; a complex key (never expanded while reading) that goes over
    /// them gives `null`.
    pub fn value_of(&self, id: NodeId) -> Value {
        let mut budget = self.limits.max_expanded_nodes;
        self.build_value(id, &mut budget, 0, None)
            .unwrap_or(Value::Null)
    }

    /// The source text of a node.
    pub fn text_of(&self, id: NodeId) -> &str {
        &self.source[self.node(id).span.clone()]
    }

    /// The entries of a mapping node (after alias resolution), or `None`.
    pub fn entries(&self, id: NodeId) -> Option<&[Entry]> {
        match &self.node(self.resolve(id)).kind {
            NodeKind::Mapping { entries, .. } => Some(entries),
            _ => None,
        }
    }

    /// The items of a sequence node (after alias resolution), or `None`.
    pub fn items(&self, id: NodeId) -> Option<&[NodeId]> {
        match &self.node(self.resolve(id)).kind {
            NodeKind::Sequence { items, .. } => Some(items),
            _ => None,
        }
    }

    /// The node at `path`, following aliases.
    ///
    /// In a values file of several documents (Helm 4's reading) the node is the one in the last
    /// document that writes `path`, the one whose value wins unless a later document replaces
    /// a mapping above it.
    pub fn get(&self, path: &Path) -> Option<NodeId> {
        self.roots.iter().rev().find_map(|&root| {
            let mut id = root;
            for segment in path.segments() {
                id = self.child(id, segment)?;
            }
            Some(id)
        })
    }

    /// The value at `path`, including keys that only a merge key (`<<: *base`) or (Helm 4) an
    /// earlier document brings.
    pub fn get_value(&self, path: &Path) -> Option<Value> {
        match self.get(path) {
            Some(id) if self.roots.len() < 2 => Some(self.value_of(id)),
            _ => self.value().at(path).cloned(),
        }
    }

    /// What the document was read despite, in source order: forms Helm reads that are most
    /// often mistakes (validate reports each as a finding).
    pub fn notes(&self) -> &[ReadNote] {
        &self.notes
    }

    /// How many YAML documents the file holds (Helm 3's reading stops at the second's start, so 2 there means "more than one").
    /// More than one only for a values file read by [`Reading::Helm`], which merges them.
    pub fn documents(&self) -> usize {
        self.documents
    }

    /// The root of every document with content, in order: the one [`Document::root`] gives
    /// and, for a values file of several documents read by [`Reading::Helm`], the others,
    /// merged over it in [`Document::value`].
    pub fn document_roots(&self) -> &[NodeId] {
        &self.roots
    }

    /// Where the value at `path` comes only from a merge key (`<<: *base`): the merged
    /// anchor's name (`a, *b` for a list) and where the merge key is. An edit there would not
    /// change the merged key but add one that overrides it.
    pub fn merged_from(&self, path: &Path) -> Option<(String, Location)> {
        if self.get(path).is_some() || self.value().at(path).is_none() {
            return None;
        }
        let mut id = self.root?;
        for segment in path.segments() {
            match self.child(id, segment) {
                Some(next) => id = next,
                None => {
                    let merge = self
                        .entries(id)?
                        .iter()
                        .rfind(|entry| self.is_merge_key(entry.key))?;
                    let alias_name = |item: &NodeId| match &self.node(*item).kind {
                        NodeKind::Alias { name, .. } => Some(name.clone()),
                        _ => None,
                    };
                    let name = match &self.node(merge.value).kind {
                        NodeKind::Sequence { items, .. } => items
                            .iter()
                            .filter_map(alias_name)
                            .collect::<Vec<_>>()
                            .join(", *"),
                        _ => alias_name(&merge.value).unwrap_or_else(|| "<<".to_owned()),
                    };
                    return Some((name, self.node_location(merge.key)));
                }
            }
        }
        None
    }

    /// The child of `id` under one path segment, following aliases.
    pub fn child(&self, id: NodeId, segment: &Segment) -> Option<NodeId> {
        let id = self.resolve(id);
        match (&self.node(id).kind, segment) {
            // The last of duplicate keys is the one that counts (the Helm reading).
            (NodeKind::Mapping { entries, .. }, Segment::Key(key)) => entries
                .iter()
                .rfind(|e| &e.key_text == key)
                .map(|e| e.value),
            (NodeKind::Sequence { items, .. }, Segment::Index(i)) => items.get(*i).copied(),
            (NodeKind::Sequence { items, .. }, Segment::Identity { key, value }) => {
                items.iter().copied().find(|&item| {
                    self.child(item, &Segment::Key(key.clone()))
                        .map(|v| self.value_of(v))
                        .and_then(|v| v.scalar_text())
                        .is_some_and(|text| &text == value)
                })
            }
            _ => None,
        }
    }

    /// The entry of mapping `map` whose value is `value`.
    pub fn entry_of(&self, map: NodeId, value: NodeId) -> Option<&Entry> {
        self.entries(map)?.iter().find(|e| e.value == value)
    }
}
