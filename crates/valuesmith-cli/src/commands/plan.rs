//! `valuesmith plan`.

use std::path::{Path, PathBuf};

use valuesmith::catalog::{Catalog, CATALOG_ENV_VAR};
use valuesmith::diagnostic::{Color, ToDiagnostic};
use valuesmith::plan::{plan, render, PlanFormat, RenderOptions};
use valuesmith::version::Version;

use crate::error::{write_stdout, CliError, ExitStatus};

/// Arguments of `valuesmith plan`.
#[derive(Debug, clap::Args)]
pub struct PlanArgs {
    /// A values file named `values-<env>-<release>.yml`: its name gives the env and the
    /// current release, and the catalog is looked for from its folder.
    pub file: Option<String>,

    /// The target release.
    #[arg(long, value_name = "RELEASE")]
    pub to: String,

    /// The current release (without FILE, or when FILE's name does not tell).
    #[arg(long, value_name = "RELEASE")]
    pub from: Option<String>,

    /// The environment in the values file names (without FILE, or when FILE's name does not
    /// tell).
    #[arg(long, value_name = "ENV")]
    pub env: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// The catalog: a releases.yml file or a folder of *.yml files (default:
    /// $VALUESMITH_CATALOG, else releases.yml or releases/ in FILE's folder or a parent).
    #[arg(long, value_name = "PATH")]
    pub catalog: Option<PathBuf>,
}

/// `--format` of `valuesmith plan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Text for a terminal.
    Human,
    /// A Markdown document.
    Markdown,
    /// JSON: {"from", "to", "steps": [...]}.
    Json,
    /// A bash script.
    Shell,
    /// A PowerShell script.
    Powershell,
}

impl From<Format> for PlanFormat {
    fn from(format: Format) -> Self {
        match format {
            Format::Human => PlanFormat::Human,
            Format::Markdown => PlanFormat::Markdown,
            Format::Json => PlanFormat::Json,
            Format::Shell => PlanFormat::Shell,
            Format::Powershell => PlanFormat::PowerShell,
        }
    }
}

/// Runs `valuesmith plan`.
pub fn run(args: PlanArgs, _color: Color) -> Result<ExitStatus, CliError> {
    if args.file.as_deref() == Some("-") {
        return Err(CliError::message(
            "plan reads the env and release from FILE's name, and standard input has none",
        )
        .with_hint("pass --from RELEASE and --env ENV instead of -"));
    }
    let file = args.file.as_deref().map(Path::new);
    if let Some(file) = file {
        if !file.exists() {
            return Err(CliError::message(format!(
                "{}: no such file or directory",
                file.display()
            )));
        }
    }
    let folder = file
        .and_then(Path::parent)
        .filter(|p| !p.as_os_str().is_empty());
    let start = folder.unwrap_or(Path::new("."));
    let catalog = Catalog::discover(
        args.catalog.as_deref(),
        std::env::var_os(CATALOG_ENV_VAR),
        start,
    )?
    .ok_or_else(|| {
        CliError::message(format!(
            "no release catalog found in {} or any parent folder",
            start.display()
        ))
        .with_hint(format!(
            "pass --catalog PATH, set ${CATALOG_ENV_VAR}, or put releases.yml (or a releases/ \
             folder) beside the values files"
        ))
    })?;

    let (from, env) = current_release(&args, &catalog)?;
    let to = parse_release(&args.to, "--to")?;
    let path = plan(&catalog, &from, &to)?;
    let values_dir = folder.map(|p| p.display().to_string());
    let text = render(
        &path,
        args.format.into(),
        RenderOptions {
            env: env.as_deref(),
            values_dir: values_dir.as_deref(),
        },
    )?;
    write_stdout(&text)?;
    Ok(ExitStatus::Success)
}

/// The current release and the env: from FILE's name, or from `--from` and `--env`, which
/// must agree with the name when both are given.
fn current_release(
    args: &PlanArgs,
    catalog: &Catalog,
) -> Result<(Version, Option<String>), CliError> {
    let flag_from = args
        .from
        .as_deref()
        .map(|text| parse_release(text, "--from"))
        .transpose()?;
    if let Some(env) = &args.env {
        if env.is_empty() || env.contains(['/', '\\']) {
            return Err(
                CliError::message(format!("--env `{env}` cannot be part of a file name"))
                    .with_hint(
                        "pass the env of values-<env>-<release>.yml, such as dev or prod-eu",
                    ),
            );
        }
    }
    let Some(file) = &args.file else {
        let from = flag_from.ok_or_else(|| {
            CliError::message("plan needs the current release")
                .with_hint("pass --from RELEASE, or a values file named values-<env>-<release>.yml")
        })?;
        return Ok((from, args.env.clone()));
    };
    let name = Path::new(file)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let Some(parsed) = catalog.values_file_name(&name) else {
        return match (flag_from, &args.env) {
            (Some(from), Some(env)) => Ok((from, Some(env.clone()))),
            _ => Err(CliError::message(format!(
                "{file}: the name does not follow values-<env>-<release>.yml, so it tells \
                 neither the env nor the release"
            ))
            .with_hint("pass --from RELEASE and --env ENV, or rename the file")),
        };
    };
    if let Some(from) = flag_from {
        if from != parsed.release {
            return Err(CliError::message(format!(
                "{file} is named for release {}, but --from says {from}",
                parsed.release
            ))
            .with_hint("leave out --from, or pass the file of that release"));
        }
    }
    if let Some(env) = &args.env {
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

fn parse_release(text: &str, flag: &str) -> Result<Version, CliError> {
    Version::parse(text).map_err(|err| {
        let mut diagnostic = err.to_diagnostic();
        diagnostic.message = format!("{flag}: {}", diagnostic.message);
        CliError::new(diagnostic)
    })
}
