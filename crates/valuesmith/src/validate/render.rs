//! The output formats of findings (docs/validate.md): `human`, `json` and `github`, and for code
//! scanning and merge-request widgets `sarif` (SARIF 2.1.0) and `gitlab` (GitLab's code
//! quality report).

use std::fmt::Write as _;

use super::{Code, Finding, Summary};
use crate::diagnostic::{github_escape_data, github_escape_property, Color, Severity};

/// How findings are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Format {
    /// `file:line:col: error[code]: message`, the source line with a caret, `hint: ...`, and a
    /// count at the end.
    #[default]
    Human,
    /// `{"findings": [{"file", "line", "column", "severity", "code", "message", "hint",
    /// "fix"?}], "errors": N, "warnings": N}` (`fix` only where a finding has one).
    Json,
    /// GitHub Actions workflow commands: `::error file=F,line=L,col=C,title=CODE::MESSAGE`.
    Github,
    /// A SARIF 2.1.0 log (GitHub code scanning's upload format): one run of the tool
    /// `valuesmith`, a rule per finding code, a result per finding.
    Sarif,
    /// GitLab's code quality report: a JSON array of `{description, check_name, fingerprint,
    /// severity, location: {path, lines: {begin}}}`.
    Gitlab,
}

/// Writes `findings` (of one or many files) in `format`. Colour applies to `human` only. The
/// human format writes nothing when there is nothing to report; the JSON format always writes
/// its document.
pub fn render(findings: &[Finding], format: Format, color: Color) -> String {
    match format {
        Format::Human => human(findings, color),
        Format::Json => json(findings),
        Format::Github => github(findings),
        Format::Sarif => sarif(findings),
        Format::Gitlab => gitlab(findings),
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

/// The JSON format's document: the findings' serde form and the counts.
#[derive(serde::Serialize)]
struct JsonReport<'a> {
    findings: &'a [Finding],
    errors: usize,
    warnings: usize,
}

fn json(findings: &[Finding]) -> String {
    let summary = Summary::of(findings);
    let document = JsonReport {
        findings,
        errors: summary.errors,
        warnings: summary.warnings,
    };
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

/// Where each code is described, for SARIF's `helpUri`.
const CODES_DOC: &str = "https://github.com/valuesmith/valuesmith/blob/main/docs/validate.md";

fn pretty(document: &serde_json::Value) -> String {
    let mut out = serde_json::to_string_pretty(document).unwrap_or_default();
    out.push('\n');
    out
}

/// A file name as a URI reference relative to the repository (SARIF's `artifactLocation.uri`):
/// forward slashes, and percent-escapes for what a URI may not hold.
fn uri_reference(file: &str) -> String {
    let mut out = String::new();
    for byte in file.replace('\\', "/").bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

fn sarif(findings: &[Finding]) -> String {
    let rules: Vec<serde_json::Value> = Code::ALL
        .iter()
        .map(|code| {
            let level = match code.severity() {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            serde_json::json!({
                "id": code.as_str(),
                "helpUri": format!("{CODES_DOC}#{}-{level}", code.as_str()),
                "defaultConfiguration": {"level": level},
            })
        })
        .collect();
    let results: Vec<serde_json::Value> = findings
        .iter()
        .map(|finding| {
            let text = match &finding.hint {
                Some(hint) => format!("{}\nhint: {hint}", finding.message),
                None => finding.message.clone(),
            };
            serde_json::json!({
                "ruleId": finding.code.as_str(),
                "ruleIndex": Code::ALL.iter().position(|c| *c == finding.code),
                "level": finding.severity.as_str(),
                "message": {"text": text},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri_reference(&finding.file)},
                        "region": {
                            "startLine": finding.location.line,
                            "startColumn": finding.location.column,
                        },
                    },
                }],
            })
        })
        .collect();
    pretty(&serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "valuesmith",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/valuesmith/valuesmith",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }))
}

fn gitlab(findings: &[Finding]) -> String {
    let mut seen: std::collections::HashMap<(String, Code, String), usize> =
        std::collections::HashMap::new();
    let issues: Vec<serde_json::Value> = findings
        .iter()
        .map(|finding| {
            // The same finding twice in a file (a key repeated three times) needs two
            // fingerprints; the line is left out, so an edit above a finding keeps its identity
            // between the merge request and its target branch.
            let key = (finding.file.clone(), finding.code, finding.message.clone());
            let occurrence = seen.entry(key).or_insert(0);
            *occurrence += 1;
            let fingerprint = fnv1a(&format!(
                "{}\0{}\0{}\0{occurrence}",
                finding.file, finding.code, finding.message
            ));
            serde_json::json!({
                "description": finding.message,
                "check_name": finding.code.as_str(),
                "fingerprint": format!("{fingerprint:016x}"),
                "severity": match finding.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                },
                "location": {
                    "path": finding.file,
                    "lines": {"begin": finding.location.line},
                },
            })
        })
        .collect();
    pretty(&serde_json::Value::Array(issues))
}

/// FNV-1a, 64 bits: a fingerprint that stays the same across runs, machines and Rust versions
/// (the standard library's hashers promise none of that).
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
