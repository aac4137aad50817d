//! The `unknown-key` check: keys a chart's default `values.yaml` does not have.
//!
//! Helm passes unknown keys to the templates, which ignore them, so a misspelt key
//! (`replicaCont`) silently does nothing. Not every key is spelled out in the defaults,
//! though, so a key counts as unknown only where the defaults list the keys:
//!
//! - under a default that is an empty mapping (`podAnnotations: {}`) or empty (`affinity:`),
//!   any key is allowed: the chart passes that mapping on as it is;
//! - under keys that Kubernetes objects fill (`...annotations`, `...labels`, `...selector`,
//!   `resources`, `affinity`, `tolerations`, `...securityContext`, `...env`), any key is
//!   allowed too, even where the defaults show an example;
//! - the top-level `global` is Helm's own and always allowed;
//! - items of a sequence are compared with the keys that the default's items have (all of
//!   them, as one example item may leave out what another shows).

use super::{Code, LoadError, Sink};
use crate::diagnostic::did_you_mean;
use crate::document::{Document, FileReadError, NodeId, ReadError};
use crate::path::Path;
use crate::value::{Mapping, Value};

/// Key names (lower case, matched at the end of a key) under which Kubernetes fields go.
const FREE_FORM_SUFFIXES: &[&str] = &[
    "annotations",
    "labels",
    "selector",
    "resources",
    "affinity",
    "tolerations",
    "securitycontext",
    "env",
];

/// Whether the chart takes any key under `key`, whatever its defaults show: a key that
/// Kubernetes objects fill (`...annotations`, `...labels`, `resources`, `...securityContext`,
/// ...). The `unknown-key` check and the upgrade advisor share this rule.
pub fn is_free_form_key(key: &str) -> bool {
    let lower = key.to_lowercase();
    FREE_FORM_SUFFIXES.iter().any(|s| lower.ends_with(s))
}

/// A chart's default values (`helm show values CHART`, or the chart's `values.yaml`).
#[derive(Debug, Clone)]
pub struct ChartValues {
    name: String,
    value: Value,
}

impl ChartValues {
    /// Reads a chart's default values; `name` is shown in messages. A file of comments only is
    /// a chart without defaults.
    pub fn from_bytes(name: &str, bytes: &[u8]) -> Result<Self, LoadError> {
        let value = match Document::values_from_bytes(bytes) {
            Ok(document) => document.value().clone(),
            Err(ReadError::Empty { .. }) => Value::Mapping(Mapping::new()),
            Err(error) => return Err(FileReadError::new(name, error, bytes).into()),
        };
        Ok(Self::from_value(name, value))
    }

    /// Reads a chart's `values.yaml`.
    pub fn load(path: &std::path::Path) -> Result<Self, LoadError> {
        let shown = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|err| LoadError::io(&shown, &err))?;
        Self::from_bytes(&shown, &bytes)
    }

    /// Default values given as a value.
    pub fn from_value(name: &str, value: Value) -> Self {
        Self {
            name: name.to_owned(),
            value,
        }
    }

    /// A chart's defaults as its templates see them: its own with each enabled subchart's
    /// under its name or alias.
    pub fn of_chart(chart: &crate::chart::Chart, helm: crate::effective::HelmVersion) -> Self {
        let inputs = crate::effective::Inputs {
            chart: Some(chart),
            helm,
            ..Default::default()
        };
        let value = crate::effective::effective(inputs)
            .map_or_else(|_| chart.values().clone(), |result| result.value());
        Self::from_value(chart.values_file(), value)
    }

    /// The name shown in messages.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The default values.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// Reports the keys of `document` that the defaults do not have.
    pub(super) fn check(&self, document: &Document, sink: &mut Sink<'_>) {
        let (Some(root), Some(defaults)) = (document.root(), self.value.as_mapping()) else {
            return;
        };
        let mut walk = Walk {
            document,
            name: &self.name,
            sink,
        };
        walk.mapping(root, defaults, &Path::root());
    }
}

struct Walk<'a, 's, 'f> {
    document: &'a Document,
    name: &'a str,
    sink: &'s mut Sink<'f>,
}

impl Walk<'_, '_, '_> {
    /// Compares the keys of the mapping node `id` with `defaults`.
    fn mapping(&mut self, id: NodeId, defaults: &Mapping, path: &Path) {
        let Some(entries) = self.document.entries(id) else {
            return;
        };
        for entry in entries {
            let key = entry.key_text.as_str();
            let child_path = path.key(key);
            match defaults.get(key) {
                Some(default) => self.value(entry.value, default, &child_path),
                None if path.is_root() && key == "global" => {}
                None => {
                    let suggestion = did_you_mean(key, defaults.keys().map(String::as_str));
                    let hint = match suggestion {
                        Some(near) => format!("did you mean `{}`?", path.key(near)),
                        None => format!(
                            "Helm passes it on, but the chart does not read it; check the \
                             spelling against {}",
                            self.name
                        ),
                    };
                    self.sink.at(
                        Code::UnknownKey,
                        self.document.node_location(entry.key),
                        format!(
                            "`{child_path}` is not a key of the chart's values ({})",
                            self.name
                        ),
                        Some(hint),
                    );
                }
            }
        }
    }

    /// Descends into a value whose default is `default`, where the defaults list keys.
    fn value(&mut self, id: NodeId, default: &Value, path: &Path) {
        if let Some(crate::path::Segment::Key(key)) = path.last() {
            if is_free_form_key(key) {
                return;
            }
        }
        match default {
            Value::Mapping(defaults) if !defaults.is_empty() => self.mapping(id, defaults, path),
            Value::Sequence(items) => {
                let mut example = Value::Mapping(Mapping::new());
                for item in items.iter().filter(|i| i.as_mapping().is_some()) {
                    merge_example(&mut example, item);
                }
                let Some(example) = example.as_mapping().filter(|m| !m.is_empty()) else {
                    return;
                };
                let user_items = self.document.items(id).unwrap_or_default().to_vec();
                for (index, item) in user_items.into_iter().enumerate() {
                    self.mapping(item, example, &path.index(index));
                }
            }
            _ => {}
        }
    }
}

/// Merges `from` into `into` so that `into` has every key either has, at every depth:
/// sequences are joined, so their items are merged in turn when the walk gets there.
fn merge_example(into: &mut Value, from: &Value) {
    match (into, from) {
        (Value::Mapping(into), Value::Mapping(from)) => {
            for (key, value) in from.iter() {
                match into.get_mut(key) {
                    Some(existing) => merge_example(existing, value),
                    None => {
                        into.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (Value::Sequence(into), Value::Sequence(from)) => into.extend(from.iter().cloned()),
        _ => {}
    }
}
