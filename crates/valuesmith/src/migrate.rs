//! Migration of a values file through an upgrade path, rule by rule, recording every change.
//!
//! A step from release X to Y applies, in version order, the `migrate` rules of every catalog
//! release after X up to and including Y, then merges Y's required values (mappings key by
//! key, sequences of mappings item by item by identity, scalars set). Every change is made
//! with [`DocumentMut`], so what no rule touches keeps its bytes, and every change is
//! recorded with the step, the release and the rule that made it. Before a result is handed
//! out, the reported changes are replayed on the input's value and must give the output's
//! value exactly.

use std::fmt::Write as _;

use crate::catalog::{Catalog, Release, Rule, RuleKind};
use crate::diagnostic::{Diagnostic, Location, Severity, ToDiagnostic};
use crate::document::Document;
use crate::edit::{value_remove, value_set, DocumentMut, EditError};
use crate::path::{identity_key, identity_of, Path, Segment};
use crate::plan::{Step, UpgradePath};
use crate::value::Value;
use crate::version::Version;

/// What made a change: a release's rule, or its required values.
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    /// The release whose catalog entry made the change.
    pub release: Version,
    /// The rule's zero-based position in the release's `migrate` list; `None` for the
    /// release's required `values`.
    pub rule: Option<usize>,
    /// The rule's kind (`set`, `remove`...), or `values`.
    pub kind: &'static str,
    /// The rule's reason.
    pub reason: Option<String>,
}

impl Origin {
    fn of_rule(release: &Release, index: usize, rule: &Rule) -> Self {
        Self {
            release: release.version.clone(),
            rule: Some(index),
            kind: rule.kind.name(),
            reason: rule.reason.clone(),
        }
    }

    fn of_values(release: &Release) -> Self {
        Self {
            release: release.version.clone(),
            rule: None,
            kind: "values",
            reason: None,
        }
    }

    /// `: <reason>` when the rule has a reason, else nothing (for one-line reports).
    pub fn reason_suffix(&self) -> String {
        self.reason
            .as_ref()
            .map(|r| format!(": {r}"))
            .unwrap_or_default()
    }

    /// `2025.05.00 migrate[2] (rename)` or `2025.05.00 values`.
    pub fn label(&self) -> String {
        match self.rule {
            Some(index) => format!("{} migrate[{index}] {}", self.release, self.kind),
            None => format!("{} values", self.release),
        }
    }
}

/// How a change changed the file.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ChangeKind {
    /// A value that was absent was added.
    Added,
    /// A value was replaced.
    Changed,
    /// A value and what it held was removed.
    Removed,
    /// A value moved from `path` to `to`.
    Moved {
        /// Where it went.
        to: Path,
    },
    /// A sequence item was appended.
    Appended,
}

impl ChangeKind {
    /// `added`, `changed`, `removed`, `moved` or `appended`.
    pub fn as_str(&self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Changed => "changed",
            ChangeKind::Removed => "removed",
            ChangeKind::Moved { .. } => "moved",
            ChangeKind::Appended => "appended",
        }
    }
}

/// One change a migration made.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// What kind of change.
    pub kind: ChangeKind,
    /// The path changed (for a move, where it came from).
    pub path: Path,
    /// The value before (absent for an addition).
    pub old: Option<Value>,
    /// The value after (absent for a removal).
    pub new: Option<Value>,
    /// What made it.
    pub origin: Origin,
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
    /// The changes, in the order they were made.
    pub changes: Vec<Change>,
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
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum MigrateError {
    /// A rule could not be applied (a parent in the way, a rename conflict, an alias).
    #[error("{0}")]
    Rule(Box<RuleFailure>),
    /// The reported changes do not account for the result (a bug: nothing is written).
    #[error(
        "step {from} -> {to}: the result differs from the reported changes; nothing was written"
    )]
    Unaccounted {
        /// The step's start.
        from: String,
        /// The step's end.
        to: String,
    },
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
            MigrateError::Rule(failure) => (
                failure.error.location(),
                match &failure.error {
                    EditError::Conflict { from, to, .. } => Some(format!(
                        "keep one of the values: remove `{from}` or `{to}` from the values file"
                    )),
                    EditError::ParentNotMapping { parent, .. } => Some(format!(
                        "`{parent}` must be a mapping for this release; move its value away first"
                    )),
                    _ => failure
                        .rule_at
                        .as_ref()
                        .map(|at| format!("the rule is at {at}")),
                },
            ),
            MigrateError::Unaccounted { .. } => (
                None,
                Some("please report this with the input file and catalog".to_owned()),
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

/// Migrates `document` through every step of `path`.
pub fn migrate(document: Document, path: &UpgradePath<'_>) -> Result<Migration, MigrateError> {
    let mut steps = Vec::new();
    let mut current = document;
    for step in &path.steps {
        let result = migrate_step(current, step, path.catalog)?;
        current = result.document.clone();
        steps.push(result);
    }
    Ok(Migration {
        from: path.from.version.clone(),
        to: path.to.version.clone(),
        steps,
    })
}

/// Applies one step: the rules of every release the step covers, then the target's values.
pub fn migrate_step(
    document: Document,
    step: &Step<'_>,
    catalog: &Catalog,
) -> Result<StepResult, MigrateError> {
    let input = document.value().clone();
    let mut run = StepRun {
        editor: DocumentMut::new(document),
        changes: Vec::new(),
        notices: Vec::new(),
        requirements: Vec::new(),
        catalog,
    };
    for rule_ref in step.rules() {
        let origin = Origin::of_rule(rule_ref.release, rule_ref.index, rule_ref.rule);
        run.apply_rule(rule_ref.rule, origin)
            .map_err(|err| with_rule_position(err, rule_ref.rule))?;
    }
    let origin = Origin::of_values(step.to);
    let required = Value::Mapping(step.to.values.clone());
    run.merge(&Path::root(), &required, &origin)?;
    // `require`s are checked on the result, so a rule of the same step may supply them.
    for requirement in &mut run.requirements {
        requirement.met = is_supplied(run.editor.document(), &requirement.path);
    }
    let document = run.editor.into_document();
    let mut replayed = input;
    for change in &run.changes {
        replay(&mut replayed, change);
    }
    if &replayed != document.value() {
        return Err(MigrateError::Unaccounted {
            from: step.from.version.to_string(),
            to: step.to.version.to_string(),
        });
    }
    Ok(StepResult {
        from: step.from.version.clone(),
        to: step.to.version.clone(),
        document,
        changes: run.changes,
        notices: run.notices,
        requirements: run.requirements,
    })
}

fn with_rule_position(mut err: MigrateError, rule: &Rule) -> MigrateError {
    if let MigrateError::Rule(failure) = &mut err {
        failure.rule_at = Some(format!(
            "{}:{}:{}",
            rule.at.file, rule.at.location.line, rule.at.location.column
        ));
    }
    err
}

/// Present and not a placeholder (`<...>` or empty).
pub fn is_supplied(document: &Document, path: &Path) -> bool {
    match document.get_value(path) {
        None | Some(Value::Null) => false,
        Some(Value::String(text)) => !crate::secrets::is_placeholder(&text),
        Some(_) => true,
    }
}

fn replay(value: &mut Value, change: &Change) {
    match &change.kind {
        ChangeKind::Removed => {
            value_remove(value, change.path.segments());
        }
        ChangeKind::Moved { to } => {
            if let Some(moved) = value_remove(value, change.path.segments()) {
                value_set(value, to.segments(), moved);
            }
        }
        ChangeKind::Added | ChangeKind::Changed | ChangeKind::Appended => {
            if let Some(new) = &change.new {
                value_set(value, change.path.segments(), new.clone());
            }
        }
    }
}

struct StepRun<'a> {
    editor: DocumentMut,
    changes: Vec<Change>,
    notices: Vec<Notice>,
    requirements: Vec<Requirement>,
    catalog: &'a Catalog,
}

impl StepRun<'_> {
    fn current(&self, path: &Path) -> Option<Value> {
        self.editor.document().get_value(path)
    }

    fn fail(origin: &Origin, path: &Path, error: EditError) -> MigrateError {
        MigrateError::Rule(Box::new(RuleFailure {
            origin: origin.clone(),
            path: path.clone(),
            error,
            rule_at: None,
        }))
    }

    fn set(&mut self, path: &Path, value: &Value, origin: &Origin) -> Result<(), MigrateError> {
        let old = self.current(path);
        if old.as_ref() == Some(value) {
            return Ok(());
        }
        self.editor
            .set(path, value)
            .map_err(|err| Self::fail(origin, path, err))?;
        self.changes.push(Change {
            kind: if old.is_some() {
                ChangeKind::Changed
            } else {
                ChangeKind::Added
            },
            path: path.clone(),
            old,
            new: Some(value.clone()),
            origin: origin.clone(),
        });
        Ok(())
    }

    fn apply_rule(&mut self, rule: &Rule, origin: Origin) -> Result<(), MigrateError> {
        match &rule.kind {
            RuleKind::Set { path, value } => self.set(path, value, &origin),
            RuleKind::Add { path, value } => {
                if self.editor.document().get(path).is_some() {
                    self.notices.push(Notice::KeptPresent {
                        path: path.clone(),
                        origin,
                    });
                    Ok(())
                } else {
                    self.set(path, value, &origin)
                }
            }
            RuleKind::Remove { path } => self.remove(path, &origin),
            RuleKind::Rename { from, to } => {
                let Some(value) = self.current(from) else {
                    return Ok(());
                };
                self.editor
                    .rename(from, to)
                    .map_err(|err| Self::fail(&origin, from, err))?;
                self.changes.push(Change {
                    kind: ChangeKind::Moved { to: to.clone() },
                    path: from.clone(),
                    old: Some(value.clone()),
                    new: Some(value),
                    origin: origin.clone(),
                });
                // The move may leave the old parent empty: it goes too.
                match from.split_last() {
                    Some((parent, _)) if !parent.is_root() => {
                        if matches!(self.current(&parent), Some(Value::Mapping(m)) if m.is_empty())
                        {
                            self.remove(&parent, &origin)?;
                        }
                        Ok(())
                    }
                    _ => Ok(()),
                }
            }
            RuleKind::Replace { path, from, value } => match self.current(path) {
                Some(current) if &current == from => self.set(path, value, &origin),
                Some(current) if &current == value => Ok(()),
                Some(current) => {
                    self.notices.push(Notice::KeptOverride {
                        path: path.clone(),
                        value: current,
                        default: from.clone(),
                        origin,
                    });
                    Ok(())
                }
                None => Ok(()),
            },
            RuleKind::Require { path } => {
                self.requirements.push(Requirement {
                    path: path.clone(),
                    met: false,
                    origin,
                });
                Ok(())
            }
            RuleKind::Warn { text } => {
                self.notices.push(Notice::Warning {
                    text: text.clone(),
                    origin,
                });
                Ok(())
            }
        }
    }

    fn remove(&mut self, path: &Path, origin: &Origin) -> Result<(), MigrateError> {
        if self.current(path).is_none() {
            return Ok(());
        }
        let target = self.emptied_ancestor(path);
        let removed = self
            .editor
            .remove(&target)
            .map_err(|err| Self::fail(origin, &target, err))?;
        if let Some(old) = removed {
            self.changes.push(Change {
                kind: ChangeKind::Removed,
                path: target,
                old: Some(old),
                new: None,
                origin: origin.clone(),
            });
        }
        Ok(())
    }

    /// The highest mapping that removing `path` would leave empty (or `path` itself): it goes
    /// too, as `image: {}` left behind says nothing Helm's defaults do not. The top level
    /// always stays.
    fn emptied_ancestor(&self, path: &Path) -> Path {
        let mut target = path.clone();
        while let Some((parent, _)) = target.split_last() {
            let sole_key = matches!(
                (self.current(&parent), parent.last()),
                (Some(Value::Mapping(m)), Some(Segment::Key(_))) if m.len() == 1
            );
            if parent.is_root() || !sole_key {
                break;
            }
            target = parent;
        }
        target
    }

    /// Merges required values into the document at `path` (PRODUCT.md §4).
    fn merge(
        &mut self,
        path: &Path,
        required: &Value,
        origin: &Origin,
    ) -> Result<(), MigrateError> {
        let current = self.current(path);
        match (required, current) {
            (Value::Mapping(wanted), Some(Value::Mapping(_))) => {
                for (key, value) in wanted.iter() {
                    self.merge(&path.key(key.clone()), value, origin)?;
                }
                Ok(())
            }
            (Value::Mapping(wanted), _) if path.is_root() => {
                for (key, value) in wanted.iter() {
                    self.merge(&path.key(key.clone()), value, origin)?;
                }
                Ok(())
            }
            (Value::Sequence(wanted), Some(Value::Sequence(have))) => {
                let extra = &self.catalog.identity_keys;
                let key = identity_key(wanted, extra).map(str::to_owned);
                let Some(key) =
                    key.filter(|k| identity_key(&have, std::slice::from_ref(k)) == Some(k))
                else {
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
                    if self.current(&item_path).is_some() {
                        self.merge(&item_path, item, origin)?;
                    } else {
                        let len = self
                            .current(path)
                            .and_then(|v| v.as_sequence().map(<[Value]>::len))
                            .unwrap_or(0);
                        self.editor
                            .append(path, item)
                            .map_err(|err| Self::fail(origin, path, err))?;
                        self.changes.push(Change {
                            kind: ChangeKind::Appended,
                            path: path.index(len),
                            old: None,
                            new: Some(item.clone()),
                            origin: origin.clone(),
                        });
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
                Ok(())
            }
            (_, _) => self.set(path, required, origin),
        }
    }
}

// ---- reports ------------------------------------------------------------------------------

/// How a migration report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// For people.
    Human,
    /// For scripts.
    Json,
}

/// What a report shows besides the changes.
#[derive(Debug, Clone, Default)]
pub struct ReportOptions {
    /// Show secret values instead of `<redacted>`.
    pub show_secrets: bool,
    /// The output file name of each step, in step order.
    pub files: Vec<String>,
    /// The input's name.
    pub input: String,
}

fn shown(path: &Path, value: &Value, options: &ReportOptions) -> Value {
    crate::secrets::shown(path, value, options.show_secrets)
}

fn inline(value: &Value) -> String {
    match value {
        Value::String(s) => crate::edit::double_quoted(s),
        _ => crate::edit::render_flow(value),
    }
}

/// Renders a migration report.
pub fn render(migration: &Migration, format: ReportFormat, options: &ReportOptions) -> String {
    match format {
        ReportFormat::Human => render_human(migration, options),
        ReportFormat::Json => {
            let mut text =
                serde_json::to_string_pretty(&report_json(migration, options)).unwrap_or_default();
            text.push('\n');
            text
        }
    }
}

fn render_human(migration: &Migration, options: &ReportOptions) -> String {
    let mut out = String::new();
    if migration.steps.is_empty() {
        let _ = writeln!(
            out,
            "{} is already on {}: nothing to do",
            options.input, migration.to
        );
        return out;
    }
    let _ = writeln!(
        out,
        "{}: {} -> {} in {} step{}",
        options.input,
        migration.from,
        migration.to,
        migration.steps.len(),
        if migration.steps.len() == 1 { "" } else { "s" }
    );
    for (i, step) in migration.steps.iter().enumerate() {
        let _ = writeln!(out);
        let file = options
            .files
            .get(i)
            .map(|f| format!(" -> {f}"))
            .unwrap_or_default();
        let _ = writeln!(out, "step {}: {} -> {}{file}", i + 1, step.from, step.to);
        for change in &step.changes {
            let origin = change.origin.label();
            let line = match (&change.kind, &change.old, &change.new) {
                (ChangeKind::Moved { to }, _, _) => format!("  > {} -> {to}", change.path),
                (ChangeKind::Removed, Some(old), _) => {
                    format!(
                        "  - {}: {}",
                        change.path,
                        inline(&shown(&change.path, old, options))
                    )
                }
                (ChangeKind::Changed, Some(old), Some(new)) => format!(
                    "  ~ {}: {} -> {}",
                    change.path,
                    inline(&shown(&change.path, old, options)),
                    inline(&shown(&change.path, new, options))
                ),
                (_, _, Some(new)) => {
                    format!(
                        "  + {}: {}",
                        change.path,
                        inline(&shown(&change.path, new, options))
                    )
                }
                _ => format!("  ? {}", change.path),
            };
            let reason = change.origin.reason_suffix();
            let _ = writeln!(out, "{line}    ({origin}{reason})");
        }
        for notice in &step.notices {
            let line = match notice {
                Notice::KeptPresent { path, origin } => {
                    format!("  = {path}: kept, already present ({})", origin.label())
                }
                Notice::KeptOverride {
                    path,
                    value,
                    default,
                    origin,
                } => format!(
                    "  = {path}: kept your {} (the default {} would change; {})",
                    inline(&shown(path, value, options)),
                    inline(&shown(path, default, options)),
                    origin.label()
                ),
                Notice::Warning { text, origin } => {
                    format!("  ! {text} ({})", origin.label())
                }
                Notice::ExtraItem { path } => {
                    format!("  = {path}: kept, not listed by {}", step.to)
                }
            };
            let _ = writeln!(out, "{line}");
        }
        for requirement in &step.requirements {
            let reason = requirement.origin.reason_suffix();
            let mark = if requirement.met { "ok" } else { "MISSING" };
            let _ = writeln!(
                out,
                "  {mark} required input {}{reason} ({})",
                requirement.path,
                requirement.origin.label()
            );
        }
        if step.changes.is_empty() && step.notices.is_empty() && step.requirements.is_empty() {
            let _ = writeln!(out, "  no changes");
        }
    }
    out
}

fn origin_json(origin: &Origin) -> serde_json::Value {
    serde_json::json!({
        "release": origin.release.to_string(),
        "rule": origin.rule,
        "kind": origin.kind,
        "reason": origin.reason,
    })
}

fn report_json(migration: &Migration, options: &ReportOptions) -> serde_json::Value {
    let steps: Vec<serde_json::Value> = migration
        .steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let changes: Vec<serde_json::Value> = step
                .changes
                .iter()
                .map(|c| {
                    let mut object = serde_json::Map::new();
                    object.insert("kind".into(), c.kind.as_str().into());
                    object.insert("path".into(), c.path.to_string().into());
                    if let ChangeKind::Moved { to } = &c.kind {
                        object.insert("to".into(), to.to_string().into());
                    }
                    let shown = |value| match &c.kind {
                        ChangeKind::Moved { to } => {
                            crate::secrets::shown_moved(&c.path, to, value, options.show_secrets)
                        }
                        _ => shown(&c.path, value, options),
                    };
                    if let Some(old) = &c.old {
                        object.insert("old".into(), shown(old).to_json());
                    }
                    if let Some(new) = &c.new {
                        object.insert("new".into(), shown(new).to_json());
                    }
                    object.insert("origin".into(), origin_json(&c.origin));
                    serde_json::Value::Object(object)
                })
                .collect();
            let notices: Vec<serde_json::Value> = step
                .notices
                .iter()
                .map(|n| match n {
                    Notice::KeptPresent { path, origin } => serde_json::json!({
                        "kind": "kept", "path": path.to_string(), "origin": origin_json(origin)
                    }),
                    Notice::KeptOverride {
                        path,
                        value,
                        default,
                        origin,
                    } => serde_json::json!({
                        "kind": "override", "path": path.to_string(),
                        "value": shown(path, value, options).to_json(),
                        "default": shown(path, default, options).to_json(),
                        "origin": origin_json(origin)
                    }),
                    Notice::Warning { text, origin } => serde_json::json!({
                        "kind": "warning", "text": text, "origin": origin_json(origin)
                    }),
                    Notice::ExtraItem { path } => serde_json::json!({
                        "kind": "extra-item", "path": path.to_string()
                    }),
                })
                .collect();
            let requirements: Vec<serde_json::Value> = step
                .requirements
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "path": r.path.to_string(), "met": r.met, "origin": origin_json(&r.origin)
                    })
                })
                .collect();
            serde_json::json!({
                "from": step.from.to_string(),
                "to": step.to.to_string(),
                "file": options.files.get(i),
                "changes": changes,
                "notices": notices,
                "required_input": requirements,
            })
        })
        .collect();
    serde_json::json!({
        "input": options.input,
        "from": migration.from.to_string(),
        "to": migration.to.to_string(),
        "complete": migration.is_complete(),
        "steps": steps,
    })
}
