//! Rendering a path in each output format of `valuesmith plan`: text for a terminal,
//! Markdown, JSON, and bash and PowerShell scripts. Returns text and prints nothing.

use std::fmt::Write as _;

use serde::Serialize;

use super::commands::{ps_quote, sh_quote, step_view, Command, Files, StepView};
use super::{PlanError, UpgradePath};

/// An output format of `valuesmith plan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlanFormat {
    /// Text for a terminal.
    Human,
    /// A Markdown document (for a change ticket or a pull request).
    Markdown,
    /// `{"from", "to", "steps": [...]}`.
    Json,
    /// A bash script.
    Shell,
    /// A PowerShell script.
    PowerShell,
}

/// What the rendered commands need besides the path.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions<'a> {
    /// The environment of the values files (`dev` in `values-dev-2025-05-00.yml`). Without
    /// it, text formats show `<env>` and scripts take the environment as their argument.
    pub env: Option<&'a str>,
    /// The folder of the values files, as the user wrote it (`envs/dev`), joined to each
    /// file name so the printed commands find the files.
    pub values_dir: Option<&'a str>,
}
/// Renders the path in `format`. Fails only for a data-upgrade step whose catalog lacks
/// `commands.upgrade_mode` or `commands.data_upgrade_api`.
pub fn render(
    path: &UpgradePath<'_>,
    format: PlanFormat,
    options: RenderOptions<'_>,
) -> Result<String, PlanError> {
    let views = path
        .steps
        .iter()
        .map(|step| step_view(path.catalog, step, options))
        .collect::<Result<Vec<_>, _>>()?;
    let files = Files { options, format };
    Ok(match format {
        PlanFormat::Human => render_human(path, &views, &files),
        PlanFormat::Markdown => render_markdown(path, &views, &files),
        PlanFormat::Json => render_json(path, &views, &files),
        PlanFormat::Shell => render_shell(path, &views, &files),
        PlanFormat::PowerShell => render_powershell(path, &views, &files),
    })
}
fn headline(path: &UpgradePath<'_>) -> String {
    let n = path.steps.len();
    format!(
        "Upgrade path for {}: {} -> {}, {n} step{}",
        path.catalog.product,
        path.from.version,
        path.to.version,
        if n == 1 { "" } else { "s" }
    )
}

fn nothing_to_do(path: &UpgradePath<'_>) -> String {
    format!(
        "{} is already at {}: nothing to do.",
        path.catalog.product, path.to.version
    )
}

fn render_human(path: &UpgradePath<'_>, views: &[StepView], files: &Files<'_>) -> String {
    let mut out = String::new();
    if views.is_empty() {
        let _ = writeln!(out, "{}", nothing_to_do(path));
        return out;
    }
    let _ = writeln!(out, "{}", headline(path));
    let total = views.len();
    for (i, view) in views.iter().enumerate() {
        let _ = writeln!(
            out,
            "\nStep {} of {total}: {} -> {}",
            i + 1,
            view.from,
            view.to
        );
        let field = |out: &mut String, name: &str, value: &str| {
            let mut lines = value.lines();
            let _ = writeln!(out, "  {name:<16}{}", lines.next().unwrap_or(""));
            for line in lines {
                let _ = writeln!(out, "  {:<16}{line}", "");
            }
        };
        field(
            &mut out,
            "chart:",
            &format!("{} {}", path.catalog.chart, view.chart_version),
        );
        field(
            &mut out,
            "data upgrade:",
            view.data_upgrade
                .as_deref()
                .map_or("no".to_owned(), |l| format!("{l} (two-phase upgrade)"))
                .as_str(),
        );
        let required = if view.required_input.is_empty() {
            "none".to_owned()
        } else {
            view.required_input.join("\n")
        };
        field(&mut out, "required input:", &required);
        field(&mut out, "values file:", &view.values_file);
        if let Some(notes) = &view.notes {
            field(&mut out, "notes:", notes);
        }
        field(&mut out, "why here:", &view.explanation);
        let _ = writeln!(out, "  commands:");
        for command in &view.commands {
            if let Some(comment) = command_comment(command) {
                let _ = writeln!(out, "    # {comment}");
            }
            out.push_str(&files.continued(command, "    ", " \\"));
        }
    }
    out
}

/// The comment shown above a command; a log check is a comment already.
fn command_comment(command: &Command) -> Option<&str> {
    match command {
        Command::Run { comment, .. } | Command::Apply { comment, .. } => Some(comment),
        Command::WaitForLog { .. } => None,
    }
}

fn render_markdown(path: &UpgradePath<'_>, views: &[StepView], files: &Files<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Upgrade plan: {} {} → {}\n",
        path.catalog.product, path.from.version, path.to.version
    );
    if views.is_empty() {
        let _ = writeln!(out, "{}", nothing_to_do(path));
        return out;
    }
    let n = views.len();
    let _ = writeln!(
        out,
        "{n} step{}, each deployed with its own values file.",
        if n == 1 { "" } else { "s" }
    );
    for (i, view) in views.iter().enumerate() {
        let _ = writeln!(out, "\n## Step {}: {} → {}\n", i + 1, view.from, view.to);
        let _ = writeln!(
            out,
            "- **Chart:** `{}` version `{}`",
            path.catalog.chart, view.chart_version
        );
        let _ = writeln!(
            out,
            "- **Data upgrade:** {}",
            view.data_upgrade
                .as_deref()
                .map_or("no".to_owned(), |l| format!("`{l}` (two-phase upgrade)"))
        );
        let required = if view.required_input.is_empty() {
            "none".to_owned()
        } else {
            view.required_input
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(out, "- **Required input:** {required}");
        let _ = writeln!(out, "- **Values file:** `{}`", view.values_file);
        let _ = writeln!(out, "- **Why here:** {}", view.explanation);
        if let Some(notes) = &view.notes {
            let _ = writeln!(out, "\n> **Notes:** {}", notes.replace('\n', "\n> "));
        }
        let _ = writeln!(out, "\n```bash");
        for (j, command) in view.commands.iter().enumerate() {
            if j > 0 {
                out.push('\n');
            }
            if let Some(comment) = command_comment(command) {
                let _ = writeln!(out, "# {comment}");
            }
            out.push_str(&files.continued(command, "", " \\"));
        }
        let _ = writeln!(out, "```");
    }
    out
}

#[derive(Serialize)]
struct JsonPlan {
    from: String,
    to: String,
    steps: Vec<JsonStep>,
}

#[derive(Serialize)]
struct JsonStep {
    from: String,
    to: String,
    chart_version: String,
    data_upgrade: Option<String>,
    notes: Option<String>,
    required_input: Vec<String>,
    values_file: String,
    commands: Vec<String>,
}

fn render_json(path: &UpgradePath<'_>, views: &[StepView], files: &Files<'_>) -> String {
    let plan = JsonPlan {
        from: path.from.version.to_string(),
        to: path.to.version.to_string(),
        steps: views
            .iter()
            .map(|view| JsonStep {
                from: view.from.clone(),
                to: view.to.clone(),
                chart_version: view.chart_version.clone(),
                data_upgrade: view.data_upgrade.clone(),
                notes: view.notes.clone(),
                required_input: view.required_input.clone(),
                values_file: view.values_file.clone(),
                commands: view.commands.iter().map(|c| files.one_line(c)).collect(),
            })
            .collect(),
    };
    // Serialising plain strings and vectors cannot fail.
    let mut text = serde_json::to_string_pretty(&plan).unwrap_or_default();
    text.push('\n');
    text
}

fn comment_block(out: &mut String, prefix: &str, label: &str, text: &str) {
    for (i, line) in text.lines().enumerate() {
        if i == 0 {
            let _ = writeln!(out, "{prefix}{label}{line}");
        } else {
            let _ = writeln!(out, "{prefix}{:width$}{line}", "", width = label.len());
        }
    }
}

fn step_comments(out: &mut String, i: usize, total: usize, view: &StepView) {
    let _ = writeln!(
        out,
        "# Step {} of {total}: {} -> {} (chart {}{})",
        i + 1,
        view.from,
        view.to,
        view.chart_version,
        view.data_upgrade
            .as_deref()
            .map_or(String::new(), |l| format!(", data upgrade {l}"))
    );
    if !view.required_input.is_empty() {
        let _ = writeln!(
            out,
            "# Required input (must be set in the values file): {}",
            view.required_input.join(", ")
        );
    }
    if let Some(notes) = &view.notes {
        comment_block(out, "# ", "Notes: ", notes);
    }
}

fn render_shell(path: &UpgradePath<'_>, views: &[StepView], files: &Files<'_>) -> String {
    let mut out = String::from("#!/usr/bin/env bash\n");
    let _ = writeln!(
        out,
        "# {} (generated by valuesmith plan)",
        if views.is_empty() {
            nothing_to_do(path)
        } else {
            headline(path)
        }
    );
    let _ = writeln!(out, "set -euo pipefail");
    if files.options.env.is_none() && !views.is_empty() {
        let _ = writeln!(
            out,
            "\nENVIRONMENT=\"${{1:?usage: $0 ENVIRONMENT (the <env> of values-<env>-<release>.yml)}}\""
        );
    }
    if views.is_empty() {
        let _ = writeln!(out, "echo {}", sh_quote(&nothing_to_do(path)));
        return out;
    }
    // Check every values file first, so that a missing one stops the script before any
    // release is deployed rather than halfway through the path.
    let names: Vec<String> = views
        .iter()
        .map(|v| files.script_arg(&file_part(v)))
        .collect();
    let _ = writeln!(out, "\nfor file in {}; do", names.join(" "));
    let _ = writeln!(
        out,
        "  if [ ! -f \"$file\" ]; then\n    echo \"error: $file is missing: create it with \
         valuesmith migrate\" >&2\n    exit 1\n  fi\ndone"
    );
    let total = views.len();
    for (i, view) in views.iter().enumerate() {
        out.push('\n');
        step_comments(&mut out, i, total, view);
        let _ = writeln!(
            out,
            "echo {}",
            sh_quote(&format!(
                "==> Step {} of {total}: {} -> {}",
                i + 1,
                view.from,
                view.to
            ))
        );
        for command in &view.commands {
            match command {
                Command::WaitForLog { text } => {
                    let _ = writeln!(
                        out,
                        "read -r -p {} _",
                        sh_quote(&format!("{text}, then press Enter: "))
                    );
                }
                other => {
                    if let Some(comment) = command_comment(other) {
                        let _ = writeln!(out, "# {comment}");
                    }
                    out.push_str(&files.continued(other, "", " \\"));
                }
            }
        }
    }
    let _ = writeln!(
        out,
        "\necho {}",
        sh_quote(&format!(
            "Done: {} is at {}.",
            path.catalog.product, path.to.version
        ))
    );
    out
}

fn render_powershell(path: &UpgradePath<'_>, views: &[StepView], files: &Files<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {} (generated by valuesmith plan)",
        if views.is_empty() {
            nothing_to_do(path)
        } else {
            headline(path)
        }
    );
    if files.options.env.is_none() && !views.is_empty() {
        // `param` must be the script's first statement.
        let _ = writeln!(
            out,
            "param(\n    # The <env> of values-<env>-<release>.yml\n    \
             [Parameter(Mandatory = $true)][string]$Environment\n)"
        );
    }
    let _ = writeln!(out, "$ErrorActionPreference = 'Stop'");
    if views.is_empty() {
        let _ = writeln!(out, "Write-Host {}", ps_quote(&nothing_to_do(path)));
        return out;
    }
    let names: Vec<String> = views
        .iter()
        .map(|v| files.script_arg(&file_part(v)))
        .collect();
    let _ = writeln!(out, "\nforeach ($file in @({})) {{", names.join(", "));
    let _ = writeln!(
        out,
        "    if (-not (Test-Path -LiteralPath $file)) {{ throw \"$file is missing: create it \
         with valuesmith migrate\" }}\n}}"
    );
    let total = views.len();
    for (i, view) in views.iter().enumerate() {
        out.push('\n');
        step_comments(&mut out, i, total, view);
        let _ = writeln!(
            out,
            "Write-Host {}",
            ps_quote(&format!(
                "==> Step {} of {total}: {} -> {}",
                i + 1,
                view.from,
                view.to
            ))
        );
        for command in &view.commands {
            match command {
                Command::WaitForLog { text } => {
                    let _ = writeln!(
                        out,
                        "[void](Read-Host -Prompt {})",
                        ps_quote(&format!("{text}, then press Enter"))
                    );
                }
                other => {
                    let what = command_comment(other).unwrap_or("command");
                    let _ = writeln!(out, "# {what}");
                    out.push_str(&files.continued(other, "", " `"));
                    // Native commands do not stop the script on failure by themselves.
                    let _ = writeln!(
                        out,
                        "if ($LASTEXITCODE -ne 0) {{ throw {} }}",
                        ps_quote(&format!("step {}: {what} failed", i + 1))
                    );
                }
            }
        }
    }
    let _ = writeln!(
        out,
        "\nWrite-Host {}",
        ps_quote(&format!(
            "Done: {} is at {}.",
            path.catalog.product, path.to.version
        ))
    );
    out
}

/// The file-name part of a view's target release.
fn file_part(view: &StepView) -> String {
    view.to.replace('.', "-")
}
