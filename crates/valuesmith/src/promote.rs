//! Promotion: writing a patch made on one file (a `diff` of dev before and after a change)
//! into another file (prod), format-preserving, with conflicts (docs/environments.md).
//!
//! This module owns what "apply this change to a file that was not its source" means. Each
//! change of the [`Patch`] is checked against the target's current value before it is taken:
//! a change whose old value is what the target has is applied; one whose result the target
//! already has is `already` (so a second apply changes nothing); a change at a path the
//! drift policy allows to differ ([`DriftSettings`]) is skipped; anything else is a
//! [`Conflict`], reported with both values and the target's line. A change carrying a
//! `<redacted>` value (a diff report made without `--show-secrets`) is a conflict too, so a
//! redaction marker is never written into a file. Removing the last items of a list or the
//! last keys of a mapping removes the emptied key, as `migrate` does
//! ([`crate::migrate::emptied_ancestor`]), unless `keep_empty`. The accepted changes are
//! written with [`DocumentMut::apply`], so every other byte of the target is kept.

use crate::config::DriftSettings;
use crate::document::Document;
use crate::edit::{DocumentMut, PatchError};
use crate::patch::{self, Change, Patch};
use crate::path::{identity_segment, Path};
use crate::secrets::REDACTED;
use crate::value::Value;

/// What [`promote`] may do beyond its defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PromoteOptions {
    /// Paths whose differences are intended: changes there are skipped.
    pub policy: DriftSettings,
    /// Apply the changes that do not conflict even when some do (`--skip-conflicts`).
    pub skip_conflicts: bool,
    /// Keep a list or mapping that a removal empties, as `[]` or `{}` (without it the emptied
    /// key goes, so the chart's default applies).
    pub keep_empty: bool,
}

impl PromoteOptions {
    /// With the paths whose differences are intended (skipped).
    #[must_use]
    pub fn with_policy(mut self, policy: DriftSettings) -> Self {
        self.policy = policy;
        self
    }

    /// Applying the changes that do not conflict even when some do.
    #[must_use]
    pub fn with_skip_conflicts(mut self, skip_conflicts: bool) -> Self {
        self.skip_conflicts = skip_conflicts;
        self
    }

    /// Keeping a list or mapping that a removal empties, as `[]` or `{}`.
    #[must_use]
    pub fn with_keep_empty(mut self, keep_empty: bool) -> Self {
        self.keep_empty = keep_empty;
        self
    }
}

/// A change whose old value is not what the target has.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// What the patch expects at the path (`None`: absent).
    pub expected: Option<Value>,
    /// What the target has there (`None`: absent).
    pub found: Option<Value>,
    /// The 1-based line of the path (or its nearest existing parent) in the target.
    pub line: Option<usize>,
    /// Why, in words (`the file has another value`, `the patch holds a redacted value`).
    pub reason: String,
}

/// What became of one change of the patch.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Outcome {
    /// Written into the target.
    Applied,
    /// The target already has the change's result; nothing to do.
    Already,
    /// The path may differ between environments (`drift.allow`); skipped.
    Allowed,
    /// Not applied: the target differs there.
    Conflict(Conflict),
}

impl Outcome {
    /// `applied`, `already`, `allowed` or `conflict` (reports and JSON).
    pub fn name(&self) -> &'static str {
        match self {
            Outcome::Applied => "applied",
            Outcome::Already => "already",
            Outcome::Allowed => "allowed",
            Outcome::Conflict(_) => "conflict",
        }
    }
}

/// One change of the patch and what became of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The change as the patch states it.
    pub change: Change,
    /// What became of it.
    pub outcome: Outcome,
    /// For an applied removal that emptied a list or mapping: that collection, and whether
    /// it stays (`keep_empty`) or went too.
    pub emptied: Option<(Path, bool)>,
}

/// The result of [`promote`].
#[derive(Debug, Clone)]
pub struct Promotion {
    /// The target after the applied changes (unchanged when [`Promotion::blocked`]).
    pub document: Document,
    /// Every change of the patch, in order, with its outcome.
    pub entries: Vec<Entry>,
    /// Whether conflicts stopped the write (there are some and `skip_conflicts` is off):
    /// then nothing was applied.
    pub blocked: bool,
}

impl Promotion {
    /// The entries that conflict.
    pub fn conflicts(&self) -> impl Iterator<Item = (&Entry, &Conflict)> {
        self.entries.iter().filter_map(|e| match &e.outcome {
            Outcome::Conflict(c) => Some((e, c)),
            _ => None,
        })
    }

    /// How many entries have the outcome named `name` ([`Outcome::name`]).
    pub fn count(&self, name: &str) -> usize {
        self.entries
            .iter()
            .filter(|e| e.outcome.name() == name)
            .count()
    }
}

/// Applies `patch` to `target` as described in the module documentation. An `Err` is a
/// change the editor could not write (a parent of another type, an alias in the way); the
/// target is unchanged then.
pub fn promote(
    target: Document,
    patch: &Patch,
    options: &PromoteOptions,
) -> Result<Promotion, PatchError> {
    let mut value = target.value().clone();
    let mut entries = Vec::new();
    let mut accepted = Patch::new();
    let changes = patch.changes();
    for (index, change) in changes.iter().enumerate() {
        let outcome = if touched_paths(change)
            .iter()
            .any(|path| options.policy.allows(path))
        {
            Outcome::Allowed
        } else {
            check(&target, &value, change)
        };
        let mut emptied = None;
        if outcome == Outcome::Applied {
            let mut written = change.clone();
            if let Change::Remove { path, .. } = change {
                let later = &changes[index + 1..];
                let (gone, empty) = emptied_by(&value, path, later, options.keep_empty);
                if let Some(old) = patch::get(&value, &gone).cloned() {
                    written = Change::Remove { path: gone, old };
                }
                emptied = empty;
            }
            written.apply(&mut value);
            accepted.push(written);
        }
        entries.push(Entry {
            change: change.clone(),
            outcome,
            emptied,
        });
    }
    let blocked = !options.skip_conflicts
        && entries
            .iter()
            .any(|e| matches!(e.outcome, Outcome::Conflict(_)));
    if blocked {
        for entry in &mut entries {
            entry.emptied = None;
        }
        return Ok(Promotion {
            document: target,
            entries,
            blocked,
        });
    }
    let mut editor = DocumentMut::new(target);
    editor.apply(&accepted)?;
    Ok(Promotion {
        document: editor.into_document(),
        entries,
        blocked,
    })
}

/// The paths a change reads or writes (for the policy).
fn touched_paths(change: &Change) -> Vec<Path> {
    match change {
        Change::Move { from, to, .. } => vec![from.clone(), to.clone()],
        Change::Insert { path, value, .. } => match identity_segment(value, None) {
            Some(segment) => vec![path.child(segment)],
            None => vec![path.clone()],
        },
        other => vec![other.path()],
    }
}

/// What removing `path` takes with it: the emptied ancestor of [`crate::migrate::emptied_ancestor`],
/// unless a later change of the patch writes into that ancestor again.
fn emptied_by(
    value: &Value,
    path: &Path,
    later: &[Change],
    keep_empty: bool,
) -> (Path, Option<(Path, bool)>) {
    let (gone, emptied) = crate::migrate::emptied_ancestor(value, path, keep_empty);
    let refilled = |collection: &Path| {
        later.iter().any(|c| {
            touched_paths(c)
                .iter()
                .any(|p| p.starts_with(collection) && p != collection)
        })
    };
    match &emptied {
        Some((collection, false)) if refilled(collection) => (path.clone(), None),
        _ if gone != *path && refilled(&gone) => (path.clone(), None),
        _ => (gone, emptied),
    }
}

fn holds_redacted(value: &Value) -> bool {
    match value {
        Value::String(text) => text.starts_with(REDACTED.trim_end_matches('>')),
        Value::Sequence(items) => items.iter().any(holds_redacted),
        Value::Mapping(m) => m.iter().any(|(_, v)| holds_redacted(v)),
        _ => false,
    }
}

/// The line of `path` in the target, or of its nearest parent that exists.
fn line_of(target: &Document, path: &Path) -> Option<usize> {
    let mut path = path.clone();
    loop {
        if let Some(id) = target.get(&path) {
            return Some(target.node_location(id).line).filter(|&l| l > 0);
        }
        path = path.split_last()?.0;
    }
}

fn conflict(
    target: &Document,
    path: &Path,
    expected: Option<&Value>,
    found: Option<&Value>,
) -> Outcome {
    Outcome::Conflict(Conflict {
        expected: expected.cloned(),
        found: found.cloned(),
        line: line_of(target, path),
        reason: match (expected, found) {
            (Some(_), None) => "the file does not have it".to_owned(),
            (None, Some(_)) => "the file already has another value".to_owned(),
            _ => "the file has another value".to_owned(),
        },
    })
}

/// Whether `change` applies to `value` (the target with the changes accepted so far).
fn check(target: &Document, value: &Value, change: &Change) -> Outcome {
    if change.new_value().is_some_and(holds_redacted) {
        return Outcome::Conflict(Conflict {
            expected: change.old().cloned(),
            found: patch::get(value, &change.path()).cloned(),
            line: line_of(target, &change.path()),
            reason: "the patch holds a redacted value; make it with `diff --show-secrets`"
                .to_owned(),
        });
    }
    match change {
        Change::Set { path, old, new } => {
            let found = patch::get(value, path);
            if found == Some(new) {
                Outcome::Already
            } else if found == old.as_ref() {
                Outcome::Applied
            } else {
                conflict(target, path, old.as_ref(), found)
            }
        }
        Change::Remove { path, old } => match patch::get(value, path) {
            None => Outcome::Already,
            Some(found) if found == old => Outcome::Applied,
            found => conflict(target, path, Some(old), found),
        },
        Change::Move {
            from,
            to,
            value: moved,
        } => match (patch::get(value, from), patch::get(value, to)) {
            (Some(here), None) if here == moved => Outcome::Applied,
            (None, Some(there)) if there == moved => Outcome::Already,
            (None, None) => conflict(target, from, Some(moved), None),
            (Some(here), _) if here != moved => conflict(target, from, Some(moved), Some(here)),
            (_, there) => conflict(target, to, None, there),
        },
        Change::Insert {
            path,
            position,
            value: item,
        } => {
            let Some(Value::Sequence(items)) = patch::get(value, path) else {
                return conflict(target, path, None, patch::get(value, path));
            };
            match identity_segment(item, Some(items)) {
                Some(segment) => {
                    let at = path.child(segment);
                    match patch::get(value, &at) {
                        None => Outcome::Applied,
                        Some(found) if found == item => Outcome::Already,
                        found => conflict(target, &at, None, found),
                    }
                }
                None if items.get(*position) == Some(item) => Outcome::Already,
                None => Outcome::Applied,
            }
        }
        Change::Reorder { path, .. } => match patch::get(value, path) {
            Some(Value::Sequence(_)) => {
                let mut after = value.clone();
                change.apply(&mut after);
                if &after == value {
                    Outcome::Already
                } else {
                    Outcome::Applied
                }
            }
            found => conflict(target, path, None, found),
        },
    }
}

/// `--format` of an apply report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReportFormat {
    /// Text for a terminal.
    Human,
    /// JSON (docs/environments.md).
    Json,
}

/// The report of a promotion into `file`: one line per change that was not simply applied
/// cleanly plus a summary (human), or every entry (JSON). Values are redacted unless
/// `show_secrets` (docs/secrets.md).
pub fn render(
    promotion: &Promotion,
    file: &str,
    format: ReportFormat,
    show_secrets: bool,
) -> String {
    match format {
        ReportFormat::Human => report::human(promotion, file, show_secrets),
        ReportFormat::Json => report::json(promotion, file, show_secrets),
    }
}

mod report;
#[cfg(test)]
mod tests;
