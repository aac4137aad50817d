//! Structural diff of two YAML documents and its reports (docs/diff.md).
//!
//! This module owns what "the difference between two documents" means: [`diff`] compares two
//! read [`Document`]s by meaning, never by text, so re-indentation, quoting, comments and key
//! order are not differences. Mappings are compared key by key; sequences whose items are all
//! mappings are matched item by item through an identity key (§3: the first of the user's
//! keys, `name`, `id`, `key` that every item has with unique scalar values); every other
//! sequence is matched by the longest common subsequence of whole items. The result is a
//! [`Diff`]: a list of [`Change`]s in document order that is complete, so its
//! [`Diff::to_patch`] turns the old value into the new one exactly. [`render`] turns a diff into the `human`, `brief`,
//! `json` and `github` reports, redacting secrets unless asked not to.

mod engine;
mod matching;
mod pattern;
pub mod render;
#[cfg(test)]
mod tests;
mod to_patch;

use std::fmt;

use crate::document::Document;
use crate::path::{Path, Segment};
use crate::value::Value;

pub use pattern::{PathPattern, PatternSegment};

/// What [`diff`] may do beyond its defaults. Build it from `Default` and the `with_` setters
/// (`DiffOptions::default().with_show_secrets(true)`): fields may be added.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DiffOptions {
    /// Identity keys tried before `name`, `id` and `key` on sequences of mappings
    /// (`--identity`, or a catalog's `identity_keys`).
    pub identity_keys: Vec<String>,
    /// Paths whose differences are not reported (`--ignore`): a change is left out when a
    /// pattern matches its path or one of its ancestors.
    pub ignore: Vec<PathPattern>,
    /// Whether reports show secret values instead of `<redacted>` (`--show-secrets`).
    pub show_secrets: bool,
}

impl DiffOptions {
    /// With these identity keys tried before `name`, `id` and `key`.
    #[must_use]
    pub fn with_identity_keys(mut self, identity_keys: Vec<String>) -> Self {
        self.identity_keys = identity_keys;
        self
    }

    /// With these paths left out of the result.
    #[must_use]
    pub fn with_ignore(mut self, ignore: Vec<PathPattern>) -> Self {
        self.ignore = ignore;
        self
    }

    /// Showing secret values in reports (`true`) or `<redacted>` (`false`, the default).
    #[must_use]
    pub fn with_show_secrets(mut self, show_secrets: bool) -> Self {
        self.show_secrets = show_secrets;
        self
    }
}

/// What happened at a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ChangeKind {
    /// The path exists only in the new document.
    Added,
    /// The path exists only in the old document.
    Removed,
    /// A scalar changed, or the type of the node changed.
    Changed,
    /// An identity-matched sequence whose common items changed order.
    Reordered,
}

impl ChangeKind {
    /// The name used in reports: `added`, `removed`, `changed`, `reordered`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
            ChangeKind::Reordered => "reordered",
        }
    }
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One difference between the old and the new document.
///
/// The values are the real ones (aliases expanded), secrets included: reports redact them
/// through [`Diff::shown_old`] and [`Diff::shown_new`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Change {
    /// What happened.
    pub kind: ChangeKind,
    /// Where. An item of an identity-matched sequence is named by its identity
    /// (`packages[name=x]`), any other item by its position: in OLD for a removed item, in
    /// NEW for an added one, and in both (they are equal) for a changed one.
    pub path: Path,
    /// The old value (`removed`, `changed`).
    pub old: Option<Value>,
    /// The new value (`added`, `changed`).
    pub new: Option<Value>,
    /// The 1-based line of the path in the old document (the key's line for a mapping entry).
    pub old_line: Option<usize>,
    /// The 1-based line of the path in the new document.
    pub new_line: Option<usize>,
    /// For `reordered`: the identities of the items both documents have, in old order
    /// (each a [`Segment::Identity`]).
    pub old_order: Option<Vec<Segment>>,
    /// For `reordered`: the same identities in new order.
    pub new_order: Option<Vec<Segment>>,
    /// For an added or removed sequence item: its index in NEW (added) or OLD (removed).
    /// Identity paths do not say where an added item goes; this does, so
    /// [`Diff::to_patch`] can put it there.
    pub position: Option<usize>,
}

impl Change {
    pub(crate) fn new(kind: ChangeKind, path: Path) -> Self {
        Self {
            kind,
            path,
            old: None,
            new: None,
            old_line: None,
            new_line: None,
            old_order: None,
            new_order: None,
            position: None,
        }
    }

    /// Whether the change is to a node whose type changed (both values present, of different
    /// types).
    pub fn is_type_change(&self) -> bool {
        match (&self.old, &self.new) {
            (Some(old), Some(new)) => old.type_name() != new.type_name(),
            _ => false,
        }
    }
}

/// The differences between two documents, in document order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Diff {
    /// The changes, in document order.
    pub changes: Vec<Change>,
    /// Whether reports show secret values (from [`DiffOptions::show_secrets`]).
    pub show_secrets: bool,
    /// The secret values of both documents: a value secret on one side is redacted on the
    /// other too (`db.pass` moved to `database.password`).
    pub secret_values: crate::secrets::SecretValues,
}

impl Diff {
    /// Whether the documents are equal (after ignored paths are left out).
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The number of changes.
    pub fn len(&self) -> usize {
        self.changes.len()
    }

    /// The diff as a [`Patch`](crate::patch::Patch): applied to the old value it gives the
    /// new one exactly (when nothing was ignored), and
    /// [`DocumentMut::apply`](crate::edit::DocumentMut::apply) writes it into another file
    /// keeping its format. Changed values and added or removed keys become sets and
    /// removals; within a sequence, changes inside items come first (OLD positions), then
    /// removals (by identity, or by position from the highest down), then a
    /// [`Reorder`](crate::patch::Change::Reorder) of the common items, then insertions in
    /// ascending NEW position.
    pub fn to_patch(&self) -> crate::patch::Patch {
        to_patch::to_patch(self)
    }

    /// The old value as reports show it: `<redacted>` in place of secrets unless
    /// [`Diff::show_secrets`].
    pub fn shown_old(&self, change: &Change) -> Option<Value> {
        self.shown(change, change.old.as_ref())
    }

    /// The new value as reports show it.
    pub fn shown_new(&self, change: &Change) -> Option<Value> {
        self.shown(change, change.new.as_ref())
    }

    fn shown(&self, change: &Change, value: Option<&Value>) -> Option<Value> {
        let value = value?;
        Some(if self.show_secrets {
            value.clone()
        } else {
            crate::secrets::redact_known(&change.path, value, &self.secret_values)
        })
    }
}

/// Compares two documents by meaning (see the module documentation).
///
/// ```
/// use valuesmith::diff::{diff, ChangeKind, DiffOptions};
/// use valuesmith::document::Document;
///
/// let old = Document::parse("image: {tag: '1.0'}\npackages:\n- {name: a, version: 1}\n")?;
/// let new = Document::parse("image:\n  tag: '1.1'\npackages:\n- {name: b, version: 1}\n- {name: a, version: 1}\n")?;
/// let changes = diff(&old, &new, &DiffOptions::default());
/// let paths: Vec<String> = changes.changes.iter().map(|c| format!("{} {}", c.kind, c.path)).collect();
/// assert_eq!(paths, ["changed image.tag", "added packages[name=b]"]);
/// assert_eq!(changes.changes[0].kind, ChangeKind::Changed);
/// assert_eq!(&changes.to_patch().applied(old.value()), new.value());
/// # Ok::<(), valuesmith::document::ReadError>(())
/// ```
pub fn diff(old: &Document, new: &Document, options: &DiffOptions) -> Diff {
    Diff {
        changes: engine::Engine::new(old, new, options).run(),
        show_secrets: options.show_secrets,
        secret_values: if options.show_secrets {
            crate::secrets::SecretValues::default()
        } else {
            crate::secrets::SecretValues::of_documents(&[old, new])
        },
    }
}

/// The unified text diff of two versions of one file (`--dry-run`, `set --diff`), with
/// secrets redacted on both sides unless `show_secrets` (docs/secrets.md), coloured with
/// `color`: what `migrate --dry-run`, `apply --dry-run` and `set --diff` print. Empty when
/// the texts are equal.
pub fn unified(
    old: &Document,
    new: &Document,
    old_name: &str,
    new_name: &str,
    show_secrets: bool,
    color: crate::diagnostic::Color,
) -> String {
    use std::fmt::Write as _;
    let (old_text, new_text) = crate::secrets::diff_texts(old, new, show_secrets);
    if old_text == new_text {
        return String::new();
    }
    let diff = similar::TextDiff::from_lines(&old_text, &new_text);
    let mut out = String::new();
    for line in diff
        .unified_diff()
        .context_radius(2)
        .header(old_name, new_name)
        .to_string()
        .lines()
    {
        let painted = match line.as_bytes().first() {
            Some(b'+') if !line.starts_with("+++") => color.paint("32", line),
            Some(b'-') if !line.starts_with("---") => color.paint("31", line),
            Some(b'@') => color.paint("36", line),
            _ => line.to_owned(),
        };
        let _ = writeln!(out, "{painted}");
    }
    out
}
