//! `valuesmith set FILE PATH VALUE`: change one value, and nothing else in the file.

use std::path::Path as FsPath;

use valuesmith::diagnostic::Color;
use valuesmith::document::Document;
use valuesmith::edit::DocumentMut;
use valuesmith::value::Value;

use crate::error::{write_stdout, CliError, ExitStatus};
use crate::io::{parse_path, read_document, read_input, write_atomic};

/// Arguments of `valuesmith set`.
#[derive(Debug, clap::Args)]
pub struct SetArgs {
    /// The YAML file (`-` for standard input).
    pub file: String,
    /// The path, e.g. `global.image.tag`; missing parent keys are created.
    pub path: String,
    /// The new value, as YAML (`true` is a boolean, `"true"` a string); see `--string`. A
    /// value starting with `-` goes after `--`: `set values.yml replicas -- -1`.
    pub value: String,
    /// Take VALUE as a string, whatever it looks like.
    #[arg(long)]
    pub string: bool,
    /// Write the result back to FILE (atomically) instead of printing it.
    #[arg(long, short = 'i')]
    pub in_place: bool,
}

/// Runs `valuesmith set`.
pub fn run(args: SetArgs, _color: Color) -> Result<ExitStatus, CliError> {
    let path = parse_path(&args.path)?;
    if args.in_place && args.file == "-" {
        return Err(CliError::message(
            "--in-place needs a file, not standard input",
        ));
    }
    let value = if args.string {
        Value::String(args.value.clone())
    } else {
        parse_value(&args.value)?
    };
    let input = read_input(&args.file)?;
    let doc = read_document(&input.name, &input.bytes)?;
    let source = doc.source().to_owned();
    let mut editor = DocumentMut::new(doc);
    let changed = editor
        .set(&path, &value)
        .map_err(|err| CliError::in_file(&err, &input.name, &source))?;
    let text = editor.to_text();
    if args.in_place {
        if changed {
            write_atomic(FsPath::new(&args.file), text.as_bytes(), true)?;
        }
    } else {
        write_stdout(&text)?;
    }
    Ok(ExitStatus::Success)
}

/// A command-line VALUE read as YAML.
fn parse_value(text: &str) -> Result<Value, CliError> {
    match Document::parse(text) {
        Ok(doc) => Ok(doc.value().clone()),
        Err(err) => Err(CliError::message(format!("VALUE is not valid YAML: {err}"))
            .with_hint("pass --string to set it as a string")),
    }
}
