//! Rename guesses for a key chart B does not have (docs/advise.md, "Rename guesses").
//!
//! Four signals, each with a fixed confidence, combined per target (the strongest, plus 4 for
//! each other signal that agrees):
//!
//! - **the key changed case or spelling** (`kubeStateMetrics` is `kube-state-metrics`): 90
//!   when only case and separators differ, 70 for a typo-sized difference;
//! - **the subtree moved**: a mapping of A that B lacks has the same leaves as a mapping B
//!   added (`logs.general` is `log`): 55 + 40 × the Dice overlap of their leaf keys;
//! - **the same description now sits elsewhere**: the comment above the key in A's
//!   `values.yaml` (helm-docs `# --`, bitnami `## @param` without its path) is the comment of
//!   exactly one key B added: 85 (60 each for up to three);
//! - **the old default reappears** at a key B added: 75 with the same last key, else 55, for
//!   a distinctive default only (a string of 6 or more characters, a number of 3 or more
//!   digits) and at most three such keys.

use std::collections::{HashMap, HashSet};

use super::{Guess, SHOWN};
use crate::diagnostic::did_you_mean;
use crate::document::{Document, NodeId};
use crate::path::{Path, Segment};
use crate::value::Value;

/// Guesses renames for one pair of charts; the indexes of B are built on first use.
pub(super) struct Guesser<'a> {
    a: &'a Value,
    b: &'a Value,
    a_doc: Option<&'a Document>,
    b_doc: Option<&'a Document>,
    b_version: &'a str,
    index: Option<Index>,
}

/// What B added, indexed for the signals.
struct Index {
    /// Mappings B has where A has no mapping, with their leaves (relative, dotted).
    new_maps: Vec<(Path, HashSet<String>)>,
    /// Normalised comments of keys B added.
    comments: HashMap<String, Vec<Path>>,
    /// Distinctive defaults of leaves B added, by their JSON text.
    defaults: HashMap<String, Vec<Path>>,
}

impl<'a> Guesser<'a> {
    pub(super) fn new(
        a: &'a Value,
        b: &'a Value,
        a_doc: Option<&'a Document>,
        b_doc: Option<&'a Document>,
        b_version: &'a str,
    ) -> Self {
        Self {
            a,
            b,
            a_doc,
            b_doc,
            b_version,
            index: None,
        }
    }

    /// The guesses for `path`, best first, each of at least [`SHOWN`] confidence (none
    /// marked confident yet).
    pub(super) fn guesses(&mut self, path: &Path) -> Vec<Guess> {
        if self.index.is_none() {
            self.index = Some(Index::build(self.a, self.b, self.b_doc));
        }
        let index = self.index.as_ref().expect("built above");
        let mut found: Vec<(Path, u8, String)> = Vec::new();
        if let Some((to, exact, changes)) = self.respell(path) {
            found.push((
                to,
                if exact { 90 } else { 55 },
                format!("the key changed case or spelling: {changes}"),
            ));
        }
        self.moved(path, index, &mut found);
        self.described(path, index, &mut found);
        self.reappears(path, index, &mut found);

        let mut merged: Vec<Guess> = Vec::new();
        for (to, confidence, reason) in found {
            if to == *path {
                continue;
            }
            match merged.iter_mut().find(|g| g.to == to) {
                Some(g) => {
                    g.confidence = g.confidence.max(confidence).saturating_add(4).min(99);
                    g.reason = format!("{}; {reason}", g.reason);
                }
                None => merged.push(Guess {
                    to,
                    confidence,
                    reason,
                    confident: false,
                }),
            }
        }
        for guess in &mut merged {
            if type_differs(self.a.at(path), self.b.at(&guess.to)) {
                // A value moved under a key of another type would not mean the same.
                guess.confidence = guess.confidence.min(70);
                guess.reason.push_str("; but the default's type differs");
            }
        }
        merged.retain(|g| g.confidence >= SHOWN);
        merged.sort_by(|x, y| {
            y.confidence
                .cmp(&x.confidence)
                .then_with(|| x.to.to_string().cmp(&y.to.to_string()))
        });
        merged.truncate(3);
        merged
    }

    /// Follows `path` through B, taking a key of the same letters (case and `-`/`_` aside)
    /// or a near spelling where the exact key is missing.
    fn respell(&self, path: &Path) -> Option<(Path, bool, String)> {
        let (segments, exact, changes) = follow(self.b, path.segments())?;
        if changes.is_empty() {
            return None;
        }
        Some((
            Path::from_segments(segments),
            exact,
            format!("{} in {}", changes.join(", "), self.b_version),
        ))
    }

    /// The shallowest parent mapping of `path` that B lacks and that matches mappings B
    /// added: the best match (and a close second, which makes the guess ambiguous), the
    /// rest of the path followed under it.
    fn moved(&self, path: &Path, index: &Index, found: &mut Vec<(Path, u8, String)>) {
        let segments = path.segments();
        for len in 1..segments.len() {
            let parent = Path::from_segments(segments[..len].to_vec());
            let Some(old @ Value::Mapping(_)) = self.a.at(&parent) else {
                continue;
            };
            if self.b.at(&parent).is_some() {
                continue;
            }
            let leaves = leaves_of(old);
            let mut candidates: Vec<(Path, u8, String)> = Vec::new();
            for (new_parent, new_leaves) in &index.new_maps {
                let (small, large) = if leaves.len() <= new_leaves.len() {
                    (&leaves, new_leaves)
                } else {
                    (new_leaves, &leaves)
                };
                let common = small.iter().filter(|l| large.contains(*l)).count();
                if common < 2 && !(leaves.len() == 1 && common == 1) {
                    continue;
                }
                let dice = 2.0 * common as f64 / (leaves.len() + new_leaves.len()) as f64;
                if dice < 0.5 || self.sibling_fits_better(&parent, new_leaves, dice) {
                    continue;
                }
                let Some(node) = self.b.at(new_parent) else {
                    continue;
                };
                let Some((tail, _, _)) = follow(node, &segments[len..]) else {
                    continue;
                };
                let mut to = new_parent.clone();
                for s in tail {
                    to = to.child(s);
                }
                let mut confidence = (55 + (40.0 * dice).round() as u8).min(95);
                if !akin(&parent, new_parent) {
                    // Same leaves under unrelated names: many subtrees look alike
                    // (`image: {repository, tag, pullPolicy}`).
                    confidence = confidence.min(75);
                }
                if leaves.len() == 1 && !same_last(&parent, new_parent) {
                    confidence = confidence.min(60);
                }
                candidates.push((
                    to,
                    confidence,
                    format!(
                        "the subtree moved: `{parent}` is `{new_parent}` in {} ({common} of {} \
                         keys in common)",
                        self.b_version,
                        leaves.len()
                    ),
                ));
            }
            if candidates.is_empty() {
                continue;
            }
            candidates.sort_by_key(|c| std::cmp::Reverse(c.1));
            candidates.truncate(2);
            found.extend(candidates);
            return;
        }
    }

    /// Whether another mapping beside `parent` in A, which B lacks too, has the leaves of
    /// the new mapping more nearly (`logs.general` fits `log` better than `logs.access`).
    fn sibling_fits_better(&self, parent: &Path, new_leaves: &HashSet<String>, dice: f64) -> bool {
        let Some((grand, _)) = parent.split_last() else {
            return false;
        };
        let Some(Value::Mapping(siblings)) = self.a.at(&grand) else {
            return false;
        };
        siblings.iter().any(|(key, value)| {
            let sibling = grand.key(key.clone());
            if sibling == *parent
                || !matches!(value, Value::Mapping(_))
                || self.b.at(&sibling).is_some()
            {
                return false;
            }
            let leaves = leaves_of(value);
            let common = leaves.iter().filter(|l| new_leaves.contains(*l)).count();
            2.0 * common as f64 / (leaves.len() + new_leaves.len()) as f64 > dice
        })
    }

    /// The comment above the key in A is the comment of keys B added.
    fn described(&self, path: &Path, index: &Index, found: &mut Vec<(Path, u8, String)>) {
        let Some(doc) = self.a_doc else {
            return;
        };
        let Some(text) = key_comment(doc, path) else {
            return;
        };
        let Some(targets) = index.comments.get(&text) else {
            return;
        };
        if targets.len() > 3 {
            return;
        }
        for to in targets {
            let confidence = if targets.len() > 1 {
                60
            } else if same_last(path, to) {
                85
            } else {
                75
            };
            found.push((
                to.clone(),
                confidence,
                format!("the same description now sits at `{to}`"),
            ));
        }
    }

    /// A's distinctive default reappears at keys B added.
    fn reappears(&self, path: &Path, index: &Index, found: &mut Vec<(Path, u8, String)>) {
        let Some(old) = self.a.at(path).filter(|v| distinctive(v)) else {
            return;
        };
        let Some(targets) = index.defaults.get(&old.to_json().to_string()) else {
            return;
        };
        if targets.len() > 3 {
            return;
        }
        let last = |p: &Path| match p.last() {
            Some(Segment::Key(k)) => normalise(k),
            _ => String::new(),
        };
        for to in targets {
            let confidence = if last(to) == last(path) { 75 } else { 55 };
            found.push((
                to.clone(),
                confidence,
                format!("the old default reappears at `{to}`"),
            ));
        }
    }
}

impl Index {
    fn build(a: &Value, b: &Value, b_doc: Option<&Document>) -> Self {
        let mut index = Index {
            new_maps: Vec::new(),
            comments: HashMap::new(),
            defaults: HashMap::new(),
        };
        index.walk(a, b, &Path::root());
        if let Some(doc) = b_doc {
            if let Some(root) = doc.root() {
                index.walk_comments(a, doc, doc.resolve(root), &Path::root());
            }
        }
        index
    }

    fn walk(&mut self, a: &Value, node: &Value, path: &Path) {
        match node {
            Value::Mapping(map) if !map.is_empty() => {
                if !path.is_root() && !matches!(a.at(path), Some(Value::Mapping(_))) {
                    self.new_maps.push((path.clone(), leaves_of(node)));
                }
                for (key, child) in map.iter() {
                    self.walk(a, child, &path.key(key.clone()));
                }
            }
            _ => {
                if a.at(path).is_none() && distinctive(node) {
                    self.defaults
                        .entry(node.to_json().to_string())
                        .or_default()
                        .push(path.clone());
                }
            }
        }
    }

    fn walk_comments(&mut self, a: &Value, doc: &Document, id: NodeId, path: &Path) {
        let Some(entries) = doc.entries(id) else {
            return;
        };
        for entry in entries {
            let child = path.key(entry.key_text.clone());
            if a.at(&child).is_none() {
                if let Some(text) = comment_above(doc, entry.key) {
                    self.comments.entry(text).or_default().push(child.clone());
                }
            }
            self.walk_comments(a, doc, doc.resolve(entry.value), &child);
        }
    }
}

/// Follows `segments` from `node`, taking a key of the same letters or a near spelling
/// where the exact key is missing: the keys taken, whether only case and separators
/// changed, and the changes in words.
fn follow(mut node: &Value, segments: &[Segment]) -> Option<(Vec<Segment>, bool, Vec<String>)> {
    let mut out = Vec::new();
    let mut exact = true;
    let mut changes = Vec::new();
    for segment in segments {
        let Segment::Key(key) = segment else {
            return None;
        };
        let map = node.as_mapping()?;
        let chosen = if map.contains_key(key) {
            key.clone()
        } else if let Some(k) = map.keys().find(|k| normalise(k) == normalise(key)) {
            changes.push(format!("`{key}` is `{k}`"));
            k.clone()
        } else if let Some(k) = did_you_mean(key, map.keys().map(String::as_str))
            .filter(|k| k.len() >= 5 && key.len() >= 5)
        {
            exact = false;
            changes.push(format!("`{key}` is `{k}`"));
            k.to_owned()
        } else {
            return None;
        };
        node = map.get(&chosen)?;
        out.push(Segment::Key(chosen));
    }
    Some((out, exact, changes))
}

/// Whether two defaults, neither `null`, are of different types (a number is a number).
fn type_differs(old: Option<&Value>, new: Option<&Value>) -> bool {
    let kind = |v: &Value| match v {
        Value::Int(_) | Value::Float(_) => "number",
        other => other.type_name(),
    };
    match (old, new) {
        (Some(Value::Null), _) | (_, Some(Value::Null)) | (None, _) | (_, None) => false,
        (Some(a), Some(b)) => kind(a) != kind(b),
    }
}

/// Whether two key names are the same word: equal letters, one inside the other
/// (`nodeExporter`, `prometheus-node-exporter`; a plural's singular too: `logs`,
/// `accessLog`), or a near spelling.
fn akin_keys(x: &str, y: &str) -> bool {
    let singular = |n: String| match n.strip_suffix('s') {
        Some(stem) if stem.len() >= 3 => stem.to_owned(),
        _ => n,
    };
    let (nx, ny) = (singular(normalise(x)), singular(normalise(y)));
    !nx.is_empty()
        && !ny.is_empty()
        && (nx == ny
            || (nx.len() >= 3 && ny.contains(&nx))
            || (ny.len() >= 3 && nx.contains(&ny))
            || did_you_mean(x, [y]).is_some())
}

fn last_key(path: &Path) -> Option<&str> {
    match path.last() {
        Some(Segment::Key(k)) => Some(k),
        _ => None,
    }
}

/// Whether the last keys of two paths are the same word.
fn same_last(x: &Path, y: &Path) -> bool {
    matches!((last_key(x), last_key(y)), (Some(a), Some(b)) if akin_keys(a, b))
}

/// Whether a vanished mapping and a new one have related names: for two top-level keys,
/// the same word; otherwise some key of one path is a word of the other, the two last keys
/// aside unless the old one is a top-level key (every `a.image` is like every other
/// `b.image`, but a top-level `persistence` that now sits at `primary.persistence` moved).
fn akin(old: &Path, new: &Path) -> bool {
    let keys = |p: &Path| -> Vec<String> {
        p.segments()
            .iter()
            .filter_map(|s| match s {
                Segment::Key(k) => Some(k.clone()),
                _ => None,
            })
            .collect()
    };
    let (a, b) = (keys(old), keys(new));
    if a.len() == 1 && b.len() == 1 {
        return akin_keys(&a[0], &b[0]);
    }
    for (i, x) in a.iter().enumerate() {
        for (j, y) in b.iter().enumerate() {
            if i + 1 == a.len() && j + 1 == b.len() && a.len() > 1 {
                continue;
            }
            if akin_keys(x, y) {
                return true;
            }
        }
    }
    false
}

/// The leaf paths of a value, relative and dotted (lists and empty mappings are leaves).
fn leaves_of(value: &Value) -> HashSet<String> {
    fn walk(value: &Value, prefix: &str, out: &mut HashSet<String>) {
        match value {
            Value::Mapping(map) if !map.is_empty() && out.len() < 2000 => {
                for (key, child) in map.iter() {
                    let next = if prefix.is_empty() {
                        key.clone()
                    } else {
                        format!("{prefix}.{key}")
                    };
                    walk(child, &next, out);
                }
            }
            _ => {
                out.insert(prefix.to_owned());
            }
        }
    }
    let mut out = HashSet::new();
    walk(value, "", &mut out);
    out
}

/// A key's letters, lower case, without `-`, `_` and `.`.
fn normalise(key: &str) -> String {
    key.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a default is rare enough that meeting it again means something.
fn distinctive(value: &Value) -> bool {
    match value {
        Value::String(s) => s.chars().count() >= 6 && !s.contains("{{"),
        Value::Int(i) => i.unsigned_abs() >= 100,
        Value::Float(f) => f.abs() >= 100.0 && f.fract() != 0.0,
        _ => false,
    }
}

/// The normalised comment of the key of `path` in `doc`.
fn key_comment(doc: &Document, path: &Path) -> Option<String> {
    let (parent, Segment::Key(key)) = path.split_last()? else {
        return None;
    };
    let parent = doc.resolve(doc.get(&parent)?);
    let entry = doc.entries(parent)?.iter().find(|e| e.key_text == *key)?;
    comment_above(doc, entry.key)
}

/// The comment lines right above a key (its description), normalised: `#`, helm-docs `--`
/// and bitnami's `@param <path>` dropped, lower case, spaces collapsed; none under 20
/// characters, which say too little to match on.
fn comment_above(doc: &Document, key: NodeId) -> Option<String> {
    let line = doc.node_location(key).line.checked_sub(1)?;
    let mut lines = Vec::new();
    let mut at = line;
    while at > 0 && doc.is_comment_line(at - 1) && lines.len() < 8 {
        at -= 1;
        let range = doc.lines().line_range(doc.source(), at);
        lines.push(doc.source()[range].trim().to_owned());
    }
    lines.reverse();
    let mut words = Vec::new();
    for line in &lines {
        let text = line.trim_start_matches('#').trim();
        let text = text.strip_prefix("--").unwrap_or(text).trim();
        let mut parts = text.split_whitespace();
        let mut first = parts.next();
        if first == Some("@param") {
            parts.next();
            first = parts.next();
        }
        words.extend(first.into_iter().chain(parts).map(str::to_lowercase));
    }
    let text = words.join(" ");
    (text.chars().count() >= 20).then_some(text)
}
