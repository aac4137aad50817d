//! Rendering a path in each output format of `valuesmith plan`: text for a terminal,
//! Markdown, JSON, and bash and PowerShell scripts. Returns text and prints nothing.

use std::fmt::Write as _;

use serde::Serialize;

use crate::shell::{bash as sh_quote, powershell as ps_quote};

use super::commands::{step_view, Command, Files, StepView};
use super::UpgradePath;

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
#[non_exhaustive]
pub struct RenderOptions<'a> {
    /// The environment of the values files (`dev` in `values-dev-2025-05-00.yml`). Without
    /// it, text formats show `<env>` and scripts take the environment as their argument.
    pub env: Option<&'a str>,
    /// The folder of the values files, as the user wrote it (`envs/dev`), joined to each
    /// file name so the printed commands find the files.
    pub values_dir: Option<&'a str>,
}

impl<'a> RenderOptions<'a> {
    /// These options with the values files' environment set.
    #[must_use]
    pub fn with_env(mut self, env: Option<&'a str>) -> Self {
        self.env = env;
        self
    }

    /// These options with the values files' folder set.
    #[must_use]
    pub fn with_values_dir(mut self, values_dir: Option<&'a str>) -> Self {
        self.values_dir = values_dir;
        self
    }
}

/// Renders the path in `format`: the output of `valuesmith plan` (docs/plan.md).
pub fn render(path: &UpgradePath<'_>, format: PlanFormat, options: RenderOptions<'_>) -> String {
    let views = || -> Vec<StepView> {
        path.steps
            .iter()
            .map(|step| step_view(path.catalog, step, options))
            .collect()
    };
    let files = Files { options, format };
    match format {
        PlanFormat::Human => render_human(path, &views(), &files),
        PlanFormat::Markdown => render_markdown(path, &views(), &files),
        PlanFormat::Json => {
            // A report of strings and vectors always serialises.
            let mut text = serde_json::to_string_pretty(&report(path, options)).unwrap_or_default();
            text.push('\n');
            text
        }
        PlanFormat::Shell => render_shell(path, &views(), &files),
        PlanFormat::PowerShell => render_powershell(path, &views(), &files),
    }
}

/// The path as data, with each step's values file and commands (bash syntax, one string
/// each) spelled as `options` says: what `--format json` prints (docs/plan.md).
pub fn report(path: &UpgradePath<'_>, options: RenderOptions<'_>) -> PlanReport {
    let files = Files {
        options,
        format: PlanFormat::Json,
    };
    PlanReport {
        from: path.from.version.to_string(),
        to: path.to.version.to_string(),
        steps: path
            .steps
            .iter()
            .map(|step| {
                let view = step_view(path.catalog, step, options);
                StepReport {
                    commands: view.commands.iter().map(|c| files.one_line(c)).collect(),
                    from: view.from,
                    to: view.to,
                    chart_version: view.chart_version,
                    data_upgrade: view.data_upgrade,
                    notes: view.notes,
                    required_input: view.required_input,
                    values_file: view.values_file,
                }
            })
            .collect(),
    }
}

/// A planned path as data (`valuesmith plan --format json`); [`report`] builds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PlanReport {
    /// The current release.
    pub from: String,
    /// The target release.
    pub to: String,
    /// The steps, in order; empty when the path is empty.
    pub steps: Vec<StepReport>,
}

/// One step of a [`PlanReport`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct StepReport {
    /// The release deployed before the step.
    pub from: String,
    /// The release the step deploys.
    pub to: String,
    /// The chart version that deploys it.
    pub chart_version: String,
    /// The data-upgrade label the step runs, if any.
    pub data_upgrade: Option<String>,
    /// The notes of the releases the step covers.
    pub notes: Option<String>,
    /// The paths the user must supply in the step's values file.
    pub required_input: Vec<String>,
    /// The step's values file, as the commands name it.
    pub values_file: String,
    /// The commands, one string each in bash syntax; a check the user makes is a `#` comment.
    pub commands: Vec<String>,
}

impl Serialize for UpgradePath<'_> {
    /// As the [`PlanReport`] with the default options (file names with `<env>`).
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        report(self, RenderOptions::default()).serialize(serializer)
    }
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
        Command::Wait { .. } => None,
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
    script_steps(&mut out, views, files, &BASH);
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
    script_steps(&mut out, views, files, &POWERSHELL);
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

/// What differs between the bash and the PowerShell script in the steps: how a line is
/// printed, how the user is waited for, how a command goes on over lines, and what follows a
/// command (PowerShell does not stop on a failing native command by itself).
struct Dialect {
    /// The command that prints a line.
    echo: &'static str,
    /// Quotes one word.
    quote: fn(&str) -> String,
    /// The line that waits for the user to do `text`.
    wait: fn(&str) -> String,
    /// The end of a line that goes on.
    continuation: &'static str,
    /// The comment above a command that has none of its own.
    unnamed: Option<&'static str>,
    /// The line after a command, from its step number and what it does.
    check: Option<fn(usize, &str) -> String>,
}

const BASH: Dialect = Dialect {
    echo: "echo",
    quote: sh_quote,
    wait: |text| {
        format!(
            "read -r -p {} _",
            sh_quote(&format!("{text}, then press Enter: "))
        )
    },
    continuation: " \\",
    unnamed: None,
    check: None,
};

const POWERSHELL: Dialect = Dialect {
    echo: "Write-Host",
    quote: ps_quote,
    wait: |text| {
        format!(
            "[void](Read-Host -Prompt {})",
            ps_quote(&format!("{text}, then press Enter"))
        )
    },
    continuation: " `",
    unnamed: Some("command"),
    check: Some(|step, what| {
        format!(
            "if ($LASTEXITCODE -ne 0) {{ throw {} }}",
            ps_quote(&format!("step {step}: {what} failed"))
        )
    }),
};

/// The steps of a script: each with its comments, a line naming it, and its commands.
fn script_steps(out: &mut String, views: &[StepView], files: &Files<'_>, dialect: &Dialect) {
    let total = views.len();
    for (i, view) in views.iter().enumerate() {
        out.push('\n');
        step_comments(out, i, total, view);
        let heading = format!(
            "==> Step {} of {total}: {} -> {}",
            i + 1,
            view.from,
            view.to
        );
        let _ = writeln!(out, "{} {}", dialect.echo, (dialect.quote)(&heading));
        for command in &view.commands {
            match command {
                Command::Wait { text } => {
                    let _ = writeln!(out, "{}", (dialect.wait)(text));
                }
                other => {
                    let what = command_comment(other).or(dialect.unnamed);
                    if let Some(what) = what {
                        let _ = writeln!(out, "# {what}");
                    }
                    out.push_str(&files.continued(other, "", dialect.continuation));
                    if let Some(check) = dialect.check {
                        let _ = writeln!(out, "{}", check(i + 1, what.unwrap_or("command")));
                    }
                }
            }
        }
    }
}

/// The file-name part of a view's target release.
fn file_part(view: &StepView) -> String {
    view.to.replace('.', "-")
}
