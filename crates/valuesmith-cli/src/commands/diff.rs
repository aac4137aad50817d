//! `valuesmith diff`: the structural diff of two YAML documents (docs/diff.md).

use valuesmith::diagnostic::Color;
use valuesmith::diff::render::{self, Format};
use valuesmith::diff::{diff, DiffOptions, PathPattern};
use valuesmith::document::{Document, DocumentKind, Limits, Reading};

use crate::error::{write_stdout, CliError, ExitStatus};
use crate::io::{read_error, read_input};

/// `--format` of `valuesmith diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// A block a change, with old and new values and a line diff of multi-line text.
    Human,
    /// One line a change.
    Brief,
    /// The JSON document of the product contract.
    Json,
    /// GitHub Actions annotations, one a change.
    Github,
}

impl From<DiffFormat> for Format {
    fn from(format: DiffFormat) -> Self {
        match format {
            DiffFormat::Human => Format::Human,
            DiffFormat::Brief => Format::Brief,
            DiffFormat::Json => Format::Json,
            DiffFormat::Github => Format::Github,
        }
    }
}

/// Arguments of `valuesmith diff`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The old document (`-` for standard input).
    #[arg(value_name = "OLD")]
    pub old: String,

    /// The new document (`-` for standard input).
    #[arg(value_name = "NEW")]
    pub new: String,

    /// How to report the differences.
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,

    /// Leave out differences at PATH and below (repeatable; `*` matches one segment, as in
    /// `*.image.tag` or `env[*].value`).
    #[arg(long, value_name = "PATH", value_parser = parse_pattern)]
    pub ignore: Vec<PathPattern>,

    /// Match the items of sequences of mappings by KEY before `name`, `id` and `key`
    /// (repeatable).
    #[arg(long = "identity", value_name = "KEY")]
    pub identity_keys: Vec<String>,

    /// Show the values of secrets (passwords, tokens, keys...) instead of `<redacted>`.
    #[arg(long)]
    pub show_secrets: bool,

    /// Read both documents by YAML 1.2 (for YAML that is not a values file, such as manifests:
    /// `yes` and `0755` stay as YAML 1.2 reads them) instead of the way Helm reads values.
    #[arg(long = "yaml-1.2")]
    pub yaml12: bool,
}

fn parse_pattern(text: &str) -> Result<PathPattern, String> {
    PathPattern::parse(text).map_err(|err| err.to_string())
}

/// Reads one side; a file that does not parse is an error whose snippet is redacted unless
/// `show_secrets`.
fn read_document(
    path: &str,
    reading: Reading,
    show_secrets: bool,
) -> Result<(String, Document), CliError> {
    let input = read_input(path)?;
    match Document::from_bytes_with(&input.bytes, DocumentKind::Any, Limits::default(), reading) {
        Ok(document) => Ok((input.name, document)),
        Err(error) => Err(read_error(&input.name, error, &input.bytes, show_secrets)),
    }
}

/// Runs `valuesmith diff`: exit 0 when the documents are equal, 1 when they differ.
pub fn run(args: DiffArgs, color: Color) -> Result<ExitStatus, CliError> {
    if args.old == "-" && args.new == "-" {
        return Err(CliError::message(
            "standard input (`-`) can stand for only one of OLD and NEW",
        )
        .with_hint("give the other document as a file"));
    }
    let reading = if args.yaml12 {
        Reading::Yaml12
    } else {
        Reading::default()
    };
    let (old_name, old) = read_document(&args.old, reading, args.show_secrets)?;
    let (new_name, new) = read_document(&args.new, reading, args.show_secrets)?;
    let options = DiffOptions::default()
        .with_identity_keys(args.identity_keys)
        .with_ignore(args.ignore)
        .with_show_secrets(args.show_secrets);
    let result = diff(&old, &new, &options);
    let report = render::render(&result, args.format.into(), &old_name, &new_name, color);
    write_stdout(&report)?;
    Ok(if result.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Findings
    })
}
