//! `plan --render-check` as one call: a values file migrated in memory along a path and each
//! step's result rendered with the step's chart version (docs/render.md). Nothing is written.

use std::path::Path as FsPath;

use crate::document::Document;
use crate::migrate::{migrate, MigrateError};
use crate::render::{check_migration, CheckReport, Helm, RenderError};
use crate::version::values_file_name;

use super::UpgradePath;

/// Why [`render_check`] could not show that every step renders.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RenderCheckError {
    /// The file could not be migrated along the path (positions are in the file).
    #[error(transparent)]
    Migrate(#[from] MigrateError),
    /// A step's chart is missing, Helm could not run, or a step did not render
    /// ([`RenderError::StepFailed`]).
    #[error(transparent)]
    Render(#[from] RenderError),
}

/// Migrates `document` along `path` in memory and renders every step's values with
/// `helm template` and the step's chart from `charts_dir` (`<name>-<version>.tgz`, as
/// `helm pull` saves it). Each step is named by its values file (`values-<env>-<release>.yml`)
/// when `env` is known, else `(step <release>)`. Returns the reports, one a step, when every
/// step renders. A failed step's report has its secret values redacted (`plan` prints no
/// secret).
pub fn render_check(
    helm: &Helm,
    charts_dir: &FsPath,
    document: Document,
    path: &UpgradePath<'_>,
    env: Option<&str>,
) -> Result<Vec<CheckReport>, RenderCheckError> {
    let migration = migrate(document, path)?;
    let names: Vec<String> = path
        .steps
        .iter()
        .map(|step| match env {
            Some(env) => values_file_name(env, &step.to.version),
            None => format!("(step {})", step.to.version),
        })
        .collect();
    Ok(check_migration(
        helm, charts_dir, path, &migration, &names, false,
    )?)
}
