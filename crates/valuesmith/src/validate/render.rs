//! The output formats of findings (PRODUCT.md §7): `human`, `json` and `github`.

use std::fmt::Write as _;

use super::{Finding, Summary};
use crate::diagnostic::{github_escape_data, github_escape_property, Color, Severity};

/// How findings are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Format {
    /// `file:line:col: error[code]: message`, the source line with a caret, `hint: ...`, and a
    /// count at the end.
    #[default]
    Human,
    /// `{"findings": [{"file", "line", "column", "severity", "code", "message", "hint"}],
    /// "errors": N, "warnings": N}`.
    Json,
    /// GitHub Actions workflow commands: `::error file=F,line=L,col=C,title=CODE::MESSAGE`.
    Github,
}

/// Writes `findings` (of one or many files) in `format`. Colour applies to `human` only. The
/// human format writes nothing when there is nothing to report; the JSON format always writes
/// its document.
pub fn render(findings: &[Finding], format: Format, color: Color) -> String {
    match format {
        Format::Human => human(findings, color),
        Format::Json => json(findings),
        Format::Github => github(findings),
    }
}

fn human(findings: &[Finding], color: Color) -> String {
    let mut out = String::new();
    for finding in findings {
        out.push_str(&finding.to_diagnostic().render_finding(color));
        out.push('\n');
    }
    if !findings.is_empty() {
        let summary = Summary::of(findings);
        let _ = writeln!(
            out,
            "{}, {}",
            count(summary.errors, "error"),
            count(summary.warnings, "warning")
        );
    }
    out
}

fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

fn json(findings: &[Finding]) -> String {
    let summary = Summary::of(findings);
    let document = serde_json::json!({
        "findings": findings.iter().map(Finding::to_json).collect::<Vec<_>>(),
        "errors": summary.errors,
        "warnings": summary.warnings,
    });
    let mut out = serde_json::to_string_pretty(&document).unwrap_or_default();
    out.push('\n');
    out
}

fn github(findings: &[Finding]) -> String {
    let mut out = String::new();
    for finding in findings {
        let command = match finding.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(
            out,
            "::{command} file={},line={},col={},title={}::{}",
            github_escape_property(&finding.file),
            finding.location.line,
            finding.location.column,
            github_escape_property(finding.code.as_str()),
            github_escape_data(&finding.message)
        );
    }
    out
}
