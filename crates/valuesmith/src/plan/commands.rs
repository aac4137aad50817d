//! The commands a step runs, as data: the `helm upgrade` runs with their `--set` flags, the
//! data-upgrade flow around them, and how each argument and values file name is spelled per
//! output format.

use std::fmt::Write as _;

use crate::catalog::{Catalog, Release, SetFlag};
use crate::path::{Path, Segment};
use crate::shell::{bash as sh_quote, powershell as ps_quote, powershell_quoted};
use crate::value::Value;

use super::{PlanFormat, RenderOptions, Step};

/// How long each `helm upgrade --wait` may take (what the vendors' guides use).
const HELM_TIMEOUT: &str = "10m0s";
/// How long to wait for pods after the upgrade-mode run, before the data upgrade.
const PODS_TIMEOUT: &str = "15m";
/// An argument of a printed command.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Arg {
    /// Literal text.
    Lit(String),
    /// The values file of a release (its file-name part), spelled per format.
    ValuesFile(String),
}

/// A printed command.
#[derive(Debug, Clone)]
pub(super) enum Command {
    /// A program run; the groups are shown one per line in continued form.
    Run {
        comment: String,
        groups: Vec<Vec<Arg>>,
    },
    /// `kubectl apply` of a manifest given inline.
    Apply { comment: String, manifest: String },
    /// A check the user makes (a log line, a status) before going on.
    Wait { text: String },
}

/// One step as every format shows it.
pub(super) struct StepView {
    pub(super) from: String,
    pub(super) to: String,
    pub(super) chart_version: String,
    pub(super) data_upgrade: Option<String>,
    pub(super) notes: Option<String>,
    pub(super) required_input: Vec<String>,
    pub(super) values_file: String,
    pub(super) explanation: String,
    pub(super) commands: Vec<Command>,
}
/// How values file names are spelled in one format.
pub(super) struct Files<'a> {
    pub(super) options: RenderOptions<'a>,
    pub(super) format: PlanFormat,
}

impl Files<'_> {
    /// The file name for display (text formats and JSON).
    pub(super) fn display(&self, part: &str) -> String {
        let env = self.options.env.unwrap_or("<env>");
        self.join(&format!("values-{env}-{part}.yml"))
    }

    pub(super) fn join(&self, name: &str) -> String {
        match self.options.values_dir {
            Some(dir) if !dir.is_empty() && dir != "." => {
                let sep = if dir.ends_with(['/', '\\']) { "" } else { "/" };
                format!("{dir}{sep}{name}")
            }
            _ => name.to_owned(),
        }
    }

    /// The file name as a script argument.
    pub(super) fn script_arg(&self, part: &str) -> String {
        match (self.options.env, self.format) {
            (None, PlanFormat::Shell) => {
                format!(
                    "\"{}\"",
                    self.join(&format!("values-${{ENVIRONMENT}}-{part}.yml"))
                )
            }
            (None, PlanFormat::PowerShell) => {
                format!(
                    "\"{}\"",
                    self.join(&format!("values-${{Environment}}-{part}.yml"))
                )
            }
            // Always quoted: the name also appears in a PowerShell array, where a bare word
            // would be run as a command.
            (_, PlanFormat::PowerShell) => powershell_quoted(&self.display(part)),
            _ => sh_quote(&self.display(part)),
        }
    }

    pub(super) fn arg(&self, arg: &Arg) -> String {
        match (arg, self.format) {
            (Arg::Lit(text), PlanFormat::PowerShell) => ps_quote(text),
            (Arg::Lit(text), _) => sh_quote(text),
            (Arg::ValuesFile(part), PlanFormat::Shell | PlanFormat::PowerShell) => {
                self.script_arg(part)
            }
            // `<env>` is a placeholder for a person to fill in, not shell text to quote.
            (Arg::ValuesFile(part), _) if self.options.env.is_none() => self.display(part),
            (Arg::ValuesFile(part), _) => sh_quote(&self.display(part)),
        }
    }

    /// A command on one line (JSON).
    pub(super) fn one_line(&self, command: &Command) -> String {
        match command {
            Command::Run { groups, .. } => groups
                .iter()
                .flatten()
                .map(|a| self.arg(a))
                .collect::<Vec<_>>()
                .join(" "),
            Command::Apply { manifest, .. } => {
                format!("kubectl apply -f - <<'EOF'\n{manifest}EOF")
            }
            Command::Wait { text } => format!("# {text}"),
        }
    }

    /// A command in bash syntax with `\` continuations, each line prefixed by `indent`.
    pub(super) fn continued(&self, command: &Command, indent: &str, continuation: &str) -> String {
        match command {
            Command::Run { groups, .. } => {
                let lines: Vec<String> = groups
                    .iter()
                    .map(|g| g.iter().map(|a| self.arg(a)).collect::<Vec<_>>().join(" "))
                    .collect();
                let mut out = String::new();
                for (i, line) in lines.iter().enumerate() {
                    let lead = if i == 0 { "" } else { "  " };
                    let tail = if i + 1 < lines.len() {
                        continuation
                    } else {
                        ""
                    };
                    let _ = writeln!(out, "{indent}{lead}{line}{tail}");
                }
                out
            }
            Command::Apply { manifest, .. } => {
                if self.format == PlanFormat::PowerShell {
                    // A here-string must close at the start of a line, so no indent.
                    format!("@'\n{manifest}'@ | kubectl apply -f -\n")
                } else {
                    // The body and terminator stay at the margin so that a copied heredoc
                    // still ends at `EOF` (an indented terminator never matches).
                    format!("{indent}kubectl apply -f - <<'EOF'\n{manifest}EOF\n")
                }
            }
            Command::Wait { text } => format!("{indent}# {text}\n"),
        }
    }
}

fn helm_upgrade(
    catalog: &Catalog,
    release: &Release,
    flags: &[(Path, Value)],
    comment: String,
) -> Command {
    let lit = |s: &str| Arg::Lit(s.to_owned());
    let mut groups = vec![
        vec![
            lit("helm"),
            lit("upgrade"),
            lit(&catalog.release_name),
            lit("-n"),
            lit(&catalog.namespace),
            lit(&catalog.chart),
        ],
        vec![lit("--version"), lit(&release.chart_version)],
        vec![
            lit("--values"),
            Arg::ValuesFile(release.version.file_name_part()),
        ],
    ];
    for (path, value) in flags {
        groups.push(set_flag(path, value));
    }
    groups.push(vec![lit("--wait"), lit("--timeout"), lit(HELM_TIMEOUT)]);
    Command::Run { comment, groups }
}

/// `--set key=value`, or `--set-string` where helm would otherwise read a string as a bool,
/// null or integer.
pub(super) fn set_flag(path: &Path, value: &Value) -> Vec<Arg> {
    let text = value.scalar_text().unwrap_or_default();
    let flag = match value {
        Value::String(s) if helm_types_it(s) => "--set-string",
        _ => "--set",
    };
    vec![
        Arg::Lit(flag.to_owned()),
        Arg::Lit(format!("{}={}", helm_key(path), helm_escape_value(&text))),
    ]
}

/// Whether helm's `--set` would read `text` as something other than a string (its `typedVal`:
/// true, false, null in any case, and integers without a leading zero).
pub(super) fn helm_types_it(text: &str) -> bool {
    ["true", "false", "null"]
        .iter()
        .any(|w| text.eq_ignore_ascii_case(w))
        || text == "0"
        || (!text.starts_with('0') && text.parse::<i64>().is_ok())
}

/// A values path in helm's `--set` syntax: keys joined by `.`, with `.`, `,`, `=`, `[` and
/// `\` escaped by a backslash; positions as `[N]`. Identities were refused when the catalog
/// was read.
pub(super) fn helm_key(path: &Path) -> String {
    let mut out = String::new();
    for (i, segment) in path.segments().iter().enumerate() {
        match segment {
            Segment::Key(key) => {
                if i > 0 {
                    out.push('.');
                }
                for c in key.chars() {
                    if matches!(c, '.' | ',' | '=' | '[' | '\\') {
                        out.push('\\');
                    }
                    out.push(c);
                }
            }
            Segment::Index(n) => {
                let _ = write!(out, "[{n}]");
            }
            Segment::Identity { key, value } => {
                let _ = write!(out, "[{key}={value}]");
            }
        }
    }
    out
}

pub(super) fn helm_escape_value(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, ',' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

pub(super) fn step_view(
    catalog: &Catalog,
    step: &Step<'_>,
    options: RenderOptions<'_>,
) -> StepView {
    let release = step.to;
    let flags: Vec<(Path, Value)> = catalog
        .commands
        .set
        .iter()
        .map(|SetFlag { path, value }| (path.clone(), value.clone()))
        .collect();
    let part = release.version.file_name_part();
    let files = Files {
        options,
        format: PlanFormat::Human,
    };
    let mut commands = Vec::new();
    match step.data_upgrade_release() {
        None => commands.push(helm_upgrade(
            catalog,
            release,
            &flags,
            format!("Upgrade to {}", release.version),
        )),
        Some(source) => {
            let label = source.data_upgrade.as_deref().unwrap_or_default();
            data_upgrade_commands(catalog, release, label, &flags, &mut commands);
        }
    }
    StepView {
        from: step.from.version.to_string(),
        to: release.version.to_string(),
        chart_version: release.chart_version.clone(),
        data_upgrade: step.data_upgrade().map(str::to_owned),
        notes: step.notes(),
        required_input: step
            .required_input()
            .iter()
            .map(ToString::to_string)
            .collect(),
        values_file: files.display(&part),
        explanation: step.explanation(catalog),
        commands,
    }
}

/// The two-phase flow of a data-upgrade step, shaped by the catalog's `upgrade_mode` and
/// `commands.data_upgrade` (docs/catalog.md): a first `helm upgrade` (upgrade mode on, the
/// `begin` flags), a wait for healthy pods, the resource to `apply` if any, the wait for the
/// data upgrade, and a last `helm upgrade` (upgrade mode off, the `finish` flags). Without
/// those fields the flow is the same with neutral wording and nothing applied.
fn data_upgrade_commands(
    catalog: &Catalog,
    release: &Release,
    label: &str,
    flags: &[(Path, Value)],
    commands: &mut Vec<Command>,
) {
    let procedure = &catalog.commands.data_upgrade;
    let mode = catalog.commands.upgrade_mode.as_ref();
    let fill = |text: &str| fill_placeholders(text, label, &catalog.namespace);
    let run = |on: bool, overrides: &[SetFlag]| {
        let mut run: Vec<(Path, Value)> = mode
            .map(|m| (m.clone(), Value::Bool(on)))
            .into_iter()
            .collect();
        run.extend(with_overrides(flags, overrides));
        run
    };
    let first = match (mode, &procedure.mode_effect) {
        (Some(_), Some(effect)) => format!(
            "Upgrade to {} in upgrade mode ({})",
            release.version,
            fill(effect)
        ),
        (Some(_), None) => format!("Upgrade to {} in upgrade mode", release.version),
        (None, _) => format!(
            "Upgrade to {} (first run of the data upgrade to {label})",
            release.version
        ),
    };
    commands.push(helm_upgrade(
        catalog,
        release,
        &run(true, &procedure.begin),
        first,
    ));
    commands.push(Command::Run {
        comment: "Wait until every pod is healthy".to_owned(),
        groups: vec![
            ["kubectl", "wait", "pods", "-n", &catalog.namespace, "--all"]
                .map(|s| Arg::Lit(s.to_owned()))
                .to_vec(),
            vec![Arg::Lit(
                "--field-selector=status.phase!=Succeeded".to_owned(),
            )],
            vec![
                Arg::Lit("--for=condition=Ready".to_owned()),
                Arg::Lit(format!("--timeout={PODS_TIMEOUT}")),
            ],
        ],
    });
    if let Some(manifest) = &procedure.apply {
        commands.push(Command::Apply {
            comment: format!("Start the data upgrade to {label}"),
            manifest: fill(manifest),
        });
    }
    let wait = match (&procedure.wait_for, &procedure.apply) {
        (Some(what), _) => format!("Wait until {} (the data upgrade is done)", fill(what)),
        (None, Some(_)) => format!(
            "Wait until the data upgrade to {label} is done (the upgrade guide says how to tell)"
        ),
        (None, None) => format!(
            "Run the data upgrade to {label} as the upgrade guide describes, and wait until it \
             is done"
        ),
    };
    commands.push(Command::Wait { text: wait });
    let last = if mode.is_some() {
        "Leave upgrade mode".to_owned()
    } else {
        format!(
            "Finish the upgrade to {} (last run, after the data upgrade)",
            release.version
        )
    };
    commands.push(helm_upgrade(
        catalog,
        release,
        &run(false, &procedure.finish),
        last,
    ));
}

/// `flags` with each of `overrides` replacing the flag of its path in place; the overrides
/// whose path `flags` lacks follow, in their order.
fn with_overrides(flags: &[(Path, Value)], overrides: &[SetFlag]) -> Vec<(Path, Value)> {
    let mut out: Vec<(Path, Value)> = flags
        .iter()
        .map(|(path, value)| {
            let value = overrides
                .iter()
                .find(|o| &o.path == path)
                .map_or(value, |o| &o.value);
            (path.clone(), value.clone())
        })
        .collect();
    out.extend(
        overrides
            .iter()
            .filter(|o| !flags.iter().any(|(path, _)| path == &o.path))
            .map(|o| (o.path.clone(), o.value.clone())),
    );
    out
}

/// `text` with `{label}`, `{name}` and `{namespace}` filled in (the catalog reader refused
/// any other `{word}`).
pub(super) fn fill_placeholders(text: &str, label: &str, namespace: &str) -> String {
    text.replace("{label}", label)
        .replace("{name}", &object_name(label))
        .replace("{namespace}", namespace)
}

/// A label as a Kubernetes object name: `Version450` gives `version450`, `v4.5` `v4-5`.
pub(super) fn object_name(label: &str) -> String {
    let name: String = label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    name.trim_matches('-').to_owned()
}
