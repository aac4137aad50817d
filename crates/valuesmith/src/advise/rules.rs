//! Draft rules and the confident renames written into a file (docs/advise.md, "Draft rules").
//!
//! `migrate` applies a `rename` rule as a [`Change::Move`] followed by the removal of the
//! parent the move left empty (and of its parents left empty in turn); [`rename_patch`]
//! makes the same changes, so [`write_renames`] gives the file that `migrate` gives for the
//! rules [`draft_rules`] prints.

use super::{advise, AdviseError, AdviseInputs, Report, CONFIDENT};
use crate::diagnostic::{Diagnostic, ToDiagnostic};
use crate::document::Document;
use crate::edit::{render_flow, DocumentMut};
use crate::patch::{Change, Patch};
use crate::path::{Path, Segment};
use crate::value::Value;

/// A file with the confident renames applied.
#[derive(Debug, Clone)]
pub struct Written {
    /// The file's name as given.
    pub file: String,
    /// The new text (every byte outside the moved keys kept).
    pub text: String,
    /// The renames applied, `(from, to)`.
    pub applied: Vec<(Path, Path)>,
    /// The renames left out for this file, with why (the target already set).
    pub skipped: Vec<(Path, Path, String)>,
}

/// Why the renames could not be written.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum WriteError {
    /// The advisor could not run on the files as given or as written.
    #[error(transparent)]
    Advise(#[from] AdviseError),
    /// A written file does not read back as values (the editor's fault, not the user's).
    #[error("{file}: the written file does not read back: {error}")]
    Reread {
        /// The file.
        file: String,
        /// Why, in words.
        error: String,
    },
    /// The editor refused a change (the file is left as it was).
    #[error("{file}: the renames could not be written: {error}")]
    Edit {
        /// The file.
        file: String,
        /// The editor's error, in words.
        error: String,
    },
}

impl ToDiagnostic for WriteError {
    fn to_diagnostic(&self) -> Diagnostic {
        match self {
            WriteError::Advise(error) => error.to_diagnostic(),
            other => Diagnostic::error(other.to_string()),
        }
    }
}

/// What `advise --write` and `-i` do: the report, every file with the confident renames
/// applied, and the report again on the written files, which is what is left for the user.
#[derive(Debug, Clone)]
pub struct Rewritten {
    /// The report on the files as given.
    pub report: Report,
    /// Each file with the renames applied, in the order given.
    pub files: Vec<Written>,
    /// The report on the written files (layered in the same order, with the same flags),
    /// their lines those of the written text: the stale keys and schema failures that remain.
    pub left: Report,
}

/// Advises on `inputs`, applies the confident renames to every file, and advises again on
/// the written files, each shown under its name in `shown` (where it is written: `OUT`, or
/// the file itself in place); a missing name keeps the file's own.
pub fn rewrite(inputs: AdviseInputs<'_>, shown: &[String]) -> Result<Rewritten, WriteError> {
    let report = advise(inputs)?;
    let mut files = Vec::new();
    let mut written_documents = Vec::new();
    for (i, (name, document)) in inputs.files.iter().enumerate() {
        let written = write_renames(name, document, &report)?;
        let document = Document::values_from_bytes(written.text.as_bytes()).map_err(|error| {
            WriteError::Reread {
                file: name.clone(),
                error: error.to_string(),
            }
        })?;
        let name = shown.get(i).unwrap_or(name).clone();
        written_documents.push((name, document));
        files.push(written);
    }
    let left = advise(AdviseInputs {
        files: &written_documents,
        ..inputs
    })?;
    Ok(Rewritten {
        report,
        files,
        left,
    })
}

/// The changes `migrate` makes for `rename` rules `renames` on `value`: each key present
/// whose target is free moves, and a parent it leaves empty goes. Returns the patch and the
/// renames left out with why.
pub fn rename_patch(value: &Value, renames: &[(Path, Path)]) -> (Patch, Vec<(Path, Path, String)>) {
    let mut current = value.clone();
    let mut patch = Patch::new();
    let mut skipped = Vec::new();
    for (from, to) in renames {
        let Some(moved) = current.at(from).cloned() else {
            continue;
        };
        if let Some(there) = current.at(to) {
            if *there != moved {
                skipped.push((
                    from.clone(),
                    to.clone(),
                    format!("`{to}` is already set in the file"),
                ));
                continue;
            }
        }
        let change = Change::Move {
            from: from.clone(),
            to: to.clone(),
            value: moved,
        };
        change.apply(&mut current);
        patch.push(change);
        if let Some((parent, _)) = from.split_last() {
            if !parent.is_root()
                && matches!(current.at(&parent), Some(Value::Mapping(m)) if m.is_empty())
            {
                let target = emptied_ancestor(&current, &parent);
                if let Some(old) = current.at(&target).cloned() {
                    let change = Change::Remove { path: target, old };
                    change.apply(&mut current);
                    patch.push(change);
                }
            }
        }
    }
    (patch, skipped)
}

/// The highest ancestor of `path` (itself included) that would be left empty by its removal.
fn emptied_ancestor(value: &Value, path: &Path) -> Path {
    let mut target = path.clone();
    while let Some((parent, _)) = target.split_last() {
        let sole = match (value.at(&parent), parent.last()) {
            (Some(Value::Mapping(m)), Some(Segment::Key(_))) => m.len() == 1,
            (Some(Value::Sequence(items)), Some(Segment::Key(_))) => items.len() == 1,
            _ => false,
        };
        if parent.is_root() || !sole {
            break;
        }
        target = parent;
    }
    target
}

/// Writes the report's confident renames into `document` (named `file`), keeping every other
/// byte; a rename whose key the file does not set is not this file's.
pub fn write_renames(
    file: &str,
    document: &Document,
    report: &Report,
) -> Result<Written, WriteError> {
    let renames = report.confident_renames();
    let (patch, skipped) = rename_patch(document.value(), &renames);
    let applied = patch
        .changes()
        .iter()
        .filter_map(|c| match c {
            Change::Move { from, to, .. } => Some((from.clone(), to.clone())),
            _ => None,
        })
        .collect();
    let mut editor = DocumentMut::new(document.clone());
    if !patch.is_empty() {
        editor.apply(&patch).map_err(|error| WriteError::Edit {
            file: file.to_owned(),
            error: error.to_string(),
        })?;
    }
    Ok(Written {
        file: file.to_owned(),
        text: editor.to_text(),
        applied,
        skipped,
    })
}

/// A catalog release block (docs/catalog.md) for chart B: a `rename` rule for every confident
/// rename, a `warn` for every other stale key and schema failure, and, commented out for the
/// reader to choose, `remove` rules for overrides equal to B's default and `replace` rules for
/// copies of A's defaults. Paste it under `releases:`; `migrate` then gives the same file as
/// `advise --write`.
pub fn draft_rules(report: &Report) -> String {
    let q = |text: &str| serde_json::to_string(text).unwrap_or_default();
    let mut out = format!(
        "# Draft rules from `valuesmith advise`: {} {} -> {}.\n\
         # Paste under `releases:` in a catalog (docs/catalog.md) and review every rule.\n\
         - version: {}\n  chart_version: {}\n",
        report.to.name,
        report.from.version,
        report.to.version,
        q(&report.to.version),
        q(&report.to.version),
    );
    let mut rules = String::new();
    let renames = report.confident_renames();
    for (from, to) in &renames {
        let guess = report
            .stale
            .iter()
            .find(|s| s.path == *from)
            .and_then(|s| s.guesses.first());
        let reason = guess.map_or_else(String::new, |g| {
            format!("{} ({}% sure)", g.reason, g.confidence)
        });
        rules.push_str(&format!(
            "    - rename: {}\n      to: {}\n      reason: {}\n",
            q(&from.to_string()),
            q(&to.to_string()),
            q(&reason)
        ));
    }
    for stale in &report.stale {
        if renames.iter().any(|(from, _)| *from == stale.path) {
            continue;
        }
        let guesses = if stale.guesses.is_empty() {
            "no rename guess".to_owned()
        } else {
            let shown: Vec<String> = stale
                .guesses
                .iter()
                .map(|g| format!("`{}` ({}%)", g.to, g.confidence))
                .collect();
            format!("maybe {}", shown.join(" or "))
        };
        rules.push_str(&format!(
            "    - warn: {}\n",
            q(&format!(
                "`{}` is not a key of {} {}: Helm {} it; {guesses} (below {CONFIDENT}% or \
                 ambiguous, so not renamed)",
                stale.path,
                report.to.name,
                report.to.version,
                match stale.helm {
                    super::HelmOutcome::FailsSchema => "fails the schema on",
                    _ => "ignores",
                }
            ))
        ));
    }
    for failure in &report.schema {
        rules.push_str(&format!(
            "    - warn: {}\n",
            q(&format!(
                "{} {}'s schema: {} (at {})",
                report.to.name, report.to.version, failure.message, failure.at
            ))
        ));
    }
    if rules.is_empty() {
        out.push_str("  migrate: []\n");
    } else {
        out.push_str("  migrate:\n");
        out.push_str(&rules);
    }
    let mut choices = String::new();
    for redundant in &report.redundant {
        choices.push_str(&format!(
            "    # - remove: {}\n    #   reason: \"equals {}'s default\"\n",
            q(&redundant.path.to_string()),
            report.to.version
        ));
    }
    for frozen in &report.frozen {
        choices.push_str(&format!(
            "    # - replace: {}\n    #   from: {}\n    #   value: {}\n    #   reason: \"your value is {}'s old default\"\n",
            q(&frozen.path.to_string()),
            render_flow(&frozen.value),
            render_flow(&frozen.new_default),
            report.from.version
        ));
    }
    if !choices.is_empty() {
        out.push_str(
            "    # Your choice (uncomment to apply; these change what is deployed or what your \
             file says):\n",
        );
        out.push_str(&choices);
    }
    out
}
