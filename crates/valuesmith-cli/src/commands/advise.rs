//! `valuesmith advise`: what upgrading a chart from version A to B does to the user's
//! overrides, the draft rules that fix them, and the file with the confident renames
//! applied (docs/advise.md).

use std::path::PathBuf;

use valuesmith::advise::{self, advise, draft_rules, rewrite, AdviseInputs};
use valuesmith::chart::Chart;
use valuesmith::diagnostic::Color;
use valuesmith::files::Output;

use crate::commands::set_args::SetArgs;
use crate::error::{write_stdout, CliError, ExitStatus};
use crate::io::{read_document, read_input, write_all};

/// Arguments of `valuesmith advise`.
#[derive(Debug, clap::Args)]
pub struct AdviseArgs {
    /// The user's values files, layered in order as `helm -f` (later files win).
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<String>,

    /// Chart A, deployed now: a chart folder or a .tgz.
    #[arg(long, value_name = "CHART")]
    pub from_chart: PathBuf,

    /// Chart B, the version to upgrade to: a chart folder or a .tgz.
    #[arg(long, value_name = "CHART")]
    pub to_chart: PathBuf,

    /// The `--set`-style flags, as for `effective`.
    #[command(flatten)]
    pub sets: SetArgs,

    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Print a catalog release block (rename, warn, and commented remove/replace rules) for
    /// `migrate` instead of the report.
    #[arg(long, conflicts_with_all = ["write", "in_place"])]
    pub rules: bool,

    /// Write the (single) FILE with the confident renames applied to OUT.
    #[arg(long, value_name = "OUT", conflicts_with = "in_place")]
    pub write: Option<PathBuf>,

    /// Apply the confident renames to every FILE in place (all files or none).
    #[arg(short = 'i', long = "in-place")]
    pub in_place: bool,

    /// Replace OUT when it exists.
    #[arg(long)]
    pub force: bool,

    /// Show secret values instead of `<redacted>`.
    #[arg(long)]
    pub show_secrets: bool,
}

/// `--format` of `valuesmith advise`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Grouped text.
    Human,
    /// The report as JSON.
    Json,
    /// Markdown for a pull-request comment.
    Markdown,
    /// GitHub workflow annotations.
    Github,
}

/// Runs `valuesmith advise`: exit 0 when nothing needs acting on, 1 for stale overrides or
/// schema failures (after `--write`, for what is left), 2 when it could not run.
pub fn run(
    args: AdviseArgs,
    helm: crate::cli::HelmVersion,
    color: Color,
) -> Result<ExitStatus, CliError> {
    if args.write.is_some() && args.files.len() != 1 {
        return Err(CliError::message("--write takes exactly one FILE")
            .with_hint("use -i to rewrite several files in place"));
    }
    let from = Chart::load(&args.from_chart)?;
    let to = Chart::load(&args.to_chart)?;
    let mut files = Vec::new();
    for file in &args.files {
        let input = read_input(file)?;
        files.push((
            input.name.clone(),
            read_document(&input.name, &input.bytes)?,
        ));
    }
    let sets = args.sets.flags();
    let inputs = AdviseInputs::new(&from, &to)
        .with_files(&files)
        .with_sets(&sets)
        .with_helm(helm.into())
        .with_show_secrets(args.show_secrets);
    if args.write.is_some() || args.in_place {
        let targets: Vec<PathBuf> = match &args.write {
            Some(out) => vec![out.clone()],
            None => args.files.iter().map(PathBuf::from).collect(),
        };
        let shown: Vec<String> = targets.iter().map(|t| t.display().to_string()).collect();
        let rewritten = rewrite(inputs, &shown)?;
        let report = &rewritten.report;
        for note in &report.notes {
            eprintln!("note: {note}");
        }
        let mut outputs = Vec::new();
        let mut text = String::new();
        let mut applied = 0;
        for (written, target) in rewritten.files.into_iter().zip(targets) {
            let name = &written.file;
            for (from, to) in &written.applied {
                text.push_str(&format!("  > {from} -> {to}    ({name})\n"));
            }
            for (from, to, why) in &written.skipped {
                text.push_str(&format!(
                    "  = {from} -> {to}: not renamed, {why}    ({name})\n"
                ));
            }
            applied += written.applied.len();
            if args.write.is_some() || !written.applied.is_empty() {
                outputs.push(Output {
                    path: target,
                    bytes: written.text.into_bytes(),
                });
            }
        }
        write_all(&outputs, args.force || args.in_place)?;
        let left = &rewritten.left;
        let mut out = format!(
            "{} {} -> {}: {applied} rename(s) applied\n{text}",
            report.to.name, report.from.version, report.to.version,
        );
        if left.needs_action() {
            out.push_str("left for you:\n");
            for stale in &left.stale {
                out.push_str(&format!(
                    "  ! {}  {} is not a key of {}\n",
                    stale.at, stale.path, report.to.version
                ));
            }
            for failure in &left.schema {
                out.push_str(&format!("  ! {}  {}\n", failure.at, failure.message));
            }
        }
        write_stdout(&out)?;
        return Ok(status(left.needs_action()));
    }
    let report = advise(inputs)?;
    if args.rules || args.format != Format::Human {
        for note in &report.notes {
            eprintln!("note: {note}");
        }
    }
    if args.rules {
        write_stdout(&draft_rules(&report))?;
        return Ok(status(report.needs_action()));
    }
    let format = match args.format {
        Format::Human => advise::Format::Human,
        Format::Json => advise::Format::Json,
        Format::Markdown => advise::Format::Markdown,
        Format::Github => advise::Format::Github,
    };
    write_stdout(&advise::render(&report, format, color))?;
    Ok(status(report.needs_action()))
}

fn status(act: bool) -> ExitStatus {
    if act {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    }
}
