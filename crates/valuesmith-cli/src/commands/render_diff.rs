//! `valuesmith render-diff OLD NEW --chart CHART [--to-chart CHART2]`: what a change of values
//! (or of chart version) does to the rendered manifests, offline (docs/render.md).

use std::path::PathBuf;

use valuesmith::diagnostic::Color;
use valuesmith::diff::render::Format as DiffFormat;
use valuesmith::render::{diff_values, ChartRef};

use crate::commands::helm_args::{values_inputs, HelmArgs};
use crate::error::{write_stdout, CliError, ExitStatus};

/// Arguments of `valuesmith render-diff`.
#[derive(Debug, clap::Args)]
pub struct RenderDiffArgs {
    /// The old values file.
    #[arg(value_name = "OLD")]
    pub old: String,

    /// The new values file.
    #[arg(value_name = "NEW")]
    pub new: String,

    /// The chart OLD is rendered with (and NEW, without --to-chart): a folder or a .tgz.
    #[arg(long, value_name = "CHART")]
    pub chart: PathBuf,

    /// The chart NEW is rendered with: a chart upgrade.
    #[arg(long, value_name = "CHART")]
    pub to_chart: Option<PathBuf>,

    /// How helm runs (the same for both renders).
    #[command(flatten)]
    pub helm: HelmArgs,

    /// How to report the differences.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Show Secret data and other secret values instead of `<redacted>`.
    #[arg(long)]
    pub show_secrets: bool,
}

/// `--format` of `valuesmith render-diff`: the formats of `diff` (docs/diff.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A block a change, with old and new values and a line diff of multi-line text.
    Human,
    /// One line a change.
    Brief,
    /// The JSON document of the product contract.
    Json,
    /// GitHub Actions annotations, one a change.
    Github,
}

impl From<Format> for DiffFormat {
    fn from(format: Format) -> Self {
        match format {
            Format::Human => DiffFormat::Human,
            Format::Brief => DiffFormat::Brief,
            Format::Json => DiffFormat::Json,
            Format::Github => DiffFormat::Github,
        }
    }
}

/// Runs `valuesmith render-diff`: exit 0 when both render the same, 1 when they differ.
pub fn run(args: RenderDiffArgs, color: Color) -> Result<ExitStatus, CliError> {
    if args.old == "-" && args.new == "-" {
        return Err(CliError::message(
            "standard input (`-`) can stand for only one of OLD and NEW",
        ));
    }
    let helm = args.helm.helm()?;
    let old_chart = ChartRef::new(&args.chart);
    let new_chart = ChartRef::new(args.to_chart.as_ref().unwrap_or(&args.chart));
    let old_values = values_inputs(std::slice::from_ref(&args.old))?;
    let new_values = values_inputs(std::slice::from_ref(&args.new))?;
    let outcome = diff_values(
        &helm,
        &args
            .helm
            .request(&old_chart, &old_values, args.show_secrets),
        &args
            .helm
            .request(&new_chart, &new_values, args.show_secrets),
        args.format.into(),
        color,
    )?;
    write_stdout(&outcome.text)?;
    Ok(if outcome.findings {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    })
}
