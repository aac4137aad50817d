//! JSON Schemas of valuesmith's own file formats, for editors (the `yaml-language-server`
//! modeline) and for checking files before valuesmith reads them.
//!
//! This module owns the schema of the release catalog ([`catalog_schema`]). The catalog reader
//! (`crate::catalog`) stays the authority: a test reads the fields the reader accepts at each
//! level (from its own unknown-field messages) and checks that the schema names exactly those,
//! and every catalog fixture is validated against the schema. The user-facing description of
//! the format is `docs/catalog.md`.

use serde_json::{json, Value};

use crate::catalog::RULE_KINDS;

/// A version as a catalog writes it: `2025.05.00` and `1.7.5` are strings to YAML, `2024.12`
/// is a number (the reader keeps the text as written either way).
fn version() -> Value {
    json!({"type": ["string", "number"]})
}

/// A values path such as `global.image.tag` (docs/paths.md).
fn path(description: &str) -> Value {
    json!({"type": "string", "minLength": 1, "description": description})
}

/// The fields a rule of `kind` takes besides its kind and `reason`, each with its schema.
fn rule_fields(kind: &str) -> Vec<(&'static str, Value)> {
    let value = || json!({"description": "the value, written as in a values file"});
    match kind {
        "set" | "add" => vec![("value", value())],
        "replace" => vec![
            (
                "from",
                json!({"description": "the old default: replaced only while P still equals it"}),
            ),
            ("value", value()),
        ],
        "rename" => vec![("to", path("the new path"))],
        _ => Vec::new(),
    }
}

/// One `migrate` rule: exactly one kind (`set`, `add`, `remove`, `rename`, `replace`,
/// `require`, `warn`) with the fields that kind takes, and an optional `reason`.
fn rule() -> Value {
    let shapes: Vec<Value> = RULE_KINDS
        .iter()
        .map(|kind| {
            let mut properties = serde_json::Map::new();
            let subject = if *kind == "warn" {
                json!({"type": "string", "minLength": 1, "description": "the text reported"})
            } else {
                path("the path the rule is about")
            };
            properties.insert((*kind).to_owned(), subject);
            let mut required = vec![json!(kind)];
            for (field, schema) in rule_fields(kind) {
                properties.insert(field.to_owned(), schema);
                required.push(json!(field));
            }
            if *kind == "remove" {
                properties.insert(
                    "keep_empty".to_owned(),
                    json!({"type": "boolean", "description": "keep a list or mapping that the removal empties, as an empty override (default: the emptied key goes, so the chart's default applies)"}),
                );
            }
            properties.insert(
                "reason".to_owned(),
                json!({"type": "string", "description": "why, shown in reports"}),
            );
            json!({
                "title": format!("{kind} rule"),
                "type": "object",
                "properties": properties,
                "required": required,
                "additionalProperties": false,
            })
        })
        .collect();
    json!({"oneOf": shapes})
}

/// `--set` flags: a mapping of helm values paths to scalars.
fn flags(description: &str) -> Value {
    json!({
        "type": "object",
        "additionalProperties": {"type": ["string", "number", "boolean", "null"]},
        "description": description,
    })
}

/// The JSON Schema (draft 2020-12) of a release catalog file (`releases.yml`, or one file of
/// a `releases/` folder, where every field is optional since the files are merged; the
/// reader then checks that `product`, `chart` and the releases are stated somewhere).
pub fn catalog_schema() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/valuesmith/valuesmith/schemas/catalog.schema.json",
        "title": "valuesmith release catalog",
        "description": "Releases of a Helm-deployed product and the rules that migrate a values file from one to the next (docs/catalog.md).",
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "product": {"type": "string", "description": "the product's name, used in messages"},
            "chart": {"type": "string", "description": "the chart reference of the printed helm upgrade commands (repo/chart)"},
            "release_name": {"type": "string", "description": "the helm release name (default: product)"},
            "namespace": {"type": "string", "description": "the helm namespace (default: release_name)"},
            "version_path": path("where a values file states its release, such as global.image.tag"),
            "identity_keys": {
                "type": "array",
                "items": {"type": "string"},
                "description": "keys that identify the items of a sequence of mappings, tried before name, id and key",
            },
            "policy": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "sequential": {"enum": ["none", "minor", "major"], "description": "which boundaries an upgrade may not jump over (default: minor)"},
                },
            },
            "commands": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "set": flags("--set flags added to every printed helm upgrade: values path to scalar"),
                    "upgrade_mode": path("the values path set to true for the first run of a data-upgrade step and false for the last"),
                    "data_upgrade": {
                        "type": "object",
                        "additionalProperties": false,
                        "description": "the product's data-upgrade procedure between the first and last helm upgrade of a step with data_upgrade; texts may name {label}, {name} and {namespace} (without it: a neutral two-phase flow)",
                        "properties": {
                            "apply": {"type": "string", "minLength": 1, "description": "a Kubernetes resource (YAML) that plan prints as kubectl apply once the pods are healthy"},
                            "wait_for": {"type": "string", "minLength": 1, "description": "what shows that the data upgrade is done (\"Wait until ...\")"},
                            "mode_effect": {"type": "string", "minLength": 1, "description": "what upgrade mode does, shown with the first run"},
                            "begin": flags("--set flags of the first run: each replaces the commands.set flag of its path, the others follow"),
                            "finish": flags("--set flags of the last run: each replaces the commands.set flag of its path, the others follow"),
                        },
                    },
                },
            },
            "releases": {
                "type": "array",
                "description": "the releases, in any order",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["version", "chart_version"],
                    "properties": {
                        "version": version(),
                        "chart_version": version(),
                        "upgrade_from": {"type": ["string", "number"], "description": "comparators (>=X, >X, <=X, <X, =X or X) naming the releases that may upgrade straight to this one"},
                        "data_upgrade": {"type": ["string", "boolean", "null"], "description": "the label of the data upgrade (spec.toVersion), or false/null for none"},
                        "notes": {"type": "string", "description": "free text shown with the step"},
                        "values": {"type": ["object", "null"], "description": "the values the release requires, written as in a values file"},
                        "migrate": {"type": ["array", "null"], "items": rule(), "description": "ordered rules that turn the previous release's values into this one's"},
                    },
                },
            },
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Catalog, CatalogError};

    /// The fields the catalog reader accepts where `probe` puts an unknown field, as its
    /// unknown-field message lists them.
    fn accepted(text: &str) -> Vec<String> {
        let err = Catalog::parse(text, "releases.yml").unwrap_err();
        let CatalogError::Invalid { message, .. } = &err else {
            panic!("{err:?}")
        };
        let (_, expected) = message
            .split_once("expected one of ")
            .unwrap_or_else(|| panic!("{message}"));
        let mut fields: Vec<String> = expected
            .split(", ")
            .map(|f| f.trim_matches('`').to_owned())
            .collect();
        fields.sort();
        fields
    }

    fn properties(schema: &Value) -> Vec<String> {
        let mut names: Vec<String> = schema["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        names.sort();
        names
    }

    #[test]
    fn the_schema_names_exactly_the_fields_the_reader_accepts() {
        let schema = catalog_schema();
        let top = &schema;
        let props = &schema["properties"];
        let release = &props["releases"]["items"];
        for (probe, level) in [
            ("bogus: 1\n", top),
            ("policy: {bogus: 1}\n", &props["policy"]),
            ("commands: {bogus: 1}\n", &props["commands"]),
            (
                "commands: {data_upgrade: {bogus: 1}}\n",
                &props["commands"]["properties"]["data_upgrade"],
            ),
            (
                "releases:\n- {version: '1.0.0', chart_version: '1.0.0', bogus: 1}\n",
                release,
            ),
        ] {
            let text = format!("product: p\nchart: c\n{probe}");
            assert_eq!(accepted(&text), properties(level), "{probe}");
        }
        // One rule shape per kind the reader knows, each naming its kind.
        let shapes = release["properties"]["migrate"]["items"]["oneOf"]
            .as_array()
            .unwrap();
        let kinds: Vec<&str> = shapes
            .iter()
            .map(|s| s["required"][0].as_str().unwrap())
            .collect();
        assert_eq!(kinds, RULE_KINDS);
    }

    #[test]
    fn the_schema_is_a_valid_json_schema() {
        let schema = catalog_schema();
        let validator = jsonschema::validator_for(&schema).unwrap();
        let good = json!({"product": "p", "chart": "c", "releases": [
            {"version": "1.0.0", "chart_version": 2.1, "migrate": [
                {"rename": "a", "to": "b", "reason": "r"}, {"warn": "look"}]}]});
        assert!(validator.is_valid(&good));
        for bad in [
            json!({"product": "p", "releese": []}),
            json!({"releases": [{"version": "1"}]}),
            json!({"releases": [{"version": "1", "chart_version": "1",
                "migrate": [{"rename": "a"}]}]}),
            json!({"releases": [{"version": "1", "chart_version": "1",
                "migrate": [{"set": "a", "value": 1, "to": "b"}]}]}),
            json!({"policy": {"sequential": "patch"}}),
        ] {
            assert!(!validator.is_valid(&bad), "{bad}");
        }
    }
}
