//! The manifests `helm template` prints: one YAML stream, split into resources, each read as
//! YAML 1.2 (what Kubernetes reads; they are not values files) and named by its identity.

use std::collections::BTreeMap;
use std::fmt;

use crate::document::Document;

use super::RenderError;

/// What names a resource in a cluster: `apiVersion`, `kind`, namespace and name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ResourceId {
    /// `kind` (first, so that resources sort by kind).
    pub kind: String,
    /// `metadata.namespace`, when the manifest states one.
    pub namespace: Option<String>,
    /// `metadata.name`.
    pub name: String,
    /// `apiVersion`.
    pub api_version: String,
}

impl fmt::Display for ResourceId {
    /// `Deployment apps/v1 ns/name`, or `ClusterRole rbac.authorization.k8s.io/v1 name`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} ", self.kind, self.api_version)?;
        if let Some(namespace) = &self.namespace {
            write!(f, "{namespace}/")?;
        }
        f.write_str(&self.name)
    }
}

impl serde::Serialize for ResourceId {
    /// The identity as JSON: `{"apiVersion", "kind", "namespace", "name"}` (no `namespace`
    /// when the manifest states none).
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("apiVersion", &self.api_version)?;
        map.serialize_entry("kind", &self.kind)?;
        if let Some(namespace) = &self.namespace {
            map.serialize_entry("namespace", namespace)?;
        }
        map.serialize_entry("name", &self.name)?;
        map.end()
    }
}

/// One rendered resource.
#[derive(Debug, Clone)]
pub struct Resource {
    /// Its identity.
    pub id: ResourceId,
    /// The template that rendered it (`# Source:` in Helm's output).
    pub source: Option<String>,
    /// The manifest.
    pub document: Document,
}

/// Splits `helm template`'s output into resources. A document with no content (a template
/// that rendered to nothing) is no resource. Two resources with one identity (a chart bug
/// Helm does not catch) keep both, the second named `name#2`.
pub(crate) fn split(output: &str) -> Result<Vec<Resource>, RenderError> {
    let mut resources: Vec<Resource> = Vec::new();
    for text in documents(output) {
        let source = text
            .lines()
            .find_map(|l| l.strip_prefix("# Source: "))
            .map(str::to_owned);
        let document = Document::parse(&text).map_err(|error| RenderError::Manifest {
            template: source
                .clone()
                .unwrap_or_else(|| "(unknown template)".to_owned()),
            message: match error.location() {
                Some(at) => format!("{error} at line {} of the manifest", at.line),
                None => error.to_string(),
            },
        })?;
        let value = document.value();
        let Some(map) = value.as_mapping() else {
            continue;
        };
        let text_at = |keys: &[&str]| {
            let mut here = Some(value);
            for key in keys {
                here = here.and_then(|v| v.as_mapping()).and_then(|m| m.get(key));
            }
            here.and_then(|v| v.scalar_text())
        };
        if map.is_empty() {
            continue;
        }
        let mut id = ResourceId {
            kind: text_at(&["kind"]).unwrap_or_default(),
            namespace: text_at(&["metadata", "namespace"]),
            name: text_at(&["metadata", "name"]).unwrap_or_default(),
            api_version: text_at(&["apiVersion"]).unwrap_or_default(),
        };
        let base = id.name.clone();
        let mut n = 1;
        while resources.iter().any(|r| r.id == id) {
            n += 1;
            id.name = format!("{base}#{n}");
        }
        resources.push(Resource {
            id,
            source,
            document,
        });
    }
    Ok(resources)
}

/// The documents of a YAML stream: the text between `---` lines, without empty ones.
fn documents(output: &str) -> Vec<String> {
    let mut documents = Vec::new();
    let mut current = String::new();
    for line in output.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        if bare == "---" || bare.starts_with("--- ") {
            documents.push(std::mem::take(&mut current));
            if let Some(rest) = bare.strip_prefix("--- ") {
                current.push_str(rest);
                current.push('\n');
            }
            continue;
        }
        current.push_str(line);
    }
    documents.push(current);
    documents
        .into_iter()
        .filter(|d| {
            d.lines()
                .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        })
        .collect()
}

/// How many resources of each kind.
pub(crate) fn kinds(resources: &[Resource]) -> BTreeMap<String, usize> {
    let mut kinds = BTreeMap::new();
    for resource in resources {
        *kinds.entry(resource.id.kind.clone()).or_insert(0) += 1;
    }
    kinds
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_names() {
        let out = "---\n# Source: c/templates/a.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: ns\n---\n# Source: c/templates/empty.yaml\n---\n# Source: c/templates/b.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: ns\n";
        let resources = split(out).unwrap();
        let ids: Vec<String> = resources.iter().map(|r| r.id.to_string()).collect();
        assert_eq!(ids, ["ConfigMap v1 ns/a", "ConfigMap v1 ns/a#2"]);
        assert_eq!(resources[1].source.as_deref(), Some("c/templates/b.yaml"));
        assert_eq!(kinds(&resources).get("ConfigMap"), Some(&2));
    }
}
