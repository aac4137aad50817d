//! The catalog's YAML values (a release's `values`, a rule's `value` and `from`) read the way
//! a values file is read.
//!
//! serde-saphyr reads the catalog's structure, but a value the catalog requires must mean what
//! the same text means in a values file, or `validate` and `migrate` would compare `yes`
//! (YAML 1.1's boolean, as Helm reads it) with the string `yes`. So the catalog text is read a
//! second time with [`Document`], the values reader, and every value is taken from there.

use super::{Release, RuleKind};
use crate::document::Document;
use crate::path::Path;

/// Replaces the values of `releases` (in the order of the file's `releases` list) by the
/// values reader's reading of `text`. A text the values reader refuses keeps serde's
/// reading; its structure was already accepted.
pub(super) fn read_as_values_file(text: &str, releases: &mut [Release]) {
    let Ok(document) = Document::parse(text) else {
        return;
    };
    let value_at = |path: &Path| document.get_value(path);
    for (i, release) in releases.iter_mut().enumerate() {
        let at = Path::root().key("releases").index(i);
        if let Some(crate::value::Value::Mapping(values)) = value_at(&at.key("values")) {
            release.values = values;
        }
        for (j, rule) in release.migrate.iter_mut().enumerate() {
            let rule_at = at.key("migrate").index(j);
            match &mut rule.kind {
                RuleKind::Set { value, .. } | RuleKind::Add { value, .. } => {
                    if let Some(read) = value_at(&rule_at.key("value")) {
                        *value = read;
                    }
                }
                RuleKind::Replace { from, value, .. } => {
                    if let Some(read) = value_at(&rule_at.key("from")) {
                        *from = read;
                    }
                    if let Some(read) = value_at(&rule_at.key("value")) {
                        *value = read;
                    }
                }
                _ => {}
            }
        }
    }
}
