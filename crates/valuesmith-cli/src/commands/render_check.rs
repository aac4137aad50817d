//! `valuesmith render-check FILE... --chart CHART`: does `helm template` render these values,
//! and if not, which of the user's lines is it about (docs/render.md).

use std::path::PathBuf;

use valuesmith::diagnostic::Color;
use valuesmith::render::report::CheckFormat;
use valuesmith::render::{check_values, ChartRef};

use crate::commands::helm_args::{values_inputs, HelmArgs};
use crate::error::{write_stdout, CliError, ExitStatus};

/// Arguments of `valuesmith render-check`.
#[derive(Debug, clap::Args)]
pub struct RenderCheckArgs {
    /// The values files, in helm's `-f` order (`-` for standard input).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<String>,

    /// The chart: a folder with Chart.yaml, or a .tgz as `helm pull` saves it.
    #[arg(long, value_name = "CHART")]
    pub chart: PathBuf,

    /// How helm runs.
    #[command(flatten)]
    pub helm: HelmArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Show secret values in the user's lines and Helm's messages instead of `<redacted>`.
    #[arg(long)]
    pub show_secrets: bool,
}

/// `--format` of `valuesmith render-check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `file:line:col: error[code]: message` with the line, or the resource counts.
    Human,
    /// JSON: {"command", "chart", "files", "ok", "resources", "problems"}.
    Json,
    /// GitHub Actions annotations.
    Github,
}

/// Runs `valuesmith render-check`: exit 0 when it renders, 1 when Helm reports problems of
/// the values or templates, 2 when it could not be run.
pub fn run(args: RenderCheckArgs, color: Color) -> Result<ExitStatus, CliError> {
    let helm = args.helm.helm()?;
    let chart = ChartRef::new(&args.chart);
    let values = values_inputs(&args.files)?;
    let format = match args.format {
        Format::Human => CheckFormat::Human,
        Format::Json => CheckFormat::Json,
        Format::Github => CheckFormat::Github,
    };
    let outcome = check_values(
        &helm,
        &args.helm.request(&chart, &values, args.show_secrets),
        format,
        color,
    )?;
    write_stdout(&outcome.text)?;
    Ok(if outcome.findings {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    })
}
