//! The `schema` check: a chart's `values.schema.json`, each violation at the offending value.
//!
//! The schema is compiled once ([`Schema::from_json`]) and used for every file. Violations come
//! with a JSON pointer to the instance; it is followed through the document's nodes so the
//! finding points at the value itself (for a property the schema does not allow, at its key).
//!
//! Helm validates the values it will use, which are the chart's defaults overlaid with the
//! user's file. With the chart's defaults at hand the same overlay is validated here. Without
//! them a user file is only part of the values, so a `required` property that the defaults
//! would supply cannot be judged: such violations are left out, except inside sequences, which
//! Helm never merges.

use std::fmt;

use jsonschema::error::ValidationErrorKind;
use jsonschema::{Draft, Validator};

use super::{ChartValues, Code, Finding, LoadError, Sink};
use crate::chart::Chart;
use crate::diagnostic::{LineIndex, Location};
use crate::document::{Document, NodeId};
use crate::effective::{effective, HelmVersion, Inputs, Source};
use crate::path::{Path, Segment};
use crate::value::Value;

/// A compiled `values.schema.json`.
pub struct Schema {
    name: String,
    draft: Draft,
    validator: Validator,
    json: serde_json::Value,
}

impl fmt::Debug for Schema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Schema")
            .field("name", &self.name)
            .field("draft", &self.draft)
            .finish_non_exhaustive()
    }
}

impl Schema {
    /// Compiles a schema from JSON text; `name` is shown in messages.
    ///
    /// The draft is the one `$schema` names (4, 6, 7, 2019-09 or 2020-12; 2020-12 without
    /// `$schema`). Charts often write `http://json-schema.org/schema#`, which names no draft:
    /// such schemas, and any other unknown `$schema`, are read as draft 7, which is what they
    /// are written in. References are resolved within the schema only: nothing is fetched.
    pub fn from_json(name: &str, text: &str) -> Result<Self, LoadError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let json: serde_json::Value = serde_json::from_str(text).map_err(|err| {
            let location = Location {
                line: err.line().max(1),
                column: err.column().max(1),
            };
            let lines = LineIndex::new(text);
            let line = location.line - 1;
            LoadError::SchemaJson {
                file: name.to_owned(),
                message: err.to_string(),
                location,
                source_line: (line < lines.line_count())
                    .then(|| text[lines.line_range(text, line)].to_owned()),
            }
        })?;
        if !json.is_object() && !json.is_boolean() {
            return Err(LoadError::SchemaInvalid {
                file: name.to_owned(),
                message: "a schema is a JSON object".to_owned(),
            });
        }
        let mut json = json;
        let draft = match Draft::default().detect(&json) {
            Ok(draft) => draft,
            Err(_) => {
                // The validator would try to fetch an unknown meta-schema; it is not needed to
                // read the schema as draft 7.
                if let Some(object) = json.as_object_mut() {
                    object.remove("$schema");
                }
                Draft::Draft7
            }
        };
        let validator = jsonschema::options()
            .with_draft(draft)
            .build(&json)
            .map_err(|err| LoadError::SchemaInvalid {
                file: name.to_owned(),
                message: err.to_string(),
            })?;
        Ok(Self {
            name: name.to_owned(),
            draft,
            validator,
            json,
        })
    }

    /// Reads and compiles a schema file.
    pub fn load(path: &std::path::Path) -> Result<Self, LoadError> {
        let shown = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|err| LoadError::io(&shown, &err))?;
        let text = String::from_utf8(bytes).map_err(|_| LoadError::SchemaInvalid {
            file: shown.clone(),
            message: "the file is not UTF-8 text".to_owned(),
        })?;
        Self::from_json(&shown, &text)
    }

    /// The name shown in messages.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The draft the schema is read as: `4`, `6`, `7`, `2019-09` or `2020-12`.
    pub fn draft(&self) -> &'static str {
        match self.draft {
            Draft::Draft4 => "4",
            Draft::Draft6 => "6",
            Draft::Draft7 => "7",
            Draft::Draft201909 => "2019-09",
            _ => "2020-12",
        }
    }

    /// The schema as read (without a `$schema` that names no known draft): what the upgrade
    /// advisor walks to learn which keys the schema declares.
    pub fn json(&self) -> &serde_json::Value {
        &self.json
    }

    /// Whether `value` (what Helm would use) satisfies the schema.
    pub fn is_valid(&self, value: &Value) -> bool {
        self.validator.is_valid(&value.to_json())
    }

    /// Reports every violation in `document` (overlaid on `defaults`, when given).
    pub(super) fn check(
        &self,
        document: &Document,
        defaults: Option<&ChartValues>,
        sink: &mut Sink<'_>,
    ) {
        let instance = match defaults {
            Some(defaults) => coalesce(defaults, document),
            None => document.value().clone(),
        }
        .to_json();
        let mut seen = std::collections::HashSet::new();
        for violation in self.violations(&instance) {
            let target = Target::find(document, &instance, &violation.pointer);
            if defaults.is_none()
                && violation.required
                && !target
                    .path
                    .segments()
                    .iter()
                    .any(|s| matches!(s, Segment::Index(_)))
            {
                continue;
            }
            for (key, message) in violation.messages(&target.path) {
                let location = key
                    .and_then(|key| target.node.and_then(|id| key_location(document, id, &key)))
                    .unwrap_or(target.location);
                if seen.insert((location, message.clone())) {
                    sink.at(
                        Code::Schema,
                        location,
                        message,
                        Some(violation.hint.clone()),
                    );
                }
            }
        }
    }

    /// Every violation of the schema by `value`, in words, each at the path of the value it
    /// is about (for a property the schema does not allow, at the property's own path): what
    /// the upgrade advisor places at the line or flag that set it.
    pub fn explain(&self, value: &Value) -> Vec<Explained> {
        let instance = value.to_json();
        let mut out = Vec::new();
        for violation in self.violations(&instance) {
            let mut path = Path::root();
            let mut json = Some(&instance);
            for part in &violation.pointer {
                let segment = match (json, part.parse::<usize>()) {
                    (Some(serde_json::Value::Array(_)), Ok(i)) => Segment::Index(i),
                    _ => Segment::Key(part.clone()),
                };
                json = json.and_then(|j| match (&segment, j) {
                    (Segment::Index(i), serde_json::Value::Array(items)) => items.get(*i),
                    (_, serde_json::Value::Object(map)) => map.get(part),
                    _ => None,
                });
                path = path.child(segment);
            }
            for (key, message) in violation.messages(&path) {
                out.push(Explained {
                    about_key: key.is_some(),
                    path: key.map_or_else(|| path.clone(), |k| path.key(k)),
                    message,
                    hint: violation.hint.clone(),
                });
            }
        }
        out
    }

    /// Every violation of the schema by `instance`.
    fn violations(&self, instance: &serde_json::Value) -> Vec<Violation> {
        self.validator
            .iter_errors(instance)
            .map(|error| {
                let pointer: Vec<String> = error
                    .instance_path
                    .as_str()
                    .split('/')
                    .skip(1)
                    .map(|s| s.replace("~1", "/").replace("~0", "~"))
                    .collect();
                let hint = format!(
                    "the schema's rule is {} in {}",
                    schema_rule(error.schema_path.as_str()),
                    self.name
                );
                let kind = match &error.kind {
                    ValidationErrorKind::AdditionalProperties { unexpected }
                    | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
                        Kind::Unexpected(unexpected.clone())
                    }
                    ValidationErrorKind::Required { property } => Kind::Required(
                        property
                            .as_str()
                            .map_or_else(|| property.to_string(), str::to_owned),
                    ),
                    _ => {
                        let mut text = error.to_string();
                        let shown = serde_json::to_string(&*error.instance).unwrap_or_default();
                        if shown.chars().count() > 40 {
                            // Say what the value is rather than print all of it.
                            let what = Value::from_json(&error.instance);
                            text = text.replacen(&shown, &format!("the {}", what.type_name()), 1);
                        }
                        Kind::Other(text)
                    }
                };
                Violation {
                    required: matches!(kind, Kind::Required(_)),
                    pointer,
                    kind,
                    hint,
                }
            })
            .collect()
    }
}

/// One violation of a schema, in words ([`Schema::explain`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explained {
    /// The value it is about (a property the schema does not allow: the property).
    pub path: Path,
    /// Whether it is about the key at `path` (a property the schema does not allow) rather
    /// than its value.
    pub about_key: bool,
    /// What the schema says.
    pub message: String,
    /// Which rule of which schema.
    pub hint: String,
}

/// One violation, before it is placed in a file.
struct Violation {
    /// The JSON pointer's parts, from the validated instance's root.
    pointer: Vec<String>,
    kind: Kind,
    required: bool,
    hint: String,
}

enum Kind {
    /// Properties the schema does not allow, by key.
    Unexpected(Vec<String>),
    /// A required property that is missing.
    Required(String),
    /// Any other violation, in the validator's words.
    Other(String),
}

impl Violation {
    /// The messages for the value at `path`, each with the key it is about when that key
    /// is the better place to show it.
    fn messages(&self, path: &Path) -> Vec<(Option<String>, String)> {
        match &self.kind {
            Kind::Unexpected(keys) => keys
                .iter()
                .map(|key| {
                    (
                        Some(key.clone()),
                        format!(
                            "`{}` is not a property the schema allows here",
                            path.key(key.clone())
                        ),
                    )
                })
                .collect(),
            Kind::Required(name) => vec![(
                None,
                if path.is_root() {
                    format!("the required property `{name}` is missing")
                } else {
                    format!("`{path}` misses the required property `{name}`")
                },
            )],
            Kind::Other(text) => {
                let message = if path.is_root() {
                    format!("the values: {text}")
                } else {
                    format!("`{path}`: {text}")
                };
                let message = if message.chars().count() > 300 {
                    let cut: String = message.chars().take(299).collect();
                    format!("{cut}…")
                } else {
                    message
                };
                vec![(None, message)]
            }
        }
    }
}

/// `validate --chart`: the values Helm computes for `document` over `chart` checked against
/// the chart's schema and every enabled subchart's, as `helm template` checks them. A finding
/// is at the line of the user's file that supplied the offending value, or at the chart
/// default's line, "inherited from the chart's defaults".
pub(super) fn check_chart(
    name: &str,
    document: &Document,
    chart: &Chart,
    helm: HelmVersion,
    sink: &mut Sink<'_>,
) {
    let files = [(name.to_owned(), document.clone())];
    let result = match effective(Inputs {
        chart: Some(chart),
        files: &files,
        sets: &[],
        helm,
    }) {
        Ok(result) => result,
        Err(err) => {
            sink.whole_file(Code::Schema, err.to_string(), None);
            return;
        }
    };
    let instance = result.value().to_json();
    let mut seen = std::collections::HashSet::new();
    for enabled in result.enabled_charts() {
        let Some(schema) = enabled.chart.schema() else {
            continue;
        };
        let Some(values) = result
            .get(enabled.path)
            .or_else(|| enabled.path.is_root().then(|| result.value()))
        else {
            continue;
        };
        let base: Vec<String> = enabled
            .path
            .segments()
            .iter()
            .map(|s| match s {
                Segment::Key(k) => k.clone(),
                other => Path::from_segments(vec![other.clone()]).to_string(),
            })
            .collect();
        for violation in schema.violations(&values.to_json()) {
            let pointer: Vec<String> = base.iter().chain(&violation.pointer).cloned().collect();
            let target = Target::find(document, &instance, &pointer);
            for (key, message) in violation.messages(&target.path) {
                let value_path = match &key {
                    Some(key) => target.path.key(key.clone()),
                    None => target.path.clone(),
                };
                let from_file = matches!(
                    result.source_at(&value_path),
                    Some(Source::File { .. }) | None
                );
                if from_file {
                    let location = key
                        .and_then(|key| target.node.and_then(|id| key_location(document, id, &key)))
                        .unwrap_or(target.location);
                    if seen.insert((name.to_owned(), location, message.clone())) {
                        sink.at(
                            Code::Schema,
                            location,
                            message,
                            Some(violation.hint.clone()),
                        );
                    }
                    continue;
                }
                let Some(Source::ChartDefault { file, location }) = result.source_at(&value_path)
                else {
                    continue;
                };
                let location = location.unwrap_or(Location { line: 1, column: 1 });
                let message = format!("{message} (inherited from the chart's defaults)");
                if !seen.insert((file.clone(), location, message.clone())) {
                    continue;
                }
                let source_line = chart_source_line(chart, &file, location);
                sink.findings.push(Finding {
                    file,
                    location,
                    severity: Code::Schema.severity(),
                    code: Code::Schema,
                    message,
                    hint: Some(format!(
                        "{}; set the value in your file to override the default",
                        violation.hint
                    )),
                    source_line,
                    fix: None,
                });
            }
        }
    }
}

/// The line at `location` of the `values.yaml` named `file` in `chart` or its subcharts.
fn chart_source_line(chart: &Chart, file: &str, location: Location) -> Option<String> {
    if chart.values_file() == file {
        let document = chart.values_document()?;
        let line = location.line.checked_sub(1)?;
        let lines = document.lines();
        return (line < lines.line_count())
            .then(|| document.source()[lines.line_range(document.source(), line)].to_owned());
    }
    chart
        .subcharts()
        .iter()
        .find_map(|sub| chart_source_line(sub, file, location))
}

/// Where an instance path leads in the document.
struct Target {
    /// Our path for the instance path.
    path: Path,
    /// The node, when the document has it (it may come from the chart's defaults).
    node: Option<NodeId>,
    /// The node's own location, else where its nearest present ancestor is named.
    location: Location,
}

impl Target {
    fn find(document: &Document, instance: &serde_json::Value, pointer: &[String]) -> Self {
        let mut path = Path::root();
        let mut json = Some(instance);
        let mut node = document.root();
        let mut location = node.map_or(Location { line: 1, column: 1 }, |n| {
            document.node_location(n)
        });
        for part in pointer {
            let segment = match json {
                Some(serde_json::Value::Array(_)) => match part.parse::<usize>() {
                    Ok(i) => Segment::Index(i),
                    Err(_) => Segment::Key(part.clone()),
                },
                _ => Segment::Key(part.clone()),
            };
            json = json.and_then(|j| match (&segment, j) {
                (Segment::Index(i), serde_json::Value::Array(items)) => items.get(*i),
                (_, serde_json::Value::Object(map)) => map.get(part),
                _ => None,
            });
            node = node.and_then(|n| {
                let child = document.child(n, &segment)?;
                location = match document.entry_of(n, child) {
                    Some(entry) => document.node_location(entry.key),
                    None => document.node_location(child),
                };
                Some(child)
            });
            path = path.child(segment);
        }
        if let Some(id) = node {
            let id = document.resolve(id);
            node = Some(id);
            // An empty value sits right after its `:`; its key is the better place to show.
            if !document.node(id).span.is_empty() {
                location = document.node_location(id);
            }
        }
        Self {
            path,
            node,
            location,
        }
    }
}

/// The location of `key` in the mapping `id`.
fn key_location(document: &Document, id: NodeId, key: &str) -> Option<Location> {
    document
        .entries(id)?
        .iter()
        .find(|e| e.key_text == key)
        .map(|e| document.node_location(e.key))
}

/// The schema path as a JSON pointer (`/properties/image/type`), or `the root schema`.
fn schema_rule(pointer: &str) -> String {
    if pointer.is_empty() {
        "the root schema".to_owned()
    } else {
        format!("`{pointer}`")
    }
}

/// Helm's overlay of `document` on a chart's `defaults` ([`crate::effective`]'s coalescing,
/// for a chart that is only these defaults).
fn coalesce(defaults: &ChartValues, document: &Document) -> Value {
    let chart = Chart::from_parts(
        defaults.name(),
        defaults.value().clone(),
        defaults.name(),
        None,
        None,
    );
    let files = [(String::new(), document.clone())];
    let inputs = Inputs {
        chart: Some(&chart),
        files: &files,
        sets: &[],
        helm: HelmVersion::default(),
    };
    // A chart without subcharts cannot clash with one; its defaults alone are the fallback.
    effective(inputs).map_or_else(|_| defaults.value().clone(), |result| result.value())
}
