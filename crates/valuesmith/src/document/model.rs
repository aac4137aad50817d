//! The document's data model: node ids, nodes and their kinds, scalar and collection styles,
//! line endings, what the reader accepts ([`DocumentKind`]), how it reads ([`Reading`]) and
//! the [`Limits`] it reads within.

use std::ops::Range;

use crate::diagnostic::Location;

/// The index of a node in its document's arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub(super) u32);

impl NodeId {
    pub(crate) fn index(self) -> usize {
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
    /// The anchor defined on it (boxed: few nodes have one, and every node pays for the
    /// field's size).
    pub anchor: Option<Box<Anchor>>,
    /// The explicit tag, as written (`!!str`).
    pub tag: Option<Box<str>>,
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
    /// YAML 1.2 it is [`ReadError::Empty`](super::ReadError::Empty).
    Values,
}

/// How scalars, keys and merge keys are read: what a document *means*.
///
/// The default is Helm's reading, the one that matters for a values file: go-yaml v2's YAML 1.1
/// resolution (`yes`/`on`/`y` are booleans, `0755` is 493, `1_000` is 1000, `0x1F` is 31),
/// numbers as the float64 Helm holds them, keys turned into strings as `sigs.k8s.io/yaml`
/// turns them (`y:` is the key `"true"`), merge keys `<<` merged as go-yaml v2 merges them, a
/// duplicate key's last value winning (recorded in [`Document::duplicate_keys`](super::Document::duplicate_keys)), `!!binary`
/// decoded, and what Helm refuses (`.inf`, null or complex keys, a `!!int` that is not one)
/// refused with [`ReadError::HelmRefuses`](super::ReadError::HelmRefuses). docs/helm-semantics.md lists the differences.
///
/// [`Reading::Yaml12`] is the one switch for YAML that is not a values file (manifests, the
/// YAML test suite): the YAML 1.2 core schema, `<<` an ordinary key, duplicate keys refused,
/// and YAML 1.2's indentation rules inside flow collections.
///
/// Helm 3 and Helm 4 differ only on a values file of several YAML documents: Helm 4 reads
/// every document and merges them in order (mappings key by key, anything else replaced, as
/// `-f` files merge), Helm 3 reads the first document and ignores the rest, unparsed.
/// [`Reading::Helm`] is Helm 4's (the current Helm release); [`Reading::Helm3`] selects Helm 3's.
/// [`Reading::default`] is [`Reading::Helm`] unless [`Reading::set_process_default`] chose
/// another (the command line's `--helm-version 3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reading {
    /// What Helm 4 makes of a values file (and Helm 3 of a single-document one).
    Helm,
    /// What Helm 3 makes of a values file: the Helm reading of its first document only.
    Helm3,
    /// The YAML 1.2 core schema.
    Yaml12,
}

/// The process's default reading: 0 Helm, 1 Helm 3, 2 YAML 1.2.
static PROCESS_DEFAULT: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

impl Default for Reading {
    /// The process default: [`Reading::Helm`] unless [`Reading::set_process_default`] said
    /// otherwise.
    fn default() -> Self {
        match PROCESS_DEFAULT.load(std::sync::atomic::Ordering::Relaxed) {
            1 => Reading::Helm3,
            2 => Reading::Yaml12,
            _ => Reading::Helm,
        }
    }
}

impl Reading {
    /// Sets what [`Reading::default`] gives for the rest of the process, and so how every
    /// values file is read by the functions that take no reading (`--helm-version 3` on the
    /// command line sets [`Reading::Helm3`]). Call it once, before reading.
    pub fn set_process_default(reading: Reading) {
        let code = match reading {
            Reading::Helm => 0,
            Reading::Helm3 => 1,
            Reading::Yaml12 => 2,
        };
        PROCESS_DEFAULT.store(code, std::sync::atomic::Ordering::Relaxed);
    }

    /// Whether this is one of Helm's readings (go-yaml v2 scalars, merge keys, last-wins
    /// duplicate keys), of either Helm version.
    pub fn is_helm(self) -> bool {
        matches!(self, Reading::Helm | Reading::Helm3)
    }
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
