//! Drift: how the values files of one release differ across environments
//! (docs/environments.md).
//!
//! This module owns the environments matrix. Each file is read as Helm reads it (through
//! [`crate::effective`], with a chart's defaults coalesced under it when one is given), and
//! the values are walked together: mappings key by key, sequences of mappings item by item
//! through their identity key ([`crate::path::identity_key`], so a package is matched by its
//! name wherever it stands), every other value as a whole. A [`Row`] is a path whose value
//! is not the same in every file, or that only some files set. The project's drift policy
//! ([`DriftSettings`]) marks the rows whose differences are intended; any other row is drift.
//! Reports redact secrets ([`crate::secrets`]) unless asked not to.

use std::fmt::Write as _;

use serde::Serialize;

use crate::config::DriftSettings;
use crate::path::{identity_of, item_has_identity, shared_identity_key, Path, Segment};
use crate::value::Value;

/// One path whose value differs between the files, or that only some of them set.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Where.
    pub path: Path,
    /// The value in each file, in the order the files were given (`None`: absent).
    pub values: Vec<Option<Value>>,
    /// Whether the drift policy allows this difference.
    pub allowed: bool,
}

/// The environments matrix of [`drift`].
#[derive(Debug, Clone, PartialEq)]
pub struct Drift {
    /// The column names: each file's env (`values-<env>-<release>.yml`), else its name.
    pub columns: Vec<String>,
    /// The differing paths, in the order of the first file that has them.
    pub rows: Vec<Row>,
}

impl Drift {
    /// The rows the policy does not allow: drift.
    pub fn drifted(&self) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter(|r| !r.allowed)
    }
}

/// Compares `values` (one per file, each named `name`) as described in the module
/// documentation; `identity_keys` are tried before `name`, `id` and `key`.
pub fn drift(
    values: &[(String, Value)],
    policy: &DriftSettings,
    identity_keys: &[String],
) -> Drift {
    let columns = values.iter().map(|(name, _)| column_name(name)).collect();
    let mut rows = Vec::new();
    let sides: Vec<Option<&Value>> = values.iter().map(|(_, v)| Some(v)).collect();
    walk(&Path::root(), &sides, identity_keys, &mut rows);
    for row in &mut rows {
        row.allowed = policy.allows(&row.path);
    }
    Drift { columns, rows }
}

/// The matrix of values files as Helm reads them: each file alone, or with `chart` its
/// effective values (the chart's defaults coalesced under the file, docs/effective.md).
pub fn drift_files(
    files: &[(String, crate::document::Document)],
    chart: Option<&crate::chart::Chart>,
    policy: &DriftSettings,
    identity_keys: &[String],
) -> Result<Drift, crate::effective::EffectiveError> {
    let mut values = Vec::new();
    for (name, document) in files {
        let one = [(name.clone(), document.clone())];
        let inputs = crate::effective::Inputs {
            chart,
            files: &one,
            ..crate::effective::Inputs::default()
        };
        values.push((name.clone(), crate::effective::effective(inputs)?.value()));
    }
    Ok(drift(&values, policy, identity_keys))
}

/// `dev` for `values-dev-2025-05-00.yml`, the file name otherwise.
fn column_name(name: &str) -> String {
    let file = std::path::Path::new(name)
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| name.to_owned());
    crate::version::parse_values_file_name(&file, |_| true)
        .map(|parsed| parsed.env)
        .unwrap_or(file)
}

fn walk(path: &Path, sides: &[Option<&Value>], extra: &[String], rows: &mut Vec<Row>) {
    let first = sides[0];
    if sides.iter().all(|s| *s == first) {
        return;
    }
    let present: Vec<&Value> = sides.iter().flatten().copied().collect();
    if sides.iter().all(Option::is_some) {
        if present.iter().all(|v| matches!(v, Value::Mapping(_))) {
            let mut keys: Vec<&String> = Vec::new();
            for value in &present {
                if let Value::Mapping(m) = value {
                    for (key, _) in m.iter() {
                        if !keys.contains(&key) {
                            keys.push(key);
                        }
                    }
                }
            }
            for key in keys {
                let children: Vec<Option<&Value>> = sides
                    .iter()
                    .map(|s| s.and_then(Value::as_mapping).and_then(|m| m.get(key)))
                    .collect();
                walk(&path.key(key.clone()), &children, extra, rows);
            }
            return;
        }
        if present.iter().all(|v| matches!(v, Value::Sequence(_))) {
            let all: Vec<&Value> = present
                .iter()
                .filter_map(|v| match v {
                    Value::Sequence(items) => Some(items.iter()),
                    _ => None,
                })
                .flatten()
                .collect();
            let lists: Vec<&[Value]> = present
                .iter()
                .filter_map(|v| match v {
                    Value::Sequence(items) => Some(items.as_slice()),
                    _ => None,
                })
                .collect();
            if let Some(key) = shared_identity_key(&lists, extra).map(str::to_owned) {
                let mut ids: Vec<String> = Vec::new();
                for item in &all {
                    if let Some(id) = identity_of(item, &key) {
                        if !ids.contains(&id) {
                            ids.push(id);
                        }
                    }
                }
                for id in ids {
                    let children: Vec<Option<&Value>> = sides
                        .iter()
                        .map(|s| match s {
                            Some(Value::Sequence(items)) => {
                                items.iter().find(|item| item_has_identity(item, &key, &id))
                            }
                            _ => None,
                        })
                        .collect();
                    let segment = Segment::Identity {
                        key: key.clone(),
                        value: id,
                    };
                    walk(&path.child(segment), &children, extra, rows);
                }
                return;
            }
        }
    }
    rows.push(Row {
        path: path.clone(),
        values: sides.iter().map(|s| s.cloned()).collect(),
        allowed: false,
    });
}

/// `--format` of a drift report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReportFormat {
    /// A table for a terminal.
    Human,
    /// JSON.
    Json,
    /// A Markdown table (for a pull request comment).
    Markdown,
}

/// A cell as reports show it: `-` for absent, secrets as `<redacted>` unless `show_secrets`.
fn cell(path: &Path, value: Option<&Value>, show_secrets: bool) -> String {
    match value {
        None => "-".to_owned(),
        Some(value) => crate::migrate::inline(&crate::secrets::shown(path, value, show_secrets)),
    }
}

fn status(row: &Row) -> &'static str {
    if row.allowed {
        "allowed"
    } else {
        "drift"
    }
}

/// The `json` matrix of docs/environments.md.
#[derive(Serialize)]
struct DriftJson<'a> {
    columns: &'a [String],
    drift: usize,
    allowed: usize,
    rows: Vec<RowJson<'a>>,
}

/// One row of [`DriftJson`].
#[derive(Serialize)]
struct RowJson<'a> {
    path: &'a Path,
    status: &'static str,
    values: Cells<'a>,
}

/// A row's values as an object from column name to value (`null`: absent), redacted
/// unless `show_secrets`.
struct Cells<'a> {
    columns: &'a [String],
    row: &'a Row,
    show_secrets: bool,
}

impl Serialize for Cells<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(
            self.columns
                .iter()
                .zip(&self.row.values)
                .map(|(column, value)| {
                    let shown = value
                        .as_ref()
                        .map(|v| crate::secrets::shown(&self.row.path, v, self.show_secrets));
                    (column, shown)
                }),
        )
    }
}

/// Renders the matrix; values redacted unless `show_secrets`.
pub fn render(drift: &Drift, format: ReportFormat, show_secrets: bool) -> String {
    let mut out = String::new();
    match format {
        ReportFormat::Json => {
            let report = DriftJson {
                columns: &drift.columns,
                drift: drift.drifted().count(),
                allowed: drift.rows.iter().filter(|r| r.allowed).count(),
                rows: drift
                    .rows
                    .iter()
                    .map(|row| RowJson {
                        path: &row.path,
                        status: status(row),
                        values: Cells {
                            columns: &drift.columns,
                            row,
                            show_secrets,
                        },
                    })
                    .collect(),
            };
            out = serde_json::to_string_pretty(&report).unwrap_or_default();
            out.push('\n');
        }
        ReportFormat::Markdown => {
            let _ = writeln!(out, "| path | {} | status |", drift.columns.join(" | "));
            let _ = writeln!(out, "|---|{}---|", "---|".repeat(drift.columns.len()));
            for row in &drift.rows {
                let cells: Vec<String> = row
                    .values
                    .iter()
                    .map(|v| {
                        format!("`{}`", cell(&row.path, v.as_ref(), show_secrets))
                            .replace('|', "\\|")
                    })
                    .collect();
                let _ = writeln!(
                    out,
                    "| `{}` | {} | {} |",
                    row.path.to_string().replace('|', "\\|"),
                    cells.join(" | "),
                    status(row)
                );
            }
            let _ = writeln!(out, "\n{}", summary(drift));
        }
        ReportFormat::Human => {
            let mut table: Vec<Vec<String>> = vec![std::iter::once("PATH".to_owned())
                .chain(drift.columns.iter().cloned())
                .chain(std::iter::once("STATUS".to_owned()))
                .collect()];
            for row in &drift.rows {
                table.push(
                    std::iter::once(row.path.to_string())
                        .chain(
                            row.values
                                .iter()
                                .map(|v| cell(&row.path, v.as_ref(), show_secrets)),
                        )
                        .chain(std::iter::once(status(row).to_owned()))
                        .collect(),
                );
            }
            let widths: Vec<usize> = (0..table[0].len())
                .map(|c| {
                    table
                        .iter()
                        .map(|r| r[c].chars().count())
                        .max()
                        .unwrap_or(0)
                })
                .collect();
            for line in &table {
                let mut text = String::new();
                for (c, value) in line.iter().enumerate() {
                    if c + 1 == line.len() {
                        text.push_str(value);
                    } else {
                        let _ = write!(text, "{value:<width$}  ", width = widths[c]);
                    }
                }
                let _ = writeln!(out, "{}", text.trim_end());
            }
            let _ = writeln!(out, "{}", summary(drift));
        }
    }
    out
}

fn summary(drift: &Drift) -> String {
    let drifted = drift.drifted().count();
    let allowed = drift.rows.len() - drifted;
    format!(
        "{} path{} differ{}: {drifted} drift, {allowed} allowed by drift.allow",
        drift.rows.len(),
        if drift.rows.len() == 1 { "" } else { "s" },
        if drift.rows.len() == 1 { "s" } else { "" },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;

    fn v(text: &str) -> Value {
        Document::parse(text).unwrap().value().clone()
    }

    #[test]
    fn lists_are_matched_by_identity_and_only_differences_are_rows() {
        let files = vec![
            (
                "values-dev-1-0-0.yml".to_owned(),
                v("pk: [{name: a, v: 1}, {name: b, v: 1}]\nhost: d\nsame: 1\n"),
            ),
            (
                "values-prod-1-0-0.yml".to_owned(),
                v("pk: [{name: b, v: 1}, {name: a, v: 2}, {name: c, v: 1}]\nhost: p\nsame: 1\n"),
            ),
        ];
        let policy = DriftSettings {
            allow: vec![crate::diff::PathPattern::parse("host").unwrap()],
        };
        let d = drift(&files, &policy, &[]);
        let rows: Vec<String> = d.rows.iter().map(|r| r.path.to_string()).collect();
        assert_eq!(rows, ["pk[name=a].v", "pk[name=c]", "host"]);
        assert_eq!(d.columns, ["dev", "prod"]);
        assert_eq!(d.drifted().count(), 2);
        assert_eq!(
            render(&d, ReportFormat::Human, false),
            "PATH          dev  prod             STATUS\n\
             pk[name=a].v  1    2                drift\n\
             pk[name=c]    -    {name: c, v: 1}  drift\n\
             host          \"d\"  \"p\"              allowed\n\
             3 paths differ: 2 drift, 1 allowed by drift.allow\n"
        );
    }
}
