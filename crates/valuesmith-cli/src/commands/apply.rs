//! `valuesmith apply PATCH FILE`: write a diff made on one file into another, format-preserving,
//! with conflicts (docs/environments.md).

use std::path::{Path, PathBuf};

use valuesmith::config::Config;
use valuesmith::diagnostic::{Color, Diagnostic};
use valuesmith::patch::Patch;
use valuesmith::promote::{promote, render, PromoteOptions, ReportFormat};

use crate::error::{write_stdout, CliError, ExitStatus};
use crate::io::{read_document, read_input, write_atomic};

/// Arguments of `valuesmith apply`.
#[derive(Debug, clap::Args)]
pub struct ApplyArgs {
    /// The patch: the output of `valuesmith diff OLD NEW --format json` (`-` for standard
    /// input).
    pub patch: String,
    /// The values file to change (written in place).
    pub file: PathBuf,
    /// Write nothing: print the report and the unified diff of what would change.
    #[arg(long)]
    pub dry_run: bool,
    /// Apply the changes that do not conflict even when some do.
    #[arg(long)]
    pub skip_conflicts: bool,
    /// Keep a list or mapping a removal empties, as `[]` or `{}` (default: the emptied key
    /// goes, so the chart's default applies).
    #[arg(long)]
    pub keep_empty: bool,
    /// The project configuration whose `drift.allow` paths are skipped (default: the
    /// `.valuesmith.yml` found upward from FILE's folder).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Show secret values in the report and the diff instead of `<redacted>`.
    #[arg(long)]
    pub show_secrets: bool,
}

/// `--format` of `valuesmith apply`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Text for a terminal.
    Human,
    /// JSON.
    Json,
}

/// Runs `valuesmith apply`: exit 0 when every change applied (or was there already), 1 when
/// some conflict, 2 when it could not run.
pub fn run(args: ApplyArgs, color: Color) -> Result<ExitStatus, CliError> {
    let patch_input = read_input(&args.patch)?;
    let patch_text = String::from_utf8(patch_input.bytes)
        .map_err(|_| CliError::message(format!("{}: not UTF-8 text", patch_input.name)))?;
    let patch = Patch::from_json(&patch_text).map_err(|err| {
        let mut diagnostic =
            Diagnostic::error(format!("not a patch: {}", err.message)).with_file(&patch_input.name);
        if let (Some(line), Some(column)) = (err.line, err.column) {
            diagnostic.location = Some(valuesmith::diagnostic::Location { line, column });
        }
        let hint = err.hint().map(str::to_owned);
        let error = CliError::new(diagnostic);
        match hint {
            Some(hint) => error.with_hint(hint),
            None => error,
        }
    })?;
    let shown = args.file.display().to_string();
    let input = read_input(&shown)?;
    let target = read_document(&shown, &input.bytes)?;
    let config = Config::for_file(args.config.as_deref(), &shown)?;
    let mut options = PromoteOptions::default();
    options.policy = config.drift;
    options.skip_conflicts = args.skip_conflicts;
    options.keep_empty = args.keep_empty;
    let before = target.clone();
    let promotion = promote(target, &patch, &options)
        .map_err(|err| CliError::in_file(&err.error, &shown, before.source()))?;
    let format = match args.format {
        Format::Human => ReportFormat::Human,
        Format::Json => ReportFormat::Json,
    };
    let mut report = render(&promotion, &shown, format, args.show_secrets);
    let changed = promotion.document.to_text() != before.to_text();
    if args.dry_run {
        if format == ReportFormat::Human && changed {
            report.push('\n');
            report.push_str(&valuesmith::diff::unified(
                &before,
                &promotion.document,
                &shown,
                &shown,
                args.show_secrets,
                color,
            ));
        }
    } else if changed {
        write_atomic(Path::new(&args.file), &promotion.document.to_bytes(), true)?;
    }
    write_stdout(&report)?;
    Ok(if promotion.conflicts().next().is_some() {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    })
}
