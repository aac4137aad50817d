//! `valuesmith schema FORMAT`: the JSON Schema of one of valuesmith's own file formats, for
//! editors (`# yaml-language-server: $schema=...`) and CI.

use crate::error::{write_stdout, CliError, ExitStatus};

/// Arguments of `valuesmith schema`.
#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// Which file format.
    #[arg(value_enum)]
    pub format: SchemaFormat,
}

/// The formats that have a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SchemaFormat {
    /// The release catalog (releases.yml, or a file of a releases/ folder).
    Catalog,
}

/// Runs `valuesmith schema`: the schema, as pretty JSON, on standard output.
pub fn run(args: SchemaArgs) -> Result<ExitStatus, CliError> {
    let schema = match args.format {
        SchemaFormat::Catalog => valuesmith::formats::catalog_schema(),
    };
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    write_stdout(&text)?;
    Ok(ExitStatus::Success)
}
