//! `valuesmith validate FILE...`: findings for pre-commit and CI.
//!
//! Setup errors (a schema, chart values file or catalog that cannot be read) stop the command
//! before any file is checked (exit 2). Each values file is then checked on its own: a file
//! that does not parse is a finding of that file, and a file that cannot be read at all is
//! reported on standard error; either way the other files are still checked. The report goes
//! to standard output in one piece, so the JSON format is one document for all the files.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use valuesmith::catalog::{Catalog, CATALOG_ENV_VAR};
use valuesmith::config::{parse_code, Config, ValidateSettings};
use valuesmith::diagnostic::Color;
use valuesmith::document::Document;
use valuesmith::validate::{
    apply_fixes, render, validate_file, validate_file_redacted, validate_files, ChartValues, Code,
    FileInput, Format as ReportFormat, Schema, Summary, ValidateOptions,
};

use crate::error::{write_stdout, CliError, ExitStatus};
use crate::io::{read_input, write_atomic};

/// Arguments of `valuesmith validate`.
#[derive(Debug, clap::Args)]
// The catalog flag's help is shared with the commands that need a catalog; validate runs
// without one, and its help has to say what that means. (The flag's id is its field name.)
#[command(mut_arg("path", |arg| arg.help(
    "The catalog: a releases.yml file or a folder of *.yml files (default: $VALUESMITH_CATALOG, \
     else releases.yml or releases/ in each values file's folder or a parent); without one, \
     the release checks are skipped"
)))]
pub struct ValidateArgs {
    /// The values files (`-` for standard input).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<String>,

    #[command(flatten)]
    pub catalog: crate::commands::release::CatalogArg,

    /// The chart's values.schema.json: report every violation at the offending value.
    #[arg(long, value_name = "FILE")]
    pub schema: Option<PathBuf>,

    /// The chart's default values.yaml: report keys the chart does not have.
    #[arg(long, value_name = "FILE")]
    pub chart_values: Option<PathBuf>,

    /// The chart (a folder or .tgz): check the values Helm computes over its defaults against
    /// its schema and every enabled subchart's, and report keys it does not have.
    #[arg(long, value_name = "CHART")]
    pub chart: Option<PathBuf>,

    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub strict: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Report only these finding codes (comma-separated or repeated); replaces the config
    /// file's `select`.
    #[arg(long, value_name = "CODE", value_delimiter = ',', value_parser = code)]
    pub select: Option<Vec<Code>>,

    /// Never report these finding codes.
    #[arg(long, value_name = "CODE", value_delimiter = ',', value_parser = code)]
    pub ignore: Vec<Code>,

    /// Report these finding codes as warnings (they fail the run only with --strict).
    #[arg(long, value_name = "CODE", value_delimiter = ',', value_parser = code)]
    pub warn: Vec<Code>,

    /// A value that counts as supplied for `required-input` (`*` matches anything), e.g.
    /// '<from-vault>' or 'CHANGEME'; repeatable.
    #[arg(long, value_name = "PATTERN")]
    pub placeholder: Vec<String>,

    /// The project config file (default: .valuesmith.yml or .valuesmith.yaml in each file's
    /// folder or the nearest parent that has one).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Read no config file; only the flags apply.
    #[arg(long)]
    pub no_config: bool,

    /// Show secret values in messages and snippets instead of `<redacted>` (docs/secrets.md).
    #[arg(long)]
    pub show_secrets: bool,

    /// Apply the safe fixes to the files (atomically, changing nothing else), then report
    /// what is left.
    #[arg(long)]
    pub fix: bool,

    /// With --fix or --diff: apply the unsafe fixes too.
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Print the fixes as a unified diff instead of writing them.
    #[arg(long)]
    pub diff: bool,
}

/// A finding code as a flag value, with the did-you-mean of a typo.
fn code(text: &str) -> Result<Code, String> {
    parse_code(text).map_err(|err| format!("{err}; {}", err.hint()))
}

/// `--format` of `valuesmith validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `file:line:col: error[code]: message`, the line with a caret, and a hint.
    Human,
    /// JSON: {"findings": [...], "errors": N, "warnings": N}.
    Json,
    /// GitHub Actions annotations (`::error file=...::message`).
    Github,
    /// SARIF 2.1.0, for GitHub code scanning (`github/codeql-action/upload-sarif`).
    Sarif,
    /// GitLab's code quality report (`artifacts: reports: codequality:`).
    Gitlab,
}

impl From<Format> for ReportFormat {
    fn from(format: Format) -> Self {
        match format {
            Format::Human => ReportFormat::Human,
            Format::Json => ReportFormat::Json,
            Format::Github => ReportFormat::Github,
            Format::Sarif => ReportFormat::Sarif,
            Format::Gitlab => ReportFormat::Gitlab,
        }
    }
}

/// Runs `valuesmith validate`.
pub fn run(args: ValidateArgs, color: Color) -> Result<ExitStatus, CliError> {
    let schema = args.schema.as_deref().map(Schema::load).transpose()?;
    let chart_values = args
        .chart_values
        .as_deref()
        .map(ChartValues::load)
        .transpose()?;
    let chart = args
        .chart
        .as_deref()
        .map(valuesmith::chart::Chart::load)
        .transpose()?;
    let catalogs = catalogs_for(&args.files, args.catalog.as_deref())?;
    let settings = settings_for(&args)?;

    let mut findings = Vec::new();
    let mut diffs = String::new();
    let mut unreadable = false;
    let mut read = Vec::with_capacity(args.files.len());
    for ((file, catalog), settings) in args.files.iter().zip(&catalogs).zip(&settings) {
        match read_input(file) {
            Ok(input) => read.push((file, input, catalog, settings)),
            Err(err) => {
                eprint!("{}", err.render(color));
                unreadable = true;
            }
        }
    }
    let inputs: Vec<FileInput<'_>> = read
        .iter()
        .map(|(_, input, catalog, settings)| {
            let options = ValidateOptions::default()
                .with_catalog(catalog.as_deref())
                .with_schema(schema.as_ref())
                .with_chart_values(chart_values.as_ref())
                .with_strict(args.strict)
                .with_settings(Some(settings))
                .with_chart(chart.as_ref());
            FileInput::new(&input.name, &input.bytes, options)
        })
        .collect();
    let all_found = validate_files(&inputs, !args.show_secrets);
    for (((file, input, _, _), found), checked) in read.iter().zip(all_found).zip(&inputs) {
        let options = &checked.options;
        if !(args.fix || args.diff) || *file == "-" {
            findings.extend(found);
            continue;
        }
        let fixed = Document::values_from_bytes(&input.bytes)
            .ok()
            .and_then(|document| apply_fixes(document, &found, args.unsafe_fixes));
        let Some((editor, count)) = fixed.filter(|(_, count)| *count > 0) else {
            findings.extend(found);
            continue;
        };
        let bytes = editor.document().to_bytes();
        if args.diff {
            let before = String::from_utf8_lossy(&input.bytes);
            let after = String::from_utf8_lossy(&bytes);
            let diff = similar::TextDiff::from_lines(&before, &after);
            diffs.push_str(
                &diff
                    .unified_diff()
                    .context_radius(2)
                    .header(&input.name, &input.name)
                    .to_string(),
            );
            findings.extend(found);
            continue;
        }
        write_atomic(Path::new(file), &bytes, true)?;
        eprintln!(
            "{}: fixed {count} finding{}",
            input.name,
            if count == 1 { "" } else { "s" }
        );
        findings.extend(if args.show_secrets {
            validate_file(&input.name, &bytes, options)
        } else {
            validate_file_redacted(&input.name, &bytes, options)
        });
    }
    if args.diff {
        write_stdout(&diffs)?;
        return Ok(if diffs.is_empty() {
            ExitStatus::Success
        } else {
            ExitStatus::Findings
        });
    }
    let report_color = if args.format == Format::Human {
        color
    } else {
        Color::Never
    };
    write_stdout(&render(&findings, args.format.into(), report_color))?;
    Ok(if unreadable {
        ExitStatus::Failure
    } else if Summary::of(&findings).fails(args.strict) {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    })
}

/// The catalog of each file: `--catalog` for all of them, else the one found from each file's
/// folder (each found catalog is read once).
fn catalogs_for(
    files: &[String],
    explicit: Option<&Path>,
) -> Result<Vec<Option<Arc<Catalog>>>, CliError> {
    if let Some(path) = explicit {
        let catalog = Catalog::discover(Some(path), None, Path::new("."))?.map(Arc::new);
        return Ok(vec![catalog; files.len()]);
    }
    let env_var = std::env::var_os(CATALOG_ENV_VAR);
    let mut by_folder: HashMap<PathBuf, Option<Arc<Catalog>>> = HashMap::new();
    let mut by_source: HashMap<PathBuf, Arc<Catalog>> = HashMap::new();
    let mut catalogs = Vec::with_capacity(files.len());
    for file in files {
        let folder = Config::folder_of(file);
        if let Some(known) = by_folder.get(&folder) {
            catalogs.push(known.clone());
            continue;
        }
        let found = match Catalog::find(None, env_var.clone(), &folder) {
            Ok(found) => found,
            // A folder that does not exist holds no catalog; the file's own read error
            // says what is wrong.
            Err(_) if !folder.exists() => None,
            Err(err) => return Err(err.into()),
        };
        let catalog = match found {
            Some(source) => match by_source.get(&source.path) {
                Some(catalog) => Some(Arc::clone(catalog)),
                None => {
                    let catalog = Arc::new(Catalog::load(&source.path)?);
                    by_source.insert(source.path, Arc::clone(&catalog));
                    Some(catalog)
                }
            },
            None => None,
        };
        by_folder.insert(folder, catalog.clone());
        catalogs.push(catalog);
    }
    Ok(catalogs)
}

/// The settings of each file: its config file's `validate` section (`--config`, else the one
/// found upward from the file's folder) with the flags laid over it. Each config file is read
/// once; one that cannot be read stops the command before any file is checked.
fn settings_for(args: &ValidateArgs) -> Result<Vec<Arc<ValidateSettings>>, CliError> {
    let mut flags = ValidateSettings::default();
    flags.select = args.select.clone();
    flags.ignore = args.ignore.clone();
    flags.warn = args.warn.clone();
    flags.placeholders = args.placeholder.clone();
    let settle = |config: Option<&Config>| {
        Arc::new(match config {
            Some(config) => config.validate.clone().overlaid_with(&flags),
            None => flags.clone(),
        })
    };
    if args.no_config {
        return Ok(vec![settle(None); args.files.len()]);
    }
    if let Some(path) = &args.config {
        let config = Config::load(path)?;
        return Ok(vec![settle(Some(&config)); args.files.len()]);
    }
    let mut by_file: HashMap<Option<PathBuf>, Arc<ValidateSettings>> = HashMap::new();
    let mut settings = Vec::with_capacity(args.files.len());
    for file in &args.files {
        let found = Config::find(&Config::folder_of(file));
        let entry = match by_file.get(&found) {
            Some(known) => Arc::clone(known),
            None => {
                let config = found.as_deref().map(Config::load).transpose()?;
                let made = settle(config.as_ref());
                by_file.insert(found, Arc::clone(&made));
                made
            }
        };
        settings.push(entry);
    }
    Ok(settings)
}
