//! Charts as users have them: a chart folder or the `.tgz` that `helm pull` and `helm package`
//! give, with its subcharts.
//!
//! This module owns reading a chart for the values it brings: `Chart.yaml` (name, version,
//! appVersion and the `dependencies` with their `alias`, `condition` and `tags`), the default
//! `values.yaml`, `values.schema.json`, and every subchart in `charts/` (folders or `.tgz`
//! archives, to any depth). Templates are not read: valuesmith never renders.
//!
//! Archives are read as Helm reads them: the first path component (the chart's folder) is
//! dropped, absolute paths and `..` are refused, and the decompressed size is capped (100 MiB
//! in all, 5 MiB a file, as Helm does), so a hostile archive cannot fill memory. What the chart
//! means for the values (which subcharts are enabled, how defaults coalesce) is
//! [`crate::effective`]'s business.

use std::collections::BTreeMap;
use std::io::Read;

use crate::diagnostic::{Diagnostic, ToDiagnostic};
use crate::document::{Document, FileReadError, ReadError};
use crate::validate::{LoadError, Schema};
use crate::value::{Mapping, Value};

/// The most a chart archive may hold once decompressed (Helm's own limit).
pub const MAX_ARCHIVE_BYTES: u64 = 100 * 1024 * 1024;
/// The largest single file a chart archive may hold (Helm's own limit).
pub const MAX_FILE_BYTES: u64 = 5 * 1024 * 1024;
/// How deep subcharts may nest; real charts stop at two or three.
const MAX_DEPTH: usize = 16;

/// One entry of `Chart.yaml`'s `dependencies`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Dependency {
    /// The subchart's own name (`common`).
    pub name: String,
    /// The version range the parent accepts (`2.x.x`), if given.
    pub version: Option<String>,
    /// The name the parent uses for it instead of `name`: its values live under this key.
    pub alias: Option<String>,
    /// Comma-separated value paths; the first that holds a boolean enables or disables it.
    pub condition: Option<String>,
    /// Tags: `tags.<tag>: false` disables it unless another of its tags is `true`.
    pub tags: Vec<String>,
    /// Its `import-values`: values of the subchart copied into the parent's defaults.
    pub import_values: Vec<ImportValue>,
}

/// One item of a dependency's `import-values` (Helm's `processImportValues`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ImportValue {
    /// `- data`: the subchart's `exports.data` mapping, merged at the parent's top level.
    Exports(String),
    /// `- {child: a.b, parent: c}`: the subchart's mapping at `child`, placed at `parent`
    /// (`.` for the top level).
    Map {
        /// The dotted path in the subchart's values.
        child: String,
        /// The dotted path in the parent's values.
        parent: String,
    },
}

impl Dependency {
    /// The key under which the parent's values hold this subchart's values.
    pub fn key(&self) -> &str {
        self.alias.as_deref().unwrap_or(&self.name)
    }
}

/// A chart read from a folder or an archive.
#[derive(Debug)]
pub struct Chart {
    name: String,
    version: String,
    app_version: Option<String>,
    dependencies: Vec<Dependency>,
    values: Value,
    values_file: String,
    values_document: Option<Document>,
    schema: Option<Schema>,
    subcharts: Vec<Chart>,
    shown: String,
}

/// Why a chart could not be read. Every variant names the file or archive at fault.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ChartError {
    /// The path could not be read.
    #[error("{path}: {message}")]
    Io {
        /// The path as shown.
        path: String,
        /// Why.
        message: String,
    },
    /// The path is not a chart: no `Chart.yaml`, not a gzip tar archive...
    #[error("{path}: not a chart: {reason}")]
    NotAChart {
        /// The folder or archive.
        path: String,
        /// What is missing or wrong.
        reason: String,
    },
    /// The archive holds what Helm refuses: a path outside the chart, or too much data.
    #[error("{path}: {reason}")]
    Archive {
        /// The archive.
        path: String,
        /// What Helm would refuse it for.
        reason: String,
    },
    /// `Chart.yaml` is YAML but not a chart's metadata.
    #[error("{file}: {message}")]
    Metadata {
        /// The `Chart.yaml` as shown.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// `Chart.yaml` or `values.yaml` is not readable YAML.
    #[error(transparent)]
    Yaml(#[from] FileReadError),
    /// `values.schema.json` is not a usable schema.
    #[error(transparent)]
    Schema(#[from] LoadError),
}

impl ToDiagnostic for ChartError {
    fn to_diagnostic(&self) -> Diagnostic {
        match self {
            ChartError::Yaml(err) => err.to_diagnostic(),
            ChartError::Schema(err) => err.to_diagnostic(),
            ChartError::NotAChart { .. } => Diagnostic::error(self.to_string()).with_hint(
                "a chart is a folder with Chart.yaml or the .tgz that `helm pull` or \
                 `helm package` writes",
            ),
            _ => Diagnostic::error(self.to_string()),
        }
    }
}

/// The files of one chart that matter here, by path relative to the chart's folder.
pub(crate) type Files = BTreeMap<String, Vec<u8>>;

impl Chart {
    /// Reads the chart at `path`: a folder, or a `.tgz` archive (any file is read as one).
    pub fn load(path: &std::path::Path) -> Result<Self, ChartError> {
        let shown = path.display().to_string();
        let meta = std::fs::metadata(path).map_err(|err| io_error(&shown, &err))?;
        if meta.is_dir() {
            let mut files = Files::new();
            collect_dir(path, "", &mut files, 0).map_err(|err| io_error(&shown, &err))?;
            let base = if shown.ends_with('/') {
                shown.clone()
            } else {
                format!("{shown}/")
            };
            Self::from_files(&shown, &base, &files, 0)
        } else {
            let bytes = std::fs::read(path).map_err(|err| io_error(&shown, &err))?;
            Self::from_archive(&shown, &bytes)
        }
    }

    /// Reads a chart archive (`helm package`'s `.tgz`); `shown` names it in messages.
    pub fn from_archive(shown: &str, bytes: &[u8]) -> Result<Self, ChartError> {
        Self::archive(shown, bytes, 0)
    }

    fn archive(shown: &str, bytes: &[u8], depth: usize) -> Result<Self, ChartError> {
        if bytes.len() < 2 || bytes[..2] != [0x1f, 0x8b] {
            return Err(ChartError::NotAChart {
                path: shown.to_owned(),
                reason: "neither a folder nor a gzip-compressed tar archive".to_owned(),
            });
        }
        let files = untar(shown, bytes)?;
        let top = files.keys().next().cloned().unwrap_or_default();
        let top = top.split('/').next().unwrap_or_default().to_owned();
        let mut inner = Files::new();
        for (name, data) in files {
            // Helm drops the first component whatever it is called.
            if let Some((_, rest)) = name.split_once('/') {
                if !rest.is_empty() {
                    inner.insert(rest.to_owned(), data);
                }
            }
        }
        Self::from_files(shown, &format!("{shown}!/{top}/"), &inner, depth)
    }

    fn from_files(
        shown: &str,
        base: &str,
        files: &Files,
        depth: usize,
    ) -> Result<Self, ChartError> {
        if depth > MAX_DEPTH {
            return Err(ChartError::Archive {
                path: shown.to_owned(),
                reason: format!("subcharts nest deeper than {MAX_DEPTH} levels"),
            });
        }
        let chart_file = format!("{base}Chart.yaml");
        let Some(chart_yaml) = files.get("Chart.yaml") else {
            return Err(ChartError::NotAChart {
                path: shown.to_owned(),
                reason: "Chart.yaml is missing".to_owned(),
            });
        };
        let meta = match Document::values_from_bytes(chart_yaml) {
            Ok(doc) => doc.value().clone(),
            Err(ReadError::Empty { .. }) => Value::Mapping(Mapping::new()),
            Err(err) => return Err(FileReadError::new(&chart_file, err, chart_yaml).into()),
        };
        let metadata_error = |message: String| ChartError::Metadata {
            file: chart_file.clone(),
            message,
        };
        let field = |key: &str| -> Result<Option<String>, ChartError> {
            match meta.as_mapping().and_then(|m| m.get(key)) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(other) => Err(metadata_error(format!(
                    "`{key}` is a {}, Helm wants a string",
                    other.type_name()
                ))),
            }
        };
        let name = field("name")?
            .filter(|n| !n.is_empty())
            .ok_or_else(|| metadata_error("`name` is required".to_owned()))?;
        let version = field("version")?
            .filter(|n| !n.is_empty())
            .ok_or_else(|| metadata_error("`version` is required".to_owned()))?;
        let app_version = field("appVersion")?;
        let dependencies = match meta.as_mapping().and_then(|m| m.get("dependencies")) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Sequence(items)) => items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    dependency(item)
                        .map_err(|m| metadata_error(format!("`dependencies[{i}]`: {m}")))
                })
                .collect::<Result<_, _>>()?,
            Some(other) => {
                return Err(metadata_error(format!(
                    "`dependencies` is a {}, Helm wants a list",
                    other.type_name()
                )))
            }
        };

        let values_file = format!("{base}values.yaml");
        let (values, values_document) = match files.get("values.yaml") {
            None => (Value::Mapping(Mapping::new()), None),
            Some(bytes) => match Document::values_from_bytes(bytes) {
                Ok(doc) => (doc.value().clone(), Some(doc)),
                Err(ReadError::Empty { .. }) => (Value::Mapping(Mapping::new()), None),
                Err(err) => return Err(FileReadError::new(&values_file, err, bytes).into()),
            },
        };
        let schema = match files.get("values.schema.json") {
            None => None,
            Some(bytes) => {
                let file = format!("{base}values.schema.json");
                let text =
                    String::from_utf8(bytes.clone()).map_err(|_| LoadError::SchemaInvalid {
                        file: file.clone(),
                        message: "the file is not UTF-8 text".to_owned(),
                    })?;
                Some(Schema::from_json(&file, &text)?)
            }
        };

        // Subcharts: `charts/<name>/...` folders and `charts/<name>.tgz` archives; names that
        // start with `.` or `_` are skipped, as Helm skips them.
        let mut groups: BTreeMap<&str, Files> = BTreeMap::new();
        for (path, data) in files {
            let Some(rest) = path.strip_prefix("charts/") else {
                continue;
            };
            if rest.ends_with(".prov") {
                continue;
            }
            let (first, inner) = rest.split_once('/').unwrap_or((rest, ""));
            let group = groups.entry(first).or_default();
            if !inner.is_empty() {
                group.insert(inner.to_owned(), data.clone());
            } else {
                group.insert(String::new(), data.clone());
            }
        }
        let mut subcharts = Vec::new();
        for (entry, group) in groups {
            if entry.starts_with(['.', '_']) {
                continue;
            }
            let sub_shown = format!("{base}charts/{entry}");
            let sub = if entry.ends_with(".tgz") {
                let bytes = group.get("").map(Vec::as_slice).unwrap_or_default();
                Self::archive(&sub_shown, bytes, depth + 1)?
            } else {
                Self::from_files(&sub_shown, &format!("{sub_shown}/"), &group, depth + 1)?
            };
            subcharts.push(sub);
        }

        Ok(Self {
            name,
            version,
            app_version,
            dependencies,
            values,
            values_file,
            values_document,
            schema,
            subcharts,
            shown: shown.to_owned(),
        })
    }

    /// The chart's own name (`Chart.yaml`'s `name`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The chart's version.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The version of the application the chart deploys, if it says.
    pub fn app_version(&self) -> Option<&str> {
        self.app_version.as_deref()
    }

    /// `Chart.yaml`'s dependencies, in order.
    pub fn dependencies(&self) -> &[Dependency] {
        &self.dependencies
    }

    /// The default values (`values.yaml`; an empty mapping when there is none).
    pub fn values(&self) -> &Value {
        &self.values
    }

    /// The name of `values.yaml` as shown in messages (inside an archive: `x.tgz!/name/values.yaml`).
    pub fn values_file(&self) -> &str {
        &self.values_file
    }

    /// The parsed `values.yaml`, for the lines its defaults are on.
    pub fn values_document(&self) -> Option<&Document> {
        self.values_document.as_ref()
    }

    /// The chart's `values.schema.json`, compiled.
    pub fn schema(&self) -> Option<&Schema> {
        self.schema.as_ref()
    }

    /// The charts in `charts/`, whether `Chart.yaml` lists them or not.
    pub fn subcharts(&self) -> &[Chart] {
        &self.subcharts
    }

    /// The folder or archive as shown in messages.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// A chart made of default values and a schema only: what `validate --chart-values` and
    /// `--schema` describe.
    pub fn from_parts(
        name: &str,
        values: Value,
        values_file: &str,
        values_document: Option<Document>,
        schema: Option<Schema>,
    ) -> Self {
        Self {
            name: name.to_owned(),
            version: "0.0.0".to_owned(),
            app_version: None,
            dependencies: Vec::new(),
            values,
            values_file: values_file.to_owned(),
            values_document,
            schema,
            subcharts: Vec::new(),
            shown: values_file.to_owned(),
        }
    }
}

/// Reads one `dependencies` entry.
fn dependency(item: &Value) -> Result<Dependency, String> {
    let Some(map) = item.as_mapping() else {
        return Err(format!("is a {}, Helm wants a mapping", item.type_name()));
    };
    let text = |key: &str| -> Result<Option<String>, String> {
        match map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(format!(
                "`{key}` is a {}, Helm wants a string",
                other.type_name()
            )),
        }
    };
    let name = text("name")?.ok_or("`name` is required")?;
    let alias = text("alias")?;
    if let Some(alias) = &alias {
        if !alias
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(format!(
                "the alias `{alias}` may hold only letters, digits, `-` and `_`"
            ));
        }
    }
    let tags = match map.get("tags") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Sequence(items)) => items
            .iter()
            .map(|t| t.scalar_text().unwrap_or_default())
            .collect(),
        Some(other) => {
            return Err(format!(
                "`tags` is a {}, Helm wants a list",
                other.type_name()
            ))
        }
    };
    // Helm takes the strings and the mappings of the list and skips anything else; a
    // missing `child` or `parent` is Go's `<nil>`.
    let import_values = match map.get("import-values") {
        Some(Value::Sequence(items)) => items
            .iter()
            .filter_map(|item| match item {
                Value::String(name) => Some(ImportValue::Exports(name.clone())),
                Value::Mapping(pair) => {
                    let part = |k: &str| {
                        pair.get(k)
                            .and_then(Value::scalar_text)
                            .unwrap_or_else(|| "<nil>".to_owned())
                    };
                    Some(ImportValue::Map {
                        child: part("child"),
                        parent: part("parent"),
                    })
                }
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    Ok(Dependency {
        name,
        version: text("version")?,
        alias,
        condition: text("condition")?,
        tags,
        import_values,
    })
}

/// Collects the files of the chart folder `dir` that matter here into `files`, under `prefix`.
fn collect_dir(
    dir: &std::path::Path,
    prefix: &str,
    files: &mut Files,
    depth: usize,
) -> std::io::Result<()> {
    for name in ["Chart.yaml", "values.yaml", "values.schema.json"] {
        match std::fs::read(dir.join(name)) {
            Ok(bytes) => {
                files.insert(format!("{prefix}{name}"), bytes);
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => return Err(err),
        }
    }
    if depth > MAX_DEPTH {
        return Ok(());
    }
    let charts = dir.join("charts");
    let entries = match std::fs::read_dir(&charts) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::NotADirectory => return Ok(()),
        Err(err) => return Err(err),
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if path.is_dir() {
            collect_dir(&path, &format!("{prefix}charts/{name}/"), files, depth + 1)?;
        } else if name.ends_with(".tgz") {
            files.insert(format!("{prefix}charts/{name}"), std::fs::read(&path)?);
        }
    }
    Ok(())
}

/// The regular files of a gzip-compressed tar archive, by their path in it, within Helm's
/// limits (the render pre-checks read a template's lines from it too).
pub(crate) fn untar(shown: &str, bytes: &[u8]) -> Result<Files, ChartError> {
    let not_a_chart = |err: std::io::Error| ChartError::NotAChart {
        path: shown.to_owned(),
        reason: format!("not a readable gzip-compressed tar archive ({err})"),
    };
    let refuse = |reason: String| ChartError::Archive {
        path: shown.to_owned(),
        reason,
    };
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes));
    let mut files = Files::new();
    let mut remaining = MAX_ARCHIVE_BYTES;
    for entry in archive.entries().map_err(not_a_chart)? {
        let mut entry = entry.map_err(not_a_chart)?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let path = entry.path().map_err(not_a_chart)?.into_owned();
        let name = path.to_string_lossy().replace('\\', "/");
        if path.is_absolute() || name.starts_with('/') {
            return Err(refuse(format!(
                "the archive holds an absolute path ({name}), which Helm refuses"
            )));
        }
        if name.split('/').any(|part| part == "..") {
            return Err(refuse(format!(
                "the archive holds a path outside the chart ({name}), which Helm refuses"
            )));
        }
        let size = entry.header().size().unwrap_or(0);
        if size > MAX_FILE_BYTES {
            return Err(refuse(format!(
                "{name} is larger than Helm's limit of {} MiB a file",
                MAX_FILE_BYTES >> 20
            )));
        }
        let mut data = Vec::new();
        (&mut entry)
            .take(remaining.min(MAX_FILE_BYTES) + 1)
            .read_to_end(&mut data)
            .map_err(not_a_chart)?;
        let read = data.len() as u64;
        if read > remaining {
            return Err(refuse(format!(
                "the archive decompresses to more than Helm's limit of {} MiB",
                MAX_ARCHIVE_BYTES >> 20
            )));
        }
        remaining -= read;
        files.insert(name, data);
    }
    if files.is_empty() {
        return Err(ChartError::NotAChart {
            path: shown.to_owned(),
            reason: "the archive holds no files".to_owned(),
        });
    }
    Ok(files)
}

fn io_error(shown: &str, err: &std::io::Error) -> ChartError {
    match LoadError::io(shown, err) {
        LoadError::Io { path, message } => ChartError::Io { path, message },
        other => ChartError::Schema(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A gzip tar of `(path, content)` entries, the paths written as they are (even `..`).
    fn tgz(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(
            Vec::new(),
            flate2::Compression::fast(),
        ));
        for (path, data) in entries {
            let mut header = tar::Header::new_old();
            let name = &mut header.as_old_mut().name;
            name[..path.len()].copy_from_slice(path.as_bytes());
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            header.set_entry_type(tar::EntryType::Regular);
            header.set_cksum();
            builder.append(&header, *data).unwrap();
        }
        builder.into_inner().unwrap().finish().unwrap()
    }

    const CHART_YAML: &[u8] = b"apiVersion: v2\nname: web\nversion: 1.2.0\nappVersion: \"3.1\"\ndependencies:\n- name: db\n  version: 1.x\n  alias: primary\n  condition: primary.enabled\n  tags: [data]\n";

    #[test]
    fn an_archive_with_a_nested_archive() {
        let db = tgz(&[
            (
                "db/Chart.yaml",
                b"apiVersion: v2\nname: db\nversion: 1.4.0\n",
            ),
            ("db/values.yaml", b"enabled: true\n"),
        ]);
        let bytes = tgz(&[
            ("web/Chart.yaml", CHART_YAML),
            ("web/values.yaml", b"replicas: 2\n"),
            ("web/values.schema.json", b"{\"type\": \"object\"}"),
            ("web/templates/x.yaml", b"{{ .Values.replicas }}"),
            ("web/charts/db-1.4.0.tgz", &db),
            ("web/charts/_ignored/Chart.yaml", b"not: read"),
        ]);
        let chart = Chart::from_archive("web-1.2.0.tgz", &bytes).unwrap();
        assert_eq!(
            (chart.name(), chart.version(), chart.app_version()),
            ("web", "1.2.0", Some("3.1"))
        );
        assert_eq!(chart.values_file(), "web-1.2.0.tgz!/web/values.yaml");
        assert!(chart.schema().is_some());
        let dep = &chart.dependencies()[0];
        assert_eq!(
            (dep.key(), dep.condition.as_deref(), dep.tags.as_slice()),
            ("primary", Some("primary.enabled"), &["data".to_owned()][..])
        );
        assert_eq!(chart.subcharts().len(), 1);
        assert_eq!(
            chart.subcharts()[0].values_file(),
            "web-1.2.0.tgz!/web/charts/db-1.4.0.tgz!/db/values.yaml"
        );
    }

    #[test]
    fn archives_helm_refuses() {
        let message = |bytes: &[u8]| Chart::from_archive("x.tgz", bytes).unwrap_err().to_string();
        assert_eq!(
            message(b"plain text"),
            "x.tgz: not a chart: neither a folder nor a gzip-compressed tar archive"
        );
        assert!(
            message(&tgz(&[("web/../../etc/passwd", b"x")])).contains("a path outside the chart")
        );
        assert!(message(&tgz(&[("web/values.yaml", b"a: 1\n")]))
            .ends_with("not a chart: Chart.yaml is missing"));
        let mut broken = tgz(&[("web/Chart.yaml", CHART_YAML)]);
        broken.truncate(broken.len() / 2);
        assert!(
            message(&broken).contains("not a chart"),
            "{}",
            message(&broken)
        );
        let err = Chart::from_archive(
            "x.tgz",
            &tgz(&[
                ("web/Chart.yaml", CHART_YAML),
                ("web/values.yaml", b"a: [1\n"),
            ]),
        )
        .unwrap_err();
        let d = err.to_diagnostic();
        assert_eq!(d.file.as_deref(), Some("x.tgz!/web/values.yaml"));
        assert!(d.location.is_some());
        assert!(
            message(&tgz(&[("web/Chart.yaml", b"name: web\n")])).ends_with("`version` is required")
        );
        assert!(message(&tgz(&[(
            "web/Chart.yaml",
            b"name: web\nversion: 1.0.0\ndependencies: {a: 1}\n"
        )]))
        .contains("Helm wants a list"));
    }

    #[test]
    fn a_file_bigger_than_helms_limit_is_refused_before_it_is_read() {
        let mut header = tar::Header::new_gnu();
        header.set_path("web/values.yaml").unwrap();
        header.set_size(MAX_FILE_BYTES + 1);
        header.set_cksum();
        let mut bytes = header.as_bytes().to_vec();
        bytes.extend(std::iter::repeat_n(0u8, 1024));
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, &bytes).unwrap();
        let err = Chart::from_archive("x.tgz", &gz.finish().unwrap()).unwrap_err();
        assert!(
            err.to_string()
                .contains("larger than Helm's limit of 5 MiB"),
            "{err}"
        );
    }
}
