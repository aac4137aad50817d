//! Migration of a values file through an upgrade path, rule by rule, recording every change.
//!
//! A step from release X to Y applies, in version order, the `migrate` rules of every catalog
//! release after X up to and including Y, then merges Y's required values (mappings key by
//! key, sequences of mappings item by item by identity, scalars set). Every change is made
//! with [`DocumentMut`], so what no rule touches keeps its bytes, and every change is
//! recorded with the step, the release and the rule that made it. Before a result is handed
//! out, the reported changes are replayed on the input's value and must give the output's
//! value exactly.
//!
//! The parts: this file is the engine (steps, rules, required values, emptied keys);
//! `report` renders a migration (`human`, `json`); `files` migrates the files of several
//! environments together and writes all their step files or none.

mod files;
mod report;

use std::fmt::Write as _;

use crate::catalog::{Catalog, Release, Rule, RuleKind};
use crate::diagnostic::{Diagnostic, Location, Severity, ToDiagnostic};
use crate::document::Document;
use crate::edit::{DocumentMut, EditError};
pub use crate::patch::Origin;
use crate::patch::{self, Change, Patch};
use crate::path::{identity_of, shared_identity_key, Path, Segment};
use crate::plan::{Step, UpgradePath};
use crate::value::Value;
use crate::version::Version;
pub use files::{
    migrate_files, render_combined, write_migrations, EnvFile, EnvMigration, FilesError,
};
pub(crate) use report::inline;
pub use report::{render, ReportFormat, ReportOptions};

fn origin_of_rule(release: &Release, index: usize, rule: &Rule) -> Origin {
    Origin {
        release: release.version.clone(),
        rule: Some(index),
        kind: rule.kind.name(),
        reason: rule.reason.clone(),
    }
}

fn origin_of_values(release: &Release) -> Origin {
    Origin {
        release: release.version.clone(),
        rule: None,
        kind: "values",
        reason: None,
    }
}

/// Something a migration reports without changing the file.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Notice {
    /// An `add` found the key present; the user's value stays.
    KeptPresent {
        /// The path.
        path: Path,
        /// The rule.
        origin: Origin,
    },
    /// A `replace` found a value other than the old default: a user override, kept.
    KeptOverride {
        /// The path.
        path: Path,
        /// The user's value.
        value: Value,
        /// The old default the rule replaces.
        default: Value,
        /// The rule.
        origin: Origin,
    },
    /// A `warn` rule.
    Warning {
        /// The text.
        text: String,
        /// The rule.
        origin: Origin,
    },
    /// A removal emptied a list (or, with `keep_empty`, a list or mapping): either the
    /// emptied key went too, so the chart's default applies, or it stays as `[]` / `{}`.
    Emptied {
        /// The emptied list or mapping.
        path: Path,
        /// Whether it stays (`keep_empty: true`).
        kept: bool,
        /// The rule.
        origin: Origin,
    },
    /// An identity-matched item the release does not list (a customer-specific package),
    /// kept.
    ExtraItem {
        /// The item's path.
        path: Path,
    },
}

/// A `require` of the step: met or not.
#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    /// The path the user must supply.
    pub path: Path,
    /// Whether it is present and not a placeholder.
    pub met: bool,
    /// The rule.
    pub origin: Origin,
}

/// The result of one step.
#[derive(Debug, Clone)]
pub struct StepResult {
    /// The release before the step.
    pub from: Version,
    /// The release the step deploys.
    pub to: Version,
    /// The document after the step.
    pub document: Document,
    /// The changes, in the order they were made, each with the rule that made it.
    pub patch: Patch,
    /// Reports that changed nothing.
    pub notices: Vec<Notice>,
    /// The step's `require`s.
    pub requirements: Vec<Requirement>,
}

impl StepResult {
    /// The requirements not met.
    pub fn unmet(&self) -> impl Iterator<Item = &Requirement> {
        self.requirements.iter().filter(|r| !r.met)
    }
}

/// A whole migration: one result per step of the path.
#[derive(Debug, Clone)]
pub struct Migration {
    /// The release migrated from.
    pub from: Version,
    /// The release migrated to.
    pub to: Version,
    /// The steps, in order.
    pub steps: Vec<StepResult>,
}

impl Migration {
    /// Whether every `require` of every step is met.
    pub fn is_complete(&self) -> bool {
        self.steps.iter().all(|s| s.unmet().next().is_none())
    }
}

/// A migration that could not be carried out.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum MigrateError {
    /// A rule could not be applied (a parent in the way, a rename conflict, an alias).
    #[error("{0}")]
    Rule(Box<RuleFailure>),
    /// A `require` of some step is not met: the migration, carried out, is in the error so
    /// its report can show what is missing, but its files must not be written.
    #[error("{}", unmet_message(.0))]
    Unmet(Box<Migration>),
}

/// `2 required inputs are missing; nothing was written`, then each with its release and
/// reason.
fn unmet_message(migration: &Migration) -> String {
    let unmet: Vec<_> = migration.steps.iter().flat_map(|s| s.unmet()).collect();
    let mut message = format!(
        "{} required input{} missing; nothing was written",
        unmet.len(),
        if unmet.len() == 1 { " is" } else { "s are" }
    );
    for requirement in &unmet {
        let reason = requirement.origin.reason_suffix();
        let _ = write!(
            message,
            "\n  {} (required by {}){reason}",
            requirement.path, requirement.origin.release
        );
    }
    message
}

/// A rule that could not be applied, with the rule's origin and the reason.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{} {}: {error}", .origin.label(), .path)]
#[non_exhaustive]
pub struct RuleFailure {
    /// The rule.
    pub origin: Origin,
    /// The path it acts on.
    pub path: Path,
    /// Why it failed.
    pub error: EditError,
    /// Where the rule is written in the catalog (`file:line:col`).
    pub rule_at: Option<String>,
}

impl ToDiagnostic for MigrateError {
    fn to_diagnostic(&self) -> Diagnostic {
        let (location, hint) = match self {
            MigrateError::Unmet(_) => (
                None,
                Some(
                    "add them to the input file (a placeholder like <set-me> does not count), \
                     then run again"
                        .to_owned(),
                ),
            ),
            MigrateError::Rule(failure) => (
                failure.error.location(),
                match &failure.error {
                    EditError::Conflict { from, to, .. } => Some(format!(
                        "keep one of the values: remove `{from}` or `{to}` from the values file"
                    )),
                    EditError::ParentNotMapping { parent, .. } => Some(format!(
                        "`{parent}` must be a mapping for this release; move its value away first"
                    )),
                    EditError::Reparse { .. } | EditError::Unverified { .. } => {
                        Some("please report this with the input file and catalog".to_owned())
                    }
                    _ => failure
                        .rule_at
                        .as_ref()
                        .map(|at| format!("the rule is at {at}")),
                },
            ),
        };
        Diagnostic {
            severity: Severity::Error,
            code: None,
            message: self.to_string(),
            file: None,
            location: location.filter(|l: &Location| l.line > 0),
            source_line: None,
            hint,
        }
    }
}

/// Migrates `document` through every step of `path`. A `require` that no step meets is
/// [`MigrateError::Unmet`], which carries the migration for its report.
pub fn migrate(document: Document, path: &UpgradePath<'_>) -> Result<Migration, MigrateError> {
    // Each step's result keeps its document (a file per step is written from it), so a next
    // step starts from a copy of it; the last result is copied for no one.
    let mut steps: Vec<StepResult> = Vec::with_capacity(path.steps.len());
    let mut pending = path.steps.iter();
    if let Some(first) = pending.next() {
        let mut last = migrate_step(document, first, path.catalog)?;
        for step in pending {
            let next = migrate_step(last.document.clone(), step, path.catalog)?;
            steps.push(std::mem::replace(&mut last, next));
        }
        steps.push(last);
    }
    let migration = Migration {
        from: path.from.version.clone(),
        to: path.to.version.clone(),
        steps,
    };
    if migration.is_complete() {
        Ok(migration)
    } else {
        Err(MigrateError::Unmet(Box::new(migration)))
    }
}

/// The changes one step makes to `value` (the rules of every release the step covers, then
/// the target's required values), its notices and its `require`s, without writing anything.
pub fn step_patch(
    value: &Value,
    step: &Step<'_>,
    catalog: &Catalog,
) -> (Patch, Vec<Notice>, Vec<Requirement>) {
    let run = run_step(value, step, catalog);
    (run.patch, run.notices, run.requirements)
}

fn run_step<'a>(value: &Value, step: &Step<'_>, catalog: &'a Catalog) -> StepRun<'a> {
    let mut run = StepRun::new(value, catalog);
    for rule_ref in step.rules() {
        run.at = Some(rule_position(rule_ref.rule));
        let origin = origin_of_rule(rule_ref.release, rule_ref.index, rule_ref.rule);
        run.apply_rule(rule_ref.rule, origin);
    }
    run.at = None;
    let origin = origin_of_values(step.to);
    let required = Value::Mapping(step.to.values.clone());
    run.merge(&Path::root(), &required, &origin);
    // `require`s are checked on the result, so a rule of the same step may supply them.
    for requirement in &mut run.requirements {
        requirement.met = is_supplied(&run.value, &requirement.path);
    }
    run
}

/// The changes merging `release`'s required values into `value` makes (mappings key by key,
/// sequences of mappings item by item by identity, scalars set), and the identity-matched
/// items the release does not list. `validate` reports exactly these, so a file is clean
/// when a migration to its own release would change nothing.
pub fn required_values_patch(
    value: &Value,
    release: &Release,
    catalog: &Catalog,
) -> (Patch, Vec<Notice>) {
    let mut run = StepRun::new(value, catalog);
    let required = Value::Mapping(release.values.clone());
    run.merge(&Path::root(), &required, &origin_of_values(release));
    (run.patch, run.notices)
}

/// Applies one step: the rules of every release the step covers, then the target's values.
/// The step's changes are written together and the result is read back once.
pub fn migrate_step(
    document: Document,
    step: &Step<'_>,
    catalog: &Catalog,
) -> Result<StepResult, MigrateError> {
    let StepRun {
        value,
        patch,
        rule_at,
        notices,
        requirements,
        ..
    } = run_step(document.value(), step, catalog);
    let mut editor = DocumentMut::new(document);
    editor
        .apply_reaching(&patch, Some(&value))
        .map_err(|failure| {
            let change = &patch.changes()[failure.index];
            let origin = patch
                .origin(failure.index)
                .cloned()
                .expect("every change of a step has an origin");
            MigrateError::Rule(Box::new(RuleFailure {
                path: match change {
                    Change::Insert { path, .. } => path.clone(),
                    other => other.path(),
                },
                error: failure.error,
                rule_at: rule_at.get(failure.index).cloned().flatten(),
                origin,
            }))
        })?;
    Ok(StepResult {
        from: step.from.version.clone(),
        to: step.to.version.clone(),
        document: editor.into_document(),
        patch,
        notices,
        requirements,
    })
}

fn rule_position(rule: &Rule) -> String {
    format!(
        "{}:{}:{}",
        rule.at.file, rule.at.location.line, rule.at.location.column
    )
}

/// Present and not a placeholder (`<...>` or empty).
pub fn is_supplied(value: &Value, path: &Path) -> bool {
    match patch::get(value, path) {
        None | Some(Value::Null) => false,
        Some(Value::String(text)) => !crate::secrets::is_placeholder(text),
        Some(_) => true,
    }
}

/// The highest list or mapping that removing `path` from `value` would leave empty (or
/// `path` itself): it goes too, as Helm merges an empty `[]` or `{}` over the chart's default
/// where an absent key lets the default apply. The top level always stays, and so does a list
/// item, and with `keep_empty` everything does. Also returns the emptied list (or, with
/// `keep_empty`, the emptied list or mapping kept), which reports name. `migrate`'s `remove`
/// rules and `apply`'s removals both go through here.
pub fn emptied_ancestor(
    value: &Value,
    path: &Path,
    keep_empty: bool,
) -> (Path, Option<(Path, bool)>) {
    let mut target = path.clone();
    let mut emptied = None;
    while let Some((parent, _)) = target.split_last() {
        let (sole, list) = match (patch::get(value, &parent), parent.last()) {
            (Some(Value::Mapping(m)), Some(Segment::Key(_))) => (m.len() == 1, false),
            (Some(Value::Sequence(items)), Some(Segment::Key(_))) => (items.len() == 1, true),
            _ => (false, false),
        };
        if parent.is_root() || !sole {
            break;
        }
        if keep_empty {
            return (target, Some((parent, true)));
        }
        if list {
            emptied = Some((parent.clone(), false));
        }
        target = parent;
    }
    (target, emptied)
}

struct StepRun<'a> {
    /// The value with every change so far applied.
    value: Value,
    patch: Patch,
    rule_at: Vec<Option<String>>,
    notices: Vec<Notice>,
    requirements: Vec<Requirement>,
    catalog: &'a Catalog,
    at: Option<String>,
}

impl<'a> StepRun<'a> {
    fn new(value: &Value, catalog: &'a Catalog) -> Self {
        StepRun {
            value: value.clone(),
            patch: Patch::new(),
            rule_at: Vec::new(),
            notices: Vec::new(),
            requirements: Vec::new(),
            catalog,
            at: None,
        }
    }

    fn current(&self, path: &Path) -> Option<Value> {
        self.at(path).cloned()
    }

    /// The value at `path` as the changes so far left it, borrowed: a merge asks at every
    /// level, and a copy there copied the whole document per level.
    fn at(&self, path: &Path) -> Option<&Value> {
        patch::get(&self.value, path)
    }

    fn record(&mut self, change: Change, origin: &Origin) {
        change.apply(&mut self.value);
        self.rule_at.push(self.at.clone());
        self.patch.push_from(change, origin.clone());
    }

    fn set(&mut self, path: &Path, value: &Value, origin: &Origin) {
        let old = match self.at(path) {
            Some(old) if old == value => return,
            old => old.cloned(),
        };
        self.record(
            Change::Set {
                path: path.clone(),
                old,
                new: value.clone(),
            },
            origin,
        );
    }

    fn apply_rule(&mut self, rule: &Rule, origin: Origin) {
        match &rule.kind {
            RuleKind::Set { path, value } => self.set(path, value, &origin),
            RuleKind::Add { path, value } => {
                if self.at(path).is_some() {
                    self.notices.push(Notice::KeptPresent {
                        path: path.clone(),
                        origin,
                    });
                } else {
                    self.set(path, value, &origin);
                }
            }
            RuleKind::Remove { path, keep_empty } => self.remove(path, *keep_empty, &origin),
            RuleKind::Rename { from, to } => {
                let Some(value) = self.current(from) else {
                    return;
                };
                self.record(
                    Change::Move {
                        from: from.clone(),
                        to: to.clone(),
                        value,
                    },
                    &origin,
                );
                // The move may leave the old parent empty: it goes too.
                if let Some((parent, _)) = from.split_last() {
                    if !parent.is_root()
                        && matches!(self.at(&parent), Some(Value::Mapping(m)) if m.is_empty())
                    {
                        self.remove(&parent, false, &origin);
                    }
                }
            }
            RuleKind::Replace { path, from, value } => match self.current(path) {
                Some(current) if &current == from => self.set(path, value, &origin),
                Some(current) if &current == value => {}
                Some(current) => self.notices.push(Notice::KeptOverride {
                    path: path.clone(),
                    value: current,
                    default: from.clone(),
                    origin,
                }),
                None => {}
            },
            RuleKind::Require { path } => self.requirements.push(Requirement {
                path: path.clone(),
                met: false,
                origin,
            }),
            RuleKind::Warn { text } => self.notices.push(Notice::Warning {
                text: text.clone(),
                origin,
            }),
        }
    }

    fn remove(&mut self, path: &Path, keep_empty: bool, origin: &Origin) {
        if self.at(path).is_none() {
            return;
        }
        let (target, emptied) = emptied_ancestor(&self.value, path, keep_empty);
        if let Some(old) = self.current(&target) {
            self.record(Change::Remove { path: target, old }, origin);
        }
        if let Some((list, kept)) = emptied {
            self.notices.push(Notice::Emptied {
                path: list,
                kept,
                origin: origin.clone(),
            });
        }
    }

    /// Merges required values into the document at `path` (docs/catalog.md).
    fn merge(&mut self, path: &Path, required: &Value, origin: &Origin) {
        match (required, self.at(path)) {
            (Value::Mapping(wanted), Some(Value::Mapping(_))) => {
                for (key, value) in wanted.iter() {
                    self.merge(&path.key(key.clone()), value, origin);
                }
            }
            (Value::Mapping(wanted), _) if path.is_root() => {
                for (key, value) in wanted.iter() {
                    self.merge(&path.key(key.clone()), value, origin);
                }
            }
            (Value::Sequence(wanted), Some(Value::Sequence(have))) => {
                let have = have.clone();
                let extra = &self.catalog.identity_keys;
                // The items are matched as `diff` and `drift` match lists: by the one key
                // that identifies both sides (docs/paths.md).
                let key = shared_identity_key(&[wanted, &have], extra).map(str::to_owned);
                let Some(key) = key else {
                    return self.set(path, required, origin);
                };
                let mut listed = std::collections::HashSet::new();
                for item in wanted {
                    let Some(id) = identity_of(item, &key) else {
                        continue;
                    };
                    listed.insert(id.clone());
                    let item_path = path.child(Segment::Identity {
                        key: key.clone(),
                        value: id,
                    });
                    if self.at(&item_path).is_some() {
                        self.merge(&item_path, item, origin);
                    } else {
                        let position = self
                            .at(path)
                            .and_then(|v| v.as_sequence().map(<[Value]>::len))
                            .unwrap_or(0);
                        self.record(
                            Change::Insert {
                                path: path.clone(),
                                position,
                                value: item.clone(),
                            },
                            origin,
                        );
                    }
                }
                for item in &have {
                    if let Some(id) = identity_of(item, &key) {
                        if !listed.contains(&id) {
                            self.notices.push(Notice::ExtraItem {
                                path: path.child(Segment::Identity {
                                    key: key.clone(),
                                    value: id,
                                }),
                            });
                        }
                    }
                }
            }
            (_, _) => self.set(path, required, origin),
        }
    }
}
