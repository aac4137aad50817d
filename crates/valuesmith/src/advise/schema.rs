//! B's schema on the values Helm would use (docs/advise.md, "Schema and type"): the user's
//! files and `--set` flags over B's defaults, as `helm upgrade` validates them, against B's
//! schema and every enabled subchart's; each failure at the line of the file, or the flag,
//! that set the offending value, or at the chart default it inherits.

use super::{AdviseInputs, At, SchemaFailure};
use crate::effective::{Effective, Source};
use crate::path::{Path, Segment};
use crate::secrets::{redact_set_flag, shown, SecretValues};

/// Every failure of B's schemas on B's effective values `eff`, in schema order, each once.
pub(super) fn failures(inputs: AdviseInputs<'_>, eff: &Effective<'_>) -> Vec<SchemaFailure> {
    let documents: Vec<_> = inputs.files.iter().map(|(_, d)| d).collect();
    let secrets = SecretValues::of_documents(&documents);
    let mut out: Vec<SchemaFailure> = Vec::new();
    for enabled in eff.enabled_charts() {
        let Some(schema) = enabled.chart.schema() else {
            continue;
        };
        let values = if enabled.path.is_root() {
            eff.value()
        } else {
            match eff.get(enabled.path) {
                Some(values) => values,
                None => continue,
            }
        };
        for explained in schema.explain(&values) {
            let mut path = enabled.path.clone();
            for segment in explained.path.segments() {
                path = path.child(segment.clone());
            }
            let mut message = explained.message;
            if !inputs.show_secrets {
                message = scrub(&secrets.scrub(&message), eff, &path);
            }
            let mut hint = explained.hint;
            let at = match eff.source_at(&path) {
                Some(Source::File { file, location }) => {
                    let location = explained
                        .about_key
                        .then(|| key_location(inputs, &file, &path))
                        .flatten()
                        .unwrap_or(location);
                    At::in_file(file, location)
                }
                Some(Source::Set { flag }) => At {
                    file: if inputs.show_secrets {
                        flag
                    } else {
                        redact_set_flag(&flag)
                    },
                    line: None,
                    column: None,
                },
                Some(Source::ChartDefault { file, location }) => {
                    message.push_str(" (inherited from the chart's defaults)");
                    hint.push_str("; set the value in your file to override the default");
                    let location =
                        location.unwrap_or(crate::diagnostic::Location { line: 1, column: 1 });
                    At::in_file(file, location)
                }
                // The whole values (a required top-level property): the last file.
                _ => match inputs.files.last() {
                    Some((file, document)) => {
                        let location = document
                            .root()
                            .map_or(crate::diagnostic::Location { line: 1, column: 1 }, |root| {
                                document.node_location(root)
                            });
                        At::in_file(file.clone(), location)
                    }
                    None => continue,
                },
            };
            if !out.iter().any(|f| f.at == at && f.message == message) {
                out.push(SchemaFailure {
                    at,
                    message,
                    hint: Some(hint),
                });
            }
        }
    }
    out
}

/// `message` with the value at `path` shown `<redacted>` where it is a secret.
fn scrub(message: &str, eff: &Effective<'_>, path: &Path) -> String {
    let Some(value) = eff.get(path) else {
        return message.to_owned();
    };
    if shown(path, &value, false) == value {
        return message.to_owned();
    }
    let json = value.to_json().to_string();
    if json.len() < 3 {
        return message.to_owned();
    }
    message.replace(&json, "<redacted>")
}

/// Where the key of `path` is written in the file named `file`.
fn key_location(
    inputs: AdviseInputs<'_>,
    file: &str,
    path: &Path,
) -> Option<crate::diagnostic::Location> {
    let (_, document) = inputs.files.iter().find(|(name, _)| name == file)?;
    if path
        .segments()
        .iter()
        .any(|s| !matches!(s, Segment::Key(_)))
    {
        return None;
    }
    super::classify::key_location(document, path)
}
