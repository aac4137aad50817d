//! Catalog checks: the file's release, the values it requires, `require` rules and retired
//! keys.
//!
//! The release comes from the file name (`values-<env>-<release>.yml`, split with the
//! catalog's releases settling ambiguity); a file without such a name (standard input, or a
//! name the convention does not cover) falls back to the value at the catalog's
//! `version_path`. Versions compare as numbers, so the catalog's `2024.07` is the tag
//! `2024.07.00`. The release's `values` are checked the way a migration merges them, so that a
//! file that `migrate` wrote is clean and a file it would change is not: mappings key by key,
//! sequences of mappings item by item by identity (a package's version), scalars by value.
//! `require`, `remove` and `rename` rules count for the release and every earlier one, followed
//! through later renames and removals so a path a later release moved is looked for where it
//! went.

use super::{shell_word, show_value, Code, Fix, FixEdit, Sink};
use crate::catalog::{Catalog, Release, RuleKind};
use crate::config::ValidateSettings;
use crate::diagnostic::did_you_mean;
use crate::diagnostic::Location;
use crate::document::{Document, NodeId};
use crate::migrate::{is_supplied, required_values_patch, Notice};
use crate::patch::Change;
use crate::path::{identity_key, identity_of, Path, Segment};
use crate::value::Value;
use crate::values_file::{mismatch, stated_version};
use crate::version::{values_file_name, Version};

/// The names that mean standard input: they have no file name to read a release from.
const STDIN_NAMES: &[&str] = &["<stdin>", "-"];

/// Runs the catalog checks on `document`, named `name`.
pub(super) fn check(
    name: &str,
    document: &Document,
    catalog: &Catalog,
    settings: Option<&ValidateSettings>,
    sink: &mut Sink<'_>,
) {
    let file_name = (!STDIN_NAMES.contains(&name))
        .then(|| std::path::Path::new(name).file_name())
        .flatten()
        .map(|n| n.to_string_lossy().into_owned());
    let named = file_name
        .as_deref()
        .and_then(|n| catalog.values_file_name(n));
    let stated = catalog
        .version_path
        .as_ref()
        .and_then(|path| document.get(path).map(|id| (path, id)));

    let mut mismatch_at = None;
    let release = match &named {
        Some(named) => {
            if let Some((_, id)) = stated {
                if release_mismatch(document, catalog, &named.release, named.env.as_str(), sink) {
                    mismatch_at = Some(document.resolve(id));
                }
            }
            Some((named.release.clone(), None))
        }
        None => {
            let from_value = stated.and_then(|(path, id)| {
                stated_version(document, id)
                    .ok()
                    .map(|version| (version, Some((path, id))))
            });
            if let Some(file_name) = &file_name {
                file_name_warning(file_name, catalog, from_value.as_ref(), sink);
            }
            from_value
        }
    };
    let Some((version, from_value)) = release else {
        return;
    };
    let Some(index) = catalog.index_of(&version) else {
        unknown_release(document, catalog, &version, from_value, sink);
        return;
    };
    let release = &catalog.releases()[index];
    let skip = mismatch_at.and(catalog.version_path.as_ref());
    let mut required = Required {
        document,
        catalog,
        release,
        sink,
    };
    required.report(skip);
    history(document, &catalog.releases()[..=index], settings, sink);
}

fn release_mismatch(
    document: &Document,
    catalog: &Catalog,
    release: &Version,
    env: &str,
    sink: &mut Sink<'_>,
) -> bool {
    let Some(found) = mismatch(document, catalog, release) else {
        return false;
    };
    let hint = found.hint(sink.file, env);
    sink.at(
        Code::ReleaseMismatch,
        found.location,
        found.message,
        Some(hint),
    );
    true
}

fn file_name_warning(
    file_name: &str,
    catalog: &Catalog,
    from_value: Option<&(Version, Option<(&Path, NodeId)>)>,
    sink: &mut Sink<'_>,
) {
    let (consequence, example) = match from_value {
        Some((version, Some((path, _)))) => (
            format!("the release checks use `{path}` ({version}) instead"),
            Some(version.clone()),
        ),
        _ => (
            "the release checks are skipped".to_owned(),
            catalog.releases().last().map(|r| r.version.clone()),
        ),
    };
    let example = example
        .map(|v| format!(", e.g. {}", values_file_name("dev", &v)))
        .unwrap_or_default();
    sink.whole_file(
        Code::FileName,
        format!(
            "`{file_name}` does not follow values-<env>-<release>.yml, so it names no release: \
             {consequence}"
        ),
        Some(format!("name it values-<env>-<release>.yml{example}")),
    );
}

fn unknown_release(
    document: &Document,
    catalog: &Catalog,
    version: &Version,
    from_value: Option<(&Path, NodeId)>,
    sink: &mut Sink<'_>,
) {
    let releases = catalog.releases();
    let below = releases.iter().rev().find(|r| r.version < *version);
    let above = releases.iter().find(|r| r.version > *version);
    let around = match (below, above) {
        (Some(b), Some(a)) => format!("the nearest are {} and {}", b.version, a.version),
        (Some(b), None) => format!("its newest is {}", b.version),
        (None, Some(a)) => format!("its oldest is {}", a.version),
        (None, None) => "it has none".to_owned(),
    };
    let hint = format!(
        "{around}; add the release to the catalog ({}), or fix the {}",
        catalog.files().collect::<Vec<_>>().join(", "),
        if from_value.is_some() {
            "value"
        } else {
            "file name"
        }
    );
    match from_value {
        Some((path, id)) => sink.at(
            Code::UnknownRelease,
            document.node_location(document.resolve(id)),
            format!(
                "`{path}` says release {version}, which the {} catalog does not have",
                catalog.product
            ),
            Some(hint),
        ),
        None => sink.whole_file(
            Code::UnknownRelease,
            format!(
                "the file name says release {version}, which the {} catalog does not have",
                catalog.product
            ),
            Some(hint),
        ),
    }
}

/// Where `path` is named in `document`: its node (if present) and the location of its key (or
/// item), else of the nearest ancestor that is present.
pub(crate) fn locate(document: &Document, path: &Path) -> (Option<NodeId>, Location) {
    let Some(root) = document.root() else {
        return (None, Location { line: 1, column: 1 });
    };
    let mut current = root;
    let mut location = document.node_location(root);
    for segment in path.segments() {
        let Some(child) = document.child(current, segment) else {
            return (None, location);
        };
        location = match (segment, document.entry_of(current, child)) {
            (Segment::Key(_), Some(entry)) => document.node_location(entry.key),
            _ => document.node_location(child),
        };
        current = child;
    }
    (Some(current), location)
}

/// Reports what merging a release's required values would change, as `migrate` merges them.
struct Required<'a, 's, 'f> {
    document: &'a Document,
    catalog: &'a Catalog,
    release: &'a Release,
    sink: &'s mut Sink<'f>,
}

impl Required<'_, '_, '_> {
    /// One finding per change of the merge, and one per identity-matched item the release
    /// does not list; `skip` is the `version_path` already reported as a `release-mismatch`.
    fn report(&mut self, skip: Option<&Path>) {
        let (patch, notices) =
            required_values_patch(self.document.value(), self.release, self.catalog);
        for change in patch.changes() {
            match change {
                Change::Set { path, .. } if Some(path) == skip => {}
                Change::Set {
                    path,
                    old: Some(have),
                    new,
                } => {
                    let (id, here) = locate(self.document, path);
                    let at = id.map_or(here, |id| self.document.node_location(id));
                    self.different(path, at, have, new);
                }
                Change::Set {
                    path,
                    old: None,
                    new,
                } => {
                    let here = locate(self.document, path).1;
                    self.missing(path, new, here);
                }
                Change::Insert {
                    path,
                    position,
                    value,
                } => {
                    let here = locate(self.document, path).1;
                    let item =
                        identity_key(std::slice::from_ref(value), &self.catalog.identity_keys)
                            .and_then(|key| {
                                identity_of(value, key).map(|id| {
                                    path.child(Segment::Identity {
                                        key: key.to_owned(),
                                        value: id,
                                    })
                                })
                            })
                            .unwrap_or_else(|| path.index(*position));
                    self.missing(&item, value, here);
                }
                Change::Remove { .. } | Change::Move { .. } | Change::Reorder { .. } => {}
            }
        }
        for notice in notices {
            if let Notice::ExtraItem { path: item_path } = notice {
                let release = &self.release.version;
                let at = locate(self.document, &item_path).1;
                self.sink.at(
                    Code::ExtraPackage,
                    at,
                    format!(
                        "`{item_path}` is not among the items release {release} lists (a \
                         customer-specific package?)"
                    ),
                    Some(format!(
                        "make sure it is built for release {release}; the release sets the \
                         versions of the items it lists only"
                    )),
                );
            }
        }
    }

    fn missing(&mut self, path: &Path, wanted: &Value, here: Location) {
        let release = &self.release.version;
        let (parent, last) = match path.split_last() {
            Some((parent, last)) => (parent, last.clone()),
            None => return,
        };
        let message = match &last {
            Segment::Identity { .. } => format!(
                "release {release} requires the item `{path}` ({}), which is missing",
                show_value(wanted)
            ),
            _ => format!(
                "release {release} requires `{path}` = {}, which is missing",
                show_value(wanted)
            ),
        };
        let set = self.set_hint(path, wanted);
        let hint = match &last {
            Segment::Identity { .. } => {
                format!("add the item to `{parent}`: - {}", show_value(wanted))
            }
            // A near miss of the key is likelier than a missing value.
            Segment::Key(key) => match self.near_key(&parent, key) {
                Some(near) => format!(
                    "is `{}` a misspelling of `{key}`? Else {set}",
                    parent.key(near)
                ),
                None => set,
            },
            Segment::Index(_) => set,
        };
        self.sink.at(Code::RequiredValue, here, message, Some(hint));
        // A missing item or key is added as the release writes it; unsafe where the key may be
        // a misspelling of one the file has (the fix would leave the misspelt one behind).
        let misspelt = matches!(&last, Segment::Key(key) if self.near_key(&parent, key).is_some());
        self.sink.fix(Fix {
            safe: !misspelt,
            edits: vec![FixEdit::Set {
                path: path.clone(),
                value: wanted.clone(),
            }],
        });
    }

    /// A key of the mapping at `parent` that looks like a typo of `key`.
    fn near_key(&self, parent: &Path, key: &str) -> Option<String> {
        let entries = self.document.entries(self.document.get(parent)?)?;
        did_you_mean(key, entries.iter().map(|e| e.key_text.as_str())).map(str::to_owned)
    }

    fn different(&mut self, path: &Path, at: Location, have: &Value, wanted: &Value) {
        let release = &self.release.version;
        let mut message = format!(
            "`{path}` is {}, but release {release} requires {}",
            show_value(have),
            show_value(wanted)
        );
        if have.scalar_text().is_some() && have.scalar_text() == wanted.scalar_text() {
            message.push_str(&format!(
                " (the same text, read as a {} instead of a {})",
                have.type_name(),
                wanted.type_name()
            ));
        }
        let hint = self.set_hint(path, wanted);
        self.sink.at(Code::RequiredValue, at, message, Some(hint));
        self.sink.fix(Fix {
            safe: true,
            edits: vec![FixEdit::Set {
                path: path.clone(),
                value: wanted.clone(),
            }],
        });
    }

    fn set_hint(&self, path: &Path, wanted: &Value) -> String {
        format!(
            "set it: valuesmith set {} {} {}",
            shell_word(self.sink.file),
            shell_word(&path.to_string()),
            shell_word(&show_value(wanted))
        )
    }
}

/// A `require` still in force.
struct Requirement {
    path: Path,
    release: Version,
    reason: Option<String>,
}

/// A path a `remove` or `rename` retired.
struct Retirement {
    path: Path,
    release: Version,
    renamed_to: Option<Path>,
    reason: Option<String>,
}

/// `required-input` and `retired-key` over the rules of `releases` (the file's release and
/// every earlier one), in order.
fn history(
    document: &Document,
    releases: &[Release],
    settings: Option<&ValidateSettings>,
    sink: &mut Sink<'_>,
) {
    let mut requirements: Vec<Requirement> = Vec::new();
    let mut retired: Vec<Retirement> = Vec::new();
    for release in releases {
        for rule in &release.migrate {
            match &rule.kind {
                RuleKind::Require { path } if !requirements.iter().any(|r| r.path == *path) => {
                    requirements.push(Requirement {
                        path: path.clone(),
                        release: release.version.clone(),
                        reason: rule.reason.clone(),
                    });
                }
                RuleKind::Remove { path, .. } => {
                    requirements.retain(|r| !r.path.starts_with(path));
                    retired.push(Retirement {
                        path: path.clone(),
                        release: release.version.clone(),
                        renamed_to: None,
                        reason: rule.reason.clone(),
                    });
                }
                RuleKind::Rename { from, to } => {
                    for requirement in &mut requirements {
                        if let Some(moved) = rebase(&requirement.path, from, to) {
                            requirement.path = moved;
                        }
                    }
                    reinstate(&mut retired, to, None);
                    retired.push(Retirement {
                        path: from.clone(),
                        release: release.version.clone(),
                        renamed_to: Some(to.clone()),
                        reason: rule.reason.clone(),
                    });
                }
                RuleKind::Set { path, value } | RuleKind::Add { path, value } => {
                    reinstate(&mut retired, path, Some(value));
                }
                _ => {}
            }
        }
        reinstate(
            &mut retired,
            &Path::root(),
            Some(&Value::Mapping(release.values.clone())),
        );
    }
    for requirement in &requirements {
        if is_supplied(document.value(), &requirement.path)
            || settings.is_some_and(|s| stands_in(s, document, &requirement.path))
        {
            continue;
        }
        let (node, location) = locate(document, &requirement.path);
        let path = &requirement.path;
        let why = requirement
            .reason
            .as_deref()
            .map(|r| format!(": {r}"))
            .unwrap_or_default();
        let message = match node {
            Some(id) => format!(
                "`{path}` is still a placeholder ({}); release {} requires it{why}",
                show_value(&document.value_of(id)),
                requirement.release
            ),
            None => format!(
                "`{path}` is missing; release {} requires it{why}",
                requirement.release
            ),
        };
        let location = node.map_or(location, |id| document.node_location(document.resolve(id)));
        sink.at(
            Code::RequiredInput,
            location,
            message,
            Some(format!(
                "supply the real value (not `<...>` or empty): valuesmith set {} {} VALUE",
                shell_word(sink.file),
                shell_word(&path.to_string())
            )),
        );
    }
    for retirement in &retired {
        let (Some(_), location) = locate(document, &retirement.path) else {
            continue;
        };
        let path = &retirement.path;
        let why = retirement
            .reason
            .as_deref()
            .map(|r| format!(": {r}"))
            .unwrap_or_default();
        let (message, hint) = match &retirement.renamed_to {
            Some(to) => (
                format!(
                    "`{path}` was renamed to `{to}` in release {}{why}",
                    retirement.release
                ),
                format!("move its value to `{to}`; the chart no longer reads `{path}`"),
            ),
            None => (
                format!(
                    "`{path}` was retired in release {}{why}",
                    retirement.release
                ),
                "delete it; the chart no longer reads it".to_owned(),
            ),
        };
        sink.at(Code::RetiredKey, location, message, Some(hint));
        let edit = match &retirement.renamed_to {
            Some(to) if document.get(to).is_none() => FixEdit::Rename {
                from: path.clone(),
                to: to.clone(),
            },
            // Both written: which value is meant is the user's call.
            Some(_) => continue,
            None => FixEdit::Remove { path: path.clone() },
        };
        sink.fix(Fix {
            safe: true,
            edits: vec![edit],
        });
    }
}

/// `path` with its prefix `from` replaced by `to`, if it starts with `from`.
fn rebase(path: &Path, from: &Path, to: &Path) -> Option<Path> {
    if !path.starts_with(from) {
        return None;
    }
    let mut segments = to.segments().to_vec();
    segments.extend_from_slice(&path.segments()[from.len()..]);
    Some(Path::from_segments(segments))
}

/// A later rule or required value that writes `path` (with `value`, when known) brings back
/// the retired paths it covers: those it writes into, and those its value holds.
fn reinstate(retired: &mut Vec<Retirement>, path: &Path, value: Option<&Value>) {
    retired.retain(|r| {
        if path.starts_with(&r.path) && !path.is_root() {
            return false;
        }
        if r.path.starts_with(path) {
            let rest = &r.path.segments()[path.len()..];
            return !value.is_some_and(|v| value_has(v, rest));
        }
        true
    });
}

/// Whether `value` holds something at `segments` (the one path walk, [`Value::at`], with
/// its one identity rule).
fn value_has(value: &Value, segments: &[Segment]) -> bool {
    value.at(&Path::from_segments(segments.to_vec())).is_some()
}

/// Whether the value at `path` is one of the project's placeholders (`.valuesmith.yml`), which
/// stand for input supplied at deploy time.
fn stands_in(settings: &ValidateSettings, document: &Document, path: &Path) -> bool {
    matches!(document.get_value(path), Some(Value::String(text)) if settings.is_placeholder(&text))
}
