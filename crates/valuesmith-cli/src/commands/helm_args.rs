//! The arguments every command that runs the user's Helm shares (`render-check`,
//! `render-diff`, and `--render-check` of `migrate` and `plan`), so that no command module
//! imports another's.

use std::path::PathBuf;
use std::time::Duration;

use valuesmith::plan::RenderCheckError;
use valuesmith::render::{ChartRef, Helm, RenderError, Request, ValuesInput};

use crate::error::{CliError, ExitStatus};
use crate::io::read_input;

/// How `helm template` is run: shared by `render-check` and `render-diff`.
#[derive(Debug, clap::Args)]
pub struct HelmArgs {
    /// The helm binary (default: `helm` on PATH). valuesmith never downloads Helm.
    #[arg(long, value_name = "PATH")]
    pub helm: Option<PathBuf>,

    /// A value as on helm's command line (repeatable).
    #[arg(long, value_name = "KEY=VALUE")]
    pub set: Vec<String>,

    /// A string value as on helm's command line (repeatable).
    #[arg(long, value_name = "KEY=VALUE")]
    pub set_string: Vec<String>,

    /// The release name given to the templates.
    #[arg(long, value_name = "NAME", default_value = "release-name")]
    pub release_name: String,

    /// The namespace given to the templates.
    #[arg(long, value_name = "NAMESPACE")]
    pub namespace: Option<String>,

    /// The Kubernetes version the templates see (`.Capabilities.KubeVersion`).
    #[arg(long, value_name = "VERSION")]
    pub kube_version: Option<String>,

    /// An API the templates see as available (`.Capabilities.APIVersions`; repeatable).
    #[arg(long, value_name = "API")]
    pub api_versions: Vec<String>,

    /// Stop a render that runs longer than this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 120.0)]
    pub timeout: f64,
}

impl HelmArgs {
    /// The helm program with its time limit.
    pub fn helm(&self) -> Result<Helm, CliError> {
        let timeout = Duration::try_from_secs_f64(self.timeout)
            .ok()
            .filter(|t| !t.is_zero())
            .ok_or_else(|| {
                CliError::message(format!("--timeout {}: not a positive number", self.timeout))
            })?;
        Ok(Helm::from_option(self.helm.clone()).with_timeout(timeout))
    }

    /// The request for `chart` and `values` with these flags.
    pub fn request<'a>(
        &'a self,
        chart: &'a ChartRef,
        values: &'a [ValuesInput],
        show_secrets: bool,
    ) -> Request<'a> {
        Request::new(chart, values)
            .with_sets(&self.set, &self.set_string)
            .with_release_name(&self.release_name)
            .with_namespace(self.namespace.as_deref())
            .with_capabilities(self.kube_version.as_deref(), &self.api_versions)
            .with_show_secrets(show_secrets)
    }
}

/// Reads the values files for Helm: files by path, `-` as text on Helm's standard input.
pub fn values_inputs(files: &[String]) -> Result<Vec<ValuesInput>, CliError> {
    files
        .iter()
        .map(|file| {
            let input = read_input(file)?;
            Ok(ValuesInput {
                text: String::from_utf8_lossy(&input.bytes).into_owned(),
                path: (file != "-").then(|| PathBuf::from(file)),
                name: input.name,
            })
        })
        .collect()
}

/// `--render-check` of `migrate` and `plan`: every step's values rendered with its chart
/// version before anything is written.
#[derive(Debug, clap::Args)]
pub struct StepCheckArgs {
    /// Render every step's values file with `helm template` and the step's chart version
    /// before anything is written; a step that does not render stops with exit 1.
    #[arg(long, requires = "charts_dir")]
    pub render_check: bool,

    /// The folder of the charts `helm pull CHART --version V` saved (`<name>-<version>.tgz`).
    #[arg(long, value_name = "DIR")]
    pub charts_dir: Option<PathBuf>,

    /// The helm binary for --render-check (default: `helm` on PATH).
    #[arg(long, value_name = "PATH")]
    pub helm: Option<PathBuf>,
}

impl StepCheckArgs {
    /// Renders each step of `migration` when `--render-check` was given; `names` are the step
    /// files' names. A step that does not render is exit 1, with the step, chart and message
    /// (secret values redacted unless `show_secrets`).
    pub fn check(
        &self,
        path: &valuesmith::plan::UpgradePath<'_>,
        migration: &valuesmith::migrate::Migration,
        names: &[String],
        show_secrets: bool,
    ) -> Result<(), CliError> {
        let (true, Some(dir)) = (self.render_check, &self.charts_dir) else {
            return Ok(());
        };
        let helm = Helm::from_option(self.helm.clone());
        valuesmith::render::check_migration(&helm, dir, path, migration, names, show_secrets)
            .map_err(render_error)?;
        Ok(())
    }

    /// `--render-check`'s helm program and charts folder, when it was given.
    pub fn settings(&self) -> Option<(Helm, &std::path::Path)> {
        match (self.render_check, &self.charts_dir) {
            (true, Some(dir)) => Some((Helm::from_option(self.helm.clone()), dir.as_path())),
            _ => None,
        }
    }
}

/// A `plan --render-check` that failed: a migration error is shown in `file` (whose text is
/// `source`), a step that does not render is exit 1.
pub fn step_check_error(err: RenderCheckError, file: &str, source: &str) -> CliError {
    match err {
        RenderCheckError::Migrate(err) => CliError::in_file(&err, file, source),
        RenderCheckError::Render(err) => render_error(err),
        err => CliError::message(err.to_string()),
    }
}

/// A failed step check is exit 1 (the values do not render); anything else could not run.
fn render_error(err: RenderError) -> CliError {
    let failed = matches!(err, RenderError::StepFailed { .. });
    let err = CliError::from(err);
    if failed {
        err.with_status(ExitStatus::Findings)
    } else {
        err
    }
}
