//! `valuesmith drift FILE...`: the environments matrix of one release's values files
//! (docs/environments.md).

use std::path::PathBuf;

use valuesmith::chart::Chart;
use valuesmith::config::Config;
use valuesmith::diagnostic::{Color, ToDiagnostic};
use valuesmith::drift::{drift_files, render, ReportFormat};

use crate::error::{write_stdout, CliError, ExitStatus};
use crate::io::{read_document, read_input};

/// Arguments of `valuesmith drift`.
#[derive(Debug, clap::Args)]
pub struct DriftArgs {
    /// The values files of one release, one per environment (two or more).
    #[arg(required = true, num_args = 2..)]
    pub files: Vec<String>,
    /// Compare the effective values: the chart's defaults coalesced under each file.
    #[arg(long, value_name = "CHART")]
    pub chart: Option<PathBuf>,
    /// The project configuration with the `drift.allow` policy (default: the
    /// `.valuesmith.yml` found upward from the first file's folder).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// An identity key for sequences of mappings, tried before name, id and key (repeatable).
    #[arg(long, value_name = "KEY")]
    pub identity: Vec<String>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Show secret values instead of `<redacted>`.
    #[arg(long)]
    pub show_secrets: bool,
}

/// `--format` of `valuesmith drift`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table for a terminal.
    Human,
    /// JSON.
    Json,
    /// A Markdown table.
    Markdown,
}

/// Runs `valuesmith drift`: exit 0 when every difference is allowed, 1 on drift.
pub fn run(args: DriftArgs, _color: Color) -> Result<ExitStatus, CliError> {
    let mut files = Vec::new();
    for file in &args.files {
        let input = read_input(file)?;
        files.push((
            input.name.clone(),
            read_document(&input.name, &input.bytes)?,
        ));
    }
    let chart = args.chart.as_deref().map(Chart::load).transpose()?;
    let config = Config::for_file(args.config.as_deref(), &args.files[0])?;
    let matrix = drift_files(&files, chart.as_ref(), &config.drift, &args.identity)
        .map_err(|err| CliError::new(err.to_diagnostic()))?;
    let format = match args.format {
        Format::Human => ReportFormat::Human,
        Format::Json => ReportFormat::Json,
        Format::Markdown => ReportFormat::Markdown,
    };
    write_stdout(&render(&matrix, format, args.show_secrets))?;
    Ok(if matrix.drifted().next().is_some() {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    })
}
