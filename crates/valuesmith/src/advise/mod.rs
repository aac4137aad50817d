//! The chart upgrade advisor (docs/advise.md): what moving from chart version A to B does to
//! a user's overrides, and the draft rules that fix them.
//!
//! This module owns the *upgrade report*: [`advise`] reads both charts' effective values for
//! the user's `-f` files and `--set` flags ([`crate::effective`]) and sorts every user value
//! into the groups of [`Report`]: stale overrides (keys B does not have, with ranked rename
//! guesses), keys that were already ignored by A, frozen copies of A's defaults, defaults
//! that change under keys the user did not set, overrides that now equal B's default, B's
//! schema failures at the user's lines, type changes, and the effective diff (made by
//! [`crate::diff`](mod@crate::diff), secrets redacted by [`crate::secrets`]).
//!
//! From the report, [`draft_rules`] prints a catalog release block that `migrate` accepts and
//! [`write_renames`] applies the confident renames to one file with
//! [`crate::edit::DocumentMut::apply`], so that both give the same file; [`rewrite`] does
//! it for every file and advises again on what it wrote (what is left for the user). [`render`] gives the
//! `human`, `json`, `markdown` and `github` reports.

mod classify;
mod known;
mod rename;
mod report;
mod rules;
mod schema;

use serde::Serialize;

use crate::chart::Chart;
use crate::diagnostic::{Diagnostic, ToDiagnostic};
use crate::document::Document;
use crate::effective::{EffectiveError, HelmVersion, SetFlag, Source};
use crate::path::Path;
use crate::value::Value;

pub use report::{render, Format};
pub use rules::{
    draft_rules, rename_patch, rewrite, write_renames, Rewritten, WriteError, Written,
};

/// The confidence (in percent) from which a rename guess is applied by `--write` and written
/// as a `rename` rule by `--rules`; guesses below it are only shown.
pub const CONFIDENT: u8 = 80;

/// The lowest confidence (in percent) at which a guess is shown at all.
pub const SHOWN: u8 = 50;

/// What the advisor compares: built with [`AdviseInputs::new`] and the `with_` setters, so
/// that a new input does not break an embedding tool.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct AdviseInputs<'a> {
    /// Chart A, the version deployed now.
    pub from: &'a Chart,
    /// Chart B, the version to upgrade to.
    pub to: &'a Chart,
    /// The user's `-f` files in order, each with its name as shown.
    pub files: &'a [(String, Document)],
    /// The `--set` and `--set-string` flags.
    pub sets: &'a [SetFlag],
    /// Whose coalescing rules to follow.
    pub helm: HelmVersion,
    /// Whether values are shown as they are instead of `<redacted>` where they are secrets.
    pub show_secrets: bool,
}

impl<'a> AdviseInputs<'a> {
    /// Moving from chart `from` to chart `to` with no user files or flags, by Helm 4's
    /// rules, secrets redacted.
    pub fn new(from: &'a Chart, to: &'a Chart) -> Self {
        Self {
            from,
            to,
            files: &[],
            sets: &[],
            helm: HelmVersion::V4,
            show_secrets: false,
        }
    }

    /// The user's `-f` files in order, each with its name as shown.
    pub fn with_files(mut self, files: &'a [(String, Document)]) -> Self {
        self.files = files;
        self
    }

    /// The `--set`-style flags, in the order Helm applies them.
    pub fn with_sets(mut self, sets: &'a [SetFlag]) -> Self {
        self.sets = sets;
        self
    }

    /// Whose coalescing rules to follow.
    pub fn with_helm(mut self, helm: HelmVersion) -> Self {
        self.helm = helm;
        self
    }

    /// Show secret values instead of `<redacted>`.
    pub fn with_show_secrets(mut self, show_secrets: bool) -> Self {
        self.show_secrets = show_secrets;
        self
    }
}

/// Why the advisor could not run (Helm would refuse the values too).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AdviseError {
    /// The effective values of one of the charts could not be computed.
    #[error("{chart}: {error}")]
    Effective {
        /// `A` or `B` with the chart's name and version.
        chart: String,
        /// Why.
        error: EffectiveError,
    },
}

impl ToDiagnostic for AdviseError {
    fn to_diagnostic(&self) -> Diagnostic {
        match self {
            AdviseError::Effective { chart, error } => {
                let mut d = error.to_diagnostic();
                d.message = format!("{chart}: {}", d.message);
                d
            }
        }
    }
}

/// A chart as the report names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChartId {
    /// `name` of `Chart.yaml`.
    pub name: String,
    /// `version` of `Chart.yaml`.
    pub version: String,
    /// The folder or archive as given.
    pub shown: String,
}

/// Where a user value is written: a file's line and column, or a `--set` flag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct At {
    /// The file's name as given, or the flag as written (`--set a.b=c`).
    pub file: String,
    /// 1-based line (none for a flag).
    pub line: Option<usize>,
    /// 1-based column (none for a flag).
    pub column: Option<usize>,
}

impl At {
    fn in_file(file: String, location: crate::diagnostic::Location) -> At {
        At {
            file,
            line: Some(location.line),
            column: Some(location.column),
        }
    }

    fn of(source: &Source) -> Option<At> {
        match source {
            Source::File { file, location } => Some(At {
                file: file.clone(),
                line: Some(location.line),
                column: Some(location.column),
            }),
            Source::Set { flag } => Some(At {
                file: flag.clone(),
                line: None,
                column: None,
            }),
            _ => None,
        }
    }

    /// Whether the value comes from a `--set` flag rather than a file.
    pub fn is_flag(&self) -> bool {
        self.line.is_none()
    }
}

impl std::fmt::Display for At {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, "{}:{line}:{column}", self.file),
            _ => f.write_str(&self.file),
        }
    }
}

/// What Helm does with a key that chart B does not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum HelmOutcome {
    /// Helm passes it to the templates, which never read it: the setting silently does nothing.
    Ignored,
    /// B's schema refuses it: `helm install` and `helm upgrade` fail.
    FailsSchema,
}

/// One rename guess for a key B does not have.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Guess {
    /// Where the value would go in B.
    pub to: Path,
    /// How sure, in percent.
    pub confidence: u8,
    /// Why, in words (`the subtree moved: logs.general is log in 41.0.0`).
    pub reason: String,
    /// Whether it is applied by `--write` and written as a `rename` rule: at least
    /// [`CONFIDENT`], clearly ahead of any other guess, the target free in the user's values,
    /// and the key one that A knew.
    pub confident: bool,
}

/// A user key that chart B does not have (or that neither chart has).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stale {
    /// The key.
    pub path: Path,
    /// The user's value, as shown (secrets redacted unless asked).
    pub value: Value,
    /// Where the user wrote it.
    pub at: At,
    /// What Helm will do with it under B.
    pub helm: HelmOutcome,
    /// Rename guesses of at least [`SHOWN`] confidence, best first.
    pub guesses: Vec<Guess>,
}

/// A user value equal to A's default where B's default differs: a copy that pins the old
/// default.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Frozen {
    /// The key.
    pub path: Path,
    /// The user's value (A's default), as shown.
    pub value: Value,
    /// B's default, as shown.
    pub new_default: Value,
    /// Where the user wrote it.
    pub at: At,
}

/// A user value equal to B's default: the override can go.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Redundant {
    /// The key.
    pub path: Path,
    /// The value, as shown.
    pub value: Value,
    /// Where the user wrote it.
    pub at: At,
}

/// A violation of B's schema (or a subchart's) by the values Helm would use, at the user's
/// line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchemaFailure {
    /// Where (the file's line and column).
    pub at: At,
    /// What the schema says.
    pub message: String,
    /// Which rule of which schema.
    pub hint: Option<String>,
}

/// A key whose default changed type between A and B (a string that became a mapping) and
/// that the user sets, or sets something under.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeChange {
    /// The key whose type changed.
    pub path: Path,
    /// A's type (`string`, `mapping`, ...).
    pub from: &'static str,
    /// B's type.
    pub to: &'static str,
    /// Where the user sets it or something under it.
    pub at: At,
}

/// One change of the effective values from A to B for the user's files: in the effective
/// diff, and in the inherited changes (a default that changes under a key the user did not
/// set, so the deployment changes without the user's file changing).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EffectiveChange {
    /// `added`, `removed`, `changed` or `reordered`.
    pub kind: &'static str,
    /// Where.
    pub path: Path,
    /// Under A, as shown.
    pub old: Option<Value>,
    /// Under B, as shown.
    pub new: Option<Value>,
}

/// The advisor's report: every group of docs/advise.md, as data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Chart A.
    pub from: ChartId,
    /// Chart B.
    pub to: ChartId,
    /// What the reader should know about the comparison itself (A newer than B, identical
    /// charts).
    pub notes: Vec<String>,
    /// User keys A knew and B does not have.
    pub stale: Vec<Stale>,
    /// User keys neither A nor B has: already ignored before this upgrade.
    pub already_ignored: Vec<Stale>,
    /// Copies of A's defaults that B changed.
    pub frozen: Vec<Frozen>,
    /// Defaults that change under keys the user did not set.
    pub inherited: Vec<EffectiveChange>,
    /// Overrides equal to B's default.
    pub redundant: Vec<Redundant>,
    /// B's schema failures on the effective values.
    pub schema: Vec<SchemaFailure>,
    /// Keys whose default changed type and that the user sets.
    pub type_changes: Vec<TypeChange>,
    /// The effective values under A against those under B.
    pub effective_diff: Vec<EffectiveChange>,
}

impl Report {
    /// Whether the user must act before upgrading: a stale override or a schema failure
    /// (the command's exit 1).
    pub fn needs_action(&self) -> bool {
        !self.stale.is_empty() || !self.schema.is_empty()
    }

    /// The confident renames of keys A knew, as `(from, to)` in report order: what
    /// `--write` applies and `--rules` writes as `rename` rules.
    pub fn confident_renames(&self) -> Vec<(Path, Path)> {
        let mut out: Vec<(Path, Path)> = Vec::new();
        for stale in &self.stale {
            if let Some(guess) = stale.guesses.first().filter(|g| g.confident) {
                if !out.iter().any(|(from, _)| *from == stale.path) {
                    out.push((stale.path.clone(), guess.to.clone()));
                }
            }
        }
        out
    }
}

/// Compares A and B for the user's values and returns the report.
pub fn advise(inputs: AdviseInputs<'_>) -> Result<Report, AdviseError> {
    classify::run(inputs)
}
