//! `valuesmith effective`: the values a chart's templates see for `-f` files and `--set`
//! flags, as Helm computes them (docs/effective.md).

use std::path::PathBuf;

use valuesmith::chart::Chart;
use valuesmith::diagnostic::{Color, Diagnostic, Severity};
use valuesmith::effective::{self, effective, Inputs};

use crate::commands::set_args::SetArgs;
use crate::error::{write_stdout, CliError, ExitStatus};
use crate::io::read_document;
use crate::io::read_input;

/// Arguments of `valuesmith effective`.
#[derive(Debug, clap::Args)]
pub struct EffectiveArgs {
    /// The chart: a folder with Chart.yaml, or the .tgz that `helm pull` gives. Without it the
    /// values are the files' and flags' alone.
    #[arg(long, value_name = "CHART")]
    pub chart: Option<PathBuf>,

    /// A values file, as `helm -f` (repeatable; later files win; `-` for standard input).
    #[arg(short = 'f', long = "values", value_name = "FILE")]
    pub files: Vec<String>,

    /// The `--set`-style flags.
    #[command(flatten)]
    pub sets: SetArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Yaml)]
    pub format: Format,

    /// List every effective value with the file and line, chart default or flag it came
    /// from, and every default that a null deleted.
    #[arg(long)]
    pub explain: bool,

    /// Print secret values instead of `<redacted>` (docs/secrets.md); `--format json` is then
    /// exactly Helm's.
    #[arg(long)]
    pub show_secrets: bool,
}

/// `--format` of `valuesmith effective`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Block YAML, keys sorted.
    Yaml,
    /// What `helm template` prints for `{{ toJson .Values }}`.
    Json,
}

/// Runs `valuesmith effective`: the values on standard output, type clashes on standard error.
pub fn run(
    args: EffectiveArgs,
    helm: crate::cli::HelmVersion,
    color: Color,
) -> Result<ExitStatus, CliError> {
    let chart = args.chart.as_deref().map(Chart::load).transpose()?;
    let mut files = Vec::new();
    for file in &args.files {
        let input = read_input(file)?;
        files.push((
            input.name.clone(),
            read_document(&input.name, &input.bytes)?,
        ));
    }
    let sets = args.sets.flags();
    let inputs = Inputs::default()
        .with_chart(chart.as_ref())
        .with_files(&files)
        .with_sets(&sets)
        .with_helm(helm.into());
    let result = effective(inputs)?;
    if args.explain {
        write_stdout(&effective::explain(&result, args.show_secrets))?;
        return Ok(ExitStatus::Success);
    }
    for warning in result.warnings() {
        let mut d = Diagnostic::error(format!("{}: {}", warning.path, warning.message));
        d.severity = Severity::Warning;
        d.hint = Some(format!(
            "the value comes from {}",
            warning.source.shown(args.show_secrets)
        ));
        eprint!("{}", d.render(color));
    }
    let format = match args.format {
        Format::Yaml => effective::Format::Yaml,
        Format::Json => effective::Format::Json,
    };
    write_stdout(&effective::render(&result, format, args.show_secrets))?;
    Ok(ExitStatus::Success)
}
