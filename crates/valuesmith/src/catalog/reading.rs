//! Reading one catalog file: bytes to text, the raw shapes serde-saphyr deserialises with
//! their spans, and the checks of the header, `commands` and each release, with every error
//! at its `file:line:col`.

use std::sync::Arc;

use serde::Deserialize as DeriveDeserialize;
use serde_saphyr::{MessageFormatter as _, Spanned};

use crate::diagnostic::did_you_mean;
use crate::diagnostic::Location;
use crate::path::{Path, PathError, Segment};
use crate::value::{Mapping, Value};
use crate::version::{Version, VersionReq};

use super::assembly::assemble;
use super::commands::{read_commands, retired_field_hint, RawCommands};
use super::rules::{read_rule, RawRule};
use super::{
    values, Catalog, CatalogError, CatalogErrorKind, Commands, Policy, Release, ReleaseOrigin,
    Sequential, Source, SourcePos, FORMAT_DOC,
};

impl Catalog {
    /// Reads a catalog from YAML text. `name` is the file name shown in messages.
    pub fn parse(text: &str, name: &str) -> Result<Catalog, CatalogError> {
        let source = Source {
            name: Arc::from(name),
            text: Arc::from(strip_bom(text)),
        };
        let part = parse_part(&source)?;
        let first = Arc::clone(&source.name);
        assemble(vec![part], vec![source], &first)
    }
}

pub(super) fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Bytes to text: UTF-8 with or without a BOM; UTF-16 and invalid UTF-8 are errors.
pub(super) fn decode(bytes: &[u8], name: &str) -> Result<Source, CatalogError> {
    let invalid = |location: Location, message: &str, hint: &str| CatalogError::Invalid {
        kind: CatalogErrorKind::Encoding,
        file: name.to_owned(),
        location,
        message: message.to_owned(),
        hint: Some(hint.to_owned()),
        span: None,
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
            text: Arc::from(strip_bom(text)),
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
pub(super) struct RawCatalog {
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
struct RawRelease {
    version: Spanned<String>,
    chart_version: Spanned<String>,
    upgrade_from: Option<Spanned<String>>,
    data_upgrade: Option<Spanned<Value>>,
    notes: Option<Spanned<String>>,
    values: Option<Spanned<Value>>,
    migrate: Option<Vec<Spanned<RawRule>>>,
}

// ---------------------------------------------------------------------------------------------
// From raw shapes to the model.

/// A value with where it is written.
#[derive(Debug, Clone)]
pub(super) struct Located<T> {
    pub(super) value: T,
    pub(super) at: SourcePos,
}

/// The top-level fields of one file.
#[derive(Default)]
pub(super) struct Header {
    pub(super) product: Option<Located<String>>,
    pub(super) chart: Option<Located<String>>,
    pub(super) release_name: Option<Located<String>>,
    pub(super) namespace: Option<Located<String>>,
    pub(super) version_path: Option<Located<Path>>,
    pub(super) identity_keys: Option<Located<Vec<String>>>,
    pub(super) policy: Option<Located<Policy>>,
    pub(super) commands: Option<Located<Commands>>,
}

/// One file, read and checked on its own.
pub(super) struct Part {
    pub(super) header: Header,
    pub(super) releases: Vec<Release>,
    /// Where the file states `releases:`, if it does.
    pub(super) releases_at: Option<SourcePos>,
}

/// Builds errors for one source file.
pub(super) struct Ctx<'a> {
    pub(super) source: &'a Source,
}

impl Ctx<'_> {
    pub(super) fn pos(&self, at: &serde_saphyr::Location) -> SourcePos {
        SourcePos {
            file: Arc::clone(&self.source.name),
            location: to_location(at),
        }
    }

    pub(super) fn error(
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
            span: self.source.span_at(location),
        }
    }

    pub(super) fn error_at(
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
    pub(super) fn inside(
        &self,
        at: &serde_saphyr::Location,
        value: &str,
        offset: usize,
    ) -> Location {
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

    pub(super) fn path(&self, field: &Spanned<String>, what: &str) -> Result<Path, CatalogError> {
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
    pub(super) fn helm_path(
        &self,
        field: &Spanned<String>,
        what: &str,
    ) -> Result<Path, CatalogError> {
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

    pub(super) fn non_empty(
        &self,
        field: &Spanned<String>,
        what: &str,
    ) -> Result<String, CatalogError> {
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

    pub(super) fn located<T>(&self, value: T, at: &serde_saphyr::Location) -> Located<T> {
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

pub(super) fn parse_part(source: &Source) -> Result<Part, CatalogError> {
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
        let field = message
            .strip_prefix("unknown field `")
            .and_then(|rest| rest.split('`').next())
            .unwrap_or("");
        let hint = retired_field_hint(field)
            .or_else(|| unknown_field_hint(&message))
            .unwrap_or_else(|| FORMAT_DOC.to_owned());
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
                    "`data_upgrade` of {version} must be the data upgrade's label (such as \
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

pub(super) fn describe_value(value: &Value) -> String {
    match value.scalar_text() {
        Some(text) => format!("the {} `{text}`", value.type_name()),
        None => format!("a {}", value.type_name()),
    }
}
