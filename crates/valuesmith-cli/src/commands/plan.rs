//! `valuesmith plan`.

use std::path::Path;

use valuesmith::diagnostic::Color;
use valuesmith::plan::{plan_report, PlanFormat, PlanReportError, RenderOptions, StepCheck};

use crate::commands::helm_args::step_check_error;
use crate::commands::release::{current_release, find_catalog, parse_release, ReleaseArgs};
use crate::error::{write_stdout, CliError, ExitStatus};
use crate::io::{read_document, read_input};

/// Arguments of `valuesmith plan`.
#[derive(Debug, clap::Args)]
pub struct PlanArgs {
    /// A values file named `values-<env>-<release>.yml`: its name gives the env and the
    /// current release, and the catalog is looked for from its folder.
    pub file: Option<String>,

    /// The target release.
    #[arg(long, value_name = "RELEASE")]
    pub to: String,

    /// The current release, the env and the catalog.
    #[command(flatten)]
    pub release: ReleaseArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// `--render-check --charts-dir DIR [--helm PATH]`: FILE's steps rendered (docs/render.md).
    #[command(flatten)]
    pub render: crate::commands::helm_args::StepCheckArgs,
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
            let missing = std::io::Error::from(std::io::ErrorKind::NotFound);
            return Err(CliError::io(&file.display().to_string(), &missing));
        }
    }
    let folder = file
        .and_then(Path::parent)
        .filter(|p| !p.as_os_str().is_empty());
    let catalog = find_catalog(
        args.release.catalog.as_deref(),
        folder.unwrap_or(Path::new(".")),
    )?;

    // The file's value at `version_path` counts as it does for migrate and validate; a file
    // that does not read as YAML still plans from its name.
    let input = args.file.as_deref().map(read_input).transpose()?;
    let read = input
        .as_ref()
        .map(|input| read_document(&input.name, &input.bytes));
    let (from, env) = current_release(
        args.file.as_deref(),
        args.release.from.as_deref(),
        args.release.env.as_deref(),
        &catalog,
        read.as_ref().and_then(|r| r.as_ref().ok()),
    )?;
    let to = parse_release(&args.to, "--to")?;
    let settings = args.render.settings();
    let checked = match (&settings, input, read) {
        (None, _, _) => None,
        (Some(_), Some(input), Some(read)) => Some((input.name, read?)),
        _ => {
            return Err(CliError::message(
                "--render-check renders FILE's steps, and no FILE was given",
            ))
        }
    };
    let source = checked.as_ref().map(|(_, document)| document.to_text());
    let check = match (&settings, &checked) {
        (Some((helm, dir)), Some((_, document))) => {
            Some(StepCheck::new(helm, dir, document.clone()))
        }
        _ => None,
    };
    let values_dir = folder.map(|p| p.display().to_string());
    let options = RenderOptions::default()
        .with_env(env.as_deref())
        .with_values_dir(values_dir.as_deref());
    let text = match plan_report(&catalog, &from, &to, args.format.into(), options, check) {
        Ok(text) => text,
        Err(PlanReportError::Check(err)) => {
            let (name, _) = checked.as_ref().expect("a checked file");
            return Err(step_check_error(
                err,
                name,
                source.as_deref().unwrap_or_default(),
            ));
        }
        Err(PlanReportError::Plan(err)) => return Err(err.into()),
        Err(err) => return Err(CliError::message(err.to_string())),
    };
    write_stdout(&text)?;
    Ok(ExitStatus::Success)
}
