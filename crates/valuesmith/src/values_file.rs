//! Which release and env a values file is at, and the names of step files.
//!
//! This module owns the one answer `validate`, `plan` and `migrate` give about a file: the
//! release comes from the file name (`values-<env>-<release>.yml`, split with the catalog's
//! releases settling ambiguity), or from `--from`, or else from the value at the catalog's
//! `version_path`, read as written (a plain `2024.10` is release 2024.10, not the float
//! 2024.1). A file whose name and `version_path` disagree is refused with the message
//! `validate` reports as `release-mismatch`, unless `--from` names one of the two.

use crate::catalog::Catalog;
use crate::diagnostic::Location;
use crate::document::{Document, NodeId, NodeKind};
use crate::path::Path;
use crate::version::{values_file_name, Version};

/// The release a scalar states, as written (the node's text, not what it resolves to).
/// `Err` holds what the node is instead (its text, or its type).
pub fn stated_version(document: &Document, id: NodeId) -> Result<Version, String> {
    let id = document.resolve(id);
    match &document.node(id).kind {
        NodeKind::Scalar { text, .. } => Version::parse(text.trim()).map_err(|_| text.clone()),
        _ => Err(document.value_of(id).type_name().to_owned()),
    }
}

/// The release the value at the catalog's `version_path` states, with the node.
pub fn version_path_release(
    document: &Document,
    catalog: &Catalog,
) -> Option<(NodeId, Result<Version, String>)> {
    let path = catalog.version_path.as_ref()?;
    let id = document.get(path)?;
    Some((id, stated_version(document, id)))
}

/// A file name and a `version_path` that name two releases.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    /// The catalog's `version_path`.
    pub path: Path,
    /// What it states: a release, or the text that is none.
    pub stated: Result<Version, String>,
    /// The release the file name says.
    pub named: Version,
    /// Where the value is.
    pub location: Location,
    /// The message, as every command words it.
    pub message: String,
}

impl Mismatch {
    /// The fix, for a file shown as `file` whose name has `env`.
    pub fn hint(&self, file: &str, env: &str) -> String {
        let set_hint = format!(
            "valuesmith set {} {} '\"{}\"'",
            crate::validate::shell_word(file),
            self.path,
            self.named
        );
        match &self.stated {
            Ok(stated) => format!(
                "if the file is for {stated}, name it {}; if it is for {}, run {set_hint}",
                values_file_name(env, stated),
                self.named
            ),
            Err(_) => format!("run {set_hint}"),
        }
    }
}

/// Compares the release of a file's name with the one its `version_path` states; `None`
/// when they agree or the file has no value there.
pub fn mismatch(document: &Document, catalog: &Catalog, named: &Version) -> Option<Mismatch> {
    let path = catalog.version_path.clone()?;
    let (id, stated) = version_path_release(document, catalog)?;
    if stated.as_ref() == Ok(named) {
        return None;
    }
    let message = match &stated {
        Ok(stated) => format!("`{path}` says release {stated}, but the file name says {named}"),
        Err(what) => format!(
            "`{path}` should state release {named} (from the file name), but it is `{what}`, \
             not a release version"
        ),
    };
    Some(Mismatch {
        location: document.node_location(document.resolve(id)),
        path,
        stated,
        named: named.clone(),
        message,
    })
}

/// The names of the step files of a migration of an `env` file through `steps`.
pub fn step_file_names<'v>(env: &str, steps: impl IntoIterator<Item = &'v Version>) -> Vec<String> {
    steps
        .into_iter()
        .map(|release| values_file_name(env, release))
        .collect()
}
