//! `valuesmith get FILE PATH`: print the value at a path.

use valuesmith::diagnostic::{did_you_mean, Color};
use valuesmith::document::Document;
use valuesmith::path::Path;

use crate::error::{write_stdout, CliError, ExitStatus};
use crate::io::{parse_path, read_input, read_values};

/// Arguments of `valuesmith get`.
#[derive(Debug, clap::Args)]
pub struct GetArgs {
    /// The YAML file (`-` for standard input).
    pub file: String,
    /// The path, e.g. `global.image.tag` or `packages[name=CluedIn.EventHub].version`.
    pub path: String,
    /// Print secret values instead of `<redacted>` (docs/secrets.md).
    #[arg(long)]
    pub show_secrets: bool,

    /// `yaml` prints the value as the file writes it; `json` prints Helm's reading of it as
    /// the JSON that Helm's `toJson` gives.
    #[arg(long, value_enum, default_value_t = GetFormat::Yaml)]
    pub format: GetFormat,
}

/// How `get` prints a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GetFormat {
    /// As written in the file (a scalar as its text).
    Yaml,
    /// Helm's reading as JSON.
    Json,
}

/// Runs `valuesmith get`: a scalar prints as its text, a subtree as the YAML it is written
/// as in the file (comments included).
pub fn run(args: GetArgs, _color: Color) -> Result<ExitStatus, CliError> {
    let path = parse_path(&args.path)?;
    let input = read_input(&args.file)?;
    let doc = read_values(&input.name, &input.bytes, args.show_secrets)?;
    let doc = if args.show_secrets {
        doc
    } else {
        valuesmith::secrets::redacted_document(&doc).map_err(|_| {
            CliError::message(format!("{}: the secrets could not be redacted", input.name))
                .with_hint("pass --show-secrets to print the value as written")
        })?
    };
    if args.format == GetFormat::Json {
        let Some(value) = doc.get_value(&path) else {
            return Err(not_found(&doc, &path));
        };
        let json = valuesmith::value::helm_json(&value)
            .ok_or_else(|| CliError::message(format!("`{path}` holds a value JSON cannot hold")))?;
        write_stdout(&format!("{json}\n"))?;
        return Ok(ExitStatus::Success);
    }
    let Some(id) = doc.get(&path) else {
        return match doc.get_value(&path).and_then(|v| v.scalar_text()) {
            // A key that a merge key brings: only its value is there to print.
            Some(text) => {
                write_stdout(&format!("{text}\n"))?;
                Ok(ExitStatus::Success)
            }
            None => Err(not_found(&doc, &path)),
        };
    };
    let id = doc.resolve(id);
    let value = doc.value_of(id);
    let text = match value.scalar_text() {
        Some(text) => text,
        None => subtree_text(&doc, id),
    };
    write_stdout(&format!("{}\n", text.trim_end_matches('\n')))?;
    Ok(ExitStatus::Success)
}

/// The error for a path with no value, naming the deepest part that exists and the closest
/// key there.
pub fn not_found(doc: &Document, path: &Path) -> CliError {
    let mut existing = Path::root();
    for segment in path.segments() {
        let next = existing.child(segment.clone());
        if doc.get(&next).is_none() {
            break;
        }
        existing = next;
    }
    let message = if existing.is_root() {
        format!("no value at `{path}`")
    } else {
        format!("no value at `{path}` (`{existing}` exists)")
    };
    let mut err = CliError::message(message);
    let missing = path.segments().get(existing.len());
    if let (Some(valuesmith::path::Segment::Key(key)), Some(parent)) = (missing, doc.get(&existing))
    {
        let keys: Vec<&str> = doc
            .entries(parent)
            .map(|entries| entries.iter().map(|e| e.key_text.as_str()).collect())
            .unwrap_or_default();
        if let Some(best) = did_you_mean(key, keys) {
            err = err.with_hint(format!("did you mean `{}`?", existing.key(best)));
        }
    }
    err
}

/// A collection's lines as written, shifted left to column 0.
fn subtree_text(doc: &Document, id: valuesmith::document::NodeId) -> String {
    let node = doc.node(id);
    let source = doc.source();
    if !node.is_block_collection() {
        return source[node.span.clone()].to_owned();
    }
    let lines = doc.lines();
    let first = lines.line_of(node.span.start);
    let last = lines.line_of(node.span.end);
    let line_start = lines.line_start(first);
    let col = source[line_start..node.span.start].chars().count();
    let mut out = String::new();
    for line in first..=last {
        let range = lines.line_range(source, line);
        let text = if line == first {
            &source[node.span.start..range.end]
        } else {
            let full = &source[range];
            let indent = full.len() - full.trim_start_matches(' ').len();
            &full[indent.min(col)..]
        };
        out.push_str(text);
        out.push('\n');
    }
    out
}
