//! Release catalogs: the vendor's list of releases, their chart versions, rules and required values.
//!
//! A catalog is read from one YAML file (`releases.yml`) or from a folder of `*.yml` / `*.yaml`
//! files whose releases are merged ([`Catalog::load`]). It is found by `--catalog PATH`, else
//! `$VALUESMITH_CATALOG`, else `releases.yml` or `releases/` in the values file's folder or any
//! parent folder ([`Catalog::find`], [`Catalog::discover`]).
//!
//! Reading is strict: unknown fields, unknown rule kinds, rules with missing or extra fields,
//! unparsable versions, paths and `upgrade_from` requirements, and duplicate releases are all
//! errors, and every error names `file:line:col`. Positions come from serde-saphyr's spans, so
//! semantic checks made after deserialising still point at the offending text. The format is
//! described for users in `docs/catalog.md`.

use std::ffi::OsString;
use std::fmt;
use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::Deserialize as DeriveDeserialize;
use serde_saphyr::{MessageFormatter as _, Spanned};

use crate::diagnostic::did_you_mean;

use crate::diagnostic::{Diagnostic, Location, ToDiagnostic};
use crate::path::{Path, PathError, Segment};
use crate::value::{Mapping, Value};
use crate::version::{parse_values_file_name, ValuesFileName, Version, VersionReq};

/// The environment variable that names a catalog when `--catalog` is not given.
pub const CATALOG_ENV_VAR: &str = "VALUESMITH_CATALOG";

/// Where the format is documented, for hints.
const FORMAT_DOC: &str = "see docs/catalog.md for the catalog format";

/// A place in a catalog file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SourcePos {
    /// The file's name as shown to the user (the path as given or found).
    pub file: Arc<str>,
    /// 1-based line and column.
    pub location: Location,
}

impl fmt::Display for SourcePos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}",
            self.file, self.location.line, self.location.column
        )
    }
}

/// Which boundaries an upgrade may not jump over (`policy.sequential`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Sequential {
    /// Any release may be reached straight, as far as `upgrade_from` allows.
    None,
    /// A release that starts a new `major.minor` series may not be jumped over.
    #[default]
    Minor,
    /// A release that starts a new major version may not be jumped over.
    Major,
}

impl Sequential {
    /// `none`, `minor` or `major`.
    pub fn as_str(self) -> &'static str {
        match self {
            Sequential::None => "none",
            Sequential::Minor => "minor",
            Sequential::Major => "major",
        }
    }

    /// The series `version` belongs to under this policy: two versions with different keys lie
    /// across a boundary. `None` for [`Sequential::None`], which has no boundaries.
    pub fn series(self, version: &Version) -> Option<(u64, u64)> {
        match self {
            Sequential::None => None,
            Sequential::Minor => Some(version.minor_series()),
            Sequential::Major => Some((version.major(), 0)),
        }
    }

    /// How a series key is written in messages: `2024.12` or `2`.
    pub fn series_text(self, series: (u64, u64)) -> String {
        match self {
            Sequential::Major => series.0.to_string(),
            _ => format!("{}.{}", series.0, series.1),
        }
    }
}

/// The catalog's `policy` section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Policy {
    /// `policy.sequential` (default `minor`).
    pub sequential: Sequential,
}

/// One `--set` flag of every printed `helm upgrade` (`commands.set`).
#[derive(Debug, Clone, PartialEq)]
pub struct SetFlag {
    /// The values path (keys and positions only: helm's `--set` has no identity syntax).
    pub path: Path,
    /// A scalar.
    pub value: Value,
}

/// The catalog's `commands` section: what shapes the commands that `plan` prints.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Commands {
    /// `--set` flags of every `helm upgrade`, in catalog order.
    pub set: Vec<SetFlag>,
    /// The values path toggled `true`/`false` around a data upgrade.
    pub upgrade_mode: Option<Path>,
    /// The `apiVersion` of the `DataUpgrade` resource.
    pub data_upgrade_api: Option<String>,
}

/// A migration rule of a release, applied in order before the release's required values.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// What the rule does.
    pub kind: RuleKind,
    /// Why, shown wherever its change is reported.
    pub reason: Option<String>,
    /// Where the rule is written (its first key), for reports that name the rule.
    pub at: SourcePos,
}

/// What a [`Rule`] does (docs/catalog.md).
#[derive(Debug, Clone, PartialEq)]
pub enum RuleKind {
    /// `set: P`, `value: V`: P becomes V, creating missing parents.
    Set {
        /// P.
        path: Path,
        /// V.
        value: Value,
    },
    /// `add: P`, `value: V`: P becomes V only if P is absent.
    Add {
        /// P.
        path: Path,
        /// V.
        value: Value,
    },
    /// `remove: P`: P and what it holds are deleted. A list or mapping the removal leaves
    /// empty goes too (so the chart's default applies, as Helm merges), unless
    /// `keep_empty: true`.
    Remove {
        /// P.
        path: Path,
        /// `keep_empty: true`: an emptied list or mapping stays, as `[]` or `{}`.
        keep_empty: bool,
    },
    /// `rename: P`, `to: Q`: P's value moves to Q.
    Rename {
        /// P.
        from: Path,
        /// Q.
        to: Path,
    },
    /// `replace: P`, `from: A`, `value: V`: P becomes V only if it equals A.
    Replace {
        /// P.
        path: Path,
        /// A, the old default.
        from: Value,
        /// V.
        value: Value,
    },
    /// `require: P`: the user must supply P (present and not a placeholder).
    Require {
        /// P.
        path: Path,
    },
    /// `warn: TEXT`: TEXT is reported.
    Warn {
        /// TEXT.
        text: String,
    },
}

impl RuleKind {
    /// The rule's key: `set`, `add`, `remove`, `rename`, `replace`, `require` or `warn`.
    pub fn name(&self) -> &'static str {
        match self {
            RuleKind::Set { .. } => "set",
            RuleKind::Add { .. } => "add",
            RuleKind::Remove { .. } => "remove",
            RuleKind::Rename { .. } => "rename",
            RuleKind::Replace { .. } => "replace",
            RuleKind::Require { .. } => "require",
            RuleKind::Warn { .. } => "warn",
        }
    }

    /// The path the rule is about (for `rename`, the old one); `None` for `warn`.
    pub fn path(&self) -> Option<&Path> {
        match self {
            RuleKind::Set { path, .. }
            | RuleKind::Add { path, .. }
            | RuleKind::Remove { path, .. }
            | RuleKind::Replace { path, .. }
            | RuleKind::Require { path } => Some(path),
            RuleKind::Rename { from, .. } => Some(from),
            RuleKind::Warn { .. } => None,
        }
    }
}

/// The rule keys, in the order the docs list them.
pub const RULE_KINDS: &[&str] = &[
    "set", "add", "remove", "rename", "replace", "require", "warn",
];

/// Where the parts of a release are written, for messages that point into the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseOrigin {
    /// The release entry (its first key).
    pub entry: SourcePos,
    /// Its `version`.
    pub version: SourcePos,
    /// Its `upgrade_from`, when written.
    pub upgrade_from: Option<SourcePos>,
    /// Its `data_upgrade`, when written.
    pub data_upgrade: Option<SourcePos>,
}

/// One release of a catalog.
#[derive(Debug, Clone, PartialEq)]
pub struct Release {
    /// The release version, as written in the catalog.
    pub version: Version,
    /// The helm chart version that deploys it.
    pub chart_version: String,
    /// Which releases may upgrade straight to it; `None`: any earlier one (as far as the policy
    /// allows).
    pub upgrade_from: Option<VersionReq>,
    /// The `DataUpgrade` label (`spec.toVersion`) when the release needs the two-phase flow.
    pub data_upgrade: Option<String>,
    /// Free text shown with the step that deploys it.
    pub notes: Option<String>,
    /// The values the release requires, merged into the file after the rules.
    pub values: Mapping,
    /// The migration rules, in order.
    pub migrate: Vec<Rule>,
    /// Where its parts are written.
    pub origin: ReleaseOrigin,
}

impl Release {
    /// The paths of its `require` rules, in order.
    pub fn required_inputs(&self) -> impl Iterator<Item = &Path> {
        self.migrate.iter().filter_map(|rule| match &rule.kind {
            RuleKind::Require { path } => Some(path),
            _ => None,
        })
    }
}

/// A release catalog (docs/catalog.md).
#[derive(Debug, Clone)]
pub struct Catalog {
    /// The product's name, used in messages.
    pub product: String,
    /// The chart reference for the printed helm commands (`cluedin/cluedin-platform`).
    pub chart: String,
    /// The helm release name (default: `product`).
    pub release_name: String,
    /// The helm namespace (default: `release_name`).
    pub namespace: String,
    /// Where a values file states its release.
    pub version_path: Option<Path>,
    /// Extra identity keys for sequences, tried before `name`, `id` and `key`.
    pub identity_keys: Vec<String>,
    /// The `policy` section.
    pub policy: Policy,
    /// The `commands` section.
    pub commands: Commands,
    releases: Vec<Release>,
    sources: Vec<Source>,
}

/// A catalog file as read, kept for the source lines of messages.
#[derive(Debug, Clone)]
struct Source {
    name: Arc<str>,
    text: String,
}

/// What kind of problem a [`CatalogError::Invalid`] is, for callers and tests that branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CatalogErrorKind {
    /// YAML that does not parse, or a value of the wrong type.
    Syntax,
    /// Not UTF-8, or UTF-16.
    Encoding,
    /// A file with nothing but comments and whitespace.
    Empty,
    /// A field the catalog format does not have.
    UnknownField,
    /// A required field is absent.
    MissingField,
    /// A key written twice in one mapping.
    DuplicateKey,
    /// A field with a value it cannot have.
    BadValue,
    /// A release version that does not parse.
    BadVersion,
    /// The same release listed twice.
    DuplicateRelease,
    /// An `upgrade_from` that does not parse or admits nothing.
    BadUpgradeFrom,
    /// A path that does not parse or cannot be used where it is.
    BadPath,
    /// A rule of an unknown kind, with missing or extra fields, or that cannot make sense.
    BadRule,
    /// Files of a catalog folder that disagree on a top-level field.
    Conflict,
    /// A catalog without releases.
    NoReleases,
}

/// A catalog that could not be found, read or understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogError {
    /// A catalog file or folder that could not be read or found.
    #[error("{path}: {message}")]
    Read {
        /// The path as given or found.
        path: String,
        /// What went wrong.
        message: String,
        /// What to do about it.
        hint: Option<String>,
    },
    /// A catalog file whose content is wrong, at a position.
    #[error("{file}:{}:{}: {message}", .location.line, .location.column)]
    Invalid {
        /// What kind of problem.
        kind: CatalogErrorKind,
        /// The file's name as shown to the user.
        file: String,
        /// Where.
        location: Location,
        /// What is wrong.
        message: String,
        /// What to do about it.
        hint: Option<String>,
        /// The source line at `location`, for the caret snippet.
        source_line: Option<String>,
    },
}

impl CatalogError {
    /// The kind of an [`CatalogError::Invalid`]; `None` for a read error.
    pub fn kind(&self) -> Option<CatalogErrorKind> {
        match self {
            CatalogError::Invalid { kind, .. } => Some(*kind),
            CatalogError::Read { .. } => None,
        }
    }

    /// The message without the position.
    pub fn message(&self) -> &str {
        match self {
            CatalogError::Read { message, .. } | CatalogError::Invalid { message, .. } => message,
        }
    }

    /// The hint, if any.
    pub fn hint(&self) -> Option<&str> {
        match self {
            CatalogError::Read { hint, .. } | CatalogError::Invalid { hint, .. } => hint.as_deref(),
        }
    }
}

impl ToDiagnostic for CatalogError {
    fn to_diagnostic(&self) -> Diagnostic {
        match self {
            CatalogError::Read {
                path,
                message,
                hint,
            } => {
                let mut d = Diagnostic::error(format!("catalog {path}: {message}"));
                d.hint = hint.clone();
                d
            }
            CatalogError::Invalid {
                file,
                location,
                message,
                hint,
                source_line,
                ..
            } => {
                let mut d = Diagnostic::error(format!("bad catalog: {message}")).with_file(file);
                d.location = Some(*location);
                d.source_line = source_line.clone();
                d.hint = hint.clone();
                d
            }
        }
    }
}

/// How a catalog was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoundBy {
    /// `--catalog PATH`.
    Flag,
    /// `$VALUESMITH_CATALOG`.
    EnvVar,
    /// `releases.yml` or `releases/` in the start folder or a parent.
    Search,
}

/// A catalog's location, before reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogSource {
    /// The file or folder.
    pub path: PathBuf,
    /// How it was found.
    pub found_by: FoundBy,
}

impl Catalog {
    /// Reads a catalog from YAML text. `name` is the file name shown in messages.
    pub fn parse(text: &str, name: &str) -> Result<Catalog, CatalogError> {
        let source = Source {
            name: Arc::from(name),
            text: strip_bom(text).to_owned(),
        };
        let part = parse_part(&source)?;
        let first = Arc::clone(&source.name);
        assemble(vec![part], vec![source], &first)
    }

    /// Reads a catalog file, or a folder of `*.yml` / `*.yaml` files (not recursive, hidden
    /// files skipped) whose releases are merged. In a folder, a top-level field (`product`,
    /// `chart`, `policy`, `commands`...) may be written in any file, and in several only if
    /// they agree; releases may be spread over the files in any way, each listed once.
    pub fn load(path: &FsPath) -> Result<Catalog, CatalogError> {
        let shown = path.display().to_string();
        let metadata = std::fs::metadata(path).map_err(|err| read_error(&shown, &err))?;
        let files = if metadata.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|err| read_error(&shown, &err))?
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|p| {
                    let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
                    name.is_some_and(|n| {
                        !n.starts_with('.') && (n.ends_with(".yml") || n.ends_with(".yaml"))
                    }) && p.is_file()
                })
                .collect();
            files.sort();
            if files.is_empty() {
                return Err(CatalogError::Read {
                    path: shown,
                    message: "the catalog folder has no *.yml or *.yaml files".to_owned(),
                    hint: Some(
                        "put the catalog's files in it, or point at a releases.yml file".to_owned(),
                    ),
                });
            }
            files
        } else {
            vec![path.to_path_buf()]
        };
        let mut sources = Vec::with_capacity(files.len());
        for file in &files {
            let name = file.display().to_string();
            let bytes = std::fs::read(file).map_err(|err| read_error(&name, &err))?;
            sources.push(decode(&bytes, &name)?);
        }
        let parts = sources
            .iter()
            .map(parse_part)
            .collect::<Result<Vec<_>, _>>()?;
        let first = Arc::clone(&sources[0].name);
        assemble(parts, sources, &first)
    }

    /// Where the catalog is, without reading it: `explicit` (`--catalog`), else `env_var` (the
    /// value of `$VALUESMITH_CATALOG`, ignored when empty), else the first of `releases.yml`,
    /// `releases.yaml` and `releases/` in `start_dir` or its nearest parent folder that has
    /// one. `Ok(None)` when there is none; an error when `explicit` or `env_var` names
    /// nothing. Takes the environment variable as an argument so that tests never touch the
    /// process environment.
    pub fn find(
        explicit: Option<&FsPath>,
        env_var: Option<OsString>,
        start_dir: &FsPath,
    ) -> Result<Option<CatalogSource>, CatalogError> {
        if let Some(path) = explicit {
            return named_source(path, FoundBy::Flag, "--catalog");
        }
        if let Some(value) = env_var.filter(|v| !v.is_empty()) {
            let path = PathBuf::from(value);
            return named_source(&path, FoundBy::EnvVar, "$VALUESMITH_CATALOG");
        }
        let start = if start_dir.as_os_str().is_empty() {
            FsPath::new(".")
        } else {
            start_dir
        };
        // Walking up needs a real path: `..` and a relative start have no parents to offer.
        let absolute = std::fs::canonicalize(start)
            .or_else(|_| std::path::absolute(start))
            .map_err(|err| read_error(&start.display().to_string(), &err))?;
        let cwd = std::env::current_dir()
            .ok()
            .and_then(|d| std::fs::canonicalize(d).ok());
        for dir in absolute.ancestors() {
            for candidate in ["releases.yml", "releases.yaml", "releases"] {
                let path = dir.join(candidate);
                let found = if candidate == "releases" {
                    path.is_dir()
                } else {
                    path.is_file()
                };
                if found {
                    // Show a found catalog the way the user would type it from here.
                    let shown = match (&cwd, start.is_relative()) {
                        (Some(cwd), true) => path
                            .strip_prefix(cwd)
                            .map(FsPath::to_path_buf)
                            .unwrap_or(path),
                        _ => path,
                    };
                    return Ok(Some(CatalogSource {
                        path: shown,
                        found_by: FoundBy::Search,
                    }));
                }
            }
        }
        Ok(None)
    }

    /// [`Catalog::find`], then [`Catalog::load`].
    pub fn discover(
        explicit: Option<&FsPath>,
        env_var: Option<OsString>,
        start_dir: &FsPath,
    ) -> Result<Option<Catalog>, CatalogError> {
        match Catalog::find(explicit, env_var, start_dir)? {
            Some(source) => Catalog::load(&source.path).map(Some),
            None => Ok(None),
        }
    }

    /// The releases, oldest first.
    pub fn releases(&self) -> &[Release] {
        &self.releases
    }

    /// The release equal to `version` (numerically: `2024.12` finds `2024.12.00`).
    pub fn release(&self, version: &Version) -> Option<&Release> {
        self.index_of(version).map(|i| &self.releases[i])
    }

    /// The position of `version` in [`Catalog::releases`].
    pub fn index_of(&self, version: &Version) -> Option<usize> {
        self.releases
            .binary_search_by(|r| r.version.cmp(version))
            .ok()
    }

    /// The release versions, oldest first, as written: `2024.12.02, 2025.05.00`.
    pub fn versions_text(&self) -> String {
        self.releases
            .iter()
            .map(|r| r.version.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Reads a values file name with this catalog's releases settling an ambiguous split.
    pub fn values_file_name(&self, file_name: &str) -> Option<ValuesFileName> {
        parse_values_file_name(file_name, |v| self.index_of(v).is_some())
    }

    /// The catalog files read, in order.
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.sources.iter().map(|s| &*s.name)
    }

    /// The text of the source line at `pos`, for a caret snippet.
    pub fn source_line(&self, pos: &SourcePos) -> Option<String> {
        let source = self.sources.iter().find(|s| s.name == pos.file)?;
        line_text(&source.text, pos.location.line)
    }
}

fn named_source(
    path: &FsPath,
    found_by: FoundBy,
    via: &str,
) -> Result<Option<CatalogSource>, CatalogError> {
    if let Err(err) = std::fs::metadata(path) {
        let mut error = read_error(&path.display().to_string(), &err);
        if let CatalogError::Read { hint, .. } = &mut error {
            *hint = Some(format!(
                "{via} names the catalog: a releases.yml file or a folder of *.yml files"
            ));
        }
        return Err(error);
    }
    Ok(Some(CatalogSource {
        path: path.to_path_buf(),
        found_by,
    }))
}

fn read_error(path: &str, err: &std::io::Error) -> CatalogError {
    let message = crate::files::io_reason(err);
    CatalogError::Read {
        path: path.to_owned(),
        message,
        hint: None,
    }
}

fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

fn line_text(text: &str, line: usize) -> Option<String> {
    text.split('\n')
        .nth(line.checked_sub(1)?)
        .map(|l| l.trim_end_matches('\r').to_owned())
}

/// Bytes to text: UTF-8 with or without a BOM; UTF-16 and invalid UTF-8 are errors.
fn decode(bytes: &[u8], name: &str) -> Result<Source, CatalogError> {
    let invalid = |location: Location, message: &str, hint: &str| CatalogError::Invalid {
        kind: CatalogErrorKind::Encoding,
        file: name.to_owned(),
        location,
        message: message.to_owned(),
        hint: Some(hint.to_owned()),
        source_line: None,
    };
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(invalid(
            Location { line: 1, column: 1 },
            "the catalog file is UTF-16",
            "save it as UTF-8 (PowerShell: `Set-Content -Encoding utf8`)",
        ));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Source {
            name: Arc::from(name),
            text: strip_bom(text).to_owned(),
        }),
        Err(err) => {
            let valid = String::from_utf8_lossy(&bytes[..err.valid_up_to()]);
            let index = crate::diagnostic::LineIndex::new(&valid);
            let location = index.location(&valid, valid.len());
            Err(invalid(
                location,
                "the catalog file is not valid UTF-8",
                "save it as UTF-8",
            ))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Raw shapes, as deserialised with their spans.

#[derive(DeriveDeserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalog {
    product: Option<Spanned<String>>,
    chart: Option<Spanned<String>>,
    release_name: Option<Spanned<String>>,
    namespace: Option<Spanned<String>>,
    version_path: Option<Spanned<String>>,
    identity_keys: Option<Spanned<Vec<Spanned<String>>>>,
    policy: Option<Spanned<RawPolicy>>,
    commands: Option<Spanned<RawCommands>>,
    releases: Option<Spanned<Vec<Spanned<RawRelease>>>>,
}

#[derive(DeriveDeserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    sequential: Option<Spanned<String>>,
}

#[derive(DeriveDeserialize)]
#[serde(deny_unknown_fields)]
struct RawCommands {
    set: Option<Spanned<Entries>>,
    upgrade_mode: Option<Spanned<String>>,
    data_upgrade_api: Option<Spanned<String>>,
}

#[derive(DeriveDeserialize)]
#[serde(deny_unknown_fields)]
struct RawRelease {
    version: Spanned<String>,
    chart_version: Spanned<String>,
    upgrade_from: Option<Spanned<String>>,
    data_upgrade: Option<Spanned<Value>>,
    notes: Option<Spanned<String>>,
    values: Option<Spanned<Value>>,
    migrate: Option<Vec<Spanned<RawRule>>>,
}

/// A mapping kept as spanned entries (for `commands.set`, whose keys are paths).
struct Entries(Vec<(Spanned<String>, Spanned<Value>)>);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor;
        impl<'de> Visitor<'de> for EntriesVisitor {
            type Value = Entries;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping of paths to values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    entries.push((key, map.next_value()?));
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(EntriesVisitor)
    }
}

/// Rule fields whose value is text (a path, a message). Read as strings so that the text is
/// kept as written: a path `a.1.10` must not become the float `1.1`.
const TEXT_FIELDS: &[&str] = &[
    "set", "add", "remove", "rename", "replace", "require", "warn", "to", "reason",
];

enum RawField {
    Text(Spanned<String>),
    Value(Spanned<Value>),
}

impl RawField {
    fn at(&self) -> &serde_saphyr::Location {
        match self {
            RawField::Text(s) => &s.referenced,
            RawField::Value(s) => &s.referenced,
        }
    }
}

/// A rule as written: its entries in order. Checked by hand rather than by serde so that each
/// mistake (no kind, two kinds, a field of another kind) gets its own message and position.
struct RawRule(Vec<(Spanned<String>, RawField)>);

impl<'de> Deserialize<'de> for RawRule {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RuleVisitor;
        impl<'de> Visitor<'de> for RuleVisitor {
            type Value = RawRule;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a rule such as `remove: some.path`")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawRule, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    let field = if TEXT_FIELDS.contains(&key.value.as_str()) {
                        RawField::Text(map.next_value()?)
                    } else {
                        RawField::Value(map.next_value()?)
                    };
                    entries.push((key, field));
                }
                Ok(RawRule(entries))
            }
        }
        deserializer.deserialize_map(RuleVisitor)
    }
}

// ---------------------------------------------------------------------------------------------
// From raw shapes to the model.

/// A value with where it is written.
#[derive(Debug, Clone)]
struct Located<T> {
    value: T,
    at: SourcePos,
}

/// The top-level fields of one file.
#[derive(Default)]
struct Header {
    product: Option<Located<String>>,
    chart: Option<Located<String>>,
    release_name: Option<Located<String>>,
    namespace: Option<Located<String>>,
    version_path: Option<Located<Path>>,
    identity_keys: Option<Located<Vec<String>>>,
    policy: Option<Located<Policy>>,
    commands: Option<Located<Commands>>,
}

/// One file, read and checked on its own.
struct Part {
    header: Header,
    releases: Vec<Release>,
    /// Where the file states `releases:`, if it does.
    releases_at: Option<SourcePos>,
}

/// Builds errors for one source file.
struct Ctx<'a> {
    source: &'a Source,
}

impl Ctx<'_> {
    fn pos(&self, at: &serde_saphyr::Location) -> SourcePos {
        SourcePos {
            file: Arc::clone(&self.source.name),
            location: to_location(at),
        }
    }

    fn error(
        &self,
        kind: CatalogErrorKind,
        location: Location,
        message: impl Into<String>,
        hint: Option<String>,
    ) -> CatalogError {
        CatalogError::Invalid {
            kind,
            file: self.source.name.to_string(),
            location,
            message: message.into(),
            hint,
            source_line: line_text(&self.source.text, location.line),
        }
    }

    fn error_at(
        &self,
        kind: CatalogErrorKind,
        at: &serde_saphyr::Location,
        message: impl Into<String>,
        hint: Option<String>,
    ) -> CatalogError {
        self.error(kind, to_location(at), message, hint)
    }

    /// The location `offset` bytes into the single-line scalar `value` that starts at `at`
    /// (after its opening quote, if quoted): where a path or requirement error really is.
    fn inside(&self, at: &serde_saphyr::Location, value: &str, offset: usize) -> Location {
        let start = to_location(at);
        if value.contains('\n') || !value.is_char_boundary(offset.min(value.len())) {
            return start;
        }
        let quoted = at
            .span()
            .byte_offset()
            .and_then(|b| self.source.text.get(usize::try_from(b).ok()?..))
            .is_some_and(|rest| rest.starts_with(['"', '\'']));
        let chars = value[..offset.min(value.len())].chars().count();
        Location {
            line: start.line,
            column: start.column + chars + usize::from(quoted),
        }
    }

    fn path(&self, field: &Spanned<String>, what: &str) -> Result<Path, CatalogError> {
        let path = Path::parse(&field.value).map_err(|err: PathError| {
            self.error(
                CatalogErrorKind::BadPath,
                self.inside(&field.referenced, &field.value, err.offset),
                format!("{what}: {err}"),
                Some(
                    "paths look like `global.image.tag`, `args[0]`, \
                     `packages[name=CluedIn.Connector.Http].version`; quote keys with dots: \
                     `podAnnotations.\"prometheus.io/port\"`"
                        .to_owned(),
                ),
            )
        })?;
        if path.is_root() {
            return Err(self.error_at(
                CatalogErrorKind::BadPath,
                &field.referenced,
                format!("{what}: the empty path is the whole document"),
                Some("name the key to act on, such as `global.image.tag`".to_owned()),
            ));
        }
        Ok(path)
    }

    /// A path for a helm `--set` flag, which knows keys and positions but not identities.
    fn helm_path(&self, field: &Spanned<String>, what: &str) -> Result<Path, CatalogError> {
        let path = self.path(field, what)?;
        if let Some(index) = path
            .segments()
            .iter()
            .position(|s| matches!(s, Segment::Identity { .. }))
        {
            let segment = &path.segments()[index];
            return Err(self.error_at(
                CatalogErrorKind::BadPath,
                &field.referenced,
                format!("{what}: helm's --set cannot select `{segment}` by identity"),
                Some("use a position such as `[0]`".to_owned()),
            ));
        }
        Ok(path)
    }

    fn non_empty(&self, field: &Spanned<String>, what: &str) -> Result<String, CatalogError> {
        if field.value.trim().is_empty() {
            return Err(self.error_at(
                CatalogErrorKind::BadValue,
                &field.referenced,
                format!("`{what}` is empty"),
                None,
            ));
        }
        Ok(field.value.clone())
    }

    fn located<T>(&self, value: T, at: &serde_saphyr::Location) -> Located<T> {
        Located {
            value,
            at: self.pos(at),
        }
    }
}

/// `did you mean ...?` for serde's "unknown field `x`, expected one of ..." message (the YAML
/// files valuesmith reads with serde share it: catalogs, `.valuesmith.yml`).
pub(crate) fn unknown_field_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, expected) = rest.split_once('`').unwrap_or((rest, ""));
    let candidates: Vec<&str> = expected
        .trim_start_matches(", expected one of ")
        .trim_start_matches(", expected ")
        .split(", ")
        .map(|c| c.trim_matches('`'))
        .filter(|c| !c.is_empty())
        .collect();
    did_you_mean(field, candidates.iter().copied()).map(|best| format!("did you mean `{best}`?"))
}

/// A serde-saphyr position as a [`Location`].
pub(crate) fn to_location(at: &serde_saphyr::Location) -> Location {
    // serde-saphyr reports line 0 for "unknown"; the top of the file is the honest fallback.
    Location {
        line: usize::try_from(at.line()).unwrap_or(1).max(1),
        column: usize::try_from(at.column()).unwrap_or(1).max(1),
    }
}

fn parse_part(source: &Source) -> Result<Part, CatalogError> {
    let ctx = Ctx { source };
    let has_content = source.text.lines().any(|line| {
        let line = line.trim();
        !line.is_empty() && !line.starts_with('#') && line != "---" && line != "..."
    });
    if !has_content {
        return Err(ctx.error(
            CatalogErrorKind::Empty,
            Location { line: 1, column: 1 },
            "the catalog file is empty",
            Some(format!(
                "a catalog starts with `product:`, `chart:` and `releases:`; {FORMAT_DOC}"
            )),
        ));
    }
    let raw: RawCatalog =
        serde_saphyr::from_str(&source.text).map_err(|err| yaml_error(&ctx, &err))?;
    let header = read_header(&ctx, &raw)?;
    let mut releases = Vec::new();
    let mut releases_at = None;
    if let Some(list) = raw.releases {
        releases_at = Some(ctx.pos(&list.referenced));
        for entry in list.value {
            releases.push(read_release(&ctx, entry)?);
        }
    }
    values::read_as_values_file(&source.text, &mut releases);
    Ok(Part {
        header,
        releases,
        releases_at,
    })
}

fn yaml_error(ctx: &Ctx<'_>, err: &serde_saphyr::Error) -> CatalogError {
    let message = serde_saphyr::UserMessageFormatter
        .format_message(err.without_snippet())
        .into_owned();
    let location = err
        .location()
        .map(|l| to_location(&l))
        .unwrap_or(Location { line: 1, column: 1 });
    let (kind, hint) = if message.starts_with("unknown field `") {
        let hint = unknown_field_hint(&message).unwrap_or_else(|| FORMAT_DOC.to_owned());
        (CatalogErrorKind::UnknownField, Some(hint))
    } else if message.starts_with("missing field") {
        (CatalogErrorKind::MissingField, Some(FORMAT_DOC.to_owned()))
    } else if message.starts_with("duplicate mapping key") {
        (
            CatalogErrorKind::DuplicateKey,
            Some("remove one of them".to_owned()),
        )
    } else if message
        .split(|c: char| !c.is_ascii_alphabetic())
        .any(|word| word == "tab" || word == "tabs")
    {
        (
            CatalogErrorKind::Syntax,
            Some("indent with spaces, not tabs".to_owned()),
        )
    } else if message.contains("multiple found") || message.contains("multiple documents") {
        (
            CatalogErrorKind::Syntax,
            Some(
                "a catalog file is one YAML document: remove the `---` line, or put each \
                 document in its own file of a releases/ folder"
                    .to_owned(),
            ),
        )
    } else if message.contains("block scalar") {
        (
            CatalogErrorKind::Syntax,
            Some(
                "a value starting with `>` or `|` begins a block of text: quote it, as in \
                 `upgrade_from: \">=2024.12\"`"
                    .to_owned(),
            ),
        )
    } else {
        (CatalogErrorKind::Syntax, None)
    };
    ctx.error(kind, location, message, hint)
}

fn read_header(ctx: &Ctx<'_>, raw: &RawCatalog) -> Result<Header, CatalogError> {
    let text = |field: &Option<Spanned<String>>, name: &str| -> Result<_, CatalogError> {
        field
            .as_ref()
            .map(|f| Ok(ctx.located(ctx.non_empty(f, name)?, &f.referenced)))
            .transpose()
    };
    let mut header = Header {
        product: text(&raw.product, "product")?,
        chart: text(&raw.chart, "chart")?,
        release_name: text(&raw.release_name, "release_name")?,
        namespace: text(&raw.namespace, "namespace")?,
        ..Header::default()
    };
    if let Some(field) = &raw.version_path {
        header.version_path =
            Some(ctx.located(ctx.path(field, "version_path")?, &field.referenced));
    }
    if let Some(keys) = &raw.identity_keys {
        let mut values = Vec::new();
        for key in &keys.value {
            values.push(ctx.non_empty(key, "identity_keys")?);
        }
        header.identity_keys = Some(ctx.located(values, &keys.referenced));
    }
    if let Some(policy) = &raw.policy {
        let mut value = Policy::default();
        if let Some(seq) = &policy.value.sequential {
            value.sequential = match seq.value.as_str() {
                "none" => Sequential::None,
                "minor" => Sequential::Minor,
                "major" => Sequential::Major,
                other => {
                    return Err(ctx.error_at(
                        CatalogErrorKind::BadValue,
                        &seq.referenced,
                        format!("`policy.sequential` is `{other}`"),
                        Some("write none, minor or major".to_owned()),
                    ))
                }
            };
        }
        header.policy = Some(ctx.located(value, &policy.referenced));
    }
    if let Some(commands) = &raw.commands {
        header.commands =
            Some(ctx.located(read_commands(ctx, &commands.value)?, &commands.referenced));
    }
    Ok(header)
}

fn read_commands(ctx: &Ctx<'_>, raw: &RawCommands) -> Result<Commands, CatalogError> {
    let mut commands = Commands::default();
    if let Some(field) = &raw.upgrade_mode {
        commands.upgrade_mode = Some(ctx.helm_path(field, "commands.upgrade_mode")?);
    }
    if let Some(field) = &raw.data_upgrade_api {
        commands.data_upgrade_api = Some(ctx.non_empty(field, "commands.data_upgrade_api")?);
    }
    if let Some(set) = &raw.set {
        for (key, value) in &set.value.0 {
            let path = ctx.helm_path(key, "commands.set")?;
            if !value.value.is_scalar() {
                return Err(ctx.error_at(
                    CatalogErrorKind::BadValue,
                    &value.referenced,
                    format!(
                        "`commands.set` value of `{path}` is a {}",
                        value.value.type_name()
                    ),
                    Some("a --set flag takes a scalar such as `true` or `10`".to_owned()),
                ));
            }
            if commands.upgrade_mode.as_ref() == Some(&path) {
                return Err(ctx.error_at(
                    CatalogErrorKind::BadValue,
                    &key.referenced,
                    format!("`commands.set` sets `{path}`, which is `upgrade_mode`"),
                    Some(
                        "leave it out: plan sets upgrade mode itself around a data upgrade"
                            .to_owned(),
                    ),
                ));
            }
            commands.set.push(SetFlag {
                path,
                value: value.value.clone(),
            });
        }
    }
    Ok(commands)
}

fn read_release(ctx: &Ctx<'_>, raw: Spanned<RawRelease>) -> Result<Release, CatalogError> {
    let entry_at = raw.referenced;
    let raw = raw.value;
    let version = Version::parse(&raw.version.value).map_err(|err| {
        ctx.error_at(
            CatalogErrorKind::BadVersion,
            &raw.version.referenced,
            err.to_string(),
            Some(err.hint()),
        )
    })?;
    let chart_version = ctx.non_empty(&raw.chart_version, "chart_version")?;
    let upgrade_from = match &raw.upgrade_from {
        None => None,
        Some(field) => {
            let req = VersionReq::parse(&field.value).map_err(|err| {
                ctx.error(
                    CatalogErrorKind::BadUpgradeFrom,
                    ctx.inside(&field.referenced, &field.value, err.offset()),
                    format!("`upgrade_from` of {version}: {err}"),
                    Some(err.hint()),
                )
            })?;
            if !req.admits_some_below(&version) {
                return Err(ctx.error_at(
                    CatalogErrorKind::BadUpgradeFrom,
                    &field.referenced,
                    format!(
                        "`upgrade_from: {req}` of {version} admits no release before {version}, \
                         so nothing could upgrade to it"
                    ),
                    Some(format!(
                        "name the oldest release that may upgrade straight to {version}, \
                         such as `>=X` with X below {version}"
                    )),
                ));
            }
            Some(req)
        }
    };
    let data_upgrade = match &raw.data_upgrade {
        None
        | Some(Spanned {
            value: Value::Null | Value::Bool(false),
            ..
        }) => None,
        Some(Spanned {
            value: Value::String(label),
            ..
        }) if !label.trim().is_empty() => Some(label.clone()),
        Some(field) => {
            return Err(ctx.error_at(
                CatalogErrorKind::BadValue,
                &field.referenced,
                format!(
                    "`data_upgrade` of {version} must be the DataUpgrade label (such as \
                     `Version450`), found {}",
                    describe_value(&field.value)
                ),
                Some("leave `data_upgrade` out for a release without a data upgrade".to_owned()),
            ))
        }
    };
    let values = match &raw.values {
        None
        | Some(Spanned {
            value: Value::Null, ..
        }) => Mapping::new(),
        Some(Spanned {
            value: Value::Mapping(m),
            ..
        }) => m.clone(),
        Some(field) => {
            return Err(ctx.error_at(
                CatalogErrorKind::BadValue,
                &field.referenced,
                format!(
                    "`values` of {version} must be a mapping, found {}",
                    describe_value(&field.value)
                ),
                Some(
                    "write the values as they appear in a values file, such as \
                     `global: {image: {tag: \"2025.05.00\"}}`"
                        .to_owned(),
                ),
            ))
        }
    };
    let mut migrate = Vec::new();
    for rule in raw.migrate.into_iter().flatten() {
        migrate.push(read_rule(ctx, &version, rule)?);
    }
    Ok(Release {
        origin: ReleaseOrigin {
            entry: ctx.pos(&entry_at),
            version: ctx.pos(&raw.version.referenced),
            upgrade_from: raw.upgrade_from.as_ref().map(|f| ctx.pos(&f.referenced)),
            data_upgrade: raw.data_upgrade.as_ref().map(|f| ctx.pos(&f.referenced)),
        },
        version,
        chart_version,
        upgrade_from,
        data_upgrade,
        notes: raw
            .notes
            .map(|n| n.value.trim_end().to_owned())
            .filter(|n| !n.is_empty()),
        values,
        migrate,
    })
}

fn describe_value(value: &Value) -> String {
    match value.scalar_text() {
        Some(text) => format!("the {} `{text}`", value.type_name()),
        None => format!("a {}", value.type_name()),
    }
}

/// The fields each rule kind takes besides `reason`.
fn rule_fields(kind: &str) -> &'static [&'static str] {
    match kind {
        "set" | "add" => &["value"],
        "replace" => &["from", "value"],
        "rename" => &["to"],
        _ => &[],
    }
}

fn rule_shape(kind: &str) -> String {
    match kind {
        "set" => "`set: P` with `value: V`".to_owned(),
        "add" => "`add: P` with `value: V`".to_owned(),
        "replace" => "`replace: P` with `from: A` and `value: V`".to_owned(),
        "rename" => "`rename: P` with `to: Q`".to_owned(),
        "warn" => "`warn: TEXT`".to_owned(),
        other => format!("`{other}: P`"),
    }
}

fn read_rule(
    ctx: &Ctx<'_>,
    version: &Version,
    raw: Spanned<RawRule>,
) -> Result<Rule, CatalogError> {
    let rule_at = raw.referenced;
    let entries = raw.value.0;
    let kinds: Vec<&(Spanned<String>, RawField)> = entries
        .iter()
        .filter(|(key, _)| RULE_KINDS.contains(&key.value.as_str()))
        .collect();
    let all_kinds = RULE_KINDS.join(", ");
    let (kind_key, kind_field) = match kinds.as_slice() {
        [] => {
            let unknown = entries.iter().find(|(key, _)| {
                !TEXT_FIELDS.contains(&key.value.as_str())
                    && !matches!(key.value.as_str(), "value" | "from")
            });
            return Err(match unknown {
                Some((key, _)) => {
                    let hint = match did_you_mean(&key.value, RULE_KINDS.iter().copied()) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => format!("a rule is one of: {all_kinds}"),
                    };
                    ctx.error_at(
                        CatalogErrorKind::BadRule,
                        &key.referenced,
                        format!("unknown rule `{}` in release {version}", key.value),
                        Some(hint),
                    )
                }
                None => {
                    let fields: Vec<String> = entries
                        .iter()
                        .map(|(k, _)| format!("`{}`", k.value))
                        .collect();
                    let has = if fields.is_empty() {
                        "nothing".to_owned()
                    } else {
                        fields.join(", ")
                    };
                    ctx.error_at(
                        CatalogErrorKind::BadRule,
                        &rule_at,
                        format!("a rule of release {version} has {has} but no kind"),
                        Some(format!("start the rule with one of: {all_kinds}")),
                    )
                }
            });
        }
        [only] => (&only.0, &only.1),
        [first, second, ..] => {
            return Err(ctx.error_at(
                CatalogErrorKind::BadRule,
                &second.0.referenced,
                format!(
                    "a rule of release {version} has two kinds, `{}` and `{}`",
                    first.0.value, second.0.value
                ),
                Some("write each as its own list item (`- ...`)".to_owned()),
            ));
        }
    };
    let kind_name = kind_key.value.as_str();
    let allowed = rule_fields(kind_name);
    let mut reason = None;
    let mut keep_empty = false;
    for (key, field) in &entries {
        let name = key.value.as_str();
        if std::ptr::eq(key, kind_key) || allowed.contains(&name) {
            continue;
        }
        if name == "keep_empty" && kind_name == "remove" {
            match field {
                RawField::Value(v) if matches!(v.value, Value::Bool(_)) => {
                    keep_empty = v.value == Value::Bool(true);
                }
                _ => {
                    return Err(ctx.error_at(
                        CatalogErrorKind::BadRule,
                        &key.referenced,
                        format!(
                            "`keep_empty` of a `remove` rule (release {version}) is true or false"
                        ),
                        Some(
                            "write `keep_empty: true` to keep an emptied list or mapping"
                                .to_owned(),
                        ),
                    ))
                }
            }
            continue;
        }
        if name == "reason" {
            if let RawField::Text(text) = field {
                reason = Some(text.value.trim_end().to_owned());
            }
            continue;
        }
        let known_elsewhere = matches!(name, "value" | "from" | "to");
        let message = if known_elsewhere {
            format!("`{name}` does not belong in a `{kind_name}` rule (release {version})")
        } else {
            format!("unknown field `{name}` in a `{kind_name}` rule (release {version})")
        };
        let mut choices: Vec<&str> = allowed.to_vec();
        choices.push("reason");
        let hint = match did_you_mean(name, choices.iter().copied()).filter(|_| !known_elsewhere) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("a `{kind_name}` rule is {}", rule_shape(kind_name)),
        };
        return Err(ctx.error_at(
            CatalogErrorKind::BadRule,
            &key.referenced,
            message,
            Some(hint),
        ));
    }
    let get = |name: &str| {
        entries
            .iter()
            .find(|(k, _)| k.value == name)
            .map(|(_, f)| f)
    };
    let missing = allowed.iter().find(|name| get(name).is_none());
    if let Some(name) = missing {
        return Err(ctx.error_at(
            CatalogErrorKind::BadRule,
            &kind_key.referenced,
            format!("`{kind_name}` rule of release {version} needs `{name}`"),
            Some(format!("a `{kind_name}` rule is {}", rule_shape(kind_name))),
        ));
    }
    let RawField::Text(target) = kind_field else {
        // Rule kinds are text fields by construction (TEXT_FIELDS).
        return Err(ctx.error_at(
            CatalogErrorKind::BadRule,
            kind_field.at(),
            format!("`{kind_name}` needs a text"),
            None,
        ));
    };
    let value_of = |name: &str| match get(name) {
        Some(RawField::Value(v)) => v.value.clone(),
        _ => Value::Null,
    };
    let what = format!("`{kind_name}` rule of release {version}");
    let kind = match kind_name {
        "set" => RuleKind::Set {
            path: ctx.path(target, &what)?,
            value: value_of("value"),
        },
        "add" => RuleKind::Add {
            path: ctx.path(target, &what)?,
            value: value_of("value"),
        },
        "remove" => RuleKind::Remove {
            path: ctx.path(target, &what)?,
            keep_empty,
        },
        "require" => RuleKind::Require {
            path: ctx.path(target, &what)?,
        },
        "replace" => RuleKind::Replace {
            path: ctx.path(target, &what)?,
            from: value_of("from"),
            value: value_of("value"),
        },
        "rename" => {
            let from = ctx.path(target, &what)?;
            let Some(RawField::Text(to_field)) = get("to") else {
                return Err(ctx.error_at(
                    CatalogErrorKind::BadRule,
                    &kind_key.referenced,
                    format!("{what} needs `to`"),
                    None,
                ));
            };
            let to = ctx.path(to_field, &format!("`to` of {what}"))?;
            let problem = if to == from {
                Some(format!("{what} renames `{from}` to itself"))
            } else if to.starts_with(&from) {
                Some(format!("{what} moves `{from}` into itself (`{to}`)"))
            } else if from.starts_with(&to) {
                Some(format!(
                    "{what} moves `{from}` onto its own parent `{to}`, which it would replace"
                ))
            } else {
                None
            };
            if let Some(problem) = problem {
                return Err(ctx.error_at(
                    CatalogErrorKind::BadRule,
                    &to_field.referenced,
                    problem,
                    Some("`rename` moves a value to another place in the document".to_owned()),
                ));
            }
            RuleKind::Rename { from, to }
        }
        _ => RuleKind::Warn {
            text: ctx.non_empty(target, "warn")?.trim_end().to_owned(),
        },
    };
    Ok(Rule {
        kind,
        reason,
        at: ctx.pos(&rule_at),
    })
}

/// Merges the files' headers (a field may be repeated only with the same value) and releases,
/// then checks what needs the whole catalog: required fields, duplicates, order.
fn assemble(
    parts: Vec<Part>,
    sources: Vec<Source>,
    first_file: &Arc<str>,
) -> Result<Catalog, CatalogError> {
    let error_at = |kind, pos: &SourcePos, message: String, hint: Option<String>| {
        let source_line = sources
            .iter()
            .find(|s| s.name == pos.file)
            .and_then(|s| line_text(&s.text, pos.location.line));
        CatalogError::Invalid {
            kind,
            file: pos.file.to_string(),
            location: pos.location,
            message,
            hint,
            source_line,
        }
    };
    let mut header = Header::default();
    let mut releases: Vec<Release> = Vec::new();
    let mut any_releases_field = false;
    for part in parts {
        macro_rules! merge {
            ($field:ident, $show:expr) => {
                if let Some(new) = part.header.$field {
                    match &header.$field {
                        None => header.$field = Some(new),
                        Some(old) if old.value == new.value => {}
                        Some(old) => {
                            let show: fn(&_) -> Option<String> = $show;
                            let detail = match (show(&old.value), show(&new.value)) {
                                (Some(old_text), Some(new_text)) => {
                                    format!(" (`{new_text}` here, `{old_text}` there)")
                                }
                                _ => String::new(),
                            };
                            return Err(error_at(
                                CatalogErrorKind::Conflict,
                                &new.at,
                                format!(
                                    "`{}` differs from the one at {}{detail}",
                                    stringify!($field),
                                    old.at
                                ),
                                Some(
                                    "state it in one file of the catalog folder, or the \
                                     same in each"
                                        .to_owned(),
                                ),
                            ));
                        }
                    }
                }
            };
        }
        merge!(product, |v: &String| Some(v.clone()));
        merge!(chart, |v: &String| Some(v.clone()));
        merge!(release_name, |v: &String| Some(v.clone()));
        merge!(namespace, |v: &String| Some(v.clone()));
        merge!(version_path, |v: &Path| Some(v.to_string()));
        merge!(identity_keys, |v: &Vec<String>| Some(v.join(", ")));
        merge!(policy, |v: &Policy| Some(format!(
            "sequential: {}",
            v.sequential.as_str()
        )));
        merge!(commands, |_: &Commands| None);
        any_releases_field |= part.releases_at.is_some();
        for release in part.releases {
            if let Some(first) = releases.iter().find(|r| r.version == release.version) {
                let same_text = first.version.as_str() == release.version.as_str();
                let message = if same_text {
                    format!(
                        "release {} is listed twice (first at {})",
                        release.version, first.origin.version
                    )
                } else {
                    format!(
                        "release {} is the same release as {} (first at {}): versions compare \
                         as numbers",
                        release.version, first.version, first.origin.version
                    )
                };
                return Err(error_at(
                    CatalogErrorKind::DuplicateRelease,
                    &release.origin.version,
                    message,
                    Some("keep one entry per release".to_owned()),
                ));
            }
            releases.push(release);
        }
    }
    let top = SourcePos {
        file: Arc::clone(first_file),
        location: Location { line: 1, column: 1 },
    };
    let several = sources.len() > 1;
    let missing = |field: &str, example: &str| {
        let message = if several {
            format!("no file of the catalog sets `{field}`")
        } else {
            format!("the catalog has no `{field}`")
        };
        error_at(
            CatalogErrorKind::MissingField,
            &top,
            message,
            Some(format!("add `{field}: {example}` at the top level")),
        )
    };
    let product = header
        .product
        .ok_or_else(|| missing("product", "my-product"))?
        .value;
    let chart = header
        .chart
        .ok_or_else(|| missing("chart", "my-repo/my-chart"))?
        .value;
    if releases.is_empty() {
        let message = if any_releases_field {
            "the catalog's `releases` list is empty"
        } else {
            "the catalog has no `releases`"
        };
        return Err(error_at(
            CatalogErrorKind::NoReleases,
            &top,
            message.to_owned(),
            Some(
                "list the releases under `releases:`, each with `version` and `chart_version`"
                    .to_owned(),
            ),
        ));
    }
    releases.sort_by(|a, b| a.version.cmp(&b.version));
    let release_name = header
        .release_name
        .map_or_else(|| product.clone(), |l| l.value);
    let namespace = header
        .namespace
        .map_or_else(|| release_name.clone(), |l| l.value);
    Ok(Catalog {
        product,
        chart,
        release_name,
        namespace,
        version_path: header.version_path.map(|l| l.value),
        identity_keys: header.identity_keys.map(|l| l.value).unwrap_or_default(),
        policy: header.policy.map(|l| l.value).unwrap_or_default(),
        commands: header.commands.map(|l| l.value).unwrap_or_default(),
        releases,
        sources,
    })
}

#[cfg(test)]
mod tests;
mod values;
