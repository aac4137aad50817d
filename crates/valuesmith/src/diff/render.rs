//! The reports of a [`Diff`]: `human` (dyff-like blocks), `brief` (one line a change), `json`
//! (docs/diff.md) and `github` (workflow annotations).
//!
//! Values are written as YAML by the editor's emitter ([`crate::edit::Layout`],
//! [`crate::edit::render_flow`]), the one place that emits YAML text. Every renderer shows
//! values through [`Diff::shown_old`] / [`Diff::shown_new`], so secrets read `<redacted>`
//! unless the diff was made with `show_secrets`.

use std::fmt::Write as _;

use similar::{ChangeTag, TextDiff};

use super::{Change, ChangeKind, Diff};
use crate::diagnostic::{github_escape_data, github_escape_property, Color};
use crate::edit::{render_flow as flow_value, Layout};
use crate::path::{Path, Segment};
use crate::value::Value;

/// A report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Format {
    /// dyff-like blocks with the values and a line diff of multi-line text.
    #[default]
    Human,
    /// One line a change.
    Brief,
    /// docs/diff.md.
    Json,
    /// GitHub Actions workflow annotations, one a change.
    Github,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [Format; 4] = [Format::Human, Format::Brief, Format::Json, Format::Github];

    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Brief => "brief",
            Format::Json => "json",
            Format::Github => "github",
        }
    }
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| format!("unknown format `{s}` (human, brief, json or github)"))
    }
}

/// Renders `diff` in `format`. `old_name` and `new_name` are the files as the user named
/// them (`json` and `github` print them); `color` applies to `human` and `brief` only.
pub fn render(diff: &Diff, format: Format, old_name: &str, new_name: &str, color: Color) -> String {
    match format {
        Format::Human => human(diff, color),
        Format::Brief => brief(diff, color),
        Format::Json => json(diff, old_name, new_name),
        Format::Github => github(diff, old_name, new_name),
    }
}

/// A path as reports print it; the whole document is `(root)`.
fn shown_path(path: &Path) -> String {
    if path.is_root() {
        "(root)".to_owned()
    } else {
        path.to_string()
    }
}

/// The identity values of a reorder's order list.
fn order_text(order: Option<&Vec<Segment>>) -> String {
    order
        .map(|order| {
            order
                .iter()
                .map(|segment| match segment {
                    Segment::Identity { value, .. } => value.clone(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

/// `3 lines added, 1 removed`: how two texts differ, line by line.
fn text_stats(old: &str, new: &str) -> String {
    let (old_lines, new_lines) = (text_lines(old), text_lines(new));
    let diff = TextDiff::from_slices(&old_lines, &new_lines);
    let count = |tag| diff.iter_all_changes().filter(|c| c.tag() == tag).count();
    let (added, removed) = (count(ChangeTag::Insert), count(ChangeTag::Delete));
    let lines = |n: usize| if n == 1 { "line" } else { "lines" };
    match (added, removed) {
        (0, 0) => "only the final line break".to_owned(),
        (0, r) => format!("{r} {} removed", lines(r)),
        (a, 0) => format!("{a} {} added", lines(a)),
        (a, r) => format!("{a} {} added, {r} removed", lines(a)),
    }
}

/// A value as YAML lines: block style for collections, the raw lines of a multi-line string,
/// one line for other scalars.
fn yaml_lines(value: &Value) -> Vec<String> {
    let layout = Layout::default();
    let text = match value {
        Value::Mapping(m) if !m.is_empty() => layout.mapping_lines(value, 0),
        Value::Sequence(items) if !items.is_empty() => layout.sequence_lines(items, 0),
        Value::String(s) if s.contains('\n') => {
            return s.lines().map(str::to_owned).collect();
        }
        _ => layout.compact(value, 0),
    };
    text.split('\n').map(str::to_owned).collect()
}

/// A value on one line, in flow style, cut to about `limit` characters.
fn inline(value: &Value, limit: usize) -> String {
    if let Value::String(s) = value {
        if s.contains('\n') {
            return format!("({} lines of text)", s.lines().count());
        }
    }
    // The editor's emitter writes it, so a report shows a value as `set` would write it.
    let text = flow_value(value);
    if text.chars().count() > limit {
        let cut: String = text.chars().take(limit).collect();
        format!("{cut}…")
    } else {
        text
    }
}

fn line_note(change: &Change) -> String {
    match (change.old_line, change.new_line) {
        (Some(old), Some(new)) => format!("(old line {old}, new line {new})"),
        (Some(old), None) => format!("(old line {old})"),
        (None, Some(new)) => format!("(new line {new})"),
        (None, None) => String::new(),
    }
}

/// The dyff-like report: per change, the path, what happened with the lines it happened on,
/// then the old value (`-`) and the new one (`+`); multi-line text as a line diff.
pub fn human(diff: &Diff, color: Color) -> String {
    let mut out = String::new();
    for (n, change) in diff.changes.iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let _ = writeln!(out, "{}", color.paint("1", &shown_path(&change.path)));
        let old = diff.shown_old(change);
        let new = diff.shown_new(change);
        let title = match change.kind {
            ChangeKind::Added => color.paint("32", "+ added"),
            ChangeKind::Removed => color.paint("31", "- removed"),
            ChangeKind::Reordered => color.paint("33", "⇆ order changed"),
            _ => {
                let text = match (&old, &new) {
                    (Some(o), Some(n)) if o.type_name() != n.type_name() => {
                        format!("± type change from {} to {}", o.type_name(), n.type_name())
                    }
                    (Some(Value::String(o)), Some(Value::String(n)))
                        if o.contains('\n') || n.contains('\n') =>
                    {
                        format!("± value change in multi-line text ({})", text_stats(o, n))
                    }
                    _ => "± value change".to_owned(),
                };
                color.paint("33", &text)
            }
        };
        let note = line_note(change);
        if note.is_empty() {
            let _ = writeln!(out, "  {title}");
        } else {
            let _ = writeln!(out, "  {title}  {}", color.paint("2", &note));
        }
        let minus = |out: &mut String, line: &str| {
            let _ = writeln!(out, "    {}", color.paint("31", &format!("- {line}")));
        };
        let plus = |out: &mut String, line: &str| {
            let _ = writeln!(out, "    {}", color.paint("32", &format!("+ {line}")));
        };
        if change.kind == ChangeKind::Reordered {
            minus(&mut out, &order_text(change.old_order.as_ref()));
            plus(&mut out, &order_text(change.new_order.as_ref()));
            continue;
        }
        match (&old, &new) {
            (Some(Value::String(o)), Some(Value::String(n)))
                if o.contains('\n') || n.contains('\n') =>
            {
                text_diff(&mut out, o, n, color);
            }
            _ => {
                for line in old.iter().flat_map(yaml_lines) {
                    minus(&mut out, &line);
                }
                for line in new.iter().flat_map(yaml_lines) {
                    plus(&mut out, &line);
                }
            }
        }
    }
    out
}

/// The lines of a text, without their line breaks; a final line break ends the last line
/// rather than starting an empty one.
fn text_lines(text: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = text.split('\n').collect();
    if text.ends_with('\n') {
        lines.pop();
    }
    lines
}

/// A line diff of two texts with three lines of context around each hunk. Lines compare
/// without their line breaks, so text that only gained a final line break does not show its
/// last line as changed; a note says so instead.
fn text_diff(out: &mut String, old: &str, new: &str, color: Color) {
    let (old_lines, new_lines) = (text_lines(old), text_lines(new));
    let diff = TextDiff::from_slices(&old_lines, &new_lines);
    for (n, group) in diff.grouped_ops(3).iter().enumerate() {
        if n > 0 {
            let _ = writeln!(out, "    {}", color.paint("2", "…"));
        }
        for op in group {
            for change in diff.iter_changes(op) {
                let line = change.value();
                let _ = match change.tag() {
                    ChangeTag::Delete => {
                        writeln!(out, "    {}", color.paint("31", &format!("- {line}")))
                    }
                    ChangeTag::Insert => {
                        writeln!(out, "    {}", color.paint("32", &format!("+ {line}")))
                    }
                    // A blank context line stays blank: no trailing spaces.
                    ChangeTag::Equal if line.trim().is_empty() => writeln!(out),
                    ChangeTag::Equal => writeln!(out, "      {line}"),
                };
            }
        }
    }
    match (old.ends_with('\n'), new.ends_with('\n')) {
        (true, false) => {
            let _ = writeln!(
                out,
                "    {}",
                color.paint("2", "(the final line break was removed)")
            );
        }
        (false, true) => {
            let _ = writeln!(
                out,
                "    {}",
                color.paint("2", "(a final line break was added)")
            );
        }
        _ => {}
    }
}

/// What a change did, on one line: `a -> b`, the added or removed value, or the orders.
fn summary(diff: &Diff, change: &Change) -> String {
    const LIMIT: usize = 80;
    let old = diff.shown_old(change);
    let new = diff.shown_new(change);
    match (change.kind, &old, &new) {
        (ChangeKind::Changed, Some(Value::String(o)), Some(Value::String(n)))
            if o.contains('\n') || n.contains('\n') =>
        {
            return format!("multi-line text, {}", text_stats(o, n));
        }
        _ => {}
    }
    match change.kind {
        ChangeKind::Reordered => format!(
            "{} -> {}",
            order_text(change.old_order.as_ref()),
            order_text(change.new_order.as_ref())
        ),
        ChangeKind::Added => new.map(|v| inline(&v, LIMIT)).unwrap_or_default(),
        ChangeKind::Removed => old.map(|v| inline(&v, LIMIT)).unwrap_or_default(),
        _ => format!(
            "{} -> {}",
            old.map(|v| inline(&v, LIMIT)).unwrap_or_default(),
            new.map(|v| inline(&v, LIMIT)).unwrap_or_default()
        ),
    }
}

/// One line a change: `changed global.image.tag: 2024.12.02 -> 2025.05.00`.
pub fn brief(diff: &Diff, color: Color) -> String {
    let mut out = String::new();
    for change in &diff.changes {
        let code = match change.kind {
            ChangeKind::Added => "32",
            ChangeKind::Removed => "31",
            _ => "33",
        };
        let kind = format!("{:<9}", change.kind.as_str());
        let _ = writeln!(
            out,
            "{} {}: {}",
            color.paint(code, &kind),
            shown_path(&change.path),
            summary(diff, change)
        );
    }
    out
}

/// One change of the JSON document (docs/diff.md), in its serde form.
#[derive(serde::Serialize)]
struct ChangeJson {
    kind: &'static str,
    path: String,
    segments: serde_json::Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    old: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    new: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    old_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    new_line: Option<usize>,
    /// Where an added identity item goes (its index in NEW), so the report reads back as the
    /// diff's patch.
    #[serde(skip_serializing_if = "Option::is_none")]
    position: Option<usize>,
    /// An identity in an order list takes the form it has in `segments`.
    #[serde(skip_serializing_if = "Option::is_none")]
    old_order: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    new_order: Option<serde_json::Value>,
}

/// The JSON document of docs/diff.md, in its serde form.
#[derive(serde::Serialize)]
struct ReportJson<'a> {
    old: &'a str,
    new: &'a str,
    changes: Vec<ChangeJson>,
}

/// The JSON document of docs/diff.md, as a value.
pub fn json_value(diff: &Diff, old_name: &str, new_name: &str) -> serde_json::Value {
    let order = |order: &Option<Vec<Segment>>| {
        order
            .as_ref()
            .map(|order| Path::from_segments(order.clone()).segments_json())
    };
    let changes = diff
        .changes
        .iter()
        .map(|change| ChangeJson {
            kind: change.kind.as_str(),
            path: change.path.to_string(),
            segments: change.path.segments_json(),
            old: diff.shown_old(change),
            new: diff.shown_new(change),
            old_line: change.old_line,
            new_line: change.new_line,
            position: match (change.position, change.path.last()) {
                (Some(position), Some(Segment::Identity { .. }))
                    if change.kind == ChangeKind::Added =>
                {
                    Some(position)
                }
                _ => None,
            },
            old_order: order(&change.old_order),
            new_order: order(&change.new_order),
        })
        .collect();
    let report = ReportJson {
        old: old_name,
        new: new_name,
        changes,
    };
    serde_json::to_value(report).unwrap_or_default()
}

/// The JSON report of docs/diff.md, pretty-printed, with a final line break.
pub fn json(diff: &Diff, old_name: &str, new_name: &str) -> String {
    let mut text = serde_json::to_string_pretty(&json_value(diff, old_name, new_name))
        .unwrap_or_else(|_| "{}".to_owned());
    text.push('\n');
    text
}

/// One GitHub Actions annotation a change: `::notice file=NEW,line=L,title=...::...`. A
/// removed path is annotated where it was, in OLD; everything else where it is, in NEW.
pub fn github(diff: &Diff, old_name: &str, new_name: &str) -> String {
    let mut out = String::new();
    for change in &diff.changes {
        let (file, line) = match change.kind {
            ChangeKind::Removed => (old_name, change.old_line),
            _ => (new_name, change.new_line),
        };
        let path = shown_path(&change.path);
        let mut properties = format!("file={}", github_escape_property(file));
        if let Some(line) = line {
            let _ = write!(properties, ",line={line}");
        }
        let title = format!("{} {}", change.kind.as_str(), path);
        let _ = write!(properties, ",title={}", github_escape_property(&title));
        let message = format!("{path} {}: {}", change.kind.as_str(), summary(diff, change));
        let _ = writeln!(
            out,
            "::notice {properties}::{}",
            github_escape_data(&message)
        );
    }
    out
}
