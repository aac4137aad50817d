//! Sorting the user's values into the report's groups (docs/advise.md, "How each group is
//! decided").

use super::known::Known;
use super::rename::Guesser;
use super::{
    AdviseError, AdviseInputs, At, ChartId, EffectiveChange, Frozen, Guess, HelmOutcome, Redundant,
    Report, SchemaFailure, Stale, TypeChange, CONFIDENT,
};
use crate::chart::Chart;
use crate::diff::{diff, ChangeKind, DiffOptions};
use crate::document::Document;
use crate::edit::Layout;
use crate::effective::{self, effective, Effective, HelmVersion, Inputs};
use crate::path::{Path, Segment};
use crate::secrets::shown;
use crate::value::{Mapping, Value};

/// One value the user set: a scalar, a list (lists replace as a whole), an empty mapping or a
/// `null`.
pub(super) struct Entry {
    pub path: Path,
    pub value: Value,
    pub at: At,
}

pub(super) fn run(inputs: AdviseInputs<'_>) -> Result<Report, AdviseError> {
    fn eff<'a>(
        inputs: AdviseInputs<'a>,
        chart: &'a Chart,
        side: &str,
    ) -> Result<Effective<'a>, AdviseError> {
        effective(Inputs {
            chart: Some(chart),
            files: inputs.files,
            sets: inputs.sets,
            helm: inputs.helm,
        })
        .map_err(|error| AdviseError::Effective {
            chart: format!("chart {side} ({} {})", chart.name(), chart.version()),
            error,
        })
    }
    let eff_a = eff(inputs, inputs.from, "A")?;
    let eff_b = eff(inputs, inputs.to, "B")?;
    let defaults_a = defaults_of(inputs.from, &eff_a, inputs.helm);
    let defaults_b = defaults_of(inputs.to, &eff_b, inputs.helm);
    let entries = user_entries(&eff_a, inputs.files);
    let show = |path: &Path, value: &Value| shown(path, value, inputs.show_secrets);

    let schema = super::schema::failures(inputs, &eff_b);
    let mut report = Report {
        from: chart_id(inputs.from),
        to: chart_id(inputs.to),
        notes: notes(inputs.from, inputs.to, &defaults_a, &defaults_b),
        stale: Vec::new(),
        already_ignored: Vec::new(),
        frozen: Vec::new(),
        inherited: Vec::new(),
        redundant: Vec::new(),
        schema,
        type_changes: Vec::new(),
        effective_diff: Vec::new(),
    };

    let mut guesser = Guesser::new(
        &defaults_a,
        &defaults_b,
        inputs.from.values_document(),
        inputs.to.values_document(),
        inputs.to.version(),
    );
    let known_a = Known::new(&eff_a, &defaults_a, None);
    let known_b = Known::new(&eff_b, &defaults_b, Some(&defaults_a));
    for entry in &entries {
        let knew_a = known_a.knows(&entry.path);
        if !known_b.knows(&entry.path) {
            let mut guesses = guesser.guesses(&entry.path);
            mark_confident(&mut guesses, knew_a, &entries);
            // Secret where it is, or where any guess would move it (docs/secrets.md).
            let value = guesses
                .iter()
                .fold(show(&entry.path, &entry.value), |value, guess| {
                    crate::secrets::shown_moved(&entry.path, &guess.to, &value, inputs.show_secrets)
                });
            let stale = Stale {
                path: entry.path.clone(),
                value,
                at: entry.at.clone(),
                helm: outcome(inputs.files, &report.schema, entry),
                guesses,
            };
            if knew_a {
                report.stale.push(stale);
            } else {
                report.already_ignored.push(stale);
            }
            continue;
        }
        let old = defaults_a.at(&entry.path);
        let new = defaults_b.at(&entry.path);
        if new == Some(&entry.value) {
            report.redundant.push(Redundant {
                path: entry.path.clone(),
                value: show(&entry.path, &entry.value),
                at: entry.at.clone(),
            });
        } else if let (Some(old), Some(new)) = (old, new) {
            if old == &entry.value {
                report.frozen.push(Frozen {
                    path: entry.path.clone(),
                    value: show(&entry.path, &entry.value),
                    new_default: show(&entry.path, new),
                    at: entry.at.clone(),
                });
            }
        }
        type_changes(&defaults_a, &defaults_b, entry, &mut report.type_changes);
    }

    effective_diff(inputs, &eff_a, &eff_b, &mut report);
    Ok(report)
}

fn chart_id(chart: &Chart) -> ChartId {
    ChartId {
        name: chart.name().to_owned(),
        version: chart.version().to_owned(),
        shown: chart.shown().to_owned(),
    }
}

/// A newer than B, and charts that do not differ, are said, and the report goes on.
fn notes(a: &Chart, b: &Chart, defaults_a: &Value, defaults_b: &Value) -> Vec<String> {
    let mut notes = Vec::new();
    if a.name() != b.name() {
        notes.push(format!(
            "chart A is `{}` and chart B is `{}`: these are different charts",
            a.name(),
            b.name()
        ));
    }
    if let (Ok(va), Ok(vb)) = (
        semver::Version::parse(a.version()),
        semver::Version::parse(b.version()),
    ) {
        if va > vb {
            notes.push(format!(
                "chart A ({}) is newer than chart B ({}): this is a downgrade; the report reads \
                 it as A to B",
                a.version(),
                b.version()
            ));
        }
    }
    if defaults_a == defaults_b {
        let same_schema = match (a.schema(), b.schema()) {
            (None, None) => true,
            (Some(x), Some(y)) => x.name() == y.name() && a.version() == b.version(),
            _ => false,
        };
        notes.push(if a.version() == b.version() && same_schema {
            format!(
                "charts A and B are the same version ({}) with the same defaults: nothing \
                 changes",
                a.version()
            )
        } else {
            "charts A and B have the same defaults".to_owned()
        });
    }
    notes
}

/// A chart's defaults as its templates see them, with the subcharts the user's values
/// enable (their own defaults under their key) added where the defaults alone leave them out.
fn defaults_of(chart: &Chart, with_user: &Effective<'_>, helm: HelmVersion) -> Value {
    let mut value = effective(Inputs {
        chart: Some(chart),
        files: &[],
        sets: &[],
        helm,
    })
    .map_or_else(|_| chart.values().clone(), |e| e.value());
    for enabled in with_user.enabled_charts() {
        if !enabled.path.is_root() && value.at(enabled.path).is_none() {
            crate::patch::Change::Set {
                path: enabled.path.clone(),
                old: None,
                new: enabled.chart.values().clone(),
            }
            .apply(&mut value);
        }
    }
    value
}

/// Every value the user's files and flags set, at the depth Helm replaces it (a list as a
/// whole), with where it is written; and the `null`s that delete a default.
fn user_entries(eff: &Effective<'_>, files: &[(String, Document)]) -> Vec<Entry> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for leaf in eff.leaves() {
        if leaf.source.is_chart_default() {
            continue;
        }
        let segments = leaf.path.segments();
        let keys = segments
            .iter()
            .position(|s| !matches!(s, Segment::Key(_)))
            .unwrap_or(segments.len());
        let path = Path::from_segments(segments[..keys].to_vec());
        if path.is_root() || !seen.insert(path.clone()) {
            continue;
        }
        let (value, source) = if keys == segments.len() {
            (leaf.value, leaf.source)
        } else {
            let value = eff.get(&path).unwrap_or(Value::Null);
            let source = eff.source_at(&path).unwrap_or(leaf.source);
            (value, source)
        };
        if let Some(at) = At::of(&source) {
            entries.push(Entry { path, value, at });
        }
    }
    for deletion in eff.deletions() {
        if seen.insert(deletion.path.clone()) {
            if let Some(at) = At::of(&deletion.by) {
                entries.push(Entry {
                    path: deletion.path,
                    value: Value::Null,
                    at,
                });
            }
        }
    }
    // A `null` over a default that is `null` too leaves no trace in the effective values.
    for (name, document) in files.iter().rev() {
        let mut nulls = Vec::new();
        null_paths(document.value(), &Path::root(), &mut nulls);
        for path in nulls {
            if !seen.insert(path.clone()) {
                continue;
            }
            if let Some(location) = key_location(document, &path) {
                entries.push(Entry {
                    path,
                    value: Value::Null,
                    at: At {
                        file: name.clone(),
                        line: Some(location.line),
                        column: Some(location.column),
                    },
                });
            }
        }
    }
    entries
}

/// The key paths of a file's `null`s.
fn null_paths(value: &Value, path: &Path, out: &mut Vec<Path>) {
    match value {
        Value::Mapping(m) => {
            for (key, child) in m.iter() {
                null_paths(child, &path.key(key.clone()), out);
            }
        }
        Value::Null if !path.is_root() => out.push(path.clone()),
        _ => {}
    }
}

/// A guess is confident when it is strong enough, clearly ahead of the next, the key was one
/// that A knew (renaming a key that was already ignored would change what the deployment
/// does) and nothing the user sets is in the way.
fn mark_confident(guesses: &mut [Guess], knew_a: bool, entries: &[Entry]) {
    let second = guesses.get(1).map_or(0, |g| g.confidence);
    if let Some(top) = guesses.first_mut() {
        let in_the_way = entries
            .iter()
            .any(|e| e.path.starts_with(&top.to) || top.to.starts_with(&e.path));
        top.confident = knew_a
            && top.confidence >= CONFIDENT
            && top.confidence >= second.saturating_add(10)
            && !in_the_way;
    }
}

/// Whether B's schema refuses the key: a failure on the line of the key or of one of its
/// parents' keys in the file that sets it.
fn outcome(files: &[(String, Document)], schema: &[SchemaFailure], entry: &Entry) -> HelmOutcome {
    let Some(document) = files
        .iter()
        .find(|(name, _)| *name == entry.at.file)
        .map(|(_, d)| d)
    else {
        return HelmOutcome::Ignored;
    };
    let mut lines: Vec<usize> = entry.at.line.into_iter().collect();
    let segments = entry.path.segments();
    for len in 1..=segments.len() {
        if let Some(line) = key_line(document, &Path::from_segments(segments[..len].to_vec())) {
            lines.push(line);
        }
    }
    let refused = schema
        .iter()
        .any(|f| f.at.file == entry.at.file && f.at.line.is_some_and(|l| lines.contains(&l)));
    if refused {
        HelmOutcome::FailsSchema
    } else {
        HelmOutcome::Ignored
    }
}

/// The 1-based line of the key of `path` in `document`.
pub(super) fn key_line(document: &Document, path: &Path) -> Option<usize> {
    key_location(document, path).map(|l| l.line)
}

/// Where the key of `path` is written in `document`.
pub(super) fn key_location(
    document: &Document,
    path: &Path,
) -> Option<crate::diagnostic::Location> {
    let (parent, Segment::Key(key)) = path.split_last()? else {
        return None;
    };
    let parent = document.resolve(document.get(&parent)?);
    let entry = document
        .entries(parent)?
        .iter()
        .find(|e| e.key_text == *key)?;
    Some(document.node_location(entry.key))
}

/// A user key at or under a key whose default changed type (neither side `null`).
fn type_changes(a: &Value, b: &Value, entry: &Entry, out: &mut Vec<TypeChange>) {
    let segments = entry.path.segments();
    for len in 1..=segments.len() {
        let path = Path::from_segments(segments[..len].to_vec());
        let (Some(old), Some(new)) = (a.at(&path), b.at(&path)) else {
            continue;
        };
        let number = |v: &Value| matches!(v, Value::Int(_) | Value::Float(_));
        let either_null = matches!(old, Value::Null) || matches!(new, Value::Null);
        let same = old.type_name() == new.type_name() || (number(old) && number(new));
        let clash = !either_null && !same;
        if clash && !out.iter().any(|t| t.path == path) {
            out.push(TypeChange {
                path,
                from: old.type_name(),
                to: new.type_name(),
                at: entry.at.clone(),
            });
        }
    }
}

/// The effective diff, and from it the changes under keys the user did not set.
fn effective_diff(
    inputs: AdviseInputs<'_>,
    a: &Effective<'_>,
    b: &Effective<'_>,
    report: &mut Report,
) {
    // Only what differs is rendered and diffed: the rest gives no change, and reading two
    // charts' whole effective values back as documents was most of the advisor's time.
    let Some((old, new)) = differing(&a.value(), &b.value()) else {
        return;
    };
    let read = |value: &Value| {
        let text = match effective::sorted(value) {
            Value::Mapping(m) if !m.is_empty() => {
                Layout::default().mapping_lines(&Value::Mapping(m), 0)
            }
            _ => "{}".to_owned(),
        };
        Document::parse_values(&format!("{text}\n")).ok()
    };
    let (Some(old), Some(new)) = (read(&old), read(&new)) else {
        return;
    };
    let mut result = diff(
        &old,
        &new,
        &DiffOptions {
            show_secrets: inputs.show_secrets,
            ..Default::default()
        },
    );
    if !inputs.show_secrets {
        // The user's secrets are redacted wherever they appear, as in the whole values.
        let documents: Vec<&Document> = inputs.files.iter().map(|(_, d)| d).collect();
        result
            .secret_values
            .extend(&crate::secrets::SecretValues::of_documents(&documents));
    }
    for change in &result.changes {
        let old_value = result.shown_old(change);
        let new_value = result.shown_new(change);
        report.effective_diff.push(EffectiveChange {
            kind: change.kind.as_str(),
            path: change.path.clone(),
            old: old_value.clone(),
            new: new_value.clone(),
        });
        let segments = change.path.segments();
        let keys = segments
            .iter()
            .position(|s| !matches!(s, Segment::Key(_)))
            .unwrap_or(segments.len());
        let at = Path::from_segments(segments[..keys].to_vec());
        let default = |e: &Effective<'_>| e.source_at(&at).is_none_or(|s| s.is_chart_default());
        let inherited = match change.kind {
            ChangeKind::Added => default(b),
            ChangeKind::Removed => default(a),
            _ => default(a) && default(b),
        };
        if inherited
            && matches!(
                change.kind,
                ChangeKind::Added | ChangeKind::Removed | ChangeKind::Changed
            )
        {
            report.inherited.push(EffectiveChange {
                kind: change.kind.as_str(),
                path: change.path.clone(),
                old: old_value,
                new: new_value,
            });
        }
    }
}

/// The parts of two values that differ, or `None` when they are equal: entries equal on both
/// sides are left out of both mappings (a mapping keeps one of them when nothing else would be
/// left, so that it stays a non-empty mapping); anything else is kept whole.
fn differing(a: &Value, b: &Value) -> Option<(Value, Value)> {
    if a == b {
        return None;
    }
    let (Value::Mapping(ma), Value::Mapping(mb)) = (a, b) else {
        return Some((a.clone(), b.clone()));
    };
    let mut old = Mapping::new();
    let mut new = Mapping::new();
    let mut witness = None;
    for (key, x) in ma.iter() {
        match mb.get(key) {
            Some(y) => match differing(x, y) {
                Some((x, y)) => {
                    old.insert(key.clone(), x);
                    new.insert(key.clone(), y);
                }
                None => {
                    witness = witness.or(Some((key, x)));
                }
            },
            None => {
                old.insert(key.clone(), x.clone());
            }
        }
    }
    for (key, y) in mb.iter() {
        if ma.get(key).is_none() {
            new.insert(key.clone(), y.clone());
        }
    }
    if old.is_empty() || new.is_empty() {
        if let Some((key, x)) = witness {
            old.insert(key.clone(), x.clone());
            new.insert(key.clone(), x.clone());
        }
    }
    Some((Value::Mapping(old), Value::Mapping(new)))
}
