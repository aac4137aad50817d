//! The manifest diff: two renders compared resource by resource.
//!
//! Resources are matched by [`ResourceId`] (`apiVersion`, `kind`, namespace, name) and each
//! matched pair is compared with the structural diff engine ([`crate::diff::diff`]), so
//! re-indentation and key order are no differences and list items match by `name`. A
//! resource only OLD has and one only NEW has, of the same kind and namespace and alike apart
//! from their names (or `apiVersion`), are reported as one rename. A `Secret`'s `data` and
//! `stringData` are redacted unless secrets are shown; so are values under secret-named keys,
//! as in every report.

use crate::diff::{diff, Change, Diff, DiffOptions, PathPattern};
use crate::path::{Path, Segment};
use crate::secrets::redact_all;
use crate::value::Value;

use super::manifest::{Resource, ResourceId};

/// What happened to a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ResourceChangeKind {
    /// Only NEW renders it.
    Added,
    /// Only OLD renders it.
    Removed,
    /// Both render it, differently.
    Changed,
    /// OLD's resource is NEW's under another name or `apiVersion`.
    Renamed,
}

impl ResourceChangeKind {
    /// `added`, `removed`, `changed` or `renamed`.
    pub fn as_str(self) -> &'static str {
        match self {
            ResourceChangeKind::Added => "added",
            ResourceChangeKind::Removed => "removed",
            ResourceChangeKind::Changed => "changed",
            ResourceChangeKind::Renamed => "renamed",
        }
    }
}

/// One resource that differs.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ResourceChange {
    /// What happened.
    pub kind: ResourceChangeKind,
    /// The resource (NEW's, except for a removed one).
    pub id: ResourceId,
    /// For a rename: OLD's identity.
    pub old_id: Option<ResourceId>,
    /// The template that renders it.
    pub source: Option<String>,
    /// For a changed or renamed resource: how its manifest changed (a rename's new name is
    /// not repeated here), with secrets already redacted unless shown.
    pub diff: Diff,
}

/// The resources two renders differ in, in a stable order (by kind, namespace, name).
#[derive(Debug, Clone, Default)]
pub struct ManifestDiff {
    /// The differing resources.
    pub changes: Vec<ResourceChange>,
    /// How many resources both render the same.
    pub unchanged: usize,
}

impl ManifestDiff {
    /// Whether the renders are the same.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// How many resources were changed, added, removed and renamed.
    pub fn counts(&self) -> [(ResourceChangeKind, usize); 4] {
        use ResourceChangeKind::*;
        [Changed, Added, Removed, Renamed]
            .map(|kind| (kind, self.changes.iter().filter(|c| c.kind == kind).count()))
    }
}

/// Compares two renders (see the module documentation).
pub fn diff_manifests(old: &[Resource], new: &[Resource], show_secrets: bool) -> ManifestDiff {
    let options = DiffOptions {
        show_secrets,
        ..DiffOptions::default()
    };
    let mut result = ManifestDiff::default();
    let mut removed: Vec<&Resource> = Vec::new();
    for resource in old {
        match new.iter().find(|r| r.id == resource.id) {
            Some(other) => {
                let changes = diff(&resource.document, &other.document, &options);
                if changes.is_empty() {
                    result.unchanged += 1;
                } else {
                    result.changes.push(ResourceChange {
                        kind: ResourceChangeKind::Changed,
                        id: other.id.clone(),
                        old_id: None,
                        source: other.source.clone(),
                        diff: redacted(changes, &other.id, show_secrets),
                    });
                }
            }
            None => removed.push(resource),
        }
    }
    let mut added: Vec<&Resource> = new
        .iter()
        .filter(|r| old.iter().all(|o| o.id != r.id))
        .collect();
    for (from, to, changes) in renames(&removed, &added, &options) {
        removed.retain(|r| r.id != from.id);
        added.retain(|r| r.id != to.id);
        result.changes.push(ResourceChange {
            kind: ResourceChangeKind::Renamed,
            id: to.id.clone(),
            old_id: Some(from.id.clone()),
            source: to.source.clone(),
            diff: redacted(changes, &to.id, show_secrets),
        });
    }
    for (kind, list) in [
        (ResourceChangeKind::Removed, removed),
        (ResourceChangeKind::Added, added),
    ] {
        for resource in list {
            result.changes.push(ResourceChange {
                kind,
                id: resource.id.clone(),
                old_id: None,
                source: resource.source.clone(),
                diff: Diff::default(),
            });
        }
    }
    result
        .changes
        .sort_by(|a, b| a.id.cmp(&b.id).then(a.kind.as_str().cmp(b.kind.as_str())));
    result
}

/// Pairs of a removed and an added resource of one kind and namespace that differ, names
/// aside, in at most a third of their values: the closest pairs first.
fn renames<'r>(
    removed: &[&'r Resource],
    added: &[&'r Resource],
    options: &DiffOptions,
) -> Vec<(&'r Resource, &'r Resource, Diff)> {
    let mut ignoring_name = options.clone();
    ignoring_name.ignore.push(PathPattern::from_path(
        &Path::root().key("metadata").key("name"),
    ));
    let mut candidates = Vec::new();
    for from in removed {
        for to in added {
            if from.id.kind != to.id.kind || from.id.namespace != to.id.namespace {
                continue;
            }
            let changes = diff(&from.document, &to.document, &ignoring_name);
            let leaves = leaf_count(from.document.value());
            if changes.len() * 3 <= leaves {
                candidates.push((changes.len(), *from, *to, changes));
            }
        }
    }
    candidates.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(a.1.id.cmp(&b.1.id))
            .then(a.2.id.cmp(&b.2.id))
    });
    let mut pairs: Vec<(&Resource, &Resource, Diff)> = Vec::new();
    for (_, from, to, changes) in candidates {
        if pairs
            .iter()
            .all(|(f, t, _)| f.id != from.id && t.id != to.id)
        {
            pairs.push((from, to, changes));
        }
    }
    pairs
}

fn leaf_count(value: &Value) -> usize {
    match value {
        Value::Mapping(m) => m.iter().map(|(_, v)| leaf_count(v)).sum(),
        Value::Sequence(items) => items.iter().map(leaf_count).sum(),
        _ => 1,
    }
}

/// A Secret's `data` and `stringData` as reports show them: every value `<redacted>`.
fn redacted(mut changes: Diff, id: &ResourceId, show_secrets: bool) -> Diff {
    if show_secrets || id.kind != "Secret" {
        return changes;
    }
    const SECRET_KEYS: [&str; 2] = ["data", "stringData"];
    let hide = |change: &Change, value: &Value| -> Value {
        match change.path.segments().first() {
            Some(Segment::Key(key)) if SECRET_KEYS.contains(&key.as_str()) => redact_all(value),
            None => match value {
                Value::Mapping(m) => Value::Mapping(
                    m.iter()
                        .map(|(k, v)| {
                            let v = if SECRET_KEYS.contains(&k.as_str()) {
                                redact_all(v)
                            } else {
                                v.clone()
                            };
                            (k.clone(), v)
                        })
                        .collect(),
                ),
                other => other.clone(),
            },
            _ => value.clone(),
        }
    };
    for change in &mut changes.changes {
        let old = change.old.as_ref().map(|v| hide(change, v));
        let new = change.new.as_ref().map(|v| hide(change, v));
        change.old = old;
        change.new = new;
    }
    changes
}
