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

use super::{ChartValues, Code, LoadError, Sink};
use crate::diagnostic::{LineIndex, Location};
use crate::document::{Document, NodeId};
use crate::path::{Path, Segment};
use crate::value::Value;

/// A compiled `values.schema.json`.
pub struct Schema {
    name: String,
    draft: Draft,
    validator: Validator,
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
            Some(defaults) => coalesce(defaults.value(), document.value()),
            None => document.value().clone(),
        }
        .to_json();
        let mut seen = std::collections::HashSet::new();
        for error in self.validator.iter_errors(&instance) {
            let pointer: Vec<String> = error
                .instance_path
                .as_str()
                .split('/')
                .skip(1)
                .map(|s| s.replace("~1", "/").replace("~0", "~"))
                .collect();
            let target = Target::find(document, &instance, &pointer);
            if defaults.is_none()
                && matches!(error.kind, ValidationErrorKind::Required { .. })
                && !target
                    .path
                    .segments()
                    .iter()
                    .any(|s| matches!(s, Segment::Index(_)))
            {
                continue;
            }
            let hint = Some(format!(
                "the schema's rule is {} in {}",
                schema_rule(error.schema_path.as_str()),
                self.name
            ));
            match &error.kind {
                ValidationErrorKind::AdditionalProperties { unexpected }
                | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
                    for key in unexpected {
                        let path = target.path.key(key.clone());
                        let location = target
                            .node
                            .and_then(|id| key_location(document, id, key))
                            .unwrap_or(target.location);
                        let message = format!("`{path}` is not a property the schema allows here");
                        if seen.insert((location, message.clone())) {
                            sink.at(Code::Schema, location, message, hint.clone());
                        }
                    }
                }
                ValidationErrorKind::Required { property } => {
                    let name = property
                        .as_str()
                        .map_or_else(|| property.to_string(), str::to_owned);
                    let message = if target.path.is_root() {
                        format!("the required property `{name}` is missing")
                    } else {
                        format!("`{}` misses the required property `{name}`", target.path)
                    };
                    if seen.insert((target.location, message.clone())) {
                        sink.at(Code::Schema, target.location, message, hint);
                    }
                }
                _ => {
                    let mut text = error.to_string();
                    let shown = serde_json::to_string(&*error.instance).unwrap_or_default();
                    if shown.chars().count() > 40 {
                        // Say what the value is rather than print all of it.
                        let what = Value::from_json(&error.instance);
                        text = text.replacen(&shown, &format!("the {}", what.type_name()), 1);
                    }
                    let message = if target.path.is_root() {
                        format!("the values: {text}")
                    } else {
                        format!("`{}`: {text}", target.path)
                    };
                    let message = if message.chars().count() > 300 {
                        let cut: String = message.chars().take(299).collect();
                        format!("{cut}…")
                    } else {
                        message
                    };
                    if seen.insert((target.location, message.clone())) {
                        sink.at(Code::Schema, target.location, message, hint);
                    }
                }
            }
        }
    }
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

/// Helm's overlay of user values on a chart's defaults: mappings merge key by key, a `null`
/// removes the default's key, anything else replaces the default.
pub(super) fn coalesce(defaults: &Value, user: &Value) -> Value {
    match (defaults, user) {
        (Value::Mapping(base), Value::Mapping(over)) => {
            let mut merged = base.clone();
            for (key, value) in over.iter() {
                if *value == Value::Null {
                    merged.remove(key);
                    continue;
                }
                let next = match base.get(key) {
                    Some(default) => coalesce(default, value),
                    None => value.clone(),
                };
                merged.insert(key.clone(), next);
            }
            Value::Mapping(merged)
        }
        _ => user.clone(),
    }
}
