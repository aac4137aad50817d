//! The catalog model: releases, rules, policy, the `commands` section, where each part is
//! written ([`SourcePos`]), the errors of reading a catalog, and the lookups a read catalog
//! answers (releases by version, values file names, source lines).

use std::fmt;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Location, SourceSpan, ToDiagnostic};
use crate::path::Path;
use crate::value::{Mapping, Value};
use crate::version::{parse_values_file_name, ValuesFileName, Version, VersionReq};

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
#[non_exhaustive]
pub struct Commands {
    /// `--set` flags of every `helm upgrade`, in catalog order.
    pub set: Vec<SetFlag>,
    /// The values path toggled `true`/`false` around a data upgrade.
    pub upgrade_mode: Option<Path>,
    /// How the product's data upgrade is run between the two `helm upgrade` runs
    /// (`commands.data_upgrade`); all empty: the neutral two-phase flow.
    pub data_upgrade: DataUpgradeProcedure,
}

/// The product's data-upgrade procedure (`commands.data_upgrade`, docs/catalog.md): what a
/// step with a `data_upgrade` label runs between its first and last `helm upgrade`. Texts may
/// name `{label}` (the release's `data_upgrade`), `{name}` (the label as a Kubernetes object
/// name: `Version450` gives `version450`) and `{namespace}` (the catalog's namespace).
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct DataUpgradeProcedure {
    /// A Kubernetes resource (YAML) applied with `kubectl apply` once the pods are healthy
    /// after the first run; `None`: nothing is applied.
    pub apply: Option<String>,
    /// What shows that the data upgrade is done, completing "Wait until ..."; `None`: the
    /// neutral wording.
    pub wait_for: Option<String>,
    /// What upgrade mode does while it is on, shown with the first run (`stops ingestion`).
    pub mode_effect: Option<String>,
    /// `--set` flags of the first run, after `upgrade_mode=true` and `commands.set`.
    pub begin: Vec<SetFlag>,
    /// `--set` flags of the last run: each replaces the `commands.set` flag of its path (in
    /// its place), the others follow.
    pub finish: Vec<SetFlag>,
}

/// The placeholders that the texts of [`DataUpgradeProcedure`] may name.
pub const DATA_UPGRADE_PLACEHOLDERS: &[&str] = &["label", "name", "namespace"];

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
    /// The data-upgrade label (such as `Version450`) when the release needs the two-phase
    /// flow (docs/catalog.md, "The data-upgrade procedure").
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
    pub(super) releases: Vec<Release>,
    pub(super) sources: Vec<Source>,
}

/// A catalog file as read, kept for the source lines of messages.
#[derive(Debug, Clone)]
pub(super) struct Source {
    pub(super) name: Arc<str>,
    pub(super) text: Arc<str>,
}

impl Source {
    /// The character at `location`, with the text shared.
    pub(super) fn span_at(&self, location: Location) -> Option<SourceSpan> {
        SourceSpan::at(Arc::clone(&self.text), location)
    }
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
        /// The file's text and the span at `location`: the caret snippet is cut from it when
        /// the error is shown.
        span: Option<SourceSpan>,
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

    /// Where in the catalog file the problem is; `None` for a read error.
    pub fn location(&self) -> Option<Location> {
        match self {
            CatalogError::Invalid { location, .. } => Some(*location),
            CatalogError::Read { .. } => None,
        }
    }

    /// The byte span in the catalog file, when its text was read.
    pub fn span(&self) -> Option<std::ops::Range<usize>> {
        match self {
            CatalogError::Invalid { span, .. } => span.as_ref().map(SourceSpan::span),
            CatalogError::Read { .. } => None,
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
                span,
                ..
            } => {
                let mut d = Diagnostic::error(format!("bad catalog: {message}")).with_file(file);
                d.location = Some(*location);
                d.source_line = span.as_ref().and_then(SourceSpan::line_text);
                d.hint = hint.clone();
                d
            }
        }
    }
}

impl Catalog {
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

    /// The place `pos` names in the catalog file's text (shared, not copied), for a caret
    /// snippet rendered when it is shown.
    pub fn source_span(&self, pos: &SourcePos) -> Option<SourceSpan> {
        let source = self.sources.iter().find(|s| s.name == pos.file)?;
        source.span_at(pos.location)
    }
}
