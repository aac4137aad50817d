//! Upgrade paths through a catalog and the helm commands that deploy each step.
//!
//! [`plan`] finds the path from the current release to a target (docs/plan.md): at each
//! step the highest catalog release up to the target that may be reached
//! straight from the current one, where "straight" means the release's `upgrade_from` holds for
//! the current one and no `policy.sequential` boundary with a catalog release on it lies
//! between them. Each [`Step`] knows the releases it covers, so the migration engine applies
//! their rules ([`Step::rules`]) and required values. [`render`] turns a path into the output
//! of `valuesmith plan` in every format (§5, "Plan commands"); it returns text and prints
//! nothing.
//!
//! The module is split by job: this file holds the path model ([`UpgradePath`], [`Step`],
//! [`Stop`]) and its errors; `search` finds the path; `commands` builds the commands each
//! step runs; `rendering` prints a path in every format; `check` renders a file's steps with
//! Helm (`plan --render-check`).

mod check;
mod commands;
mod rendering;
mod search;

pub use check::{plan_report, render_check, PlanReportError, RenderCheckError, StepCheck};

pub use rendering::{render, report, PlanFormat, PlanReport, RenderOptions, StepReport};
pub use search::plan;

use crate::catalog::{Catalog, Release, Rule, SourcePos};
use crate::diagnostic::{Diagnostic, SourceSpan, ToDiagnostic};
use crate::path::Path;
use crate::version::Comparator;

use search::refusal;

/// An upgrade path from one catalog release to another.
#[derive(Debug, Clone)]
pub struct UpgradePath<'c> {
    /// The catalog planned through.
    pub catalog: &'c Catalog,
    /// The current release.
    pub from: &'c Release,
    /// The target release.
    pub to: &'c Release,
    /// The steps, in order; empty when `from` is `to`.
    pub steps: Vec<Step<'c>>,
}

/// One step of a path: a deployment of release `to` over release `from`.
#[derive(Debug, Clone)]
pub struct Step<'c> {
    /// The release deployed before this step.
    pub from: &'c Release,
    /// The release this step deploys.
    pub to: &'c Release,
    /// Every catalog release after `from` up to and including `to`, oldest first: the
    /// releases whose rules and required values the step applies (a release the step jumps
    /// over still contributes its rules).
    pub covers: Vec<&'c Release>,
    /// Why the step ends at `to` rather than later.
    pub stop: Stop<'c>,
}

/// A rule of a step with the release and position that name it in reports.
#[derive(Debug, Clone, Copy)]
pub struct RuleRef<'c> {
    /// The release whose `migrate` list holds the rule.
    pub release: &'c Release,
    /// The rule's zero-based position in that list.
    pub index: usize,
    /// The rule.
    pub rule: &'c Rule,
}

/// Why a step ends where it does.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Stop<'c> {
    /// The step reaches the target.
    Target,
    /// The next release cannot be reached straight from the step's start: its `upgrade_from`
    /// fails.
    UpgradeFrom {
        /// The next release after the step's end.
        next: &'c Release,
        /// The comparator of its `upgrade_from` that fails.
        failed: Comparator,
    },
    /// Reaching the next release would jump over a release that starts a new series.
    Boundary {
        /// The next release after the step's end.
        next: &'c Release,
        /// The first release jumped over that lies in a series of its own.
        skipped: &'c Release,
    },
    /// The next release can be reached, but no path leads from it to the target.
    DeadEnd {
        /// The next release after the step's end.
        next: &'c Release,
    },
}

/// Which end of a path a release was given for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// The current release.
    From,
    /// The target release.
    To,
}

/// A path that cannot be planned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// A release the catalog does not list.
    #[error(
        "{} {version} is not in the {product} catalog (it has {known})",
        match .endpoint { Endpoint::From => "the current release", Endpoint::To => "the target release" }
    )]
    UnknownRelease {
        /// Which end of the path.
        endpoint: Endpoint,
        /// The release asked for.
        version: String,
        /// The catalog's product.
        product: String,
        /// The catalog's releases, oldest first.
        known: String,
        /// The releases either side of the one asked for. (Spelling suggestions mislead for
        /// version numbers: `1.9.0` is one edit from `1.5.0`.)
        suggestion: Option<String>,
    },
    /// A target below the current release.
    #[error("{to} is older than the current release {from}: downgrades are not supported")]
    Downgrade {
        /// The current release.
        from: String,
        /// The target release.
        to: String,
    },
    /// No way from the current release to the target.
    #[error("no upgrade path from {from} to {to}: {reason}")]
    NoPath {
        /// The current release.
        from: String,
        /// The target release.
        to: String,
        /// The impossible step and why.
        reason: String,
        /// The `upgrade_from` that refuses it (boxed to keep the error small).
        at: Option<Box<SourcePos>>,
        /// The catalog text at `at`, for the caret snippet rendered when the error is shown.
        span: Option<SourceSpan>,
    },
}

impl ToDiagnostic for PlanError {
    fn to_diagnostic(&self) -> Diagnostic {
        let mut d = Diagnostic::error(self.to_string());
        let (at, span, hint) = match self {
            PlanError::UnknownRelease { suggestion, .. } => (
                None,
                None,
                Some(match suggestion {
                    Some(s) => s.clone(),
                    None => "name one of the catalog's releases".to_owned(),
                }),
            ),
            PlanError::Downgrade { to, .. } => (
                None,
                None,
                Some(format!(
                    "to go back to {to}, restore the backup (values and data) taken before \
                     upgrading from it"
                )),
            ),
            PlanError::NoPath { at, span, .. } => (
                at.as_deref(),
                span.as_ref(),
                Some(
                    "if the vendor's upgrade guide allows that step, correct `upgrade_from` in \
                     the catalog"
                        .to_owned(),
                ),
            ),
        };
        if let Some(at) = at {
            d = d.with_file(at.file.to_string());
            d.location = Some(at.location);
            d.source_line = span.and_then(SourceSpan::line_text);
        }
        d.hint = hint;
        d
    }
}

impl<'c> Step<'c> {
    /// The rules the step applies, in order: each covered release's `migrate` list in turn.
    pub fn rules(&self) -> impl Iterator<Item = RuleRef<'c>> + '_ {
        self.covers.iter().flat_map(|release| {
            release
                .migrate
                .iter()
                .enumerate()
                .map(move |(index, rule)| RuleRef {
                    release,
                    index,
                    rule,
                })
        })
    }

    /// The `require` paths of the covered releases, in order, each once.
    pub fn required_input(&self) -> Vec<&'c Path> {
        let mut paths: Vec<&'c Path> = Vec::new();
        for release in &self.covers {
            for path in release.required_inputs() {
                if !paths.contains(&path) {
                    paths.push(path);
                }
            }
        }
        paths
    }

    /// The release whose data upgrade the step runs: the latest covered release with a
    /// `data_upgrade`. A step that jumps over a data-upgrade release still runs it, because
    /// the data must reach that schema whatever release carries it there.
    pub fn data_upgrade_release(&self) -> Option<&'c Release> {
        self.covers
            .iter()
            .rev()
            .find(|r| r.data_upgrade.is_some())
            .copied()
    }

    /// The data-upgrade label the step runs, if any.
    pub fn data_upgrade(&self) -> Option<&'c str> {
        self.data_upgrade_release()
            .and_then(|r| r.data_upgrade.as_deref())
    }

    /// The notes of the covered releases: the target's alone as written, several prefixed with
    /// their release.
    pub fn notes(&self) -> Option<String> {
        let with_notes: Vec<&Release> = self
            .covers
            .iter()
            .filter(|r| r.notes.is_some())
            .copied()
            .collect();
        match with_notes.as_slice() {
            [] => None,
            [only] if std::ptr::eq(*only, self.to) => only.notes.clone(),
            several => Some(
                several
                    .iter()
                    .map(|r| format!("{}: {}", r.version, r.notes.as_deref().unwrap_or("")))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
        }
    }

    /// One sentence on why the step ends here.
    pub fn explanation(&self, catalog: &Catalog) -> String {
        let (from, to) = (&self.from.version, &self.to.version);
        match &self.stop {
            Stop::Target => format!("{to} is the target"),
            Stop::UpgradeFrom { next, failed } => format!(
                "stops at {to}: {next} cannot be reached straight from {from} ({})",
                refusal(next, failed, from),
                next = next.version,
            ),
            Stop::Boundary { next, skipped } => {
                let policy = catalog.policy.sequential;
                let series = policy
                    .series(&skipped.version)
                    .map_or_else(String::new, |s| policy.series_text(s));
                format!(
                    "stops at {to}: {next} would jump over the {series} series, which {skipped} \
                     starts (policy.sequential: {})",
                    policy.as_str(),
                    next = next.version,
                    skipped = skipped.version,
                )
            }
            Stop::DeadEnd { next } => format!(
                "stops at {to}: {next} can be reached from {from}, but no path leads on from it",
                next = next.version
            ),
        }
    }
}

#[cfg(test)]
mod tests;
