//! `valuesmith migrate FILE --to RELEASE`: one values file per step of the upgrade path.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use valuesmith::diagnostic::Color;
use valuesmith::diagnostic::ToDiagnostic;
use valuesmith::document::Document;
use valuesmith::files::Output;
use valuesmith::migrate::{migrate, render, MigrateError, Migration, ReportFormat, ReportOptions};
use valuesmith::plan::plan;
use valuesmith::version::values_file_name;

use crate::commands::release::{current_release, find_catalog, parse_release, ReleaseArgs};
use crate::error::{write_stdout, CliError, ExitStatus};
use crate::io::{read_document, read_input, write_all};

/// Arguments of `valuesmith migrate`.
#[derive(Debug, clap::Args)]
pub struct MigrateArgs {
    /// The values file, named `values-<env>-<release>.yml` (`-` for standard input).
    pub file: String,

    /// The target release.
    #[arg(long, value_name = "RELEASE")]
    pub to: String,

    /// The current release, the env and the catalog.
    #[command(flatten)]
    pub release: ReleaseArgs,

    /// The output file, for a path of one step.
    #[arg(long, value_name = "FILE", conflicts_with = "out_dir")]
    pub out: Option<PathBuf>,

    /// The folder for the step files (default: FILE's folder); made if missing.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,

    /// Write nothing: print the report and the diff of each step.
    #[arg(long)]
    pub dry_run: bool,

    /// Overwrite output files that exist.
    #[arg(long)]
    pub force: bool,

    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Show secret values in the report and the diffs instead of `<redacted>`
    /// (docs/secrets.md).
    #[arg(long)]
    pub show_secrets: bool,

    /// `--render-check --charts-dir DIR [--helm PATH]` (docs/render.md).
    #[command(flatten)]
    pub render: crate::commands::helm_args::StepCheckArgs,
}

/// `--format` of `valuesmith migrate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Text for a terminal.
    Human,
    /// JSON.
    Json,
}

/// Runs `valuesmith migrate`.
pub fn run(args: MigrateArgs, color: Color) -> Result<ExitStatus, CliError> {
    let input = read_input(&args.file)?;
    let document = read_document(&input.name, &input.bytes)?;
    let folder = match Path::new(&args.file).parent() {
        Some(p) if args.file != "-" && !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let catalog = find_catalog(args.release.catalog.as_deref(), &folder)?;
    let (from, env) = current_release(
        Some(&args.file),
        args.release.from.as_deref(),
        args.release.env.as_deref(),
        &catalog,
        Some(&document),
    )?;
    let to = parse_release(&args.to, "--to")?;
    let path = plan(&catalog, &from, &to)?;
    if args.out.is_some() && path.steps.len() > 1 {
        let steps: Vec<String> = path
            .steps
            .iter()
            .map(|s| s.to.version.to_string())
            .collect();
        return Err(CliError::message(format!(
            "--out takes a path of one step, but {from} -> {to} has {} steps: {}",
            path.steps.len(),
            steps.join(", ")
        ))
        .with_hint("use --out-dir DIR to write one file per step"));
    }
    let outputs = output_paths(&args, &folder, env.as_deref(), &path)?;
    let source_text = document.to_text();
    let source_document = document.clone();
    let (migration, unmet) = match migrate(document, &path) {
        Ok(migration) => (migration, None),
        // The report shows what is missing, then the error says it; nothing is written.
        Err(MigrateError::Unmet(migration)) => {
            let err = MigrateError::Unmet(migration.clone());
            (*migration, Some(err))
        }
        Err(err) => return Err(CliError::in_file(&err, &input.name, &source_text)),
    };
    let options = ReportOptions {
        show_secrets: args.show_secrets,
        files: outputs.iter().map(|p| p.display().to_string()).collect(),
        input: input.name.clone(),
    };
    let format = match args.format {
        Format::Human => ReportFormat::Human,
        Format::Json => ReportFormat::Json,
    };
    let mut report = render(&migration, format, &options);
    if let Some(err) = unmet {
        write_stdout(&report)?;
        return Err(CliError::new(err.to_diagnostic()).with_status(ExitStatus::Findings));
    }
    args.render.check(&path, &migration, &options.files)?;
    if args.dry_run {
        if format == ReportFormat::Human {
            report.push_str(&diffs(&source_document, &migration, &options, color));
        }
        write_stdout(&report)?;
        return Ok(ExitStatus::Success);
    }
    for target in &outputs {
        if !args.force && target.exists() {
            return Err(
                CliError::message(format!("{}: already exists", target.display()))
                    .with_hint("pass --force to overwrite it, or --dry-run to see the result"),
            );
        }
        if args.file != "-" && same_file(target, Path::new(&args.file)) {
            return Err(CliError::message(format!(
                "{}: is the input file; migrate never modifies its input",
                target.display()
            )));
        }
    }
    if let Some(dir) = &args.out_dir {
        // `--out-dir releases/next` names a folder to fill; making it is part of the job.
        std::fs::create_dir_all(dir)
            .map_err(|err| CliError::io(&dir.display().to_string(), &err))?;
    }
    // Every step file or none: a failure at any step leaves no new or changed file.
    let files: Vec<Output> = outputs
        .iter()
        .zip(&migration.steps)
        .map(|(target, step)| Output {
            path: target.clone(),
            bytes: step.document.to_bytes(),
        })
        .collect();
    write_all(&files, true)?;
    write_stdout(&report)?;
    Ok(ExitStatus::Success)
}

fn output_paths(
    args: &MigrateArgs,
    folder: &Path,
    env: Option<&str>,
    path: &valuesmith::plan::UpgradePath<'_>,
) -> Result<Vec<PathBuf>, CliError> {
    if let Some(out) = &args.out {
        return Ok(path.steps.iter().map(|_| out.clone()).collect());
    }
    if path.steps.is_empty() {
        return Ok(Vec::new());
    }
    let env = env.ok_or_else(|| {
        CliError::message("the env for the output file names is not known").with_hint(
            "pass --env ENV (the files are named values-<env>-<release>.yml), or --out FILE",
        )
    })?;
    let dir = args.out_dir.as_deref().unwrap_or(folder);
    Ok(path
        .steps
        .iter()
        .map(|step| {
            let name = values_file_name(env, &step.to.version);
            // Beside an input in the current folder, name the file as the user would.
            if dir == Path::new(".") {
                PathBuf::from(name)
            } else {
                dir.join(name)
            }
        })
        .collect())
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn diffs(
    source: &Document,
    migration: &Migration,
    options: &ReportOptions,
    color: Color,
) -> String {
    let mut out = String::new();
    let mut before = source;
    let mut before_name = options.input.clone();
    for (i, step) in migration.steps.iter().enumerate() {
        let after_name = options
            .files
            .get(i)
            .cloned()
            .unwrap_or_else(|| step.to.to_string());
        let _ = writeln!(out);
        out.push_str(&valuesmith::diff::unified(
            before,
            &step.document,
            &before_name,
            &after_name,
            options.show_secrets,
            color,
        ));
        before = &step.document;
        before_name = after_name;
    }
    out
}
