//! Validation findings for values files: syntax, Helm pitfalls, catalog, schema and chart keys.
//!
//! This module owns what `valuesmith validate` checks and how its findings are reported
//! (docs/validate.md). [`validate_file`] turns one file's bytes into a list of [`Finding`]s: a
//! file that cannot be read is a finding of that file (`syntax`, `duplicate-key`, `encoding`...),
//! never an error of the call, so a run over many files reports every file. What is checked
//! beyond reading depends on [`ValidateOptions`]:
//!
//! - always: tabs that Helm's YAML 1.1 reader rejects, plain `yes`/`no`/`on`/`off`/`y`/`n`
//!   (`yaml11-bool`) and numbers under version-like keys (`float-version`);
//! - with a [`Catalog`]: the file name and its release (`file-name`, `unknown-release`,
//!   `release-mismatch`), the release's required values (`required-value`, `extra-package`),
//!   `require` rules (`required-input`) and retired keys (`retired-key`);
//! - with a [`Schema`]: the chart's `values.schema.json` (`schema`), each violation at the
//!   offending value;
//! - with [`ChartValues`]: keys the chart's defaults do not have (`unknown-key`).
//!
//! [`render`] writes findings as `human`, `json` or `github` output. Loading a schema or a
//! chart's defaults can fail ([`LoadError`]): that is an error of the caller's setup, not a
//! finding. The user-facing description of every code lives in `docs/validate.md`.

mod chart;
mod many;
mod pitfalls;
mod read;
pub(crate) mod release;
mod render;
mod schema;
#[cfg(test)]
mod tests;

pub use many::{validate_files, FileInput};

use std::fmt;

use crate::catalog::Catalog;
use crate::config::ValidateSettings;
use crate::diagnostic::{Diagnostic, LineIndex, Location, Severity, ToDiagnostic};
use crate::document::{Document, FileReadError};

pub use chart::{is_free_form_key, ChartValues};
pub use render::{render, Format};
pub use schema::{Explained, Schema};

/// The stable code of a finding (docs/validate.md). Scripts and CI match on these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Code {
    /// YAML that does not parse, or is not a mapping at the top level.
    Syntax,
    /// A key twice in one mapping.
    DuplicateKey,
    /// A tab where Helm's YAML reader wants spaces.
    TabIndent,
    /// UTF-16 or invalid UTF-8.
    Encoding,
    /// Nothing but comments or whitespace.
    Empty,
    /// `helm get values`' `USER-SUPPLIED VALUES:` header line.
    HelmHeader,
    /// More than one YAML document.
    MultiDocument,
    /// The name does not follow `values-<env>-<release>.yml`.
    FileName,
    /// The file's release is not in the catalog.
    UnknownRelease,
    /// The value at the catalog's `version_path` disagrees with the file name's release.
    ReleaseMismatch,
    /// A value the release requires is missing or different.
    RequiredValue,
    /// A `require` of this or an earlier release is unmet.
    RequiredInput,
    /// A key that a `remove` or `rename` of this or an earlier release retired.
    RetiredKey,
    /// An identity-matched item the release does not list.
    ExtraPackage,
    /// A violation of the chart's `values.schema.json`.
    Schema,
    /// A key the chart's default values do not have.
    UnknownKey,
    /// A plain `yes`/`no`/`on`/`off`/`y`/`n` that Helm reads as a boolean.
    Yaml11Bool,
    /// A plain number under a version-like key, which Helm reads as a number.
    FloatVersion,
    /// A number Helm reads otherwise than YAML 1.2 tools: `0755` (octal), `1_000`, `0b101`.
    Yaml11Number,
    /// An integer beyond 2^53, which Helm's float64 cannot hold exactly.
    BigInteger,
    /// A merge key `<<` after explicit keys, which it overrides in Helm.
    MergeOrder,
    /// A line inside brackets not indented past its key: Helm reads it, YAML 1.2 refuses it.
    FlowIndent,
    /// A form only Helm's parser reads (`[-]`, `[?a]`, `[!!str, b]`, a tab starting a quoted
    /// value's continuation line): read as Helm reads it, YAML 1.2 refuses it.
    HelmOnlySyntax,
}

impl Code {
    /// Every code, in the order docs/validate.md lists them.
    pub const ALL: &'static [Code] = &[
        Code::Syntax,
        Code::DuplicateKey,
        Code::TabIndent,
        Code::Encoding,
        Code::Empty,
        Code::HelmHeader,
        Code::MultiDocument,
        Code::FileName,
        Code::UnknownRelease,
        Code::ReleaseMismatch,
        Code::RequiredValue,
        Code::RequiredInput,
        Code::RetiredKey,
        Code::ExtraPackage,
        Code::Schema,
        Code::UnknownKey,
        Code::Yaml11Bool,
        Code::FloatVersion,
        Code::Yaml11Number,
        Code::BigInteger,
        Code::MergeOrder,
        Code::FlowIndent,
        Code::HelmOnlySyntax,
    ];

    /// The code as written in output: `duplicate-key`, `yaml11-bool`...
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Syntax => "syntax",
            Code::DuplicateKey => "duplicate-key",
            Code::TabIndent => "tab-indent",
            Code::Encoding => "encoding",
            Code::Empty => "empty",
            Code::HelmHeader => "helm-header",
            Code::MultiDocument => "multi-document",
            Code::FileName => "file-name",
            Code::UnknownRelease => "unknown-release",
            Code::ReleaseMismatch => "release-mismatch",
            Code::RequiredValue => "required-value",
            Code::RequiredInput => "required-input",
            Code::RetiredKey => "retired-key",
            Code::ExtraPackage => "extra-package",
            Code::Schema => "schema",
            Code::UnknownKey => "unknown-key",
            Code::Yaml11Bool => "yaml11-bool",
            Code::FloatVersion => "float-version",
            Code::Yaml11Number => "yaml11-number",
            Code::BigInteger => "big-integer",
            Code::MergeOrder => "merge-order",
            Code::FlowIndent => "flow-indent",
            Code::HelmOnlySyntax => "helm-only-syntax",
        }
    }

    /// The code written as `text`, if there is one.
    pub fn from_name(text: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|code| code.as_str() == text)
    }

    /// How serious a finding of this code is.
    pub fn severity(self) -> Severity {
        match self {
            Code::FileName
            | Code::RetiredKey
            | Code::ExtraPackage
            | Code::UnknownKey
            | Code::Yaml11Bool
            | Code::FloatVersion
            | Code::Yaml11Number
            | Code::BigInteger
            | Code::MergeOrder
            | Code::FlowIndent
            | Code::HelmOnlySyntax => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

impl serde::Serialize for Code {
    /// A code serializes as its name (`duplicate-key`).
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found in one file.
///
/// It serializes as one entry of the JSON format's `findings` (docs/validate.md): `file`,
/// `line`, `column`, `severity`, `code`, `message`, `hint`, and `fix` when there is one.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Finding {
    /// The file's name as the caller gave it (`<stdin>` for standard input).
    pub file: String,
    /// Where it is. A finding about the whole file (its name, its encoding, an empty file) is
    /// at line 1, column 1.
    #[serde(flatten)]
    pub location: Location,
    /// `error` or `warning`.
    pub severity: Severity,
    /// The stable code.
    pub code: Code,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
    /// The source line at `location`, for the caret snippet; `None` when the finding is about
    /// the file rather than a place in it.
    #[serde(skip)]
    pub source_line: Option<String>,
    /// The edit that resolves it, where there is a sure one (`validate --fix`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
}

/// The edits that resolve a finding, applied with [`crate::edit::DocumentMut`] so that the
/// rest of the file keeps every byte ([`apply_fixes`]). It serializes as
/// `{"safe": true, "edits": [{"op": "set", "path": "image.tag", "value": "1.10"}]}`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct Fix {
    /// Whether the fix only makes the file say what the finding says it must (the catalog's
    /// value, a retired key gone): `--fix` applies safe fixes, `--unsafe-fixes` the others too.
    pub safe: bool,
    /// The edits, in order.
    pub edits: Vec<FixEdit>,
}

/// One edit of a [`Fix`], serialized with its `op` (`set`, `remove`, `rename`, `quote`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "op", rename_all = "lowercase")]
#[non_exhaustive]
pub enum FixEdit {
    /// Set the value at the path (parents created), as `valuesmith set` does.
    Set {
        /// Where.
        path: crate::path::Path,
        /// The new value.
        value: crate::value::Value,
    },
    /// Remove the key or item at the path and everything under it.
    Remove {
        /// What.
        path: crate::path::Path,
    },
    /// Move the value at `from` to `to`, keeping its comments.
    Rename {
        /// The old path.
        from: crate::path::Path,
        /// The new path.
        to: crate::path::Path,
    },
    /// Write the plain scalar at the path in double quotes, its text unchanged: a word such
    /// as `no` that Helm's YAML 1.1 reader takes for a boolean becomes that string for every
    /// reader.
    Quote {
        /// Where.
        path: crate::path::Path,
    },
    /// Write the plain scalar at the path as `text`, another spelling of the same value
    /// (`yes` as `true`), so that YAML 1.1 and 1.2 readers agree.
    Respell {
        /// Where.
        path: crate::path::Path,
        /// The new spelling.
        text: String,
    },
}

impl Fix {
    /// A fix of one edit.
    pub fn new(safe: bool, edit: FixEdit) -> Self {
        Self {
            safe,
            edits: vec![edit],
        }
    }
}

/// Replaces the text of the plain scalar at `path` with `text(word)`; whether it did. The file
/// must read back as the old values with `path` set to `value(word)`, else nothing changes.
fn respell(
    editor: &mut crate::edit::DocumentMut,
    path: &crate::path::Path,
    text: impl FnOnce(&str) -> String,
    value: impl FnOnce(&str) -> Option<crate::value::Value>,
) -> bool {
    use crate::document::{NodeKind, ScalarStyle};
    let document = editor.document();
    let Some(id) = document.get(path) else {
        return false;
    };
    let node = document.node(id);
    let NodeKind::Scalar {
        text: word,
        style: ScalarStyle::Plain,
    } = &node.kind
    else {
        return false;
    };
    let Some(new) = value(word) else {
        return false;
    };
    let mut expected = document.value().clone();
    crate::patch::Change::Set {
        path: path.clone(),
        old: None,
        new,
    }
    .apply(&mut expected);
    // A comment aligned after the scalar stays where it was: spaces after it absorb the
    // difference in length (one at least is kept).
    let text = text(word);
    let source = document.source();
    let mut range = node.span.clone();
    let spaces = source[range.end..].len() - source[range.end..].trim_start_matches(' ').len();
    let comment = source[range.end + spaces..].starts_with('#');
    let mut text = text;
    if comment {
        let (old, new) = (range.len(), text.len());
        if new > old {
            range.end += (new - old).min(spaces.saturating_sub(1));
        } else {
            text.push_str(&" ".repeat(old - new));
        }
    }
    let edit = crate::edit::Edit { range, text };
    let mut source = crate::edit::apply_edits(document.source(), &[edit]);
    if document.has_bom() {
        source.insert(0, '\u{feff}');
    }
    match Document::values_from_bytes(source.as_bytes()) {
        Ok(respelt) if respelt.value() == &expected => {
            *editor = crate::edit::DocumentMut::new(respelt);
            true
        }
        _ => false,
    }
}

/// The file with the fixes of `findings` applied (the safe ones, or all with `unsafe_too`),
/// and how many findings were fixed. Fixes apply in the order of the findings; a fix whose
/// edit no longer applies (an earlier fix removed its key) is skipped, so the result is what
/// the applicable fixes make of the file. `None` when there is nothing to fix.
pub fn apply_fixes(
    document: Document,
    findings: &[Finding],
    unsafe_too: bool,
) -> Option<(crate::edit::DocumentMut, usize)> {
    let fixes: Vec<&Fix> = findings
        .iter()
        .filter_map(|f| f.fix.as_ref())
        .filter(|fix| fix.safe || unsafe_too)
        .collect();
    if fixes.is_empty() {
        return None;
    }
    let mut editor = crate::edit::DocumentMut::new(document);
    let mut fixed = 0;
    for fix in fixes {
        let before = editor.to_text();
        let applied = fix.edits.iter().all(|edit| match edit {
            FixEdit::Set { path, value } => editor.set(path, value).is_ok(),
            FixEdit::Remove { path } => editor.remove(path).is_ok(),
            FixEdit::Rename { from, to } => editor.rename(from, to).is_ok(),
            FixEdit::Quote { path } => {
                respell(&mut editor, path, crate::edit::double_quoted, |word| {
                    Some(crate::value::Value::String(word.to_owned()))
                })
            }
            FixEdit::Respell { path, text } => respell(
                &mut editor,
                path,
                |_| text.clone(),
                |_| Some(crate::value::resolve_plain(text)),
            ),
        });
        if applied && editor.to_text() != before {
            fixed += 1;
        }
    }
    Some((editor, fixed))
}

impl Finding {
    /// The finding as a [`Diagnostic`] (what the human format renders).
    pub fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic {
            severity: self.severity,
            code: Some(self.code.as_str().to_owned()),
            message: self.message.clone(),
            file: Some(self.file.clone()),
            location: Some(self.location),
            source_line: self.source_line.clone(),
            hint: self.hint.clone(),
        }
    }

    /// The finding as one entry of the JSON format's `findings` (its serde form).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }

    /// What to do about it, if the check knows.
    pub fn hint(&self) -> Option<&str> {
        self.hint.as_deref()
    }

    /// Where it is.
    pub fn location(&self) -> Option<Location> {
        Some(self.location)
    }
}

impl ToDiagnostic for Finding {
    fn to_diagnostic(&self) -> Diagnostic {
        Finding::to_diagnostic(self)
    }
}

/// What to check besides the file itself. Every part is optional; `Default` checks syntax and
/// Helm pitfalls only. Build it from `Default` and the `with_` setters
/// (`ValidateOptions::default().with_catalog(Some(&c))`): fields may be added.
#[derive(Debug, Clone, Copy, Default)]
#[non_exhaustive]
pub struct ValidateOptions<'a> {
    /// The release catalog: enables the file-name, release and required-value checks.
    pub catalog: Option<&'a Catalog>,
    /// The chart's `values.schema.json`.
    pub schema: Option<&'a Schema>,
    /// The chart's default `values.yaml`: enables `unknown-key`, and the schema check then
    /// validates the values Helm would use (defaults overlaid with the file), as `helm install`
    /// does.
    pub chart_values: Option<&'a ChartValues>,
    /// Whether warnings fail the run as errors do (read by [`Summary::fails`]).
    pub strict: bool,
    /// Which codes to report and at which severity, and the placeholders that count as
    /// supplied (`.valuesmith.yml` and the flags; see [`crate::config`]). `None` reports every
    /// code at its own severity.
    pub settings: Option<&'a ValidateSettings>,
    /// The chart (`--chart`): the values Helm computes over its defaults are checked against
    /// its schema and every enabled subchart's; it stands in for `schema` and, when that is
    /// not given, for `chart_values`.
    pub chart: Option<&'a crate::chart::Chart>,
    /// Whose coalescing rules the chart check follows.
    pub helm: crate::effective::HelmVersion,
}

impl<'a> ValidateOptions<'a> {
    /// With the release catalog (or without, for `None`).
    pub fn with_catalog(mut self, catalog: Option<&'a Catalog>) -> Self {
        self.catalog = catalog;
        self
    }

    /// With the chart's `values.schema.json`.
    pub fn with_schema(mut self, schema: Option<&'a Schema>) -> Self {
        self.schema = schema;
        self
    }

    /// With the chart's default values.
    pub fn with_chart_values(mut self, chart_values: Option<&'a ChartValues>) -> Self {
        self.chart_values = chart_values;
        self
    }

    /// Whether warnings fail the run.
    pub fn with_strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// With the `.valuesmith.yml` settings and flags.
    pub fn with_settings(mut self, settings: Option<&'a ValidateSettings>) -> Self {
        self.settings = settings;
        self
    }

    /// With the chart whose computed values are checked.
    pub fn with_chart(mut self, chart: Option<&'a crate::chart::Chart>) -> Self {
        self.chart = chart;
        self
    }

    /// Following the coalescing rules of `helm`.
    pub fn with_helm(mut self, helm: crate::effective::HelmVersion) -> Self {
        self.helm = helm;
        self
    }
}

/// Counts of findings by severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    /// Findings at error level.
    pub errors: usize,
    /// Findings at warning level.
    pub warnings: usize,
}

impl Summary {
    /// Counts `findings`.
    pub fn of(findings: &[Finding]) -> Self {
        let errors = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        Self {
            errors,
            warnings: findings.len() - errors,
        }
    }

    /// Whether the run fails: any error, or with `strict` any finding at all.
    pub fn fails(&self, strict: bool) -> bool {
        self.errors > 0 || (strict && self.warnings > 0)
    }
}

/// Why a schema or a chart's default values could not be loaded (a setup error, not a
/// finding).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The file could not be read.
    #[error("{path}: {message}")]
    Io {
        /// The path as given.
        path: String,
        /// Why.
        message: String,
    },
    /// The schema is not JSON.
    #[error("{file}: the schema is not valid JSON: {message}")]
    SchemaJson {
        /// The schema file.
        file: String,
        /// The JSON parser's message.
        message: String,
        /// Where the parser stopped.
        location: Location,
        /// The source line there.
        source_line: Option<String>,
    },
    /// The schema is JSON but not a usable JSON Schema.
    #[error("{file}: not a usable JSON Schema: {message}")]
    SchemaInvalid {
        /// The schema file.
        file: String,
        /// What is wrong with it.
        message: String,
    },
    /// The chart's default values could not be read as a values file.
    #[error(transparent)]
    ChartValues(#[from] FileReadError),
}

impl LoadError {
    /// Where in the schema file it went wrong, when that is known.
    pub fn location(&self) -> Option<Location> {
        match self {
            LoadError::SchemaJson { location, .. } => Some(*location),
            LoadError::ChartValues(err) => err.error.location(),
            _ => None,
        }
    }

    /// What to do about it, if there is something to say.
    pub fn hint(&self) -> Option<&str> {
        match self {
            LoadError::SchemaJson { .. } | LoadError::SchemaInvalid { .. } => Some(SCHEMA_HINT),
            _ => None,
        }
    }

    pub(crate) fn io(path: &str, err: &std::io::Error) -> Self {
        LoadError::Io {
            path: path.to_owned(),
            message: crate::files::io_reason(err),
        }
    }
}

/// The hint of a schema that cannot be used.
const SCHEMA_HINT: &str = "--schema takes the chart's values.schema.json";

impl ToDiagnostic for LoadError {
    fn to_diagnostic(&self) -> Diagnostic {
        match self {
            LoadError::Io { .. } => Diagnostic::error(self.to_string()),
            LoadError::SchemaJson {
                file,
                message,
                location,
                source_line,
            } => {
                let mut d = Diagnostic::error(format!("the schema is not valid JSON: {message}"))
                    .with_file(file.clone())
                    .with_hint(SCHEMA_HINT);
                d.location = Some(*location);
                d.source_line = source_line.clone();
                d
            }
            LoadError::SchemaInvalid { file, message } => {
                Diagnostic::error(format!("not a usable JSON Schema: {message}"))
                    .with_file(file.clone())
                    .with_hint(SCHEMA_HINT)
            }
            LoadError::ChartValues(err) => {
                let mut d = err.to_diagnostic();
                d.message = format!("the chart's default values: {}", d.message);
                d
            }
        }
    }
}

/// Checks one values file. `name` is the file's name as the user gave it (its last part is
/// read as `values-<env>-<release>.yml`; `<stdin>` or any name without that form skips the
/// name-based checks); `bytes` its content. Findings are in source order.
pub fn validate_file(name: &str, bytes: &[u8], options: &ValidateOptions<'_>) -> Vec<Finding> {
    check_file(name, bytes, options, false)
}

/// [`validate_file`] with the findings redacted as reports print them unless secrets are
/// shown (see [`crate::secrets::redact_findings`]): the file is read once for both.
pub fn validate_file_redacted(
    name: &str,
    bytes: &[u8],
    options: &ValidateOptions<'_>,
) -> Vec<Finding> {
    check_file(name, bytes, options, true)
}

/// One file's findings, with `redact` scrubbed of its secret values: from the document when
/// it reads, else from its raw lines.
fn check_file(
    name: &str,
    bytes: &[u8],
    options: &ValidateOptions<'_>,
    redact: bool,
) -> Vec<Finding> {
    match Document::values_from_bytes(bytes) {
        Ok(document) => {
            let mut findings = validate_document(name, &document, options);
            if redact {
                crate::secrets::redact_document_findings(&mut findings, name, &document);
            }
            findings
        }
        Err(error) => {
            let mut findings = settled(read::read_findings(name, bytes, &error), options);
            if redact {
                crate::secrets::redact_findings(&mut findings, name, bytes);
            }
            findings
        }
    }
}

/// The findings as the settings report them.
fn settled(findings: Vec<Finding>, options: &ValidateOptions<'_>) -> Vec<Finding> {
    match options.settings {
        Some(settings) => settings.apply(findings),
        None => findings,
    }
}

/// Checks a values file that has been read already (the reader's checks have passed).
pub fn validate_document(
    name: &str,
    document: &Document,
    options: &ValidateOptions<'_>,
) -> Vec<Finding> {
    let mut sink = Sink::new(name, document.source(), document.lines());
    pitfalls::check(document, &mut sink);
    if let Some(catalog) = options.catalog {
        release::check(name, document, catalog, options.settings, &mut sink);
    }
    if let Some(chart) = options.chart {
        schema::check_chart(name, document, chart, options.helm, &mut sink);
    } else if let Some(schema) = options.schema {
        schema.check(document, options.chart_values, &mut sink);
    }
    let chart_defaults = match (options.chart_values, options.chart) {
        (None, Some(chart)) => Some(ChartValues::of_chart(chart, options.helm)),
        _ => None,
    };
    let defaults = options.chart_values.or(chart_defaults.as_ref());
    if let Some(defaults) = defaults {
        defaults.check(document, &mut sink);
    }
    let mut findings = sink.finish();
    if let Some(defaults) = defaults {
        pitfalls::sure_bool_fixes(&mut findings, document, defaults.value());
    }
    settled(findings, options)
}

/// Collects the findings of one file, filling in the file name and source lines.
struct Sink<'a> {
    file: &'a str,
    source: &'a str,
    lines: &'a LineIndex,
    findings: Vec<Finding>,
}

impl<'a> Sink<'a> {
    fn new(file: &'a str, source: &'a str, lines: &'a LineIndex) -> Self {
        Self {
            file,
            source,
            lines,
            findings: Vec::new(),
        }
    }

    /// A finding at a place in the file, shown with its source line.
    fn at(
        &mut self,
        code: Code,
        location: Location,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        let line = location.line.saturating_sub(1);
        let source_line = (line < self.lines.line_count())
            .then(|| self.source[self.lines.line_range(self.source, line)].to_owned());
        self.push(code, location, message.into(), hint, source_line);
    }

    /// A finding about the whole file (no snippet), at line 1, column 1.
    fn whole_file(&mut self, code: Code, message: impl Into<String>, hint: Option<String>) {
        self.push(
            code,
            Location { line: 1, column: 1 },
            message.into(),
            hint,
            None,
        );
    }

    fn push(
        &mut self,
        code: Code,
        location: Location,
        message: String,
        hint: Option<String>,
        source_line: Option<String>,
    ) {
        self.findings.push(Finding {
            file: self.file.to_owned(),
            location,
            severity: code.severity(),
            code,
            message,
            hint,
            source_line,
            fix: None,
        });
    }

    /// Gives the finding pushed last its fix.
    fn fix(&mut self, fix: Fix) {
        if let Some(last) = self.findings.last_mut() {
            last.fix = Some(fix);
        }
    }

    /// The findings in source order; findings at the same place keep the order of the checks.
    fn finish(mut self) -> Vec<Finding> {
        self.findings.sort_by_key(|f| f.location);
        self.findings
    }
}

/// A value in messages: JSON, which is also YAML that `valuesmith set` accepts; long values are
/// cut short.
fn show_value(value: &crate::value::Value) -> String {
    const MAX: usize = 80;
    let text = serde_json::to_string(&value.to_json()).unwrap_or_default();
    if text.chars().count() <= MAX {
        return text;
    }
    let cut: String = text.chars().take(MAX - 1).collect();
    format!("{cut}…")
}

pub(crate) use crate::shell::bash as shell_word;
