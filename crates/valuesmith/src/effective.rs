//! Effective values: what a chart's templates see as `.Values` for a set of `-f` files and
//! `--set` flags, computed the way Helm computes it, and where each value came from.
//!
//! This module owns Helm's value pipeline (docs/effective.md):
//!
//! 1. the `-f` files merge in order (mappings merge, anything else replaces; a `null` is kept
//!    so it can delete a chart default later);
//! 2. every `--set` flag, then every `--set-string` flag, is applied in Helm's `strvals`
//!    syntax (the module `strvals`);
//! 3. the chart's dependencies are resolved: aliases rename a subchart, `tags` and `condition`
//!    disable one, evaluated on the values coalesced with every subchart enabled; then each
//!    chart's `import-values` copy subchart values into its defaults;
//! 4. the user's values coalesce over the chart's defaults: mappings merge, lists and scalars
//!    replace, a `null` deletes the default it meets, a type clash keeps the user's value (with
//!    a [`Warning`]); each enabled subchart's defaults coalesce under its name or alias, with
//!    the parent's `global` copied down.
//!
//! Every value keeps its [`Source`]: the `-f` file's line, the chart default's line, or the
//! `--set` flag. [`Effective::to_helm_json`] prints exactly what `helm template` prints for
//! `{{ toJson .Values }}`. Helm 3 and Helm 4 differ in one rule (a nested `null` over a default
//! that is `null` too: Helm 3 deletes the key, Helm 4 keeps it), chosen by [`HelmVersion`].

mod coalesce;
mod report;
mod strvals;

use coalesce::{coalesce, enabled_view, merge_maps, raw_view, Clash, Ctx};
#[cfg(test)]
mod tests;

pub(crate) use report::sorted;
pub use report::{explain, render, Format};

use std::collections::HashSet;

use crate::chart::{Chart, Dependency};
use crate::diagnostic::{Diagnostic, Location, ToDiagnostic};
use crate::document::Document;
use crate::path::{Path, Segment};
use crate::value::{Mapping, Value};

/// Which Helm's rules to follow where Helm 3 and Helm 4 differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum HelmVersion {
    /// Helm 3 (3.17): a nested `null` deletes its key whenever the defaults have the key,
    /// even as `null`.
    V3,
    /// Helm 4 (4.1): a nested `null` over a default that is `null` itself is kept.
    #[default]
    V4,
}

/// Whether a flag is `--set` (typed values) or `--set-string` (strings only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SetKind {
    /// `--set`: `true`, `false`, `null` and plain integers are typed, the rest are strings.
    Set,
    /// `--set-string`: every value is a string.
    SetString,
    /// `--set-json`: every value is JSON (`a={"b":1}`; Helm 4 also takes a whole JSON
    /// object, `{"a":{"b":1}}`, merged over the values).
    SetJson,
    /// `--set-file`: every value is a file's path, and the file's text is the value.
    SetFile,
    /// `--set-literal`: the text after the first `=` is the value, as it is.
    SetLiteral,
}

impl SetKind {
    /// The flag as written on Helm's command line.
    pub fn flag(self) -> &'static str {
        match self {
            SetKind::Set => "--set",
            SetKind::SetString => "--set-string",
            SetKind::SetJson => "--set-json",
            SetKind::SetFile => "--set-file",
            SetKind::SetLiteral => "--set-literal",
        }
    }

    /// Helm applies the flags kind by kind in this order (each kind in command-line order):
    /// `--set-json`, `--set`, `--set-string`, `--set-file`, `--set-literal`.
    pub const HELM_ORDER: [SetKind; 5] = [
        SetKind::SetJson,
        SetKind::Set,
        SetKind::SetString,
        SetKind::SetFile,
        SetKind::SetLiteral,
    ];

    fn mode(self) -> strvals::Mode {
        match self {
            SetKind::Set => strvals::Mode::Typed,
            SetKind::SetString => strvals::Mode::String,
            SetKind::SetJson => strvals::Mode::Json,
            SetKind::SetFile => strvals::Mode::File,
            SetKind::SetLiteral => strvals::Mode::Literal,
        }
    }
}

/// One `--set`-style flag (`--set`, `--set-string`, `--set-json`, `--set-file`,
/// `--set-literal`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetFlag {
    /// Which flag.
    pub kind: SetKind,
    /// Its argument, `a.b=c,d={x,y}`.
    pub text: String,
}

/// What the effective values are computed from. Build it from `Default` and the `with_`
/// setters (`Inputs::default().with_files(&files)`): fields may be added.
#[derive(Debug, Clone, Copy, Default)]
#[non_exhaustive]
pub struct Inputs<'a> {
    /// The chart, or none: then the values are the user's alone, as for a chart without
    /// defaults.
    pub chart: Option<&'a Chart>,
    /// The `-f` files in order, each with its name as shown.
    pub files: &'a [(String, Document)],
    /// The `--set`-style flags, in command-line order (Helm applies them kind by kind, in
    /// [`SetKind::HELM_ORDER`], and so does this). A `--set-file` path is read relative to
    /// the current folder; `-` reads standard input, as Helm does; a URL (Helm downloads
    /// `http`, `https` and `oci` ones) is refused.
    pub sets: &'a [SetFlag],
    /// Whose rules.
    pub helm: HelmVersion,
}

impl<'a> Inputs<'a> {
    /// With the chart whose defaults the files are coalesced over (or none).
    #[must_use]
    pub fn with_chart(mut self, chart: Option<&'a Chart>) -> Self {
        self.chart = chart;
        self
    }

    /// With the `-f` files, in order, each with its name as shown.
    #[must_use]
    pub fn with_files(mut self, files: &'a [(String, Document)]) -> Self {
        self.files = files;
        self
    }

    /// With the `--set`-style flags, in command-line order.
    #[must_use]
    pub fn with_sets(mut self, sets: &'a [SetFlag]) -> Self {
        self.sets = sets;
        self
    }

    /// Following this Helm version's rules.
    #[must_use]
    pub fn with_helm(mut self, helm: HelmVersion) -> Self {
        self.helm = helm;
        self
    }
}

/// Why the effective values could not be computed (Helm would refuse too).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EffectiveError {
    /// A `--set`-style flag whose syntax Helm refuses, or a `--set-file` path that cannot be
    /// read.
    #[error("{flag} {text}: {reason}")]
    SetSyntax {
        /// `--set`, `--set-string`, `--set-json`, `--set-file` or `--set-literal`.
        flag: &'static str,
        /// The flag's argument.
        text: String,
        /// What is wrong.
        reason: String,
        /// 1-based character position in `text`.
        column: usize,
    },
    /// The values under a subchart's key are not a mapping.
    #[error("the values of the subchart `{key}` are a {found}, not a mapping (Helm stops here)")]
    SubchartNotMapping {
        /// The subchart's key (name or alias).
        key: String,
        /// What they are.
        found: &'static str,
        /// Where they were set.
        set_at: Box<Source>,
    },
}

impl ToDiagnostic for EffectiveError {
    fn to_diagnostic(&self) -> Diagnostic {
        match self {
            EffectiveError::SetSyntax {
                flag, text, column, ..
            } => {
                let hint = if *flag == "--set-file" && self.to_string().contains(" URL: ") {
                    "download the file (curl -o FILE URL) and give --set-file its path"
                } else if *flag == "--set-file" && self.to_string().contains("cannot read `") {
                    "a --set-file value is the path of a file, read from the current folder"
                } else if *flag == "--set-json" && text.trim_start().starts_with('{') {
                    "a whole JSON object is Helm 4's form of --set-json; Helm 3 takes key=JSON"
                } else {
                    "Helm's syntax: a.b=c, list={x,y}, list[0].key=c; escape a literal `.`, `,` \
                     or `=` with a backslash"
                };
                let mut d = Diagnostic::error(self.to_string()).with_hint(hint);
                d.source_line = Some(format!("{flag} {text}"));
                d.location = Some(Location {
                    line: 1,
                    column: flag.chars().count() + 1 + column,
                });
                d
            }
            EffectiveError::SubchartNotMapping { set_at, .. } => {
                Diagnostic::error(format!("{self}; set at {set_at}"))
            }
        }
    }
}

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Source {
    /// A `-f` file.
    File {
        /// The file's name as given.
        file: String,
        /// Where the value is written.
        location: Location,
    },
    /// The defaults of the chart or of one of its subcharts.
    ChartDefault {
        /// The `values.yaml` as shown.
        file: String,
        /// Where the value is written (none for a subchart without a `values.yaml`).
        location: Option<Location>,
    },
    /// A `--set` or `--set-string` flag.
    Set {
        /// The flag as given: `--set image.tag=1.2`.
        flag: String,
    },
}

impl Source {
    /// Whether the value is the chart's (no `-f` file or flag set it).
    pub fn is_chart_default(&self) -> bool {
        matches!(self, Source::ChartDefault { .. })
    }

    /// The source as reports print it: a `--set` flag's secret assignments read
    /// `<redacted>` unless `show_secrets` (docs/secrets.md); files and chart defaults as
    /// [`Display`](std::fmt::Display) writes them.
    pub fn shown(&self, show_secrets: bool) -> String {
        match self {
            Source::Set { flag } if !show_secrets => match flag.split_once(' ') {
                Some((kind, text)) => format!("{kind} {}", crate::secrets::redact_set_flag(text)),
                None => flag.clone(),
            },
            source => source.to_string(),
        }
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::File { file, location } => {
                write!(f, "{file}:{}:{}", location.line, location.column)
            }
            Source::ChartDefault { file, location } => match location {
                Some(l) => write!(f, "{file}:{}:{} (chart default)", l.line, l.column),
                None => write!(f, "{file} (chart default)"),
            },
            Source::Set { flag } => f.write_str(flag),
        }
    }
}

/// One effective leaf: a scalar, or an empty mapping or list.
#[derive(Debug, Clone, PartialEq)]
pub struct Leaf {
    /// Where it is in the values.
    pub path: Path,
    /// Its value.
    pub value: Value,
    /// Where it came from.
    pub source: Source,
}

/// A chart default that a `null` deleted.
#[derive(Debug, Clone, PartialEq)]
pub struct Deletion {
    /// The deleted key.
    pub path: Path,
    /// Where the default was.
    pub default: Source,
    /// Where the `null` was.
    pub by: Source,
}

/// A type clash: the user's value replaced a default of another shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    /// Where.
    pub path: Path,
    /// What happened.
    pub message: String,
    /// Where the user's value was.
    pub source: Source,
}

/// A subchart whose values and schema take part.
#[derive(Debug, Clone, Copy)]
pub struct EnabledChart<'a> {
    /// The chart.
    pub chart: &'a Chart,
    /// Its values' path in the parent's values (`postgresql`, or `a.b` for a subchart of a
    /// subchart); the root for the parent chart itself.
    pub path: &'a Path,
}

/// The effective values, with where each came from.
#[derive(Debug)]
pub struct Effective<'a> {
    root: TMap,
    inputs: Inputs<'a>,
    charts: Vec<&'a Chart>,
    enabled: Vec<(Path, usize)>,
    disabled: Vec<(Path, String)>,
    deletions: Vec<(Path, Origin, Origin)>,
    warnings: Vec<(Path, String, Origin)>,
}

/// Where a node came from, cheaply: an index and a path; [`Effective`] turns it into a
/// [`Source`] with the line when asked.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Origin {
    File(usize, Path),
    Default(usize, Path),
    Set(usize),
}

/// A value tree in which every node remembers its origin.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    Null(Origin),
    Scalar(Value, Origin),
    Seq(Vec<Node>, Origin),
    Map(TMap, Origin),
}

/// A mapping of [`Node`]s in insertion order.
#[derive(Debug, Clone, Default)]
pub(crate) struct TMap {
    entries: Vec<(String, Node)>,
}

impl TMap {
    fn get(&self, key: &str) -> Option<&Node> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        self.entries
            .iter_mut()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    fn insert(&mut self, key: String, value: Node) {
        match self.get_mut(&key) {
            Some(slot) => *slot = value,
            None => self.entries.push((key, value)),
        }
    }

    fn remove(&mut self, key: &str) -> Option<Node> {
        let at = self.entries.iter().position(|(k, _)| k == key)?;
        Some(self.entries.remove(at).1)
    }

    fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl Node {
    fn origin(&self) -> &Origin {
        match self {
            Node::Null(o) | Node::Scalar(_, o) | Node::Seq(_, o) | Node::Map(_, o) => o,
        }
    }

    fn is_null(&self) -> bool {
        matches!(self, Node::Null(_))
    }

    fn is_map(&self) -> bool {
        matches!(self, Node::Map(..))
    }

    /// `a string`, `a list`... for messages.
    fn describe(&self) -> String {
        match self {
            Node::Null(_) => "null".to_owned(),
            Node::Scalar(v, _) => format!("a {}", v.type_name()),
            Node::Seq(..) => "a list".to_owned(),
            Node::Map(..) => "a mapping".to_owned(),
        }
    }

    /// The tree of `value` with every node's origin made by `origin` from its path.
    fn from_value(value: &Value, path: &Path, origin: &dyn Fn(&Path) -> Origin) -> Node {
        match value {
            Value::Null => Node::Null(origin(path)),
            Value::Sequence(items) => Node::Seq(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| Node::from_value(item, &path.index(i), origin))
                    .collect(),
                origin(path),
            ),
            Value::Mapping(map) => Node::Map(
                TMap {
                    entries: map
                        .iter()
                        .map(|(k, v)| {
                            (k.clone(), Node::from_value(v, &path.key(k.clone()), origin))
                        })
                        .collect(),
                },
                origin(path),
            ),
            scalar => Node::Scalar(scalar.clone(), origin(path)),
        }
    }

    fn to_value(&self) -> Value {
        match self {
            Node::Null(_) => Value::Null,
            Node::Scalar(v, _) => v.clone(),
            Node::Seq(items, _) => Value::Sequence(items.iter().map(Node::to_value).collect()),
            Node::Map(map, _) => Value::Mapping(map_value(map)),
        }
    }
}

fn map_value(map: &TMap) -> Mapping {
    map.entries
        .iter()
        .map(|(k, v)| (k.clone(), v.to_value()))
        .collect()
}

/// A chart as Helm holds it while it coalesces: named by its alias, with the subcharts that
/// are enabled.
struct View<'a> {
    chart: &'a Chart,
    id: usize,
    name: String,
    deps: Vec<View<'a>>,
    /// What its dependencies' `import-values` add under its defaults (theirs win).
    imports: TMap,
}

/// Computes the effective values.
pub fn effective<'a>(inputs: Inputs<'a>) -> Result<Effective<'a>, EffectiveError> {
    let mut user = TMap::default();
    for (index, (_, document)) in inputs.files.iter().enumerate() {
        let node = Node::from_value(document.value(), &Path::root(), &|p| {
            Origin::File(index, p.clone())
        });
        if let Node::Map(map, _) = node {
            merge_maps(&mut user, map);
        }
    }
    let ordered = SetKind::HELM_ORDER.iter().flat_map(|kind| {
        inputs
            .sets
            .iter()
            .enumerate()
            .filter(move |(_, s)| s.kind == *kind)
    });
    let stdin_read = std::cell::Cell::new(false);
    let read_file = |path: &str| strvals::read_set_file(path, &stdin_read);
    for (index, flag) in ordered {
        let syntax = |reason: String, offset: usize| EffectiveError::SetSyntax {
            flag: flag.kind.flag(),
            text: flag.text.clone(),
            reason,
            column: offset + 1,
        };
        let trimmed = flag.text.trim();
        if flag.kind == SetKind::SetJson
            && inputs.helm == HelmVersion::V4
            && trimmed.starts_with('{')
        {
            // Helm 4 takes a whole JSON object and merges it over the values.
            let object: serde_json::Map<String, serde_json::Value> = serde_json::from_str(trimmed)
                .map_err(|err| syntax(format!("invalid JSON object: {err}"), 0))?;
            let node = strvals::json_node(&serde_json::Value::Object(object), &Origin::Set(index));
            if let Node::Map(map, _) = node {
                merge_maps(&mut user, map);
            }
            continue;
        }
        strvals::apply(
            &flag.text,
            flag.kind.mode(),
            Origin::Set(index),
            &mut user,
            &read_file,
        )
        .map_err(|err| syntax(err.reason, err.offset))?;
    }

    let mut out = Effective {
        root: TMap::default(),
        inputs,
        charts: Vec::new(),
        enabled: Vec::new(),
        disabled: Vec::new(),
        deletions: Vec::new(),
        warnings: Vec::new(),
    };
    let Some(chart) = inputs.chart else {
        out.root = user;
        return Ok(out);
    };
    let mut ctx = Ctx {
        helm: inputs.helm,
        record: false,
        deletions: Vec::new(),
        warnings: Vec::new(),
    };
    // Register every chart so that origins can name them by index.
    fn register<'a>(chart: &'a Chart, charts: &mut Vec<&'a Chart>) {
        charts.push(chart);
        for sub in chart.subcharts() {
            register(sub, charts);
        }
    }
    register(chart, &mut out.charts);
    let raw = raw_view(chart, chart.name().to_owned(), &out.charts);
    let clash = |out: &Effective<'_>, clash: Clash| EffectiveError::SubchartNotMapping {
        key: clash.key,
        found: clash.found,
        set_at: Box::new(out.source(&clash.origin)),
    };
    let view = match enabled_view(&mut ctx, raw, &user, "", &mut out.disabled) {
        Ok(view) => view,
        Err(err) => return Err(clash(&out, err)),
    };
    let view = match coalesce::import_values(&mut ctx, view) {
        Ok(view) => view,
        Err(err) => return Err(clash(&out, err)),
    };
    ctx.record = true;
    let mut values = user;
    if let Err(err) = coalesce(&mut ctx, &view, &mut values, &Path::root()) {
        return Err(clash(&out, err));
    }
    fn list_enabled(view: &View<'_>, path: &Path, out: &mut Vec<(Path, usize)>) {
        out.push((path.clone(), view.id));
        for dep in &view.deps {
            list_enabled(dep, &path.key(dep.name.clone()), out);
        }
    }
    list_enabled(&view, &Path::root(), &mut out.enabled);
    out.root = values;
    out.deletions = ctx.deletions;
    out.warnings = ctx.warnings;
    Ok(out)
}

impl<'a> Effective<'a> {
    /// The effective values (key order: the user's first, then the defaults they lack).
    pub fn value(&self) -> Value {
        Value::Mapping(map_value(&self.root))
    }

    /// The JSON that `helm template` prints for `{{ toJson .Values }}`: keys sorted, numbers
    /// from files as Go prints a float64, HTML characters escaped as Go escapes them.
    pub fn to_helm_json(&self) -> String {
        let mut out = String::new();
        go_json_map(&self.root, &mut out);
        out
    }

    /// The value at `path` (a value that is the chart's or the user's).
    pub fn get(&self, path: &Path) -> Option<Value> {
        self.node(path).map(Node::to_value)
    }

    fn node(&self, path: &Path) -> Option<&Node> {
        let mut map = &self.root;
        let mut node: Option<&Node> = None;
        for segment in path.segments() {
            let next = match (node, segment) {
                (None, Segment::Key(k)) => map.get(k),
                (Some(Node::Map(m, _)), Segment::Key(k)) => m.get(k),
                (Some(Node::Seq(items, _)), Segment::Index(i)) => items.get(*i),
                _ => None,
            }?;
            if let Node::Map(m, _) = next {
                map = m;
            }
            node = Some(next);
        }
        node
    }

    /// Where the value at `path` came from; for a path that has no value, where its nearest
    /// ancestor that has one came from (`None` for the root).
    pub fn source_at(&self, path: &Path) -> Option<Source> {
        let segments = path.segments();
        for len in (1..=segments.len()).rev() {
            let prefix = Path::from_segments(segments[..len].to_vec());
            if let Some(node) = self.node(&prefix) {
                return Some(self.source(node.origin()));
            }
        }
        None
    }

    /// Every effective leaf (scalars, empty mappings and lists) in key order, with its source.
    pub fn leaves(&self) -> Vec<Leaf> {
        let mut leaves = Vec::new();
        self.collect_leaves_map(&self.root, &Path::root(), &mut leaves);
        leaves
    }

    fn collect_leaves_map(&self, map: &TMap, path: &Path, out: &mut Vec<Leaf>) {
        let mut keys: Vec<&(String, Node)> = map.entries.iter().collect();
        keys.sort_by(|a, b| a.0.cmp(&b.0));
        for (key, node) in keys {
            self.collect_leaves(node, &path.key(key.clone()), out);
        }
    }

    fn collect_leaves(&self, node: &Node, path: &Path, out: &mut Vec<Leaf>) {
        match node {
            Node::Map(map, _) if !map.is_empty() => self.collect_leaves_map(map, path, out),
            Node::Seq(items, _) if !items.is_empty() => {
                for (i, item) in items.iter().enumerate() {
                    self.collect_leaves(item, &path.index(i), out);
                }
            }
            _ => out.push(Leaf {
                path: path.clone(),
                value: node.to_value(),
                source: self.source(node.origin()),
            }),
        }
    }

    /// The chart defaults that a `null` deleted, in the order met.
    pub fn deletions(&self) -> Vec<Deletion> {
        self.deletions
            .iter()
            .map(|(path, default, by)| Deletion {
                path: path.clone(),
                default: self.source(default),
                by: self.source(by),
            })
            .collect()
    }

    /// The type clashes, in the order met.
    pub fn warnings(&self) -> Vec<Warning> {
        self.warnings
            .iter()
            .map(|(path, message, origin)| Warning {
                path: path.clone(),
                message: message.clone(),
                source: self.source(origin),
            })
            .collect()
    }

    /// The chart and every enabled subchart, each with its values' path, parent first.
    pub fn enabled_charts(&self) -> Vec<EnabledChart<'_>> {
        self.enabled
            .iter()
            .map(|(path, id)| EnabledChart {
                chart: self.charts[*id],
                path,
            })
            .collect()
    }

    /// The subcharts that `tags` or a `condition` disabled: their values' path and name.
    pub fn disabled_charts(&self) -> &[(Path, String)] {
        &self.disabled
    }

    fn source(&self, origin: &Origin) -> Source {
        match origin {
            Origin::File(index, path) => {
                let (name, document) = &self.inputs.files[*index];
                Source::File {
                    file: name.clone(),
                    location: locate(document, path),
                }
            }
            Origin::Default(id, path) => {
                let chart = self.charts[*id];
                Source::ChartDefault {
                    file: chart.values_file().to_owned(),
                    location: chart.values_document().map(|doc| locate(doc, path)),
                }
            }
            Origin::Set(index) => {
                let flag = &self.inputs.sets[*index];
                Source::Set {
                    flag: format!("{} {}", flag.kind.flag(), flag.text),
                }
            }
        }
    }
}

/// Where `path` is written in `document`: the value itself, else the nearest ancestor that is
/// written there (a key that came through an alias or merge key).
fn locate(document: &Document, path: &Path) -> Location {
    let segments = path.segments();
    for len in (0..=segments.len()).rev() {
        let prefix = Path::from_segments(segments[..len].to_vec());
        if let Some(id) = document.get(&prefix) {
            let id = document.resolve(id);
            // A value that is empty (`key:`) is best shown at its key.
            if document.node(id).span.is_empty() && len > 0 {
                let parent = Path::from_segments(segments[..len - 1].to_vec());
                if let Some(parent_id) = document.get(&parent) {
                    let parent_id = document.resolve(parent_id);
                    if let Some(entry) = document.entry_of(parent_id, id) {
                        return document.node_location(entry.key);
                    }
                }
            }
            return document.node_location(id);
        }
    }
    Location { line: 1, column: 1 }
}

fn go_json_map(map: &TMap, out: &mut String) {
    let mut entries: Vec<&(String, Node)> = map.entries.iter().collect();
    entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    out.push('{');
    for (i, (key, node)) in entries.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        crate::value::helm::go_json_string(key, out);
        out.push(':');
        go_json(node, out);
    }
    out.push('}');
}

fn go_json(node: &Node, out: &mut String) {
    match node {
        Node::Null(_) => out.push_str("null"),
        Node::Map(map, _) => go_json_map(map, out),
        Node::Seq(items, _) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                go_json(item, out);
            }
            out.push(']');
        }
        Node::Scalar(value, origin) => match value {
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            // `--set` integers are Go int64s; everything read from YAML went through JSON
            // and is a float64.
            Value::Int(i) if matches!(origin, Origin::Set(_)) => out.push_str(&i.to_string()),
            Value::Int(i) => out.push_str(&go_float(*i as f64)),
            Value::Float(f) => out.push_str(&go_float(*f)),
            Value::String(s) => crate::value::helm::go_json_string(s, out),
            other => go_json(
                &Node::from_value(other, &Path::root(), &|_| origin.clone()),
                out,
            ),
        },
    }
}

/// Go's `encoding/json` float64, as the Helm reading writes it.
fn go_float(f: f64) -> String {
    if !f.is_finite() {
        // Go's encoder refuses these, and sprig's toJson then prints nothing for the whole
        // value; a string here at least shows where the problem is.
        return format!("\"{f}\"");
    }
    crate::value::helm::go_json_float(f)
}
