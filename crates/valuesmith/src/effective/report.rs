//! How effective values are printed: YAML, Helm's JSON, and the `--explain` listing.

use super::Effective;
use crate::edit::{render_flow, Layout};
use crate::path::Path;
use crate::secrets;
use crate::value::{Mapping, Value};

/// The output formats of `valuesmith effective`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Format {
    /// Block YAML, keys sorted as Helm sorts them.
    #[default]
    Yaml,
    /// Exactly what `helm template` prints for `{{ toJson .Values }}`.
    Json,
}

/// The effective values in `format`, with a final line break; secrets are `<redacted>`
/// unless `show_secrets` (docs/secrets.md).
pub fn render(effective: &Effective<'_>, format: Format, show_secrets: bool) -> String {
    let value = effective.value();
    let shown = secrets::shown(&Path::root(), &value, show_secrets);
    match format {
        // Helm's own encoding (which knows a `--set` integer from a file's float64) where
        // nothing is hidden; the redacted tree otherwise.
        Format::Json if shown == value => format!("{}\n", effective.to_helm_json()),
        Format::Json => format!(
            "{}\n",
            crate::value::helm_json(&shown).unwrap_or_else(|| "{}".to_owned())
        ),
        Format::Yaml => {
            let value = sorted(&shown);
            let text = match &value {
                Value::Mapping(m) if !m.is_empty() => Layout::default().mapping_lines(&value, 0),
                _ => "{}".to_owned(),
            };
            format!("{text}\n")
        }
    }
}

/// `--explain`: every effective leaf with where it came from, then the defaults a `null`
/// deleted, the subcharts left out and the type clashes. A secret leaf shows `<redacted>`
/// unless `show_secrets`, and so does the `--set` flag that set it.
pub fn explain(effective: &Effective<'_>, show_secrets: bool) -> String {
    let mut out = String::new();
    // Judged on the whole tree, so that a value is secret through its siblings too (an
    // `env` item named `DB_PASSWORD`).
    let whole = effective.value();
    let shown_whole = secrets::shown(&Path::root(), &whole, show_secrets);
    for leaf in effective.leaves() {
        let path = if leaf.path.is_root() {
            "(the values)".to_owned()
        } else {
            leaf.path.to_string()
        };
        let shown = match shown_whole.at(&leaf.path) {
            Some(value) => value.clone(),
            None => secrets::shown(&leaf.path, &leaf.value, show_secrets),
        };
        let source = leaf.source.shown(show_secrets);
        out.push_str(&format!("{path} = {}  <- {source}\n", render_flow(&shown)));
    }
    for deletion in effective.deletions() {
        out.push_str(&format!(
            "{} deleted by the null at {} (the default was at {})\n",
            deletion.path,
            deletion.by.shown(show_secrets),
            deletion
                .default
                .to_string()
                .trim_end_matches(" (chart default)")
        ));
    }
    for (path, name) in effective.disabled_charts() {
        out.push_str(&format!(
            "{path}: the subchart `{name}` is disabled (its condition or tags), so its \
             defaults are left out\n"
        ));
    }
    for warning in effective.warnings() {
        out.push_str(&format!(
            "warning: {}: {} ({})\n",
            warning.path,
            warning.message,
            warning.source.shown(show_secrets)
        ));
    }
    out
}

/// `value` with every mapping's keys in byte order, as Helm (Go) prints them.
pub(crate) fn sorted(value: &Value) -> Value {
    match value {
        Value::Mapping(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            Value::Mapping(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.clone(), sorted(v)))
                    .collect::<Mapping>(),
            )
        }
        Value::Sequence(items) => Value::Sequence(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}
