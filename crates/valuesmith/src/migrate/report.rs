//! Migration reports: the `human` text and the `json` document of docs/migrate.md, with
//! secrets redacted unless asked not to.

use std::fmt::Write as _;

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
        for (change, origin) in step.patch.iter() {
            let path = change.path();
            let line = match change {
                Change::Move { to, .. } => format!("  > {path} -> {to}"),
                Change::Remove { old, .. } => {
                    format!("  - {path}: {}", inline(&shown(&path, old, options)))
                }
                Change::Set {
                    old: Some(old),
                    new,
                    ..
                } => format!(
                    "  ~ {path}: {} -> {}",
                    inline(&shown(&path, old, options)),
                    inline(&shown(&path, new, options))
                ),
                Change::Set { new, .. } | Change::Insert { value: new, .. } => {
                    format!("  + {path}: {}", inline(&shown(&path, new, options)))
                }
                Change::Reorder { .. } => format!("  ~ {path}: reordered"),
            };
            let (label, reason) = origin
                .map(|o| (o.label(), o.reason_suffix()))
                .unwrap_or_default();
            let _ = writeln!(out, "{line}    ({label}{reason})");
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

fn origin_json(origin: &Origin) -> serde_json::Value {
    serde_json::to_value(origin).unwrap_or_default()
}

fn report_json(migration: &Migration, options: &ReportOptions) -> serde_json::Value {
    let steps: Vec<serde_json::Value> = migration
        .steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let changes: Vec<serde_json::Value> = step
                .patch
                .iter()
                .map(|(c, origin)| {
                    let path = c.path();
                    let mut object = serde_json::Map::new();
                    object.insert("kind".into(), c.kind_name().into());
                    object.insert("path".into(), path.to_string().into());
                    if let Change::Move { to, .. } = c {
                        object.insert("to".into(), to.to_string().into());
                    }
                    let shown = |value| match c {
                        Change::Move { from, to, .. } => {
                            crate::secrets::shown_moved(from, to, value, options.show_secrets)
                        }
                        _ => shown(&path, value, options),
                    };
                    if let Some(old) = c.old() {
                        object.insert("old".into(), shown(old).to_json());
                    }
                    if let Some(new) = c.new_value() {
                        object.insert("new".into(), shown(new).to_json());
                    }
                    if let Some(origin) = origin {
                        object.insert("origin".into(), origin_json(origin));
                    }
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
                    Notice::Emptied { path, kept, origin } => serde_json::json!({
                        "kind": if *kept { "kept-empty" } else { "emptied" },
                        "path": path.to_string(),
                        "origin": origin_json(origin)
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
