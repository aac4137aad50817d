//! `valuesmith plan` as one call ([`plan_report`]), and its `--render-check` ([`render_check`]):
//! a values file migrated in memory along a path and each step's result rendered with the
//! step's chart version (docs/render.md). Nothing is written.

use std::path::Path as FsPath;

use crate::catalog::Catalog;
use crate::document::Document;
use crate::migrate::{migrate, MigrateError};
use crate::render::{check_migration, CheckReport, Helm, RenderError};
use crate::version::{values_file_name, Version};

use super::{plan, render, PlanError, PlanFormat, RenderOptions, UpgradePath};

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

/// What `--render-check` of [`plan_report`] renders: the values file migrated along the path,
/// with `helm` and the charts `helm pull` saved in `charts_dir`.
#[derive(Debug)]
#[non_exhaustive]
pub struct StepCheck<'a> {
    /// The helm program.
    pub helm: &'a Helm,
    /// The folder of the step charts (`<name>-<version>.tgz`).
    pub charts_dir: &'a FsPath,
    /// The values file on the path's first release.
    pub document: Document,
}

impl<'a> StepCheck<'a> {
    /// Renders `document`'s steps with `helm` and the charts in `charts_dir`.
    pub fn new(helm: &'a Helm, charts_dir: &'a FsPath, document: Document) -> Self {
        Self {
            helm,
            charts_dir,
            document,
        }
    }
}

/// Why [`plan_report`] has no report.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlanReportError {
    /// No path from the current release to the target.
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// `--render-check` could not show that every step renders.
    #[error(transparent)]
    Check(#[from] RenderCheckError),
}

/// `valuesmith plan` as one call: the upgrade path from `from` to `to` in `catalog`, with every
/// step rendered first when `check` is given (a step that does not render is an error), as
/// `format` writes it (docs/plan.md).
pub fn plan_report(
    catalog: &Catalog,
    from: &Version,
    to: &Version,
    format: PlanFormat,
    options: RenderOptions<'_>,
    check: Option<StepCheck<'_>>,
) -> Result<String, PlanReportError> {
    let path = plan(catalog, from, to)?;
    if let Some(check) = check {
        render_check(
            check.helm,
            check.charts_dir,
            check.document,
            &path,
            options.env,
        )?;
    }
    Ok(render(&path, format, options))
}
