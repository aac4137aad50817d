//! Migration reports: the `human` text and the `json` document of docs/migrate.md, with
//! secrets redacted unless asked not to.

use std::fmt::Write as _;

use serde::Serialize;

use super::{Migration, Notice, Origin};
use crate::patch::Change;
use crate::path::Path;
use crate::value::Value;

/// How a migration report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// For people.
    Human,
    /// For scripts.
    Json,
}

/// What a report shows besides the changes. Build it from `Default` and the `with_` setters:
/// fields may be added.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ReportOptions {
    /// Show secret values instead of `<redacted>`.
    pub show_secrets: bool,
    /// The output file name of each step, in step order.
    pub files: Vec<String>,
    /// The input's name.
    pub input: String,
}

impl ReportOptions {
    /// Showing secret values (`true`) or `<redacted>` (`false`, the default).
    #[must_use]
    pub fn with_show_secrets(mut self, show_secrets: bool) -> Self {
        self.show_secrets = show_secrets;
        self
    }

    /// With the output file name of each step, in step order.
    #[must_use]
    pub fn with_files(mut self, files: Vec<String>) -> Self {
        self.files = files;
        self
    }

    /// With the input's name, as the report shows it.
    #[must_use]
    pub fn with_input(mut self, input: impl Into<String>) -> Self {
        self.input = input.into();
        self
    }
}

fn shown(path: &Path, value: &Value, options: &ReportOptions) -> Value {
    crate::secrets::shown(path, value, options.show_secrets)
}

/// A value on one report line: strings double-quoted, collections in flow style.
pub(crate) fn inline(value: &Value) -> String {
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
    // About a line of 80 bytes per change: growing from empty copied the report 17 times
    // for 2,000 changes.
    let changes: usize = migration.steps.iter().map(|s| s.patch.len()).sum();
    let mut out = String::with_capacity(128 + changes * 96);
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
        // A migration may make thousands of changes: each line is written straight into the
        // report, without a string of its own per part.
        for (change, origin) in step.patch.iter() {
            let inserted;
            let path = match change {
                Change::Insert { path, position, .. } => {
                    inserted = path.index(*position);
                    &inserted
                }
                Change::Move { from, .. } => from,
                Change::Set { path, .. }
                | Change::Remove { path, .. }
                | Change::Reorder { path, .. } => path,
            };
            let _ = match change {
                Change::Move { to, .. } => write!(out, "  > {path} -> {to}"),
                Change::Remove { old, .. } => {
                    write!(out, "  - {path}: {}", inline(&shown(path, old, options)))
                }
                Change::Set {
                    old: Some(old),
                    new,
                    ..
                } => write!(
                    out,
                    "  ~ {path}: {} -> {}",
                    inline(&shown(path, old, options)),
                    inline(&shown(path, new, options))
                ),
                Change::Set { new, .. } | Change::Insert { value: new, .. } => {
                    write!(out, "  + {path}: {}", inline(&shown(path, new, options)))
                }
                Change::Reorder { .. } => write!(out, "  ~ {path}: reordered"),
            };
            out.push_str("    (");
            if let Some(origin) = origin {
                let _ = write!(out, "{}", origin.labelled());
            }
            out.push_str(")\n");
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
                Notice::Emptied {
                    path,
                    kept: false,
                    origin,
                } => format!(
                    "  = {path}: emptied, so removed: the chart's default applies ({})",
                    origin.label()
                ),
                Notice::Emptied {
                    path,
                    kept: true,
                    origin,
                } => format!(
                    "  = {path}: emptied and kept empty (keep_empty), overriding the chart's \
                     default ({})",
                    origin.label()
                ),
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
        if step.patch.is_empty() && step.notices.is_empty() && step.requirements.is_empty() {
            let _ = writeln!(out, "  no changes");
        }
    }
    out
}

/// The `json` report of docs/migrate.md.
#[derive(Serialize)]
struct ReportJson<'a> {
    input: &'a str,
    from: String,
    to: String,
    complete: bool,
    steps: Vec<StepJson<'a>>,
}

/// One step of [`ReportJson`].
#[derive(Serialize)]
struct StepJson<'a> {
    from: String,
    to: String,
    file: Option<&'a String>,
    changes: Vec<ChangeJson<'a>>,
    notices: Vec<NoticeJson<'a>>,
    required_input: Vec<RequirementJson<'a>>,
}

/// One change of a step: `kind`, `path`, `to` (moves), `old`, `new`, `origin`.
#[derive(Serialize)]
struct ChangeJson<'a> {
    kind: &'static str,
    path: Path,
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<&'a Path>,
    #[serde(skip_serializing_if = "Option::is_none")]
    old: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    new: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    origin: Option<&'a Origin>,
}

/// One notice of a step, tagged by `kind`.
#[derive(Serialize)]
#[serde(tag = "kind")]
enum NoticeJson<'a> {
    #[serde(rename = "kept")]
    Kept { path: &'a Path, origin: &'a Origin },
    #[serde(rename = "override")]
    Override {
        path: &'a Path,
        value: Value,
        default: Value,
        origin: &'a Origin,
    },
    #[serde(rename = "warning")]
    Warning { text: &'a str, origin: &'a Origin },
    #[serde(rename = "extra-item")]
    ExtraItem { path: &'a Path },
    #[serde(rename = "kept-empty")]
    KeptEmpty { path: &'a Path, origin: &'a Origin },
    #[serde(rename = "emptied")]
    Emptied { path: &'a Path, origin: &'a Origin },
}

/// One required input of a step.
#[derive(Serialize)]
struct RequirementJson<'a> {
    path: &'a Path,
    met: bool,
    origin: &'a Origin,
}

fn change_json<'a>(
    change: &'a Change,
    origin: Option<&'a Origin>,
    options: &ReportOptions,
) -> ChangeJson<'a> {
    let path = change.path();
    let shown = |value| match change {
        Change::Move { from, to, .. } => {
            crate::secrets::shown_moved(from, to, value, options.show_secrets)
        }
        _ => shown(&path, value, options),
    };
    ChangeJson {
        kind: change.kind_name(),
        to: match change {
            Change::Move { to, .. } => Some(to),
            _ => None,
        },
        old: change.old().map(shown),
        new: change.new_value().map(shown),
        origin,
        path,
    }
}

fn notice_json<'a>(notice: &'a Notice, options: &ReportOptions) -> NoticeJson<'a> {
    match notice {
        Notice::KeptPresent { path, origin } => NoticeJson::Kept { path, origin },
        Notice::KeptOverride {
            path,
            value,
            default,
            origin,
        } => NoticeJson::Override {
            path,
            value: shown(path, value, options),
            default: shown(path, default, options),
            origin,
        },
        Notice::Warning { text, origin } => NoticeJson::Warning { text, origin },
        Notice::ExtraItem { path } => NoticeJson::ExtraItem { path },
        Notice::Emptied {
            path,
            kept: true,
            origin,
        } => NoticeJson::KeptEmpty { path, origin },
        Notice::Emptied {
            path,
            kept: false,
            origin,
        } => NoticeJson::Emptied { path, origin },
    }
}

fn report_json<'a>(migration: &'a Migration, options: &'a ReportOptions) -> ReportJson<'a> {
    let steps = migration
        .steps
        .iter()
        .enumerate()
        .map(|(i, step)| StepJson {
            from: step.from.to_string(),
            to: step.to.to_string(),
            file: options.files.get(i),
            changes: step
                .patch
                .iter()
                .map(|(change, origin)| change_json(change, origin, options))
                .collect(),
            notices: step
                .notices
                .iter()
                .map(|notice| notice_json(notice, options))
                .collect(),
            required_input: step
                .requirements
                .iter()
                .map(|r| RequirementJson {
                    path: &r.path,
                    met: r.met,
                    origin: &r.origin,
                })
                .collect(),
        })
        .collect();
    ReportJson {
        input: &options.input,
        from: migration.from.to_string(),
        to: migration.to.to_string(),
        complete: migration.is_complete(),
        steps,
    }
}
