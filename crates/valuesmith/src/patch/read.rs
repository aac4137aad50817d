//! Reading a patch back from JSON: the output of `valuesmith diff --format json`
//! (docs/diff.md), or the serde form of a [`Patch`] (a list of `{"op": ...}` changes).
//!
//! A diff report is read into the diff's own changes and turned into a patch by
//! [`Diff::to_patch`](crate::diff::Diff::to_patch), so a report and the library's diff give
//! the same patch. A path is read from `segments` (which keeps keys exact), else from `path`.

use serde_json::Value as Json;

use super::{Change, Patch};
use crate::diff::{Change as DiffChange, ChangeKind, Diff};
use crate::path::{Path, Segment};
use crate::value::Value;

/// A patch text that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
#[non_exhaustive]
pub struct ReadPatchError {
    /// What is wrong.
    pub message: String,
    /// The 1-based line of the JSON text, when the JSON itself is broken.
    pub line: Option<usize>,
    /// The 1-based column, with `line`.
    pub column: Option<usize>,
}

impl ReadPatchError {
    fn shape(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            line: None,
            column: None,
        }
    }

    /// What to do about it.
    pub fn hint(&self) -> Option<&str> {
        Some(
            "give the output of `valuesmith diff OLD NEW --format json` (docs/diff.md), or a \
             JSON list of patch changes (docs/environments.md)",
        )
    }
}

impl Patch {
    /// Reads a patch from JSON text: a `diff --format json` report or a list of changes as
    /// [`Patch`] serializes them.
    pub fn from_json(text: &str) -> Result<Patch, ReadPatchError> {
        let json: Json = serde_json::from_str(text).map_err(|err| ReadPatchError {
            message: format!("not JSON: {err}"),
            line: Some(err.line()),
            column: Some(err.column()),
        })?;
        match &json {
            Json::Object(report) => {
                let changes = report
                    .get("changes")
                    .and_then(Json::as_array)
                    .ok_or_else(|| {
                        ReadPatchError::shape("a diff report has a `changes` list, this has none")
                    })?;
                let changes = changes
                    .iter()
                    .enumerate()
                    .map(|(i, c)| diff_change(c).map_err(|m| at(i, m)))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Diff {
                    changes,
                    ..Diff::default()
                }
                .to_patch())
            }
            Json::Array(ops) => ops
                .iter()
                .enumerate()
                .map(|(i, op)| patch_change(op).map_err(|m| at(i, m)))
                .collect(),
            _ => Err(ReadPatchError::shape(
                "a patch is a diff report (an object) or a list of changes",
            )),
        }
    }
}

fn at(index: usize, message: String) -> ReadPatchError {
    ReadPatchError::shape(format!("change {}: {message}", index + 1))
}

fn field<'j>(object: &'j Json, name: &str) -> Result<&'j Json, String> {
    object
        .get(name)
        .ok_or_else(|| format!("`{name}` is missing"))
}

/// The path of a change: `segments` when present, else the `path` text.
fn path_of(object: &Json, segments: &str, text: &str) -> Result<Path, String> {
    if let Some(list) = object.get(segments) {
        return segments_of(list).map(Path::from_segments);
    }
    let text = field(object, text)?
        .as_str()
        .ok_or_else(|| format!("`{text}` is not a string"))?;
    Path::parse(text).map_err(|err| err.to_string())
}

/// Segments in the form docs/diff.md gives: a string key, a number position, a one-entry
/// object identity.
fn segments_of(list: &Json) -> Result<Vec<Segment>, String> {
    let items = list.as_array().ok_or("segments are a list")?;
    items
        .iter()
        .map(|item| match item {
            Json::String(key) => Ok(Segment::Key(key.clone())),
            Json::Number(n) => n
                .as_u64()
                .map(|i| Segment::Index(i as usize))
                .ok_or_else(|| format!("`{n}` is not a position")),
            Json::Object(one) if one.len() == 1 => {
                let (key, value) = one.iter().next().expect("one entry");
                let value = value
                    .as_str()
                    .ok_or_else(|| format!("the identity `{key}` is not a string"))?;
                Ok(Segment::Identity {
                    key: key.clone(),
                    value: value.to_owned(),
                })
            }
            other => Err(format!("`{other}` is not a segment")),
        })
        .collect()
}

fn value_of(object: &Json, name: &str) -> Option<Value> {
    object.get(name).map(Value::from_json)
}

fn position_of(object: &Json) -> Result<Option<usize>, String> {
    match object.get("position") {
        None | Some(Json::Null) => Ok(None),
        Some(n) => n
            .as_u64()
            .map(|p| Some(p as usize))
            .ok_or_else(|| format!("`position` {n} is not a position")),
    }
}

fn diff_change(object: &Json) -> Result<DiffChange, String> {
    let kind = match field(object, "kind")?.as_str() {
        Some("added") => ChangeKind::Added,
        Some("removed") => ChangeKind::Removed,
        Some("changed") => ChangeKind::Changed,
        Some("reordered") => ChangeKind::Reordered,
        _ => return Err("`kind` is added, removed, changed or reordered".to_owned()),
    };
    let mut change = DiffChange::new(kind, path_of(object, "segments", "path")?);
    change.old = value_of(object, "old");
    change.new = value_of(object, "new");
    change.position = position_of(object)?;
    for (name, slot) in [
        ("old_order", &mut change.old_order),
        ("new_order", &mut change.new_order),
    ] {
        if let Some(order) = object.get(name) {
            *slot = Some(segments_of(order)?);
        }
    }
    let complete = match kind {
        ChangeKind::Added | ChangeKind::Changed => change.new.is_some(),
        ChangeKind::Removed => change.old.is_some(),
        ChangeKind::Reordered => change.new_order.is_some(),
    };
    if !complete {
        return Err(format!(
            "a `{kind}` change at {} lacks its value",
            change.path
        ));
    }
    Ok(change)
}

fn patch_change(object: &Json) -> Result<Change, String> {
    let need = |name: &str| value_of(object, name).ok_or_else(|| format!("`{name}` is missing"));
    Ok(match field(object, "op")?.as_str() {
        Some("set") => Change::Set {
            path: path_of(object, "segments", "path")?,
            old: value_of(object, "old"),
            new: need("new")?,
        },
        Some("remove") => Change::Remove {
            path: path_of(object, "segments", "path")?,
            old: need("old")?,
        },
        Some("move") => Change::Move {
            from: path_of(object, "from_segments", "from")?,
            to: path_of(object, "to_segments", "to")?,
            value: need("value")?,
        },
        Some("insert") => Change::Insert {
            path: path_of(object, "segments", "path")?,
            position: position_of(object)?.ok_or("`position` is missing")?,
            value: need("value")?,
        },
        Some("reorder") => Change::Reorder {
            path: path_of(object, "segments", "path")?,
            order: segments_of(field(object, "order")?)?,
        },
        _ => return Err("`op` is set, remove, move, insert or reorder".to_owned()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{diff, render, DiffOptions};
    use crate::document::Document;

    fn doc(text: &str) -> Document {
        Document::parse(text).unwrap()
    }

    #[test]
    fn a_diff_report_reads_back_as_the_diffs_patch() {
        let old = doc("a: 1\nl: [x, y, z]\nports: [{port: 80}, {port: 443}]\npk: [{name: a}]\n");
        let new =
            doc("a: 2\nl: [y, w]\nports: [{port: 443}, {port: 80}]\npk: [{name: b}, {name: a}]\n");
        let options = DiffOptions {
            identity_keys: vec!["port".into()],
            show_secrets: true,
            ..DiffOptions::default()
        };
        let d = diff(&old, &new, &options);
        let text = render::json(&d, "old", "new");
        let patch = Patch::from_json(&text).unwrap();
        assert_eq!(patch, d.to_patch());
        assert_eq!(&patch.applied(old.value()), new.value());
    }

    #[test]
    fn a_serialized_patch_reads_back() {
        let d = diff(
            &doc("l: [{name: a}, {name: b}]\nm: {k: 1}\n"),
            &doc("l: [{name: b}, {name: c}, {name: a}]\nm: {}\n"),
            &DiffOptions::default(),
        );
        let patch = d.to_patch();
        let text = serde_json::to_string(&patch).unwrap();
        assert_eq!(Patch::from_json(&text).unwrap(), patch);
    }

    #[test]
    fn broken_patches_say_what_is_wrong() {
        let err = Patch::from_json("{\n  \"changes\": [\n").unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(err.message.starts_with("not JSON"), "{}", err.message);
        let err = Patch::from_json(r#"{"changes": [{"kind": "moved", "path": "a"}]}"#).unwrap_err();
        assert_eq!(
            err.message,
            "change 1: `kind` is added, removed, changed or reordered"
        );
        let err = Patch::from_json(r#"[{"op": "set", "path": "a"}]"#).unwrap_err();
        assert_eq!(err.message, "change 1: `new` is missing");
        let err = Patch::from_json("3").unwrap_err();
        assert_eq!(
            err.message,
            "a patch is a diff report (an object) or a list of changes"
        );
    }
}
