//! Which keys a chart knows (docs/advise.md, "How each group is decided"): the keys of its
//! defaults (with the places where it takes any key), and the keys its `values.schema.json`
//! (or an enabled subchart's, under its key) declares without a default: a key the chart
//! documents but leaves unset (commented out in `values.yaml`).
//!
//! A schema can outlive a restructuring (bitnami-postgresql 11 still declares the top-level
//! `persistence` it moved to `primary.persistence`), so for chart B a declared key counts
//! only where B's defaults still have its parent mapping, or where the place B's defaults
//! lack was not in A's defaults either: a subtree the upgrade took out of the defaults moved,
//! whatever the schema says.

use crate::effective::Effective;
use crate::path::{Path, Segment};
use crate::value::Value;

/// The keys one chart knows: its defaults and its schemas.
pub(super) struct Known<'a> {
    defaults: &'a Value,
    /// For chart B, chart A's defaults (see the module's docs).
    earlier: Option<&'a Value>,
    /// Each enabled chart's schema, with the path its values sit at.
    schemas: Vec<(Path, &'a serde_json::Value)>,
}

impl<'a> Known<'a> {
    /// The keys a chart knows for the user's values `with_user` (which decide the enabled
    /// subcharts), with `defaults` its defaults as its templates see them; `earlier` is
    /// chart A's defaults when this is chart B.
    pub(super) fn new(
        with_user: &'a Effective<'a>,
        defaults: &'a Value,
        earlier: Option<&'a Value>,
    ) -> Self {
        let mut schemas = Vec::new();
        for enabled in with_user.enabled_charts() {
            if let Some(schema) = enabled.chart.schema() {
                schemas.push((enabled.path.clone(), schema.json()));
            }
        }
        Self {
            defaults,
            earlier,
            schemas,
        }
    }

    /// Whether the chart knows `path`: its defaults have it ([`knows`]) or a schema declares
    /// it ([`declares`]) in a place the upgrade did not take out of the defaults.
    pub(super) fn knows(&self, path: &Path) -> bool {
        knows(self.defaults, path)
            || (self.in_place(path)
                && self.schemas.iter().any(|(base, schema)| {
                    path.starts_with(base) && declares(schema, &path.segments()[base.len()..])
                }))
    }

    /// Whether the defaults have the parent mapping of `path`, or the highest key of it they
    /// lack was not in the earlier chart's defaults either.
    fn in_place(&self, path: &Path) -> bool {
        let Some(earlier) = self.earlier else {
            return true;
        };
        let segments = path.segments();
        let present = (1..=segments.len())
            .take_while(|len| {
                self.defaults
                    .at(&Path::from_segments(segments[..*len].to_vec()))
                    .is_some()
            })
            .count();
        present + 1 >= segments.len()
            || earlier
                .at(&Path::from_segments(segments[..=present].to_vec()))
                .is_none()
    }
}

/// Whether the defaults have `path`, or a place where the chart takes any key: under an
/// empty mapping or an empty value, under keys Kubernetes objects fill (`...annotations`,
/// `resources`, ...: the same rule as `validate`'s `unknown-key`), and Helm's own `global`.
fn knows(defaults: &Value, path: &Path) -> bool {
    let mut node = defaults;
    for (i, segment) in path.segments().iter().enumerate() {
        let Segment::Key(key) = segment else {
            return true;
        };
        match node {
            Value::Mapping(m) if m.is_empty() => return true,
            Value::Mapping(m) => match m.get(key) {
                Some(child) => node = child,
                None => return i == 0 && key == "global",
            },
            Value::Null => return true,
            _ => return false,
        }
        if crate::validate::is_free_form_key(key) {
            return true;
        }
    }
    true
}

/// Whether `schema` declares the keys `segments`: each is named in `properties` (through
/// `$ref`, `allOf`, `anyOf`, `oneOf`, `then` and `else`), or lies in a mapping whose
/// `additionalProperties` is a schema of its own (a map of values, `{type: string}`). A key
/// the schema merely does not forbid is not declared.
pub(super) fn declares(schema: &serde_json::Value, segments: &[Segment]) -> bool {
    let mut frontier = vec![schema];
    for segment in segments {
        let Segment::Key(key) = segment else {
            return true;
        };
        let mut expanded = Vec::new();
        for node in frontier {
            expand(schema, node, &mut expanded, 0);
        }
        let mut next = Vec::new();
        for node in expanded {
            if let Some(declared) = node.get("properties").and_then(|p| p.get(key.as_str())) {
                next.push(declared);
            } else if let Some(map @ serde_json::Value::Object(m)) =
                node.get("additionalProperties")
            {
                if !m.is_empty() {
                    next.push(map);
                }
            }
        }
        if next.is_empty() {
            return false;
        }
        frontier = next;
    }
    true
}

/// `node` and the subschemas that apply with it: what its `$ref` (within the schema) points
/// at and the branches of `allOf`, `anyOf`, `oneOf`, `then` and `else`.
fn expand<'s>(
    root: &'s serde_json::Value,
    node: &'s serde_json::Value,
    out: &mut Vec<&'s serde_json::Value>,
    depth: usize,
) {
    let serde_json::Value::Object(map) = node else {
        return;
    };
    if depth > 16 || out.iter().any(|seen| std::ptr::eq(*seen, node)) {
        return;
    }
    out.push(node);
    if let Some(target) = map
        .get("$ref")
        .and_then(serde_json::Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|pointer| root.pointer(pointer))
    {
        expand(root, target, out, depth + 1);
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(branches) = map.get(key).and_then(serde_json::Value::as_array) {
            for branch in branches {
                expand(root, branch, out, depth + 1);
            }
        }
    }
    for key in ["then", "else"] {
        if let Some(branch) = map.get(key) {
            expand(root, branch, out, depth + 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(path: &str) -> Vec<Segment> {
        Path::parse(path).unwrap().segments().to_vec()
    }

    #[test]
    fn a_schema_declares_properties_through_refs_and_branches_only() {
        let schema: serde_json::Value = serde_json::json!({
            "$defs": {"image": {"type": "object", "properties": {"digest": {"type": "string"}}}},
            "properties": {
                "image": {"$ref": "#/$defs/image"},
                "extra": {"allOf": [{"properties": {"deep": {"properties": {"x": true}}}}]},
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                "loose": {"type": "object"},
                "open": {"type": "object", "additionalProperties": true}
            }
        });
        for declared in [
            "image",
            "image.digest",
            "extra.deep.x",
            "labels.team",
            "loose",
        ] {
            assert!(declares(&schema, &keys(declared)), "{declared}");
        }
        for not in [
            "image.tag",
            "extra.deep.y",
            "loose.any",
            "open.any",
            "other",
        ] {
            assert!(!declares(&schema, &keys(not)), "{not}");
        }
    }
}
