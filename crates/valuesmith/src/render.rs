//! Pre-checks with Helm in the loop: does a values file render, and what does a change do to
//! the rendered manifests (docs/render.md).
//!
//! This module owns running the user's `helm template` ([`Helm`]) on a chart the user has
//! ([`ChartRef`], a folder or a `.tgz` as `helm pull` saves it) with the same inputs a
//! deployment uses, and reading what comes back: the resources it rendered, or the
//! [`Problem`]s it reports (schema failures, `fail`/`required` messages, template errors), each
//! with the place in the user's files that it is about. [`check_migration`] renders every step
//! of a migration with that step's chart version; [`diff_manifests`] compares two renders
//! resource by resource; [`check_values`] and [`diff_values`] are the `render-check` and
//! `render-diff` commands as one call each. Nothing is downloaded and no cluster is touched; Helm runs offline
//! (`helm template` never contacts a cluster) and is stopped when it runs past its time limit.

mod chart;
mod commands;
pub mod diff;
mod failure;
mod helm;
mod manifest;
pub mod report;

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path as FsPath, PathBuf};

use crate::diagnostic::{Diagnostic, Location, ToDiagnostic};
use crate::document::{Document, FileReadError};
use crate::migrate::Migration;
use crate::path::Path;
use crate::plan::UpgradePath;
use crate::secrets::SecretValues;

pub use chart::ChartRef;
pub use commands::{check_values, diff_values, Outcome};
pub use diff::{diff_manifests, ManifestDiff, ResourceChange, ResourceChangeKind};
pub use helm::Helm;
pub use manifest::{Resource, ResourceId};

/// A values file given to Helm: named as the user named it; Helm reads it from `path`, or
/// from standard input when there is none (at most one such input per render).
#[derive(Debug, Clone)]
pub struct ValuesInput {
    /// The name messages use.
    pub name: String,
    /// The text (read to locate values in it).
    pub text: String,
    /// The file Helm reads; `None`: the text goes to Helm's standard input (`-f -`).
    pub path: Option<PathBuf>,
}

/// The inputs of one `helm template`, as a deployment gives them: [`Request::new`] and the
/// `with_` setters build one, so that a new input does not break an embedding tool.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Request<'a> {
    /// The chart.
    pub chart: &'a ChartRef,
    /// The values files, in order (`-f` each).
    pub values: &'a [ValuesInput],
    /// `--set` assignments.
    pub set: &'a [String],
    /// `--set-string` assignments.
    pub set_string: &'a [String],
    /// The release name (`helm template NAME`).
    pub release_name: &'a str,
    /// `--namespace`, when given.
    pub namespace: Option<&'a str>,
    /// `--kube-version`, when given: the cluster version `.Capabilities` reports.
    pub kube_version: Option<&'a str>,
    /// `--api-versions`: the APIs `.Capabilities.APIVersions` has beyond Helm's defaults.
    pub api_versions: &'a [String],
    /// Show secret values in the report (the user's lines, Helm's messages and the `--set`
    /// flags of the command shown) instead of `<redacted>` (docs/secrets.md).
    pub show_secrets: bool,
}

impl<'a> Request<'a> {
    /// `helm template release-name CHART -f VALUES...` with no other flag, secrets redacted.
    pub fn new(chart: &'a ChartRef, values: &'a [ValuesInput]) -> Self {
        Self {
            chart,
            values,
            set: &[],
            set_string: &[],
            release_name: "release-name",
            namespace: None,
            kube_version: None,
            api_versions: &[],
            show_secrets: false,
        }
    }

    /// The `--set` and `--set-string` assignments.
    pub fn with_sets(mut self, set: &'a [String], set_string: &'a [String]) -> Self {
        self.set = set;
        self.set_string = set_string;
        self
    }

    /// The release name (`helm template NAME`).
    pub fn with_release_name(mut self, release_name: &'a str) -> Self {
        self.release_name = release_name;
        self
    }

    /// `--namespace`.
    pub fn with_namespace(mut self, namespace: Option<&'a str>) -> Self {
        self.namespace = namespace;
        self
    }

    /// `--kube-version` and `--api-versions`: what `.Capabilities` reports.
    pub fn with_capabilities(
        mut self,
        kube_version: Option<&'a str>,
        api_versions: &'a [String],
    ) -> Self {
        self.kube_version = kube_version;
        self.api_versions = api_versions;
        self
    }

    /// Show secret values instead of `<redacted>`.
    pub fn with_show_secrets(mut self, show_secrets: bool) -> Self {
        self.show_secrets = show_secrets;
        self
    }
}

/// Where Helm says a problem is in the chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartPosition {
    /// The chart file as Helm names it (`traefik/templates/requirements.yaml`).
    pub file: String,
    /// Its 1-based line, when Helm gives one.
    pub line: Option<usize>,
    /// Its 1-based column, when Helm gives one.
    pub column: Option<usize>,
}

impl std::fmt::Display for ChartPosition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(column) = self.column {
            write!(f, ":{column}")?;
        }
        Ok(())
    }
}

/// A place in one of the user's values files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserPosition {
    /// The file, as the user named it.
    pub file: String,
    /// The line and column (of the key, for a mapping entry).
    pub location: Location,
    /// That line's text.
    pub source_line: String,
}

/// A values path a problem is about, and where the user sets it, if they do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathRef {
    /// The path.
    pub path: Path,
    /// Where the user's files write it (the last file that does: the value Helm uses).
    pub at: Option<UserPosition>,
    /// The `--set` assignment that sets it or a value under it.
    pub set_by: Option<String>,
}

/// What kind of failure Helm reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProblemKind {
    /// The merged values break the chart's `values.schema.json`.
    Schema,
    /// A template stopped with `fail` or `required`.
    Fail,
    /// A template could not be parsed or executed.
    Template,
    /// A template rendered text that is not YAML.
    Manifest,
}

impl ProblemKind {
    /// The code reports use: `render-schema`, `render-fail`, `render-template`,
    /// `render-manifest`.
    pub fn code(self) -> &'static str {
        match self {
            ProblemKind::Schema => "render-schema",
            ProblemKind::Fail => "render-fail",
            ProblemKind::Template => "render-template",
            ProblemKind::Manifest => "render-manifest",
        }
    }
}

/// One failure Helm reported.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Problem {
    /// What kind.
    pub kind: ProblemKind,
    /// Helm's message, as Helm wrote it.
    pub message: String,
    /// Where Helm says it is in the chart (templates).
    pub chart_file: Option<ChartPosition>,
    /// The chart whose schema failed (a subchart's name for its own schema).
    pub schema_chart: Option<String>,
    /// For a schema failure: the value it is about (for a property the schema does not
    /// allow, that key).
    pub value: Option<PathRef>,
    /// For a template failure: the values its message names and the values the template
    /// reads at that line (and in the `if` around it).
    pub paths: Vec<PathRef>,
}

impl Problem {
    /// The place in the user's files to show: the value a schema failure is about, else the
    /// first value a template failure names that the user sets.
    pub fn user_position(&self) -> Option<&UserPosition> {
        self.value
            .as_ref()
            .and_then(|v| v.at.as_ref())
            .or_else(|| self.paths.iter().find_map(|p| p.at.as_ref()))
    }
}

/// What one `helm template` gave.
#[derive(Debug, Clone)]
pub enum Rendered {
    /// The resources, in Helm's order.
    Resources(Vec<Resource>),
    /// What stopped the render, in the order of the user's files and lines.
    Failed(Vec<Problem>),
}

/// The result of [`render()`]: what was rendered and what came of it.
#[derive(Debug, Clone)]
pub struct CheckReport {
    /// The chart as the user named it.
    pub chart: String,
    /// The values files as the user named them.
    pub files: Vec<String>,
    /// The command, as messages show it (`helm template NAME CHART -f FILE...`).
    pub command: String,
    /// What Helm gave.
    pub rendered: Rendered,
}

impl CheckReport {
    /// Whether the render succeeded.
    pub fn is_ok(&self) -> bool {
        matches!(self.rendered, Rendered::Resources(_))
    }

    /// How many resources of each kind were rendered (empty when the render failed).
    pub fn kinds(&self) -> BTreeMap<String, usize> {
        match &self.rendered {
            Rendered::Resources(resources) => manifest::kinds(resources),
            Rendered::Failed(_) => BTreeMap::new(),
        }
    }

    /// The problems (empty when the render succeeded).
    pub fn problems(&self) -> &[Problem] {
        match &self.rendered {
            Rendered::Failed(problems) => problems,
            Rendered::Resources(_) => &[],
        }
    }
}

/// Why a render could not be done or judged (the command's exit 2, except
/// [`RenderError::StepFailed`], which is a finding).
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// No `helm` program where it was looked for.
    #[error("helm was not found (looked for `{program}`)")]
    HelmNotFound {
        /// The program as given (`helm` when looked up on `PATH`).
        program: String,
    },
    /// The program exists but could not be run.
    #[error("could not run `{program}`: {reason}")]
    HelmStart {
        /// The program.
        program: String,
        /// Why.
        reason: String,
    },
    /// Helm ran past the time limit and was stopped.
    #[error("`{command}` did not finish within {seconds} s and was stopped")]
    Timeout {
        /// The command.
        command: String,
        /// The limit.
        seconds: f64,
    },
    /// Helm failed for a reason other than the values or templates (its own message).
    #[error("`{command}` failed: {message}")]
    HelmFailed {
        /// The command.
        command: String,
        /// Helm's standard error, trimmed.
        message: String,
    },
    /// The chart is not where it was named.
    #[error("{chart}: no such chart (a folder with Chart.yaml, or a .tgz)")]
    ChartNotFound {
        /// The chart as named.
        chart: String,
        /// What to do (for a catalog step, the `helm pull` that saves it).
        hint: Option<String>,
    },
    /// A values file is not valid YAML (Helm would refuse it too).
    #[error(transparent)]
    Values(Box<FileReadError>),
    /// Two inputs both asked for standard input.
    #[error("only one values file can come from standard input")]
    TwoStdin,
    /// A rendered manifest could not be read.
    #[error("the manifest rendered from {template} could not be read: {message}")]
    Manifest {
        /// The template (`# Source:`).
        template: String,
        /// Why.
        message: String,
    },
    /// The render of one side of a manifest diff failed.
    #[error("{side} does not render\n{report}", report = report::problems_text(report))]
    DiffSideFailed {
        /// `OLD` or `NEW` with its file and chart.
        side: String,
        /// The failed render.
        report: Box<CheckReport>,
    },
    /// A migration step's values do not render with the step's chart: nothing may be
    /// written.
    #[error(
        "step {release} does not render with chart {chart}; nothing was written\n{report}",
        report = report::problems_text(report)
    )]
    StepFailed {
        /// The step's release.
        release: String,
        /// The chart it was rendered with.
        chart: String,
        /// The failed render.
        report: Box<CheckReport>,
    },
}

impl ToDiagnostic for RenderError {
    fn to_diagnostic(&self) -> Diagnostic {
        match self {
            RenderError::Values(error) => error.to_diagnostic(),
            RenderError::HelmNotFound { .. } => Diagnostic::error(self.to_string()).with_hint(
                "valuesmith runs the helm you have and never downloads it: install Helm 3 or 4 \
                 (https://helm.sh/docs/intro/install/), or pass --helm PATH",
            ),
            RenderError::Timeout { .. } => Diagnostic::error(self.to_string())
                .with_hint("a template may loop; pass --timeout SECONDS for a larger limit"),
            RenderError::ChartNotFound {
                hint: Some(hint), ..
            } => Diagnostic::error(self.to_string()).with_hint(hint.clone()),
            _ => Diagnostic::error(self.to_string()),
        }
    }
}

/// Runs `helm template` with the request's inputs and reads what it printed.
pub fn render(helm: &Helm, request: &Request<'_>) -> Result<CheckReport, RenderError> {
    if !request.chart.path.exists() {
        return Err(RenderError::ChartNotFound {
            chart: request.chart.shown.clone(),
            hint: None,
        });
    }
    if request.values.iter().filter(|v| v.path.is_none()).count() > 1 {
        return Err(RenderError::TwoStdin);
    }
    let mut documents = Vec::new();
    for input in request.values {
        let document = Document::parse_values(&input.text).map_err(|error| {
            RenderError::Values(Box::new(FileReadError::new(
                input.name.clone(),
                error,
                input.text.as_bytes(),
            )))
        })?;
        documents.push((input.name.clone(), document));
    }
    let mut args: Vec<OsString> = vec![
        "template".into(),
        request.release_name.into(),
        request.chart.path.clone().into(),
    ];
    let mut shown = format!(
        "helm template {} {}",
        request.release_name, request.chart.shown
    );
    let mut stdin = None;
    for input in request.values {
        args.push("-f".into());
        match &input.path {
            Some(path) => args.push(path.clone().into()),
            None => {
                args.push("-".into());
                stdin = Some(input.text.as_str());
            }
        }
        shown.push_str(&format!(" -f {}", input.name));
    }
    for (flag, list) in [("--set", request.set), ("--set-string", request.set_string)] {
        for assignment in list {
            args.push(flag.into());
            args.push(assignment.into());
            let assignment = if request.show_secrets {
                assignment.clone()
            } else {
                crate::secrets::redact_set_flag(assignment)
            };
            shown.push_str(&format!(" {flag} {assignment}"));
        }
    }
    let single = [
        ("--namespace", request.namespace),
        ("--kube-version", request.kube_version),
    ];
    let repeated = request
        .api_versions
        .iter()
        .map(|v| ("--api-versions", Some(v.as_str())));
    for (flag, value) in single.into_iter().chain(repeated) {
        if let Some(value) = value {
            args.push(flag.into());
            args.push(value.into());
            shown.push_str(&format!(" {flag} {value}"));
        }
    }
    let output = helm.run(&args, stdin, &shown)?;
    let rendered = if output.success {
        Rendered::Resources(manifest::split(&output.stdout)?)
    } else {
        let mut set = request.set.to_vec();
        set.extend(request.set_string.iter().cloned());
        // The user's secret values, read once: Helm quotes values in some messages (`fail`,
        // `required`), and each user line shown holds some.
        let secrets = (!request.show_secrets).then(|| {
            SecretValues::of_documents(&documents.iter().map(|(_, d)| d).collect::<Vec<_>>())
        });
        let files = failure::Files {
            files: &documents,
            set: &set,
            secrets: secrets.as_ref(),
        };
        let scrub = |text: &str| match &secrets {
            Some(secrets) => secrets.scrub(text),
            None => text.to_owned(),
        };
        match failure::parse(&output.stderr, request.chart, &files) {
            Some(mut problems) if !problems.is_empty() => {
                for problem in &mut problems {
                    problem.message = scrub(&problem.message);
                }
                problems.sort_by_key(|p| {
                    let file = p.user_position().map(|at| {
                        let index = documents.iter().position(|(n, _)| *n == at.file);
                        (index, at.location)
                    });
                    (file.is_none(), file)
                });
                Rendered::Failed(problems)
            }
            _ => {
                return Err(RenderError::HelmFailed {
                    command: shown,
                    message: scrub(output.stderr.trim()),
                })
            }
        }
    };
    Ok(CheckReport {
        chart: request.chart.shown.clone(),
        files: request.values.iter().map(|v| v.name.clone()).collect(),
        command: shown,
        rendered,
    })
}

/// The chart `helm pull <chart> --version <version> -d DIR` saves: `DIR/<name>-<version>.tgz`,
/// where `<name>` is the last part of the catalog's chart reference (`repo/name`).
pub fn chart_in_dir(dir: &FsPath, chart: &str, version: &str) -> Result<ChartRef, RenderError> {
    let name = chart.rsplit('/').next().unwrap_or(chart);
    let path = dir.join(format!("{name}-{version}.tgz"));
    if path.is_file() {
        return Ok(ChartRef::new(path));
    }
    Err(RenderError::ChartNotFound {
        chart: path.display().to_string(),
        hint: Some(format!(
            "save it with `helm pull {chart} --version {version} -d {}`",
            dir.display()
        )),
    })
}

/// Renders each step's values file of `migration` with the chart of the step's release
/// (`chart_in_dir(charts_dir, catalog chart, chart_version)`), with the catalog's release
/// name and namespace, before anything is written. `names` are the step files' names for
/// messages. The first step that does not render stops with [`RenderError::StepFailed`],
/// its report's secret values redacted unless `show_secrets`.
pub fn check_migration(
    helm: &Helm,
    charts_dir: &FsPath,
    path: &UpgradePath<'_>,
    migration: &Migration,
    names: &[String],
    show_secrets: bool,
) -> Result<Vec<CheckReport>, RenderError> {
    let catalog = path.catalog;
    let mut reports = Vec::new();
    for (i, (step, result)) in path.steps.iter().zip(&migration.steps).enumerate() {
        let chart = chart_in_dir(charts_dir, &catalog.chart, &step.to.chart_version)?;
        let name = names
            .get(i)
            .cloned()
            .unwrap_or_else(|| format!("(step {})", step.to.version));
        let values = [ValuesInput {
            name,
            text: result.document.to_text(),
            path: None,
        }];
        let report = render(
            helm,
            &Request::new(&chart, &values)
                .with_release_name(&catalog.release_name)
                .with_namespace(Some(&catalog.namespace))
                .with_show_secrets(show_secrets),
        )?;
        if !report.is_ok() {
            return Err(RenderError::StepFailed {
                release: step.to.version.to_string(),
                chart: chart
                    .path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                report: Box::new(report),
            });
        }
        reports.push(report);
    }
    Ok(reports)
}
#[cfg(test)]
mod tests;
