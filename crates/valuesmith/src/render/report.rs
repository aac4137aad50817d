//! The reports of render checks (`human`, `json`, `github`) and of manifest diffs (`human`,
//! `brief`, `json`, `github`). A manifest diff's values go through the diff reports, so
//! secrets read `<redacted>` as everywhere else.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::diagnostic::{github_escape_data, github_escape_property, Color, Diagnostic, Location};
use crate::diff::render as diff_render;
use crate::path::Path;

use super::diff::ManifestDiff;
use super::{CheckReport, PathRef, Problem, ProblemKind, ResourceId};

/// A report format of [`render_check`](super::render).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CheckFormat {
    /// A finding a problem, as `validate` prints them; the resource counts on success.
    #[default]
    Human,
    /// One JSON document.
    Json,
    /// GitHub Actions annotations.
    Github,
}

/// Renders a check report.
pub fn check(report: &CheckReport, format: CheckFormat, color: Color) -> String {
    match format {
        CheckFormat::Human => check_human(report, color),
        CheckFormat::Json => check_json(report),
        CheckFormat::Github => check_github(report),
    }
}

fn check_human(report: &CheckReport, color: Color) -> String {
    let mut out = String::new();
    if report.is_ok() {
        let kinds = report.kinds();
        let total: usize = kinds.values().sum();
        let _ = writeln!(
            out,
            "{}: `{}` rendered {total} resource{}",
            color.paint("1;32", "ok"),
            report.command,
            if total == 1 { "" } else { "s" }
        );
        let width = kinds.keys().map(|k| k.chars().count()).max().unwrap_or(0);
        for (kind, count) in &kinds {
            let _ = writeln!(out, "  {kind:<width$}  {count}");
        }
        return out;
    }
    out.push_str(&problems_human(report, color));
    let n = report.problems().len();
    let _ = writeln!(
        out,
        "{}: `{}` failed with {n} problem{}",
        color.paint("1;31", "error"),
        report.command,
        if n == 1 { "" } else { "s" }
    );
    out
}

fn problems_human(report: &CheckReport, color: Color) -> String {
    let mut out = String::new();
    for problem in report.problems() {
        out.push_str(&problem_diagnostic(problem).render_finding(color));
        for line in problem_notes(problem) {
            let _ = writeln!(out, "  {} {line}", color.paint("1;34", "="));
        }
        out.push('\n');
    }
    out
}

/// The problems of a failed render as plain text (for error messages).
pub fn problems_text(report: &CheckReport) -> String {
    problems_human(report, Color::Never).trim_end().to_owned()
}

fn problem_diagnostic(problem: &Problem) -> Diagnostic {
    let mut diagnostic = Diagnostic::error(match &problem.schema_chart {
        Some(chart) => format!("{} (schema of chart {chart})", problem.message),
        None => problem.message.clone(),
    });
    diagnostic.code = Some(problem.kind.code().to_owned());
    if let Some(at) = problem.user_position() {
        diagnostic.file = Some(at.file.clone());
        diagnostic.location = Some(at.location);
        diagnostic.source_line = Some(at.source_line.clone());
    } else if let Some(chart) = &problem.chart_file {
        diagnostic.file = Some(chart.file.clone());
        diagnostic.location = chart.line.map(|line| Location {
            line,
            column: chart.column.unwrap_or(1),
        });
    }
    diagnostic
}

/// The lines under a finding: where in the chart, and each value it is about.
fn problem_notes(problem: &Problem) -> Vec<String> {
    let mut notes = Vec::new();
    if let (Some(chart), Some(_)) = (&problem.chart_file, problem.user_position()) {
        notes.push(format!("in the chart at {chart}"));
    }
    if let Some(value) = &problem.value {
        notes.push(format!("value {}", where_set(value)));
    }
    if !problem.paths.is_empty() {
        let label = match problem.kind {
            ProblemKind::Schema => "values",
            _ => "values the message names or the template reads there",
        };
        notes.push(format!("{label}:"));
        for path in &problem.paths {
            notes.push(format!("  {}", where_set(path)));
        }
    }
    notes
}

fn where_set(path: &PathRef) -> String {
    let shown = if path.path.is_root() {
        "(root)".to_owned()
    } else {
        path.path.to_string()
    };
    match (&path.at, &path.set_by) {
        (_, Some(set)) => format!("{shown}: set by --set {set}"),
        (Some(at), None) => format!(
            "{shown}: {}:{}:{}",
            at.file, at.location.line, at.location.column
        ),
        (None, None) => format!("{shown}: not in your files (the chart's default)"),
    }
}

/// A values path of a problem in the `json` report: `path`, and `file`, `line`, `column`
/// where the user writes it, `set_by` for a `--set`.
#[derive(Serialize)]
struct PathJson<'a> {
    path: &'a Path,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    set_by: Option<&'a str>,
}

impl<'a> PathJson<'a> {
    fn of(path: &'a PathRef) -> Self {
        Self {
            path: &path.path,
            file: path.at.as_ref().map(|at| at.file.as_str()),
            line: path.at.as_ref().map(|at| at.location.line),
            column: path.at.as_ref().map(|at| at.location.column),
            set_by: path.set_by.as_deref(),
        }
    }
}

/// A chart file position of a problem (`line` and `column` `null` when Helm gives none).
#[derive(Serialize)]
struct ChartFileJson<'a> {
    file: &'a str,
    line: Option<usize>,
    column: Option<usize>,
}

/// One problem of the `json` report.
#[derive(Serialize)]
struct ProblemJson<'a> {
    code: &'static str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    chart_file: Option<ChartFileJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    schema_chart: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<PathJson<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    paths: Vec<PathJson<'a>>,
}

/// The resource counts of the `json` report.
#[derive(Serialize)]
struct ResourcesJson {
    total: usize,
    kinds: BTreeMap<String, usize>,
}

/// The `json` check report of docs/render.md.
#[derive(Serialize)]
struct CheckJson<'a> {
    command: &'a str,
    chart: &'a str,
    files: &'a [String],
    ok: bool,
    resources: ResourcesJson,
    problems: Vec<ProblemJson<'a>>,
}

impl<'a> CheckJson<'a> {
    fn of(report: &'a CheckReport) -> Self {
        let kinds = report.kinds();
        let problems = report
            .problems()
            .iter()
            .map(|p| ProblemJson {
                code: p.kind.code(),
                message: &p.message,
                chart_file: p.chart_file.as_ref().map(|chart| ChartFileJson {
                    file: &chart.file,
                    line: chart.line,
                    column: chart.column,
                }),
                schema_chart: p.schema_chart.as_deref(),
                value: p.value.as_ref().map(PathJson::of),
                paths: p.paths.iter().map(PathJson::of).collect(),
            })
            .collect();
        Self {
            command: &report.command,
            chart: &report.chart,
            files: &report.files,
            ok: report.is_ok(),
            resources: ResourcesJson {
                total: kinds.values().sum(),
                kinds,
            },
            problems,
        }
    }
}

/// The check report as a JSON value: `{"command", "chart", "files", "ok", "resources",
/// "problems"}`.
pub fn check_json_value(report: &CheckReport) -> serde_json::Value {
    serde_json::to_value(CheckJson::of(report)).unwrap_or_default()
}

fn check_json(report: &CheckReport) -> String {
    let mut text =
        serde_json::to_string_pretty(&CheckJson::of(report)).unwrap_or_else(|_| "{}".into());
    text.push('\n');
    text
}

fn check_github(report: &CheckReport) -> String {
    let mut out = String::new();
    for problem in report.problems() {
        let diagnostic = problem_diagnostic(problem);
        let mut properties = String::new();
        if let Some(file) = &diagnostic.file {
            let _ = write!(properties, "file={}", github_escape_property(file));
            if let Some(location) = diagnostic.location {
                let _ = write!(
                    properties,
                    ",line={},col={}",
                    location.line, location.column
                );
            }
            properties.push(',');
        }
        let _ = write!(properties, "title={}", problem.kind.code());
        let mut message = diagnostic.message.clone();
        for note in problem_notes(problem) {
            message.push('\n');
            message.push_str(&note);
        }
        let _ = writeln!(
            out,
            "::error {properties}::{}",
            github_escape_data(&message)
        );
    }
    out
}

/// Renders a manifest diff in one of the diff formats. `old` and `new` name the two sides.
pub fn manifest_diff(
    diff: &ManifestDiff,
    format: diff_render::Format,
    old: &str,
    new: &str,
    color: Color,
) -> String {
    match format {
        diff_render::Format::Human => diff_human(diff, color),
        diff_render::Format::Brief => diff_brief(diff, color),
        diff_render::Format::Json => {
            let mut text = serde_json::to_string_pretty(&ManifestDiffJson::of(diff, old, new))
                .unwrap_or_else(|_| "{}".into());
            text.push('\n');
            text
        }
        diff_render::Format::Github => diff_github(diff),
    }
}

fn heading(change: &super::ResourceChange) -> String {
    match &change.old_id {
        Some(old) => format!("{} {old} -> {}", change.kind.as_str(), change.id),
        None => format!("{} {}", change.kind.as_str(), change.id),
    }
}

fn summary_line(diff: &ManifestDiff) -> String {
    let counts: Vec<String> = diff
        .counts()
        .iter()
        .map(|(kind, n)| format!("{n} {}", kind.as_str()))
        .collect();
    format!("{}, {} unchanged", counts.join(", "), diff.unchanged)
}

fn indent(text: &str, by: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                "\n".to_owned()
            } else {
                format!("{by}{l}\n")
            }
        })
        .collect()
}

fn diff_human(diff: &ManifestDiff, color: Color) -> String {
    let mut out = String::new();
    for change in &diff.changes {
        let code = match change.kind {
            super::ResourceChangeKind::Added => "1;32",
            super::ResourceChangeKind::Removed => "1;31",
            _ => "1;33",
        };
        let _ = writeln!(out, "{}", color.paint(code, &heading(change)));
        if let Some(source) = &change.source {
            let _ = writeln!(out, "  {}", color.paint("2", &format!("from {source}")));
        }
        if !change.diff.is_empty() {
            out.push_str(&indent(&diff_render::human(&change.diff, color), "  "));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{}", summary_line(diff));
    out
}

fn diff_brief(diff: &ManifestDiff, color: Color) -> String {
    let mut out = String::new();
    for change in &diff.changes {
        let _ = writeln!(out, "{}", heading(change));
        out.push_str(&indent(&diff_render::brief(&change.diff, color), "  "));
    }
    out
}

/// The manifest diff as JSON: `{"old", "new", "resources": [{"kind", "id", "old_id",
/// "source", "changes"}], "unchanged"}`; each `changes` is the diff report's list.
pub fn diff_json_value(diff: &ManifestDiff, old: &str, new: &str) -> serde_json::Value {
    serde_json::to_value(ManifestDiffJson::of(diff, old, new)).unwrap_or_default()
}

/// The `json` manifest diff of docs/render.md.
#[derive(Serialize)]
struct ManifestDiffJson<'a> {
    old: &'a str,
    new: &'a str,
    resources: Vec<ResourceJson<'a>>,
    unchanged: usize,
}

/// One changed resource of [`ManifestDiffJson`].
#[derive(Serialize)]
struct ResourceJson<'a> {
    kind: &'static str,
    id: &'a ResourceId,
    #[serde(skip_serializing_if = "Option::is_none")]
    old_id: Option<&'a ResourceId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    /// The diff report's `changes` list.
    changes: serde_json::Value,
}

impl<'a> ManifestDiffJson<'a> {
    fn of(diff: &'a ManifestDiff, old: &'a str, new: &'a str) -> Self {
        let resources = diff
            .changes
            .iter()
            .map(|change| ResourceJson {
                kind: change.kind.as_str(),
                id: &change.id,
                old_id: change.old_id.as_ref(),
                source: change.source.as_deref(),
                changes: diff_render::json_value(&change.diff, old, new)
                    .get("changes")
                    .cloned()
                    .unwrap_or_default(),
            })
            .collect();
        Self {
            old,
            new,
            resources,
            unchanged: diff.unchanged,
        }
    }
}

fn diff_github(diff: &ManifestDiff) -> String {
    let mut out = String::new();
    for change in &diff.changes {
        let title = heading(change);
        let mut message = title.clone();
        if !change.diff.is_empty() {
            message.push('\n');
            message.push_str(diff_render::brief(&change.diff, Color::Never).trim_end());
        }
        let _ = writeln!(
            out,
            "::notice title={}::{}",
            github_escape_property(&title),
            github_escape_data(&message)
        );
    }
    out
}
