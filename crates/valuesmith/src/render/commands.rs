//! `render-check` and `render-diff` as one call each (docs/render.md): the renders, the
//! splitting into resources, the naming of the sides and the report, so that an embedding tool
//! gets what the command prints from one function.

use super::report::{check, manifest_diff, CheckFormat};
use super::{diff_manifests, render, CheckReport, Helm, RenderError, Rendered, Request, Resource};
use crate::diagnostic::Color;
use crate::diff::render::Format as DiffFormat;

/// What a render command found: its report, and whether it is a finding (a render that
/// reports problems, two renders that differ: exit 1).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Outcome {
    /// The report, as the command prints it.
    pub text: String,
    /// Whether the report holds problems or differences.
    pub findings: bool,
}

/// `render-check`: renders `request` with `helm` and reports in `format` (colour only in
/// `human`). A render that reports problems of the values or templates is a finding; a
/// render that could not run is an error.
pub fn check_values(
    helm: &Helm,
    request: &Request<'_>,
    format: CheckFormat,
    color: Color,
) -> Result<Outcome, RenderError> {
    let report = render(helm, request)?;
    let color = match format {
        CheckFormat::Human => color,
        _ => Color::Never,
    };
    Ok(Outcome {
        text: check(&report, format, color),
        findings: !report.is_ok(),
    })
}

/// `render-diff`: renders `old` and `new` with `helm`, compares them resource by resource and
/// reports in `format` (colour only in `human` and `brief`), each side named `<its first
/// values file> with <its chart>`. Differences are a finding; a side that does not render is
/// [`RenderError::DiffSideFailed`]. Secrets are shown when either request shows them.
pub fn diff_values(
    helm: &Helm,
    old: &Request<'_>,
    new: &Request<'_>,
    format: DiffFormat,
    color: Color,
) -> Result<Outcome, RenderError> {
    let old_resources = resources("OLD", render(helm, old)?)?;
    let new_resources = resources("NEW", render(helm, new)?)?;
    let show_secrets = old.show_secrets || new.show_secrets;
    let result = diff_manifests(&old_resources, &new_resources, show_secrets);
    let color = match format {
        DiffFormat::Human | DiffFormat::Brief => color,
        _ => Color::Never,
    };
    let text = manifest_diff(&result, format, &side_name(old), &side_name(new), color);
    Ok(Outcome {
        text,
        findings: !result.is_empty(),
    })
}

/// A side of a diff as reports name it: `values-dev.yml with charts/app-1.2.0.tgz`.
fn side_name(request: &Request<'_>) -> String {
    let file = request.values.first().map_or("(no values)", |v| &v.name);
    format!("{file} with {}", request.chart.shown)
}

/// The resources of one side's render, or the side's failure.
fn resources(side: &str, report: CheckReport) -> Result<Vec<Resource>, RenderError> {
    match report.rendered {
        Rendered::Resources(resources) => Ok(resources),
        Rendered::Failed(_) => Err(RenderError::DiffSideFailed {
            side: format!("{side} (`{}`)", report.command),
            report: Box::new(report),
        }),
    }
}
