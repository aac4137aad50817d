//! Assembling a catalog from its files: merging the top-level fields (repeated only with the
//! same value), collecting the releases, and the checks that need the whole catalog
//! (required fields, duplicate releases, order, defaults).

use std::sync::Arc;

use crate::diagnostic::Location;
use crate::path::Path;

use super::reading::{Header, Part};
use super::{
    Catalog, CatalogError, CatalogErrorKind, Commands, Policy, Release, Source, SourcePos,
};

/// Merges the files' headers (a field may be repeated only with the same value) and releases,
/// then checks what needs the whole catalog: required fields, duplicates, order.
pub(super) fn assemble(
    parts: Vec<Part>,
    sources: Vec<Source>,
    first_file: &Arc<str>,
) -> Result<Catalog, CatalogError> {
    let error_at = |kind, pos: &SourcePos, message: String, hint: Option<String>| {
        let span = sources
            .iter()
            .find(|s| s.name == pos.file)
            .and_then(|s| s.span_at(pos.location));
        CatalogError::Invalid {
            kind,
            file: pos.file.to_string(),
            location: pos.location,
            message,
            hint,
            span,
        }
    };
    let mut header = Header::default();
    let mut releases: Vec<Release> = Vec::new();
    let mut any_releases_field = false;
    for part in parts {
        macro_rules! merge {
            ($field:ident, $show:expr) => {
                if let Some(new) = part.header.$field {
                    match &header.$field {
                        None => header.$field = Some(new),
                        Some(old) if old.value == new.value => {}
                        Some(old) => {
                            let show: fn(&_) -> Option<String> = $show;
                            let detail = match (show(&old.value), show(&new.value)) {
                                (Some(old_text), Some(new_text)) => {
                                    format!(" (`{new_text}` here, `{old_text}` there)")
                                }
                                _ => String::new(),
                            };
                            return Err(error_at(
                                CatalogErrorKind::Conflict,
                                &new.at,
                                format!(
                                    "`{}` differs from the one at {}{detail}",
                                    stringify!($field),
                                    old.at
                                ),
                                Some(
                                    "state it in one file of the catalog folder, or the \
                                     same in each"
                                        .to_owned(),
                                ),
                            ));
                        }
                    }
                }
            };
        }
        merge!(product, |v: &String| Some(v.clone()));
        merge!(chart, |v: &String| Some(v.clone()));
        merge!(release_name, |v: &String| Some(v.clone()));
        merge!(namespace, |v: &String| Some(v.clone()));
        merge!(version_path, |v: &Path| Some(v.to_string()));
        merge!(identity_keys, |v: &Vec<String>| Some(v.join(", ")));
        merge!(policy, |v: &Policy| Some(format!(
            "sequential: {}",
            v.sequential.as_str()
        )));
        merge!(commands, |_: &Commands| None);
        any_releases_field |= part.releases_at.is_some();
        for release in part.releases {
            if let Some(first) = releases.iter().find(|r| r.version == release.version) {
                let same_text = first.version.as_str() == release.version.as_str();
                let message = if same_text {
                    format!(
                        "release {} is listed twice (first at {})",
                        release.version, first.origin.version
                    )
                } else {
                    format!(
                        "release {} is the same release as {} (first at {}): versions compare \
                         as numbers",
                        release.version, first.version, first.origin.version
                    )
                };
                return Err(error_at(
                    CatalogErrorKind::DuplicateRelease,
                    &release.origin.version,
                    message,
                    Some("keep one entry per release".to_owned()),
                ));
            }
            releases.push(release);
        }
    }
    let top = SourcePos {
        file: Arc::clone(first_file),
        location: Location { line: 1, column: 1 },
    };
    let several = sources.len() > 1;
    let missing = |field: &str, example: &str| {
        let message = if several {
            format!("no file of the catalog sets `{field}`")
        } else {
            format!("the catalog has no `{field}`")
        };
        error_at(
            CatalogErrorKind::MissingField,
            &top,
            message,
            Some(format!("add `{field}: {example}` at the top level")),
        )
    };
    let product = header
        .product
        .ok_or_else(|| missing("product", "my-product"))?
        .value;
    let chart = header
        .chart
        .ok_or_else(|| missing("chart", "my-repo/my-chart"))?
        .value;
    if releases.is_empty() {
        let message = if any_releases_field {
            "the catalog's `releases` list is empty"
        } else {
            "the catalog has no `releases`"
        };
        return Err(error_at(
            CatalogErrorKind::NoReleases,
            &top,
            message.to_owned(),
            Some(
                "list the releases under `releases:`, each with `version` and `chart_version`"
                    .to_owned(),
            ),
        ));
    }
    releases.sort_by(|a, b| a.version.cmp(&b.version));
    let release_name = header
        .release_name
        .map_or_else(|| product.clone(), |l| l.value);
    let namespace = header
        .namespace
        .map_or_else(|| release_name.clone(), |l| l.value);
    Ok(Catalog {
        product,
        chart,
        release_name,
        namespace,
        version_path: header.version_path.map(|l| l.value),
        identity_keys: header.identity_keys.map(|l| l.value).unwrap_or_default(),
        policy: header.policy.map(|l| l.value).unwrap_or_default(),
        commands: header.commands.map(|l| l.value).unwrap_or_default(),
        releases,
        sources,
    })
}
