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

use std::collections::HashMap;
use std::ops::Range;

use granit_parser::{Event, Parser, ScalarStyle as ParserScalarStyle, ScanError};

use crate::diagnostic::{Diagnostic, LineIndex, Location, Severity, ToDiagnostic};
use crate::path::{Path, Segment};
use crate::value::helm::{go_scalar, helm_key, helm_value, is_merge_key};
use crate::value::{resolve_plain, Mapping, Value};

/// The index of a node in its document's arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(u32);

impl NodeId {
    fn index(self) -> usize {
        self.0 as usize
    }
}

/// How a scalar is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarStyle {
    /// Unquoted.
    Plain,
    /// `'...'`.
    SingleQuoted,
    /// `"..."`.
    DoubleQuoted,
    /// `|` block.
    Literal,
    /// `>` block.
    Folded,
}

impl ScalarStyle {
    /// Whether this is a block scalar (`|` or `>`).
    pub fn is_block(self) -> bool {
        matches!(self, ScalarStyle::Literal | ScalarStyle::Folded)
    }
}

/// Whether a collection is written in block style (indentation) or flow style (`{}` / `[]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CollectionStyle {
    /// Indentation-based.
    Block,
    /// Bracketed.
    Flow,
}

/// One `key: value` pair of a mapping.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The key's text as a path segment uses it (a non-string key's source text).
    pub key_text: String,
    /// The key node.
    pub key: NodeId,
    /// The value node.
    pub value: NodeId,
}

/// What a node is.
#[derive(Debug, Clone)]
pub enum NodeKind {
    /// A scalar with its text after escape processing.
    Scalar {
        /// The scalar's text (escapes processed, folding applied).
        text: String,
        /// How it is written.
        style: ScalarStyle,
    },
    /// A mapping.
    Mapping {
        /// Block or flow.
        style: CollectionStyle,
        /// The entries in document order.
        entries: Vec<Entry>,
    },
    /// A sequence.
    Sequence {
        /// Block or flow.
        style: CollectionStyle,
        /// The items in document order.
        items: Vec<NodeId>,
    },
    /// `*name`: stands for the node that defines the anchor.
    Alias {
        /// The anchor's name.
        name: String,
        /// The anchored node.
        target: NodeId,
    },
}

/// `&name` on a node.
#[derive(Debug, Clone)]
pub struct Anchor {
    /// The name without `&`.
    pub name: String,
    /// The byte range of `&name`.
    pub span: Range<usize>,
}

/// A node of the tree: a key, a value or a collection, with where it stands in the source.
#[derive(Debug, Clone)]
pub struct Node {
    /// What it is.
    pub kind: NodeKind,
    /// The byte range of the node's content. A block scalar's range starts at its `|`/`>`
    /// header and ends after its last non-blank content line (line break excluded); a block
    /// collection's runs from its first key or `-` to the end of its last value; an empty
    /// value's range is empty, just after its `:` or `-`.
    pub span: Range<usize>,
    /// The anchor defined on it.
    pub anchor: Option<Anchor>,
    /// The explicit tag, as written (`!!str`).
    pub tag: Option<String>,
}

impl Node {
    /// Whether this is a block-style collection.
    pub fn is_block_collection(&self) -> bool {
        matches!(
            self.kind,
            NodeKind::Mapping {
                style: CollectionStyle::Block,
                ..
            } | NodeKind::Sequence {
                style: CollectionStyle::Block,
                ..
            }
        )
    }

    /// The scalar style, if this is a scalar.
    pub fn scalar_style(&self) -> Option<ScalarStyle> {
        match self.kind {
            NodeKind::Scalar { style, .. } => Some(style),
            _ => None,
        }
    }
}

/// A comment as written in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// The byte range from `#` to the end of the line (line break excluded).
    pub span: Range<usize>,
    /// Whether code stands before it on its line (`key: value # comment`).
    pub trailing: bool,
}

/// The line ending a document uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEnding {
    /// `\n`.
    Lf,
    /// `\r\n`.
    CrLf,
}

impl LineEnding {
    /// The characters.
    pub fn as_str(self) -> &'static str {
        match self {
            LineEnding::Lf => "\n",
            LineEnding::CrLf => "\r\n",
        }
    }
}

/// What the reader accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DocumentKind {
    /// Any single YAML document (what `diff` compares). An empty stream is `null`.
    #[default]
    Any,
    /// A values file: a mapping at the top level, not `helm get values`' header. Read the
    /// Helm way, an empty or comment-only file is an empty mapping, as Helm reads it; read by
    /// YAML 1.2 it is [`ReadError::Empty`].
    Values,
}

/// How scalars, keys and merge keys are read: what a document *means*.
///
/// The default is Helm's reading, the one that matters for a values file: go-yaml v2's YAML 1.1
/// resolution (`yes`/`on`/`y` are booleans, `0755` is 493, `1_000` is 1000, `0x1F` is 31),
/// numbers as the float64 Helm holds them, keys turned into strings as `sigs.k8s.io/yaml`
/// turns them (`y:` is the key `"true"`), merge keys `<<` merged as go-yaml v2 merges them, a
/// duplicate key's last value winning (recorded in [`Document::duplicate_keys`]), `!!binary`
/// decoded, and what Helm refuses (`.inf`, null or complex keys, a `!!int` that is not one)
/// refused with [`ReadError::HelmRefuses`]. docs/helm-semantics.md lists the differences.
///
/// [`Reading::Yaml12`] is the one switch for YAML that is not a values file (manifests, the
/// YAML test suite): the YAML 1.2 core schema, `<<` an ordinary key, duplicate keys refused,
/// and YAML 1.2's indentation rules inside flow collections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Reading {
    /// What Helm 3 and Helm 4 make of a values file.
    #[default]
    Helm,
    /// The YAML 1.2 core schema.
    Yaml12,
}

/// A key that a mapping holds twice; the Helm reading keeps the last value, as Helm does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    /// The key.
    pub key: String,
    /// Where it is first written.
    pub first: Location,
    /// Where it is written again.
    pub second: Location,
}

/// Limits that keep hostile input from exhausting memory or the stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most nodes alias expansion may produce (a billion-laughs guard). Only copies made
    /// through aliases count, and a copied scalar or key counts one more node for every 64
    /// bytes of its text, so one long string repeated through aliases is bounded too.
    pub max_expanded_nodes: usize,
    /// The deepest nesting of collections, as written and after alias expansion (an alias
    /// nested in a copy of itself nested in ... would otherwise overflow the stack of every
    /// recursive walk over the value).
    pub max_depth: usize,
    /// The largest input in bytes.
    pub max_bytes: usize,
    /// The most nodes (keys, values, collections, aliases) a document may have. Each costs
    /// about 150 to 200 bytes in memory (the node, its value, its key's text), so this is
    /// what bounds memory: `[0,0,0,...]` has a node every two bytes.
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_expanded_nodes: 1_000_000,
            max_depth: 200,
            max_bytes: 64 * 1024 * 1024,
            // Typical values files have a node every 10 to 15 bytes: 4 million nodes is some
            // 50 MB of YAML, and at most about 700 MB of memory.
            max_nodes: 4_000_000,
        }
    }
}

/// Why a document could not be read. Every variant knows its position where there is one.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// UTF-16 input (what Windows PowerShell's `>` writes).
    #[error("the file is UTF-16 encoded ({endian}), not UTF-8")]
    Utf16 {
        /// `little-endian` or `big-endian`.
        endian: &'static str,
    },
    /// Bytes that are not UTF-8.
    #[error("invalid UTF-8 at byte {offset}")]
    InvalidUtf8 {
        /// Byte offset of the first bad byte.
        offset: usize,
        /// Its position.
        location: Location,
    },
    /// YAML that does not parse.
    #[error("{message}")]
    Syntax {
        /// The parser's message.
        message: String,
        /// Where the parser stopped.
        location: Location,
    },
    /// A tab in indentation.
    #[error("a tab character is used for indentation")]
    TabIndent {
        /// The tab's position.
        location: Location,
    },
    /// A key twice in one mapping.
    #[error("duplicate key `{key}` (first at line {})", .first.line)]
    DuplicateKey {
        /// The key.
        key: String,
        /// The first occurrence.
        first: Location,
        /// The second occurrence.
        second: Location,
    },
    /// Nothing but comments or whitespace.
    #[error("the file is empty{}", if *.comments_only { " (only comments)" } else { "" })]
    Empty {
        /// Whether there were comments.
        comments_only: bool,
    },
    /// `helm get values` without `-o yaml` prints this header line first.
    #[error("the file starts with helm's `USER-SUPPLIED VALUES:` header")]
    HelmHeader {
        /// The header's position.
        location: Location,
    },
    /// More than one document.
    #[error("the file holds more than one YAML document")]
    MultiDocument {
        /// Where the second document starts.
        location: Location,
    },
    /// A values file whose top level is not a mapping.
    #[error("the top level is a {found}, but a values file must be a mapping")]
    NotAMapping {
        /// What was found.
        found: &'static str,
        /// Where it starts.
        location: Location,
    },
    /// Alias expansion would produce too many nodes.
    #[error("aliases expand to more than {limit} nodes")]
    AliasBudget {
        /// The limit.
        limit: usize,
        /// The alias that went over it.
        location: Location,
    },
    /// Collections nested too deeply.
    #[error("collections are nested more than {limit} levels deep")]
    TooDeep {
        /// The limit.
        limit: usize,
        /// Where the limit was passed.
        location: Location,
    },
    /// The document has more nodes than the limit.
    #[error("the document has more than {limit} nodes (keys, values and collections)")]
    TooManyNodes {
        /// The limit.
        limit: usize,
        /// Where the first node over the limit starts.
        location: Location,
    },
    /// The input is larger than the limit.
    #[error("the input is {size} bytes, more than the limit of {limit}")]
    TooLarge {
        /// The input size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// YAML that parses but that Helm refuses to read as values (`helm template` and
    /// `helm install` stop with an error).
    #[error("Helm would refuse this file: {reason}")]
    HelmRefuses {
        /// Why, in go-yaml's or `sigs.k8s.io/yaml`'s words where they have some.
        reason: String,
        /// The node Helm stops at.
        location: Location,
    },
}

impl ReadError {
    /// The validation code of this error (docs/validate.md).
    pub fn code(&self) -> &'static str {
        match self {
            ReadError::Utf16 { .. } | ReadError::InvalidUtf8 { .. } => "encoding",
            ReadError::TabIndent { .. } => "tab-indent",
            ReadError::DuplicateKey { .. } => "duplicate-key",
            ReadError::Empty { .. } => "empty",
            ReadError::HelmHeader { .. } => "helm-header",
            ReadError::MultiDocument { .. } => "multi-document",
            _ => "syntax",
        }
    }

    /// Where the error is, if known.
    pub fn location(&self) -> Option<Location> {
        match self {
            ReadError::InvalidUtf8 { location, .. }
            | ReadError::Syntax { location, .. }
            | ReadError::TabIndent { location }
            | ReadError::HelmHeader { location }
            | ReadError::MultiDocument { location }
            | ReadError::NotAMapping { location, .. }
            | ReadError::AliasBudget { location, .. }
            | ReadError::TooDeep { location, .. }
            | ReadError::TooManyNodes { location, .. }
            | ReadError::HelmRefuses { location, .. } => Some(*location),
            ReadError::DuplicateKey { second, .. } => Some(*second),
            ReadError::Utf16 { .. } | ReadError::Empty { .. } | ReadError::TooLarge { .. } => None,
        }
    }

    /// What to do about it.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            ReadError::Utf16 { .. } => {
                "PowerShell's `>` writes UTF-16; write the file with \
                `helm get values ... -o yaml | Out-File -Encoding utf8 FILE` or re-save it as UTF-8"
                    .to_owned()
            }
            ReadError::InvalidUtf8 { .. } => "re-save the file as UTF-8".to_owned(),
            ReadError::TabIndent { .. } => "YAML indentation must use spaces; replace the tab \
                with spaces"
                .to_owned(),
            ReadError::DuplicateKey { key, first, .. } => format!(
                "keep one `{key}`: Helm silently uses the last one (the other is at line {})",
                first.line
            ),
            ReadError::Empty { .. } => "was `helm get values` connected to the cluster? Export \
                again with `helm get values <release> -n <namespace> -o yaml > FILE`"
                .to_owned(),
            ReadError::HelmHeader { .. } => {
                "export with `-o yaml`, or delete the first line".to_owned()
            }
            ReadError::MultiDocument { .. } => "Helm 3 reads only the first document of a values \
                file and Helm 4 merges them all; split the file at the `---` line"
                .to_owned(),
            ReadError::NotAMapping { .. } => {
                "a values file maps keys to values at its top level".to_owned()
            }
            // The parser's words for a line inside brackets or a multi-line scalar that is not
            // indented past its parent: most often a bracket or quote left open above, else
            // indentation that YAML 1.2 requires (and PyYAML and Helm's parser do not).
            ReadError::Syntax { message, .. } if message == "invalid indentation" => {
                "is a `[`, `{` or quote above left open? If not, indent this line more than the \
                key or `-` it belongs to: YAML requires it inside brackets and in a scalar that \
                goes on over several lines"
                    .to_owned()
            }
            ReadError::Syntax { message, .. } if message.contains("did not find expected") => {
                "is a `[`, `{` or quote above left open? Close it where its content ends".to_owned()
            }
            ReadError::AliasBudget { .. } => "the aliases nest too deeply to expand (a \
                `billion laughs` document?)"
                .to_owned(),
            ReadError::TooDeep { .. } => "values files nest a few dozen levels at most: is this \
                the right file?"
                .to_owned(),
            ReadError::TooManyNodes { .. } | ReadError::TooLarge { .. } => "values files are \
                rarely larger than a megabyte: is this the right file?"
                .to_owned(),
            ReadError::HelmRefuses { reason, .. } => helm_refusal_hint(reason).to_owned(),
            _ => return None,
        })
    }
}

/// What to do about a file Helm refuses, by its reason.
fn helm_refusal_hint(reason: &str) -> &'static str {
    if reason.contains("JSON has no") {
        "quote the value to keep it as a string: Helm turns values into JSON, which has no \
        infinity or NaN"
    } else if reason.contains("key") {
        "Helm's values are JSON objects: every key must be a string, a number or a boolean \
        (quote it to make it a string)"
    } else if reason.contains("merge") {
        "`<<` merges a mapping (`<<: *base`) or a list of them (`<<: [*a, *b]`); quote it \
        (`\"<<\":`) for a literal key"
    } else if reason.contains("base64") {
        "a `!!binary` value is base64 text (line breaks allowed)"
    } else {
        "drop the tag, or write a value of the tag's type"
    }
}

/// A [`ReadError`] with the name of the file and its source, ready to render.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}: {error}")]
#[non_exhaustive]
pub struct FileReadError {
    /// The file's name as the user gave it.
    pub file: String,
    /// What went wrong.
    pub error: ReadError,
    /// The decoded source, when it was text (for the caret snippet).
    pub source_text: Option<String>,
}

impl FileReadError {
    /// The error of reading `bytes` from `file`.
    pub fn new(file: impl Into<String>, error: ReadError, bytes: &[u8]) -> Self {
        // Invalid UTF-8 still shows its line, with the bad bytes as U+FFFD; UTF-16 shows none.
        let text = match error {
            ReadError::Utf16 { .. } => None,
            _ => Some(String::from_utf8_lossy(bytes)),
        };
        Self {
            file: file.into(),
            error,
            source_text: text.map(|t| t.strip_prefix('\u{feff}').unwrap_or(&t).to_owned()),
        }
    }
}

impl ToDiagnostic for FileReadError {
    fn to_diagnostic(&self) -> Diagnostic {
        let mut diagnostic = Diagnostic {
            severity: Severity::Error,
            code: None,
            message: self.error.to_string(),
            file: Some(self.file.clone()),
            location: None,
            source_line: None,
            hint: self.error.hint(),
        };
        if let Some(location) = self.error.location() {
            diagnostic = diagnostic.at(self.source_text.as_deref(), location);
        }
        diagnostic
    }
}

/// A parsed YAML document that remembers exactly how it was written.
#[derive(Debug, Clone)]
pub struct Document {
    source: String,
    bom: bool,
    line_ending: LineEnding,
    lines: LineIndex,
    nodes: Vec<Node>,
    root: Option<NodeId>,
    comments: Vec<Comment>,
    value: Value,
    kind: DocumentKind,
    limits: Limits,
    reading: Reading,
    duplicates: Vec<DuplicateKey>,
    /// Mappings whose value needs more than one pass over the entries (Helm reading: a merge
    /// key or a duplicate key); every other mapping is built without lookups.
    merging: std::collections::HashSet<NodeId>,
}

/// Why building a value stopped: the node where alias expansion went over a limit, or the
/// node Helm refuses.
enum Expansion {
    Budget(NodeId),
    Depth(NodeId),
    Refused(NodeId, Box<str>),
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

    /// Reads bytes as the given kind of document within `limits`, by Helm's reading.
    pub fn from_bytes_as(
        bytes: &[u8],
        kind: DocumentKind,
        limits: Limits,
    ) -> Result<Self, ReadError> {
        Self::from_bytes_with(bytes, kind, limits, Reading::Helm)
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

    /// Reads text as the given kind of document within `limits`, by Helm's reading.
    pub fn parse_as(text: &str, kind: DocumentKind, limits: Limits) -> Result<Self, ReadError> {
        Self::parse_with(text, kind, limits, Reading::Helm)
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
        Builder::new(source, kind, limits, reading).build(bom)
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

    /// The root node (`None` for an empty stream read as [`DocumentKind::Any`]).
    pub fn root(&self) -> Option<NodeId> {
        self.root
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

    /// Every comment, in source order.
    pub fn comments(&self) -> &[Comment] {
        &self.comments
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

    /// The whole document's value (aliases expanded).
    pub fn value(&self) -> &Value {
        &self.value
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
    pub fn get(&self, path: &Path) -> Option<NodeId> {
        let mut id = self.root?;
        for segment in path.segments() {
            id = self.child(id, segment)?;
        }
        Some(id)
    }

    /// The value at `path`, including keys that only a merge key (`<<: *base`) brings.
    pub fn get_value(&self, path: &Path) -> Option<Value> {
        match self.get(path) {
            Some(id) => Some(self.value_of(id)),
            None => self.value.at(path).cloned(),
        }
    }

    /// Where the value at `path` comes only from a merge key (`<<: *base`): the merged
    /// anchor's name (`a, *b` for a list) and where the merge key is. An edit there would not
    /// change the merged key but add one that overrides it.
    pub fn merged_from(&self, path: &Path) -> Option<(String, Location)> {
        if self.get(path).is_some() || self.value.at(path).is_none() {
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

    /// The trailing comment on zero-based `line`, if any.
    pub fn trailing_comment_on_line(&self, line: usize) -> Option<&Comment> {
        let range = self.lines.line_range(&self.source, line);
        let start = self
            .comments
            .partition_point(|c| c.span.start < range.start);
        self.comments[start..]
            .iter()
            .take_while(|c| c.span.start <= range.end)
            .find(|c| c.trailing)
    }

    /// Whether zero-based `line` holds nothing but a comment.
    pub fn is_comment_line(&self, line: usize) -> bool {
        let range = self.lines.line_range(&self.source, line);
        let text = &self.source[range.clone()];
        let indent = text.len() - text.trim_start().len();
        let hash = range.start + indent;
        text.trim_start().starts_with('#')
            && self
                .comments
                .binary_search_by(|c| c.span.start.cmp(&hash))
                .is_ok()
    }

    /// Whether zero-based `line` is empty or whitespace only.
    pub fn is_blank_line(&self, line: usize) -> bool {
        self.source[self.lines.line_range(&self.source, line)]
            .trim()
            .is_empty()
    }

    /// The value of node `id` at collection depth `depth`. `alias` is the outermost alias being
    /// expanded: only copies made through an alias spend `budget`, as everything else is
    /// bounded by the size of the input. Recursion is bounded by `max_depth`.
    fn build_value(
        &self,
        id: NodeId,
        budget: &mut usize,
        depth: usize,
        alias: Option<NodeId>,
    ) -> Result<Value, Expansion> {
        let node = self.node(id);
        if let Some(alias) = alias {
            let text_len = match &node.kind {
                NodeKind::Scalar { text, .. } => text.len(),
                NodeKind::Mapping { entries, .. } => entries.iter().map(|e| e.key_text.len()).sum(),
                _ => 0,
            };
            let cost = 1 + text_len / 64;
            if *budget < cost {
                return Err(Expansion::Budget(alias));
            }
            *budget -= cost;
        }
        let is_collection = matches!(
            node.kind,
            NodeKind::Sequence { .. } | NodeKind::Mapping { .. }
        );
        if is_collection && depth >= self.limits.max_depth {
            return Err(Expansion::Depth(alias.unwrap_or(id)));
        }
        Ok(match &node.kind {
            NodeKind::Scalar { text, style } => self.scalar(id, text, *style)?,
            NodeKind::Alias { target, .. } => {
                self.build_value(*target, budget, depth, Some(alias.unwrap_or(id)))?
            }
            // Plain loops: iterator adapters add frames to every level of the recursion, which
            // in debug builds costs a multiple of the stack.
            NodeKind::Sequence { items, .. } => {
                let mut values = Vec::with_capacity(items.len());
                for &item in items {
                    values.push(self.build_value(item, budget, depth + 1, alias)?);
                }
                Value::Sequence(values)
            }
            NodeKind::Mapping { entries, .. } if self.merging.contains(&id) => {
                self.merging_mapping(entries, budget, depth, alias)?
            }
            NodeKind::Mapping { entries, .. } => {
                let mut mapping = Mapping::new();
                for entry in entries {
                    // The reader refused duplicate keys, so no lookup is needed (a lookup per
                    // key would make wide mappings quadratic).
                    mapping.push_unique(
                        entry.key_text.clone(),
                        self.build_value(entry.value, budget, depth + 1, alias)?,
                    );
                }
                Value::Mapping(mapping)
            }
        })
    }

    /// The value of a mapping with merge keys or duplicate keys. go-yaml v2 sets each key in
    /// turn: a merge sets the merged mapping's keys (overriding keys written before it), a
    /// later key overrides earlier ones. Out of line, so that the frame of every level of
    /// [`Document::build_value`]'s recursion stays small.
    #[inline(never)]
    fn merging_mapping(
        &self,
        entries: &[Entry],
        budget: &mut usize,
        depth: usize,
        alias: Option<NodeId>,
    ) -> Result<Value, Expansion> {
        let mut pairs: Vec<(String, Value)> = Vec::with_capacity(entries.len());
        for entry in entries {
            if self.is_merge_key(entry.key) {
                self.merge_into(entry.value, &mut pairs, budget, depth, alias)?;
            } else {
                let value = self.build_value(entry.value, budget, depth + 1, alias)?;
                pairs.push((entry.key_text.clone(), value));
            }
        }
        Ok(Value::Mapping(pairs.into_iter().collect()))
    }

    /// A scalar's value by the document's reading (out of line, like
    /// [`Document::merging_mapping`]).
    #[inline(never)]
    fn scalar(&self, id: NodeId, text: &str, style: ScalarStyle) -> Result<Value, Expansion> {
        scalar_value_as(self.reading, text, style, self.node(id).tag.as_deref())
            .map_err(|reason| Expansion::Refused(id, reason.into()))
    }

    /// Whether a key node is go-yaml v2's merge key `<<` (Helm reading only).
    fn is_merge_key(&self, key: NodeId) -> bool {
        self.reading == Reading::Helm
            && matches!(&self.node(key).kind, NodeKind::Scalar { text, style }
                if is_merge_key(text, *style, self.node(key).tag.as_deref()))
    }

    /// Appends the entries a merge key's value brings: a mapping (or an alias of one), or a
    /// sequence of them, the last first so that the earlier ones win, as in go-yaml v2.
    fn merge_into(
        &self,
        value: NodeId,
        pairs: &mut Vec<(String, Value)>,
        budget: &mut usize,
        depth: usize,
        alias: Option<NodeId>,
    ) -> Result<(), Expansion> {
        let refuse = |at: NodeId| {
            Expansion::Refused(
                at,
                "map merge requires map or sequence of maps as the value (`<<` takes a mapping \
                or a list of mappings)"
                    .into(),
            )
        };
        let is_mapping =
            |id: NodeId| matches!(self.node(self.resolve(id)).kind, NodeKind::Mapping { .. });
        let sources: Vec<NodeId> = match &self.node(value).kind {
            NodeKind::Mapping { .. } => vec![value],
            NodeKind::Alias { target, .. } if is_mapping(*target) => vec![value],
            NodeKind::Sequence { items, .. } => {
                if let Some(&bad) = items.iter().find(|&&item| {
                    !matches!(
                        self.node(item).kind,
                        NodeKind::Mapping { .. } | NodeKind::Alias { .. }
                    ) || !is_mapping(item)
                }) {
                    return Err(refuse(bad));
                }
                items.iter().rev().copied().collect()
            }
            _ => return Err(refuse(value)),
        };
        for source in sources {
            // One level deeper: a mapping that merges itself (`&a {<<: *a}`) ends at `max_depth`.
            if let Value::Mapping(mapping) = self.build_value(source, budget, depth + 1, alias)? {
                pairs.extend(mapping);
            }
        }
        Ok(())
    }
}

/// The value of a scalar read by `reading`, or why Helm refuses it.
pub fn scalar_value_as(
    reading: Reading,
    text: &str,
    style: ScalarStyle,
    tag: Option<&str>,
) -> Result<Value, String> {
    match reading {
        Reading::Helm => go_scalar(text, style, tag).and_then(helm_value),
        Reading::Yaml12 => Ok(scalar_value(text, style, tag)),
    }
}

/// The value of a scalar by the YAML 1.2 reading: quoted and block scalars are strings; plain
/// ones resolve by the YAML 1.2 core schema; standard tags override.
pub fn scalar_value(text: &str, style: ScalarStyle, tag: Option<&str>) -> Value {
    match tag {
        Some("!!str" | "tag:yaml.org,2002:str") => return Value::String(text.to_owned()),
        Some("!!int" | "tag:yaml.org,2002:int" | "!!float" | "tag:yaml.org,2002:float") => {
            if let v @ (Value::Int(_) | Value::Float(_)) = resolve_plain(text) {
                return v;
            }
        }
        Some("!!bool" | "tag:yaml.org,2002:bool") => {
            if let v @ Value::Bool(_) = resolve_plain(text) {
                return v;
            }
        }
        Some("!!null" | "tag:yaml.org,2002:null") => return Value::Null,
        _ => {}
    }
    match style {
        ScalarStyle::Plain if tag.is_none() || tag == Some("!") => {
            if tag == Some("!") {
                Value::String(text.to_owned())
            } else {
                resolve_plain(text)
            }
        }
        ScalarStyle::Plain => resolve_plain(text),
        _ => Value::String(text.to_owned()),
    }
}

fn decode(bytes: &[u8]) -> Result<&str, ReadError> {
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Err(ReadError::Utf16 {
            endian: "little-endian",
        });
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(ReadError::Utf16 {
            endian: "big-endian",
        });
    }
    // UTF-16 without a BOM: ASCII text with every other byte zero.
    if bytes.len() >= 4 && bytes[1] == 0 && bytes[3] == 0 && bytes[0] != 0 {
        return Err(ReadError::Utf16 {
            endian: "little-endian",
        });
    }
    if bytes.len() >= 4 && bytes[0] == 0 && bytes[2] == 0 && bytes[1] != 0 {
        return Err(ReadError::Utf16 {
            endian: "big-endian",
        });
    }
    std::str::from_utf8(bytes).map_err(|err| {
        let offset = err.valid_up_to();
        let valid = std::str::from_utf8(&bytes[..offset]).unwrap_or_default();
        let location = LineIndex::new(valid).location(valid, offset);
        ReadError::InvalidUtf8 { offset, location }
    })
}

enum Frame {
    Mapping {
        id: NodeId,
        pending_key: Option<NodeId>,
        /// The first key node of each key text: a search of the entries per key would make
        /// wide mappings quadratic.
        keys: HashMap<String, NodeId>,
    },
    Sequence {
        id: NodeId,
    },
}

struct Builder<'a> {
    source: &'a str,
    lines: LineIndex,
    kind: DocumentKind,
    limits: Limits,
    reading: Reading,
    duplicates: Vec<DuplicateKey>,
    merging: std::collections::HashSet<NodeId>,
    nodes: Vec<Node>,
    stack: Vec<Frame>,
    anchors: HashMap<usize, NodeId>,
    comments: Vec<Comment>,
    root: Option<NodeId>,
    documents: usize,
    last_node: Option<NodeId>,
    /// End of the last token seen, for finding block scalar headers.
    prev_end: usize,
}

impl<'a> Builder<'a> {
    fn new(source: &'a str, kind: DocumentKind, limits: Limits, reading: Reading) -> Self {
        Self {
            source,
            lines: LineIndex::new(source),
            kind,
            limits,
            reading,
            duplicates: Vec::new(),
            merging: std::collections::HashSet::new(),
            nodes: Vec::new(),
            stack: Vec::new(),
            anchors: HashMap::new(),
            comments: Vec::new(),
            root: None,
            documents: 0,
            last_node: None,
            prev_end: 0,
        }
    }

    fn location(&self, offset: usize) -> Location {
        self.lines.location(self.source, offset)
    }

    fn syntax_error(&self, err: &ScanError) -> ReadError {
        let marker = err.marker();
        let offset = marker.byte_offset().unwrap_or(marker.index());
        let location = self.location(offset);
        if matches!(err.kind(), granit_parser::ErrorKind::RecursionLimitExceeded) {
            return ReadError::TooDeep {
                limit: self.limits.max_depth,
                location,
            };
        }
        let message = err.kind().to_string();
        if message.to_ascii_lowercase().contains("tab") {
            // Point at the tab itself, which the parser's marker passes.
            let line = self.lines.line_of(offset.min(self.source.len()));
            let range = self.lines.line_range(self.source, line);
            if let Some(tab) = self.source[range.clone()].find('\t') {
                return ReadError::TabIndent {
                    location: self.location(range.start + tab),
                };
            }
            return ReadError::TabIndent { location };
        }
        ReadError::Syntax { message, location }
    }

    fn build(mut self, bom: bool) -> Result<Document, ReadError> {
        // Strict indentation: YAML 1.2 refuses flow lines indented no deeper than their parent
        // (yaml-test-suite 9C9N), which the parser's PyYAML-compatible default lets through.
        // Nesting: the parser enforces our limit (its scanner reads a run of `[[[[` ahead of the
        // events, so it sees the first collection too many before we do), and a larger
        // `max_depth` is not cut short at its default of 255. Its error becomes `TooDeep`.
        // Helm's reader (go-yaml v2) lets flow lines at their key's column through.
        let nesting = self.limits.max_depth;
        let strict = self.reading == Reading::Yaml12;
        let options = granit_parser::options! {
            emit_anchor_events: true,
            strict_indentation: strict,
            flow_nesting_limit: nesting,
            block_nesting_limit: nesting,
        };
        let parser = Parser::new_from_str_with_options(self.source, options);
        for next in parser {
            let (event, span) = next.map_err(|err| self.syntax_error(&err))?;
            // Whatever the parser's markers say, every span stays within the text, so that
            // slicing the text by a span never panics.
            let len = self.source.len();
            let start = span
                .start
                .byte_offset()
                .unwrap_or(span.start.index())
                .min(len);
            let end = span.end.byte_offset().unwrap_or(span.end.index()).min(len);
            let tag = span
                .tag_span()
                .and_then(|t| t.slice(self.source))
                .map(str::to_owned);
            match event {
                Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
                Event::DocumentStart(..) => {
                    self.documents += 1;
                    if self.documents > 1 {
                        return Err(ReadError::MultiDocument {
                            location: self.location(start),
                        });
                    }
                }
                Event::Comment(_, placement) => {
                    let trailing = matches!(placement, granit_parser::Placement::Right) || {
                        let line = self.lines.line_of(start);
                        !self.source[self.lines.line_start(line)..start]
                            .trim()
                            .is_empty()
                    };
                    self.comments.push(Comment {
                        span: start..end,
                        trailing,
                    });
                }
                Event::Anchor(_, name) => {
                    if let Some(last) = self.last_node {
                        self.nodes[last.index()].anchor = Some(Anchor {
                            name: name.into_owned(),
                            span: start..end,
                        });
                    }
                }
                Event::Scalar(text, style, anchor_id, _) => {
                    let style = convert_style(style);
                    let span = self.scalar_span(style, start, end);
                    let id = self.push(Node {
                        kind: NodeKind::Scalar {
                            text: text.into_owned(),
                            style,
                        },
                        span,
                        anchor: None,
                        tag,
                    })?;
                    if anchor_id != 0 {
                        self.anchors.insert(anchor_id, id);
                    }
                    self.attach(id)?;
                    self.prev_end = end;
                }
                Event::Alias(anchor_id) => {
                    let target =
                        self.anchors
                            .get(&anchor_id)
                            .copied()
                            .ok_or_else(|| ReadError::Syntax {
                                message: "alias to an unknown anchor".to_owned(),
                                location: self.location(start),
                            })?;
                    let name = self.source[start..end].trim_start_matches('*').to_owned();
                    let id = self.push(Node {
                        kind: NodeKind::Alias { name, target },
                        span: start..end,
                        anchor: None,
                        tag: None,
                    })?;
                    self.attach(id)?;
                    self.prev_end = end;
                }
                Event::UnresolvedAlias(_) => {
                    return Err(ReadError::Syntax {
                        message: "alias to an unknown anchor".to_owned(),
                        location: self.location(start),
                    })
                }
                Event::MappingStart(style, anchor_id, _)
                | Event::SequenceStart(style, anchor_id, _) => {
                    let is_mapping = matches!(event, Event::MappingStart(..));
                    if self.stack.len() >= self.limits.max_depth {
                        return Err(ReadError::TooDeep {
                            limit: self.limits.max_depth,
                            location: self.location(start),
                        });
                    }
                    let style = match style {
                        granit_parser::StructureStyle::Flow => CollectionStyle::Flow,
                        _ => CollectionStyle::Block,
                    };
                    let kind = if is_mapping {
                        NodeKind::Mapping {
                            style,
                            entries: Vec::new(),
                        }
                    } else {
                        NodeKind::Sequence {
                            style,
                            items: Vec::new(),
                        }
                    };
                    let id = self.push(Node {
                        kind,
                        span: start..start,
                        anchor: None,
                        tag,
                    })?;
                    if anchor_id != 0 {
                        self.anchors.insert(anchor_id, id);
                    }
                    self.attach(id)?;
                    self.stack.push(if is_mapping {
                        Frame::Mapping {
                            id,
                            pending_key: None,
                            keys: HashMap::new(),
                        }
                    } else {
                        Frame::Sequence { id }
                    });
                    self.prev_end = end;
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    let id = match self.stack.pop() {
                        Some(Frame::Mapping { id, .. } | Frame::Sequence { id }) => id,
                        None => continue,
                    };
                    self.finish_collection(id, end);
                    self.prev_end = self.prev_end.max(end);
                    self.last_node = None;
                }
                // Events added by later parser versions carry no content we model.
                _ => {}
            }
        }
        self.finish(bom)
    }

    fn push(&mut self, node: Node) -> Result<NodeId, ReadError> {
        // `NodeId` is 32 bits: no limit may let the arena outgrow it.
        let limit = self.limits.max_nodes.min(u32::MAX as usize);
        if self.nodes.len() >= limit {
            return Err(ReadError::TooManyNodes {
                limit: self.limits.max_nodes,
                location: self.location(node.span.start),
            });
        }
        let id = NodeId(self.nodes.len() as u32);
        self.nodes.push(node);
        self.last_node = Some(id);
        Ok(id)
    }

    /// Block scalars start at their header; empty plain scalars sit just after their indicator.
    fn scalar_span(&self, style: ScalarStyle, start: usize, end: usize) -> Range<usize> {
        let bytes = self.source.as_bytes();
        if style.is_block() {
            let header = self.find_block_header(start).unwrap_or(start);
            // End after the last line holding content, before its line break.
            let body = &self.source[start..end];
            let mut content_end = start;
            let mut offset = start;
            for line in body.split_inclusive('\n') {
                let text = line.trim_end_matches(['\n', '\r']);
                if !text.trim().is_empty() {
                    content_end = offset + text.len();
                }
                offset += line.len();
            }
            if content_end == start {
                // No content: the header line alone.
                let line = self.lines.line_of(header);
                let range = self.lines.line_range(self.source, line);
                let header_text = &self.source[header..range.end];
                let header_len = header_text
                    .find(|c: char| c.is_whitespace())
                    .unwrap_or(header_text.len());
                return header..header + header_len;
            }
            return header..content_end;
        }
        if style == ScalarStyle::Plain && start == end {
            let pos = start.min(bytes.len());
            if pos < bytes.len() && matches!(bytes[pos], b':' | b'-' | b'?') {
                return pos + 1..pos + 1;
            }
            return pos..pos;
        }
        start..end
    }

    /// The `|` or `>` that starts the block scalar whose content starts at `content_start`.
    fn find_block_header(&self, content_start: usize) -> Option<usize> {
        let region = &self.source[self.prev_end.min(content_start)..content_start];
        let mut in_comment = false;
        let mut prev_space = true;
        for (i, c) in region.char_indices() {
            match c {
                '\n' => in_comment = false,
                '#' if prev_space => in_comment = true,
                '|' | '>' if !in_comment => return Some(self.prev_end + i),
                _ => {}
            }
            prev_space = c.is_whitespace();
        }
        None
    }

    fn attach(&mut self, id: NodeId) -> Result<(), ReadError> {
        let Some(frame) = self.stack.last_mut() else {
            if self.root.is_none() {
                self.root = Some(id);
            }
            return Ok(());
        };
        match frame {
            Frame::Sequence { id: seq } => {
                let seq = *seq;
                if let NodeKind::Sequence { items, .. } = &mut self.nodes[seq.index()].kind {
                    items.push(id);
                }
            }
            Frame::Mapping {
                id: map,
                pending_key,
                keys,
            } => match pending_key.take() {
                None => *pending_key = Some(id),
                Some(key) => {
                    let map = *map;
                    let key_text = key_text(&self.nodes, self.source, key, self.reading).map_err(
                        |reason| ReadError::HelmRefuses {
                            reason,
                            location: self
                                .lines
                                .location(self.source, self.nodes[key.index()].span.start),
                        },
                    )?;
                    if let Some(&first) = keys.get(&key_text) {
                        let first = self
                            .lines
                            .location(self.source, self.nodes[first.index()].span.start);
                        let second = self
                            .lines
                            .location(self.source, self.nodes[key.index()].span.start);
                        if self.reading == Reading::Yaml12 {
                            return Err(ReadError::DuplicateKey {
                                key: key_text,
                                first,
                                second,
                            });
                        }
                        self.duplicates.push(DuplicateKey {
                            key: key_text.clone(),
                            first,
                            second,
                        });
                        self.merging.insert(map);
                    } else {
                        keys.insert(key_text.clone(), key);
                    }
                    if self.reading == Reading::Helm && key_text == "<<" {
                        self.merging.insert(map);
                    }
                    if let NodeKind::Mapping { entries, .. } = &mut self.nodes[map.index()].kind {
                        entries.push(Entry {
                            key_text,
                            key,
                            value: id,
                        });
                    }
                }
            },
        }
        Ok(())
    }

    fn finish_collection(&mut self, id: NodeId, end_event_end: usize) {
        let (style, children): (CollectionStyle, Vec<NodeId>) = match &self.nodes[id.index()].kind {
            NodeKind::Mapping { style, entries } => (
                *style,
                entries.iter().flat_map(|e| [e.key, e.value]).collect(),
            ),
            NodeKind::Sequence { style, items } => (*style, items.clone()),
            _ => return,
        };
        let start = self.nodes[id.index()].span.start;
        let end = match style {
            CollectionStyle::Flow => end_event_end,
            CollectionStyle::Block => children
                .iter()
                .map(|c| self.nodes[c.index()].span.end)
                .max()
                .unwrap_or(start),
        };
        let start = match style {
            CollectionStyle::Flow => start,
            CollectionStyle::Block => children
                .iter()
                .map(|c| self.nodes[c.index()].span.start)
                .chain(self.block_sequence_dash(id))
                .min()
                .unwrap_or(start),
        };
        self.nodes[id.index()].span = start..end.max(start);
    }

    /// A block sequence's span starts at its first `-`. The start event gives the dash for an
    /// indented sequence but the first item's content for an indentless one, so look back
    /// from the first item.
    fn block_sequence_dash(&self, id: NodeId) -> Option<usize> {
        let NodeKind::Sequence { items, .. } = &self.nodes[id.index()].kind else {
            return None;
        };
        let first = &self.nodes[items.first()?.index()];
        let item_start = first
            .anchor
            .as_ref()
            .map_or(first.span.start, |a| a.span.start.min(first.span.start));
        let before = self.source[..item_start].trim_end();
        before.ends_with('-').then(|| before.len() - 1)
    }

    fn finish(self, bom: bool) -> Result<Document, ReadError> {
        let line_ending = match self.source.find('\n') {
            Some(i) if i > 0 && self.source.as_bytes()[i - 1] == b'\r' => LineEnding::CrLf,
            _ => LineEnding::Lf,
        };
        let root = match self.root {
            // A stream with no document, or a document that is an empty plain scalar.
            Some(root)
                if !matches!(&self.nodes[root.index()].kind,
                    NodeKind::Scalar { text, style: ScalarStyle::Plain } if text.is_empty() || (text == "~" && self.nodes[root.index()].span.is_empty())) =>
            {
                Some(root)
            }
            _ => None,
        };
        let mut document = Document {
            source: self.source.to_owned(),
            bom,
            line_ending,
            lines: self.lines,
            nodes: self.nodes,
            root,
            comments: self.comments,
            value: Value::Null,
            kind: self.kind,
            limits: self.limits,
            reading: self.reading,
            duplicates: self.duplicates,
            merging: self.merging,
        };
        if let Some(root) = root {
            let mut budget = self.limits.max_expanded_nodes;
            document.value = document
                .build_value(root, &mut budget, 0, None)
                .map_err(|stop| match stop {
                    Expansion::Budget(at) => ReadError::AliasBudget {
                        limit: self.limits.max_expanded_nodes,
                        location: document.node_location(at),
                    },
                    Expansion::Depth(at) => ReadError::TooDeep {
                        limit: self.limits.max_depth,
                        location: document.node_location(at),
                    },
                    Expansion::Refused(at, reason) => ReadError::HelmRefuses {
                        reason: reason.into(),
                        location: document.node_location(at),
                    },
                })?;
        }
        if self.kind == DocumentKind::Values {
            check_values_document(&mut document)?;
        }
        Ok(document)
    }
}

/// The text a path segment uses for a key: a scalar's value, an alias's target's, or (YAML 1.2
/// reading) the source text of a complex key. By Helm's reading, the string
/// `sigs.k8s.io/yaml` makes of the key (`y` is `true`, `0x10` is `16`), or why Helm refuses it.
fn key_text(nodes: &[Node], source: &str, key: NodeId, reading: Reading) -> Result<String, String> {
    let mut id = key;
    while let NodeKind::Alias { target, .. } = nodes[id.index()].kind {
        id = target;
    }
    let node = &nodes[id.index()];
    if reading == Reading::Helm {
        return match &node.kind {
            NodeKind::Scalar { text, style } => {
                go_scalar(text, *style, node.tag.as_deref()).and_then(helm_key)
            }
            _ => Err(format!(
                "a {} as a mapping key (`invalid map key`)",
                if matches!(node.kind, NodeKind::Mapping { .. }) {
                    "mapping"
                } else {
                    "sequence"
                }
            )),
        };
    }
    Ok(match &node.kind {
        NodeKind::Scalar { text, style } => match scalar_value(text, *style, node.tag.as_deref()) {
            Value::Null if text.is_empty() => String::new(),
            other => other.scalar_text().unwrap_or_default(),
        },
        _ => source[node.span.clone()].to_owned(),
    })
}

fn check_values_document(document: &mut Document) -> Result<(), ReadError> {
    let empty = document.root.is_none() || *document.value() == Value::Null;
    if empty && document.reading == Reading::Helm {
        // Helm reads an empty, comment-only or `~` file as no values (validate reports it).
        document.value = Value::Mapping(Mapping::new());
        return Ok(());
    }
    let Some(root) = document.root else {
        return Err(ReadError::Empty {
            comments_only: !document.comments.is_empty(),
        });
    };
    let node = document.node(root);
    match &node.kind {
        NodeKind::Mapping { entries, .. } => {
            if let Some(first) = entries.first() {
                if first.key_text.trim() == "USER-SUPPLIED VALUES" {
                    return Err(ReadError::HelmHeader {
                        location: document.node_location(first.key),
                    });
                }
            }
            Ok(())
        }
        _ => {
            let found = document.value().type_name();
            if document
                .source
                .trim_start()
                .starts_with("USER-SUPPLIED VALUES:")
            {
                return Err(ReadError::HelmHeader {
                    location: document.node_location(root),
                });
            }
            Err(ReadError::NotAMapping {
                found,
                location: document.node_location(root),
            })
        }
    }
}

fn convert_style(style: ParserScalarStyle) -> ScalarStyle {
    match style {
        ParserScalarStyle::SingleQuoted => ScalarStyle::SingleQuoted,
        ParserScalarStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
        ParserScalarStyle::Literal => ScalarStyle::Literal,
        ParserScalarStyle::Folded => ScalarStyle::Folded,
        _ => ScalarStyle::Plain,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        Document::parse(text).unwrap()
    }

    #[test]
    fn spans_of_scalars_and_collections() {
        let text = "a: \"é\" # c1\r\nb:\r\n  - x\r\n  - y  # c2\r\nc: |\r\n  lit\r\n  more\r\n\r\nd: &anc {x: 1}\r\ne: *anc\r\ng:\r\n";
        let d = doc(text);
        let at = |p: &str| {
            d.text_of(d.get(&Path::parse(p).unwrap()).unwrap())
                .to_owned()
        };
        assert_eq!(at("a"), "\"é\"");
        assert_eq!(at("b"), "- x\r\n  - y");
        assert_eq!(at("c"), "|\r\n  lit\r\n  more");
        assert_eq!(at("d"), "{x: 1}");
        assert_eq!(at("e.x"), "1");
        assert_eq!(at("g"), "");
        assert_eq!(d.line_ending(), LineEnding::CrLf);
        assert_eq!(d.comments().len(), 2);
        assert!(d.comments().iter().all(|c| c.trailing));
        let g = d.get(&Path::parse("g").unwrap()).unwrap();
        assert_eq!(d.node(g).span.start, text.find("g:").unwrap() + 2);
        assert_eq!(
            d.get_value(&Path::parse("c").unwrap()),
            Some(Value::String("lit\nmore\n".into()))
        );
    }

    #[test]
    fn bom_is_kept() {
        let d = Document::from_bytes("\u{feff}a: 1\n".as_bytes()).unwrap();
        assert!(d.has_bom());
        assert_eq!(d.to_bytes(), "\u{feff}a: 1\n".as_bytes());
    }

    #[test]
    fn read_errors() {
        let err = |bytes: &[u8]| {
            Document::from_bytes_with(
                bytes,
                DocumentKind::Values,
                Limits::default(),
                Reading::Yaml12,
            )
            .unwrap_err()
        };
        assert!(matches!(
            err(b"\xff\xfea\x00:\x00"),
            ReadError::Utf16 { .. }
        ));
        assert!(matches!(
            err(b"a: 1\nb: \xff\n"),
            ReadError::InvalidUtf8 {
                location: Location { line: 2, column: 4 },
                ..
            }
        ));
        assert!(matches!(
            err(b"a:\n\tb: 1\n"),
            ReadError::TabIndent {
                location: Location { line: 2, column: 1 }
            }
        ));
        assert!(matches!(
            err(b"a: 1\nb: 2\na: 3\n"),
            ReadError::DuplicateKey {
                first: Location { line: 1, .. },
                second: Location { line: 3, .. },
                ..
            }
        ));
        assert!(matches!(
            err(b"# only\n"),
            ReadError::Empty {
                comments_only: true
            }
        ));
        assert!(matches!(
            err(b""),
            ReadError::Empty {
                comments_only: false
            }
        ));
        assert!(matches!(
            err(b"USER-SUPPLIED VALUES:\na: 1\n"),
            ReadError::HelmHeader { .. }
        ));
        assert!(matches!(
            err(b"a: 1\n---\nb: 2\n"),
            ReadError::MultiDocument {
                location: Location { line: 2, column: 1 }
            }
        ));
        assert!(matches!(
            err(b"- a\n"),
            ReadError::NotAMapping {
                found: "sequence",
                ..
            }
        ));
        assert!(matches!(err(b"a: [1, 2\nb: 3\n"), ReadError::Syntax { .. }));
    }

    #[test]
    fn flow_lines_must_be_indented_past_their_parent() {
        // yaml-test-suite 9C9N: refused by YAML 1.2, read by Helm (go-yaml v2).
        for (text, line) in [("flow: [a,\nb,\nc]\n", 2), ("a:\n  b: {\n  }\n", 3)] {
            assert!(Document::parse(text).is_ok(), "{text:?}");
            let err =
                Document::parse_with(text, DocumentKind::Any, Limits::default(), Reading::Yaml12)
                    .unwrap_err();
            assert!(
                matches!(&err, ReadError::Syntax { location, .. } if location.line == line),
                "{text:?}: {err:?}"
            );
            assert!(err
                .hint()
                .is_some_and(|h| h.contains("indent this line more")));
        }
        for text in [
            "flow: [a,\n b,\n c]\n",
            "[a,\nb,\nc]\n",
            "a:\n  b: {\n   }\n",
            "- [a,\n  b]\n",
        ] {
            assert!(Document::parse(text).is_ok(), "{text:?}");
        }
    }

    fn helm(text: &str) -> serde_json::Value {
        let d = Document::parse_values(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        serde_json::from_str(&crate::value::helm_json(d.value()).unwrap()).unwrap()
    }

    #[test]
    fn helm_reading_of_scalars_and_keys() {
        assert_eq!(
            helm("a: on\nb: 0755\nc: '0755'\ny: 1\n0x10: x\nd: !!binary aGk=\ne: 1_000\n"),
            serde_json::json!({"a": true, "b": 493, "c": "0755", "true": 1, "16": "x", "d": "hi", "e": 1000})
        );
        // Duplicate keys: the last wins, and the document remembers both places.
        let d = doc("a: 1\nb: 2\na: 3\n");
        assert_eq!(d.get_value(&Path::parse("a").unwrap()), Some(Value::Int(3)));
        assert_eq!(d.duplicate_keys().len(), 1);
        assert_eq!(
            d.duplicate_keys()[0].second,
            Location { line: 3, column: 1 }
        );
        for (text, line) in [
            ("a: .inf\n", 1),
            ("a: 1\n~: 2\n", 2),
            ("a:\n  ? [x]\n  : 1\n", 2),
            ("a: !!int abc\n", 1),
            ("a: 1\nb:\n  <<: 3\n", 3),
            ("a: !!binary '%%'\n", 1),
            ("18446744073709551615: x\n", 1),
        ] {
            let err = Document::parse_values(text).unwrap_err();
            assert!(
                matches!(&err, ReadError::HelmRefuses { location, .. } if location.line == line),
                "{text:?}: {err:?}"
            );
            assert!(err.to_string().starts_with("Helm would refuse this file: "));
            assert!(err.hint().is_some());
        }
    }

    #[test]
    fn a_mapping_that_merges_itself_is_bounded() {
        for text in ["a: &a {<<: *a}\n", "a: &a\n  b: 1\n  <<: [*a, *a]\n"] {
            let err = Document::parse_values(text).unwrap_err();
            assert!(
                matches!(err, ReadError::TooDeep { .. } | ReadError::Syntax { .. }),
                "{text:?}: {err:?}"
            );
        }
    }

    #[test]
    fn helm_merge_keys_follow_go_yaml_v2() {
        // A merge overrides the keys written before it; keys after it override the merge; in a
        // list of merges the earlier wins; a merged mapping's own merges apply.
        let text = "base: &b {x: 1, p: 2}\nother: &o {p: 3, z: 4}\nderived: &d\n  <<: *b\n  w: 0\n\
            m:\n  x: 9\n  <<: *b\n  p: 5\ns:\n  <<: [*o, *b]\nk:\n  <<: *d\n  q: 1\nlit:\n  \"<<\": 1\n";
        assert_eq!(
            helm(text),
            serde_json::json!({
                "base": {"x": 1, "p": 2}, "other": {"p": 3, "z": 4},
                "derived": {"x": 1, "p": 2, "w": 0},
                "m": {"x": 1, "p": 5}, "s": {"x": 1, "p": 3, "z": 4},
                "k": {"x": 1, "p": 2, "w": 0, "q": 1}, "lit": {"<<": 1}
            })
        );
        let yaml12 = Document::parse_with(
            text,
            DocumentKind::Values,
            Limits::default(),
            Reading::Yaml12,
        )
        .unwrap();
        assert!(yaml12
            .value()
            .as_mapping()
            .unwrap()
            .get("m")
            .unwrap()
            .as_mapping()
            .unwrap()
            .contains_key("<<"));
    }

    #[test]
    fn identity_lookup_and_aliases() {
        let d = doc(
            "base: &b\n  k: v\nuse: *b\npkgs:\n- name: A\n  version: 1\n- name: B\n  version: 2\n",
        );
        assert_eq!(
            d.get_value(&Path::parse("pkgs[name=B].version").unwrap()),
            Some(Value::Int(2))
        );
        assert_eq!(
            d.get_value(&Path::parse("use.k").unwrap()),
            Some(Value::String("v".into()))
        );
    }

    /// Anchors defined inside complex keys cost nothing while reading (keys are not
    /// expanded), and each one nests the previous: the value's depth grows with their number.
    #[test]
    fn alias_nesting_is_bounded_by_max_depth() {
        let mut text = String::from("? &k0 [[[[[x]]]]]\n: 0\n");
        for i in 1..100 {
            text.push_str(&format!("? &k{i} [[[[[*k{}]]]]]\n: {i}\n", i - 1));
        }
        text.push_str("last: *k99\n");
        // Helm refuses complex keys outright; the YAML 1.2 reading expands them.
        assert!(matches!(
            Document::parse(&text),
            Err(ReadError::HelmRefuses { location, .. }) if location.line == 1
        ));
        let yaml12 = |text: &str| {
            Document::parse_with(text, DocumentKind::Any, Limits::default(), Reading::Yaml12)
        };
        let err = yaml12(&text).unwrap_err();
        assert!(
            matches!(err, ReadError::TooDeep { limit: 200, location } if location.line == 201),
            "{err:?}"
        );
        // Within the limit, the expansion reads.
        let shallow = "? &k0 [[x]]\n: 0\n? &k1 [[*k0]]\n: 1\nlast: *k1\n";
        let d = yaml12(shallow).unwrap();
        assert_eq!(
            d.value()
                .as_mapping()
                .unwrap()
                .get("last")
                .unwrap()
                .to_json(),
            serde_json::json!([[[["x"]]]])
        );
    }

    #[test]
    fn long_strings_repeated_through_aliases_are_bounded() {
        // 1,000 copies of 1 MB would be 1 GB: refused, though only 1,000 nodes.
        let text = format!(
            "a: &a {}\nb: [{}]\n",
            "x".repeat(1 << 20),
            "*a, ".repeat(1000)
        );
        assert!(matches!(
            Document::parse(&text),
            Err(ReadError::AliasBudget { location, .. }) if location.line == 2
        ));
        // The same document without aliases is only as large as its text.
        let text = format!("a: {}\nb: [{}]\n", "x".repeat(1 << 20), "y, ".repeat(1000));
        assert!(Document::parse(&text).is_ok());
    }

    #[test]
    fn nodes_without_aliases_spend_no_alias_budget() {
        let text: String = (0..2000).map(|i| format!("k{i}: v\n")).collect();
        let limits = Limits {
            max_expanded_nodes: 10,
            ..Limits::default()
        };
        let d = Document::parse_as(&text, DocumentKind::Values, limits).unwrap();
        assert_eq!(d.value().as_mapping().unwrap().len(), 2000);
        assert_eq!(d.limits(), limits);
        let aliased = "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nb: *a\n";
        assert!(matches!(
            Document::parse_as(aliased, DocumentKind::Any, limits),
            Err(ReadError::AliasBudget { limit: 10, location }) if location.line == 2
        ));
    }

    #[test]
    fn node_count_is_bounded() {
        let limits = Limits {
            max_nodes: 5,
            ..Limits::default()
        };
        // A mapping and four nodes: its two keys and two values.
        assert!(Document::parse_as("a: 1\nb: 2\n", DocumentKind::Values, limits).is_ok());
        let err =
            Document::parse_as("a: 1\nb: 2\nc: 3\n", DocumentKind::Values, limits).unwrap_err();
        assert!(
            matches!(
                err,
                ReadError::TooManyNodes {
                    limit: 5,
                    location: Location { line: 3, column: 1 }
                }
            ),
            "{err:?}"
        );
        assert!(err.hint().is_some());
    }

    #[test]
    fn nesting_limit_is_ours_not_the_parsers() {
        // Above the parser's own default of 255 levels.
        let limits = Limits {
            max_depth: 1000,
            ..Limits::default()
        };
        let deep = format!("{}{}", "[".repeat(600), "]".repeat(600));
        assert!(Document::parse_as(&deep, DocumentKind::Any, limits).is_ok());
        let deeper = format!("{}{}", "[".repeat(1001), "]".repeat(1001));
        assert!(matches!(
            Document::parse_as(&deeper, DocumentKind::Any, limits),
            Err(ReadError::TooDeep { limit: 1000, .. })
        ));
        let err = Document::parse(&deep).unwrap_err();
        assert!(
            matches!(
                err,
                ReadError::TooDeep {
                    limit: 200,
                    location: Location {
                        line: 1,
                        column: 201
                    }
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn billion_laughs_is_refused() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let prev = (b'a' + i - 1) as char;
            let name = (b'a' + i) as char;
            text.push_str(&format!("{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        assert!(matches!(
            Document::parse(&text),
            Err(ReadError::AliasBudget { .. })
        ));
    }
}
