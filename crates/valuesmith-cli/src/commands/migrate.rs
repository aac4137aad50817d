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
use crate::io::{read_input, read_values, write_all};

/// Arguments of `valuesmith migrate`.
#[derive(Debug, clap::Args)]
pub struct MigrateArgs {
    /// The values file, named `values-<env>-<release>.yml` (`-` for standard input); several
    /// files (one per environment) are migrated together, all or nothing.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<String>,

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
    if args.files.len() > 1 {
        return run_many(args, color);
    }
    let file = args.files[0].clone();
    let input = read_input(&file)?;
    let document = read_values(&input.name, &input.bytes, args.show_secrets)?;
    let folder = match Path::new(&file).parent() {
        Some(p) if file != "-" && !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let catalog = find_catalog(args.release.catalog.as_deref(), &folder)?;
    let (from, env) = current_release(
        Some(&file),
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
    // Only a dry run shows diffs against the input; a copy of a large document is not free.
    let source_document = args.dry_run.then(|| document.clone());
    let (migration, unmet) = match migrate(document, &path) {
        Ok(migration) => (migration, None),
        // The report shows what is missing, then the error says it; nothing is written.
        Err(MigrateError::Unmet(migration)) => {
            let err = MigrateError::Unmet(migration.clone());
            (*migration, Some(err))
        }
        Err(err) => return Err(CliError::in_file(&err, &input.name, &source_text)),
    };
    let options = ReportOptions::default()
        .with_show_secrets(args.show_secrets)
        .with_files(outputs.iter().map(|p| p.display().to_string()).collect())
        .with_input(input.name.clone());
    let format = match args.format {
        Format::Human => ReportFormat::Human,
        Format::Json => ReportFormat::Json,
    };
    let mut report = render(&migration, format, &options);
    if let Some(err) = unmet {
        write_stdout(&report)?;
        return Err(CliError::new(err.to_diagnostic()).with_status(ExitStatus::Findings));
    }
    args.render
        .check(&path, &migration, &options.files, args.show_secrets)?;
    if let Some(source_document) = &source_document {
        if format == ReportFormat::Human {
            report.push_str(&diffs(source_document, &migration, &options, color));
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
        if file != "-" && same_file(target, Path::new(&file)) {
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
    // The process ends with this command: freeing every step's document and thousands of
    // changes one allocation at a time was 5% of a large migration (docs/performance.md).
    std::mem::forget((migration, catalog, files));
    Ok(ExitStatus::Success)
}

/// `migrate FILE FILE... --to RELEASE`: every environment migrated, then every step file
/// written, or none (docs/migrate.md).
fn run_many(args: MigrateArgs, color: Color) -> Result<ExitStatus, CliError> {
    if args.out.is_some() || args.release.from.is_some() || args.release.env.is_some() {
        return Err(CliError::message(
            "--out, --from and --env name one file; with several files each name says its \
             env and release",
        )
        .with_hint("use --out-dir DIR, or migrate the file on its own"));
    }
    let mut files = Vec::new();
    for file in &args.files {
        if file == "-" {
            return Err(CliError::message(
                "standard input (`-`) cannot be one of several files",
            ));
        }
        let input = read_input(file)?;
        files.push(valuesmith::migrate::EnvFile {
            path: PathBuf::from(file),
            document: read_values(&input.name, &input.bytes, args.show_secrets)?,
        });
    }
    let folder = match Path::new(&args.files[0]).parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let catalog = find_catalog(args.release.catalog.as_deref(), &folder)?;
    let to = parse_release(&args.to, "--to")?;
    let sources: Vec<Document> = files.iter().map(|f| f.document.clone()).collect();
    let migrations =
        valuesmith::migrate::migrate_files(files, &catalog, &to, args.out_dir.as_deref()).map_err(
            |err| {
                let status = match &err {
                    valuesmith::migrate::FilesError::Migrate {
                        error: MigrateError::Unmet(_),
                        ..
                    } => ExitStatus::Findings,
                    _ => ExitStatus::Failure,
                };
                CliError::new(err.to_diagnostic()).with_status(status)
            },
        )?;
    let mut report = match args.format {
        Format::Human => valuesmith::migrate::render_combined(&migrations, args.show_secrets),
        Format::Json => {
            // One report a file, each in the shape of a single-file run (docs/migrate.md).
            let reports: Vec<serde_json::Value> = migrations
                .iter()
                .map(|m| {
                    let options = ReportOptions::default()
                        .with_show_secrets(args.show_secrets)
                        .with_files(m.outputs.iter().map(|p| p.display().to_string()).collect())
                        .with_input(m.input.display().to_string());
                    let text = render(&m.migration, ReportFormat::Json, &options);
                    serde_json::from_str(&text).unwrap_or(serde_json::Value::Null)
                })
                .collect();
            let mut text = serde_json::to_string_pretty(&reports).unwrap_or_default();
            text.push('\n');
            text
        }
    };
    if args.dry_run {
        if args.format == Format::Human {
            for (m, source) in migrations.iter().zip(&sources) {
                let options = ReportOptions::default()
                    .with_show_secrets(args.show_secrets)
                    .with_files(m.outputs.iter().map(|p| p.display().to_string()).collect())
                    .with_input(m.input.display().to_string());
                report.push_str(&diffs(source, &m.migration, &options, color));
            }
        }
        write_stdout(&report)?;
        return Ok(ExitStatus::Success);
    }
    if let Some(dir) = &args.out_dir {
        std::fs::create_dir_all(dir)
            .map_err(|err| CliError::io(&dir.display().to_string(), &err))?;
    }
    valuesmith::migrate::write_migrations(&migrations, args.force)
        .map_err(|err| CliError::new(err.to_diagnostic()))?;
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
