//! The reports of a promotion: `human` lists every change that was not cleanly applied
//! (already there, allowed to differ, conflicting) and the emptied keys, then a summary;
//! `json` lists every change with its outcome.

use std::fmt::Write as _;

use super::{Entry, Outcome, Promotion};
use crate::migrate::inline;
use crate::patch::Change;
use crate::secrets::{shown, shown_moved};
use crate::value::Value;

fn show(entry: &Entry, value: &Value, show_secrets: bool) -> Value {
    match &entry.change {
        Change::Move { from, to, .. } => shown_moved(from, to, value, show_secrets),
        other => shown(&other.path(), value, show_secrets),
    }
}

fn side(entry: &Entry, value: Option<&Value>, show_secrets: bool) -> String {
    value.map_or_else(
        || "absent".to_owned(),
        |v| inline(&show(entry, v, show_secrets)),
    )
}

/// The human report.
pub(super) fn human(promotion: &Promotion, file: &str, show_secrets: bool) -> String {
    let mut out = String::new();
    for entry in &promotion.entries {
        let path = entry.change.path();
        match &entry.outcome {
            Outcome::Applied => {
                // Blocked by a conflict, nothing was written: the change is only pending.
                let label = if promotion.blocked {
                    "pending"
                } else {
                    "applied"
                };
                let _ = writeln!(out, "{label:<9} {} {path}", entry.change.kind_name());
            }
            Outcome::Already => {
                let _ = writeln!(out, "already   {path}: the file has it");
            }
            Outcome::Allowed => {
                let _ = writeln!(out, "skipped   {path}: allowed to differ (drift.allow)");
            }
            Outcome::Conflict(conflict) => {
                let line = conflict
                    .line
                    .map(|l| format!("{file}:{l}: "))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "conflict  {line}{path}: {}; the patch expects {}, the file has {}",
                    conflict.reason,
                    side(entry, conflict.expected.as_ref(), show_secrets),
                    side(entry, conflict.found.as_ref(), show_secrets),
                );
            }
        }
        if let Some((collection, kept)) = &entry.emptied {
            let what = if *kept {
                "kept empty (keep_empty), overriding the chart's default"
            } else {
                "emptied and removed, so the chart's default applies"
            };
            let _ = writeln!(out, "          = {collection}: {what}");
        }
    }
    let conflicts = promotion.count("conflict");
    let _ = writeln!(
        out,
        "{file}: {} applied, {} already there, {} allowed to differ, {conflicts} conflict{}",
        if promotion.blocked {
            0
        } else {
            promotion.count("applied")
        },
        promotion.count("already"),
        promotion.count("allowed"),
        if conflicts == 1 { "" } else { "s" },
    );
    if promotion.blocked {
        let _ = writeln!(
            out,
            "nothing was written: resolve the conflicts, or pass --skip-conflicts to apply the rest"
        );
    }
    out
}

/// The JSON report.
pub(super) fn json(promotion: &Promotion, file: &str, show_secrets: bool) -> String {
    use serde_json::{json, Map, Value as J};
    let entries: Vec<J> = promotion
        .entries
        .iter()
        .map(|entry| {
            let mut object = Map::new();
            object.insert("op".into(), J::from(op_name(&entry.change)));
            object.insert("path".into(), J::from(entry.change.path().to_string()));
            object.insert("outcome".into(), J::from(entry.outcome.name()));
            if let Outcome::Conflict(conflict) = &entry.outcome {
                let value = |v: Option<&Value>| {
                    v.map_or(J::Null, |v| show(entry, v, show_secrets).to_json())
                };
                object.insert("expected".into(), value(conflict.expected.as_ref()));
                object.insert("found".into(), value(conflict.found.as_ref()));
                object.insert("line".into(), json!(conflict.line));
                object.insert("reason".into(), J::from(conflict.reason.clone()));
            }
            if let Some((collection, kept)) = &entry.emptied {
                object.insert(
                    "emptied".into(),
                    json!({"path": collection.to_string(), "kept": kept}),
                );
            }
            J::Object(object)
        })
        .collect();
    let report = json!({
        "file": file,
        "written": !promotion.blocked && promotion.count("applied") > 0,
        "changes": entries,
    });
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}

fn op_name(change: &Change) -> &'static str {
    match change {
        Change::Set { .. } => "set",
        Change::Remove { .. } => "remove",
        Change::Move { .. } => "move",
        Change::Insert { .. } => "insert",
        Change::Reorder { .. } => "reorder",
    }
}
