//! `valuesmith effective`: the values a chart's templates see for `-f` files and `--set`
//! flags, as Helm computes them (docs/effective.md).

use std::path::PathBuf;

use valuesmith::chart::Chart;
use valuesmith::diagnostic::{Color, Diagnostic, Severity};
use valuesmith::effective::{self, effective, Inputs, SetFlag, SetKind};

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

    /// A value in Helm's syntax, `a.b=c`, `a={x,y}`, `a[0].b=c` (repeatable).
    #[arg(long = "set", value_name = "K=V")]
    pub set: Vec<String>,

    /// As --set, every value a string (repeatable; applied after every --set, as Helm does).
    #[arg(long = "set-string", value_name = "K=V")]
    pub set_string: Vec<String>,

    /// As --set, every value JSON: `a={"b":1}`, `list=[1,2]` (repeatable; applied before
    /// every --set, as Helm does).
    #[arg(long = "set-json", value_name = "K=JSON")]
    pub set_json: Vec<String>,

    /// As --set, every value the text of the file it names (repeatable; applied after every
    /// --set-string).
    #[arg(long = "set-file", value_name = "K=PATH")]
    pub set_file: Vec<String>,

    /// As --set, the text after `=` one string as written, commas and backslashes included
    /// (repeatable; applied last).
    #[arg(long = "set-literal", value_name = "K=V")]
    pub set_literal: Vec<String>,

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
    let flags = [
        (SetKind::Set, &args.set),
        (SetKind::SetString, &args.set_string),
        (SetKind::SetJson, &args.set_json),
        (SetKind::SetFile, &args.set_file),
        (SetKind::SetLiteral, &args.set_literal),
    ];
    let sets: Vec<SetFlag> = flags
        .into_iter()
        .flat_map(|(kind, texts)| {
            texts.iter().map(move |text| SetFlag {
                kind,
                text: text.clone(),
            })
        })
        .collect();
    let inputs = Inputs {
        chart: chart.as_ref(),
        files: &files,
        sets: &sets,
        helm: helm.into(),
    };
    let result = effective(inputs)?;
    if args.explain {
        write_stdout(&effective::explain(&result, args.show_secrets))?;
        return Ok(ExitStatus::Success);
    }
    for warning in result.warnings() {
        let mut d = Diagnostic::error(format!("{}: {}", warning.path, warning.message));
        d.severity = Severity::Warning;
        d.hint = Some(format!("the value comes from {}", warning.source));
        eprint!("{}", d.render(color));
    }
    let format = match args.format {
        Format::Yaml => effective::Format::Yaml,
        Format::Json => effective::Format::Json,
    };
    write_stdout(&effective::render(&result, format, args.show_secrets))?;
    Ok(ExitStatus::Success)
}
