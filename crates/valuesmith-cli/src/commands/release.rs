//! What `plan`, `migrate` and `validate` share: finding the catalog, and the current release
//! and env of a values file (from its name, flags, or the value at the catalog's
//! `version_path`).

use std::path::{Path, PathBuf};

use valuesmith::catalog::{Catalog, CATALOG_ENV_VAR};
use valuesmith::diagnostic::ToDiagnostic;
use valuesmith::document::Document;
use valuesmith::values_file::{mismatch, version_path_release};
use valuesmith::version::Version;

use crate::error::CliError;

/// `--from`, `--env` and `--catalog`, shared by the commands that work on a release.
#[derive(Debug, clap::Args)]
pub struct ReleaseArgs {
    /// The current release, when FILE's name does not tell (migrate also reads it from the
    /// file's value at the catalog's version_path).
    #[arg(long, value_name = "RELEASE")]
    pub from: Option<String>,

    /// The environment in values file names, when FILE's name does not tell.
    #[arg(long, value_name = "ENV")]
    pub env: Option<String>,

    /// The catalog.
    #[command(flatten)]
    pub catalog: CatalogArg,
}

/// `--catalog`, the one spelling of the catalog argument for every command that reads one.
#[derive(Debug, clap::Args)]
pub struct CatalogArg {
    /// The catalog: a releases.yml file or a folder of *.yml files (default:
    /// $VALUESMITH_CATALOG, else releases.yml or releases/ in each values file's folder or a
    /// parent).
    #[arg(long = "catalog", value_name = "PATH")]
    pub path: Option<PathBuf>,
}

impl CatalogArg {
    /// The path `--catalog` gave, if any.
    pub fn as_deref(&self) -> Option<&Path> {
        self.path.as_deref()
    }
}

/// The catalog given by `--catalog`, else `$VALUESMITH_CATALOG`, else `releases.yml` or
/// `releases/` in `start` or a parent folder.
pub fn find_catalog(explicit: Option<&Path>, start: &Path) -> Result<Catalog, CliError> {
    Catalog::discover(explicit, std::env::var_os(CATALOG_ENV_VAR), start)?.ok_or_else(|| {
        CliError::message(format!(
            "no release catalog found in {} or any parent folder",
            start.display()
        ))
        .with_hint(format!(
            "pass --catalog PATH, set ${CATALOG_ENV_VAR}, or put releases.yml (or a releases/ \
             folder) beside the values files"
        ))
    })
}

/// The current release and the env: from FILE's name, or from `--from` and `--env`, which
/// must agree with the name when both are given.
///
/// Without a name or flag that tells the release, the value at the catalog's `version_path`
/// in `document` (when given) does.
pub fn current_release(
    file: Option<&str>,
    from: Option<&str>,
    env: Option<&str>,
    catalog: &Catalog,
    document: Option<&Document>,
) -> Result<(Version, Option<String>), CliError> {
    let flag_from = from.map(|text| parse_release(text, "--from")).transpose()?;
    let stated = document.and_then(|doc| stated_release(doc, catalog));
    if let Some(env) = env {
        if env.is_empty() || env.contains(['/', '\\']) {
            return Err(
                CliError::message(format!("--env `{env}` cannot be part of a file name"))
                    .with_hint(
                        "pass the env of values-<env>-<release>.yml, such as dev or prod-eu",
                    ),
            );
        }
    }
    let env = env.map(str::to_owned);
    let Some(file) = file.filter(|f| *f != "-") else {
        let from = flag_from.or(stated).ok_or_else(|| {
            CliError::message("the current release is not known")
                .with_hint("pass --from RELEASE, or a values file named values-<env>-<release>.yml")
        })?;
        return Ok((from, env));
    };
    let name = Path::new(file)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let Some(parsed) = catalog.values_file_name(&name) else {
        return match (flag_from.or(stated), &env) {
            (Some(from), _) if document.is_some() => Ok((from, env)),
            (Some(from), Some(env)) => Ok((from, Some(env.clone()))),
            _ => Err(CliError::message(format!(
                "{file}: the name does not follow values-<env>-<release>.yml, so it tells \
                 neither the env nor the release"
            ))
            .with_hint("pass --from RELEASE and --env ENV, or rename the file")),
        };
    };
    // The name and the value at `version_path` must agree, unless --from says which is right.
    if let Some(found) = document.and_then(|doc| mismatch(doc, catalog, &parsed.release)) {
        let settled = match (&flag_from, &found.stated) {
            (Some(from), Ok(stated)) => from == stated || *from == parsed.release,
            (Some(from), Err(_)) => *from == parsed.release,
            (None, _) => false,
        };
        if !settled {
            let hint = found.hint(file, &parsed.env);
            let source = document.map(Document::to_text).unwrap_or_default();
            let mut diagnostic = valuesmith::diagnostic::Diagnostic::error(found.message);
            diagnostic.file = Some(file.to_owned());
            diagnostic = diagnostic.at(Some(&source), found.location);
            return Err(CliError::new(diagnostic).with_hint(format!(
                "{hint}; or pass --from RELEASE to say which is right"
            )));
        }
        if let Some(from) = flag_from {
            return Ok((from, Some(parsed.env)));
        }
    }
    if let Some(from) = flag_from {
        if from != parsed.release {
            return Err(CliError::message(format!(
                "{file} is named for release {}, but --from says {from}",
                parsed.release
            ))
            .with_hint("leave out --from, or pass the file of that release"));
        }
    }
    if let Some(env) = &env {
        if *env != parsed.env {
            return Err(CliError::message(format!(
                "{file} is named for env {}, but --env says {env}",
                parsed.env
            ))
            .with_hint("leave out --env, or pass the file of that env"));
        }
    }
    Ok((parsed.release, Some(parsed.env)))
}

/// Parses a release given by `flag`.
pub fn parse_release(text: &str, flag: &str) -> Result<Version, CliError> {
    Version::parse(text).map_err(|err| {
        let mut diagnostic = err.to_diagnostic();
        diagnostic.message = format!("{flag}: {}", diagnostic.message);
        CliError::new(diagnostic)
    })
}

/// The catalog release that the value at `version_path` names, if any (read as written, as
/// `validate` reads it).
fn stated_release(document: &Document, catalog: &Catalog) -> Option<Version> {
    let (_, stated) = version_path_release(document, catalog)?;
    let version = stated.ok()?;
    catalog.release(&version).map(|r| r.version.clone())
}
