//! `valuesmith set FILE PATH VALUE`: change one value, and nothing else in the file.

use std::path::Path as FsPath;

use valuesmith::diagnostic::{Color, Diagnostic, Severity};
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
    /// Take VALUE as YAML even where the key holds a string now (without it, a VALUE such as
    /// `1.10`, `0755`, `on` or the empty string stays a string there).
    #[arg(long, conflicts_with = "string")]
    pub typed: bool,
    /// Write the result back to FILE (atomically) instead of printing it.
    #[arg(long, short = 'i')]
    pub in_place: bool,
    /// Write nothing: print the unified diff of the change (secrets redacted).
    #[arg(long, conflicts_with = "in_place")]
    pub diff: bool,
    /// With `--diff`, show secret values instead of `<redacted>`.
    #[arg(long, requires = "diff")]
    pub show_secrets: bool,
}

/// Runs `valuesmith set`.
pub fn run(args: SetArgs, color: Color) -> Result<ExitStatus, CliError> {
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
    if let Some((anchor, location)) = doc.merged_from(&path) {
        return Err(CliError::message(format!(
            "`{path}` comes from the merge key at {}:{}:{} (`<<: *{anchor}`); setting it here \
             would not change what `&{anchor}` defines",
            input.name, location.line, location.column
        ))
        .with_hint(format!(
            "edit the key where `&{anchor}` defines it, or write it explicitly in this mapping"
        )));
    }
    // Helm-true: a string stays a string unless `--typed` says otherwise.
    let value = match doc.get_value(&path) {
        Some(Value::String(_)) if !args.typed && value.is_scalar() && value.as_str().is_none() => {
            eprint!(
                "{}",
                kept_string_notice(&args.path, &args.value, &value).render(color)
            );
            Value::String(args.value.clone())
        }
        _ => value,
    };
    let source = doc.source().to_owned();
    let in_file = |err| CliError::in_file(&err, &input.name, &source);
    if args.diff {
        // Only a diff needs both documents: the one as it was and the one read back.
        let mut editor = DocumentMut::new(doc.clone());
        editor.set(&path, &value).map_err(in_file)?;
        return write_stdout(&valuesmith::diff::unified(
            &doc,
            editor.document(),
            &input.name,
            &input.name,
            args.show_secrets,
            color,
        ))
        .map(|()| ExitStatus::Success);
    }
    let (text, changed) = DocumentMut::new(doc)
        .set_to_text(&path, &value)
        .map_err(in_file)?;
    if args.in_place {
        if changed {
            write_atomic(FsPath::new(&args.file), text.as_bytes(), true)?;
        }
    } else {
        write_stdout(&text)?;
    }
    Ok(ExitStatus::Success)
}

/// The notice that VALUE, which Helm would read as `typed`, stays a string.
fn kept_string_notice(path: &str, text: &str, typed: &Value) -> Diagnostic {
    let reading = match typed {
        Value::Null => "null".to_owned(),
        other => format!(
            "the {} {}",
            other.type_name(),
            valuesmith::value::helm_json(other).unwrap_or_else(|| text.to_owned())
        ),
    };
    let mut notice = Diagnostic::error(format!(
        "`{path}` holds a string, so `{text}` is written as the string {text:?} (Helm would \
         read it as {reading})"
    ));
    notice.severity = Severity::Warning;
    notice.with_hint("pass --typed to write VALUE as YAML")
}

/// A command-line VALUE read as YAML.
fn parse_value(text: &str) -> Result<Value, CliError> {
    match Document::parse(text) {
        Ok(doc) => Ok(doc.value().clone()),
        Err(err) => Err(CliError::message(format!("VALUE is not valid YAML: {err}"))
            .with_hint("pass --string to set it as a string")),
    }
}
