//! Upgrade paths through a catalog and the helm commands that deploy each step.
//!
//! [`plan`] finds the path from the current release to a target (docs/plan.md): at each
//! step the highest catalog release up to the target that may be reached
//! straight from the current one, where "straight" means the release's `upgrade_from` holds for
//! the current one and no `policy.sequential` boundary with a catalog release on it lies
//! between them. Each [`Step`] knows the releases it covers, so the migration engine applies
//! their rules ([`Step::rules`]) and required values. [`render`] turns a path into the output
//! of `valuesmith plan` in every format (§5, "Plan commands"); it returns text and prints
//! nothing.

use std::fmt::Write as _;

use serde::Serialize;

use crate::catalog::{Catalog, Release, Rule, SetFlag, SourcePos};
use crate::diagnostic::{Diagnostic, ToDiagnostic};
use crate::path::{Path, Segment};
use crate::value::Value;
use crate::version::{Comparator, Version};

/// How long each `helm upgrade --wait` may take (what the vendors' guides use).
const HELM_TIMEOUT: &str = "10m0s";
/// How long to wait for pods after the upgrade-mode run, before the data upgrade.
const PODS_TIMEOUT: &str = "15m";

/// An upgrade path from one catalog release to another.
#[derive(Debug, Clone)]
pub struct UpgradePath<'c> {
    /// The catalog planned through.
    pub catalog: &'c Catalog,
    /// The current release.
    pub from: &'c Release,
    /// The target release.
    pub to: &'c Release,
    /// The steps, in order; empty when `from` is `to`.
    pub steps: Vec<Step<'c>>,
}

/// One step of a path: a deployment of release `to` over release `from`.
#[derive(Debug, Clone)]
pub struct Step<'c> {
    /// The release deployed before this step.
    pub from: &'c Release,
    /// The release this step deploys.
    pub to: &'c Release,
    /// Every catalog release after `from` up to and including `to`, oldest first: the
    /// releases whose rules and required values the step applies (a release the step jumps
    /// over still contributes its rules).
    pub covers: Vec<&'c Release>,
    /// Why the step ends at `to` rather than later.
    pub stop: Stop<'c>,
}

/// A rule of a step with the release and position that name it in reports.
#[derive(Debug, Clone, Copy)]
pub struct RuleRef<'c> {
    /// The release whose `migrate` list holds the rule.
    pub release: &'c Release,
    /// The rule's zero-based position in that list.
    pub index: usize,
    /// The rule.
    pub rule: &'c Rule,
}

/// Why a step ends where it does.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Stop<'c> {
    /// The step reaches the target.
    Target,
    /// The next release cannot be reached straight from the step's start: its `upgrade_from`
    /// fails.
    UpgradeFrom {
        /// The next release after the step's end.
        next: &'c Release,
        /// The comparator of its `upgrade_from` that fails.
        failed: Comparator,
    },
    /// Reaching the next release would jump over a release that starts a new series.
    Boundary {
        /// The next release after the step's end.
        next: &'c Release,
        /// The first release jumped over that lies in a series of its own.
        skipped: &'c Release,
    },
    /// The next release can be reached, but no path leads from it to the target.
    DeadEnd {
        /// The next release after the step's end.
        next: &'c Release,
    },
}

/// Why a release cannot be reached straight from another.
#[derive(Debug, Clone)]
enum Blocker<'c> {
    UpgradeFrom(Comparator),
    Boundary(&'c Release),
}

/// Which end of a path a release was given for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// The current release.
    From,
    /// The target release.
    To,
}

/// A path that cannot be planned or rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// A release the catalog does not list.
    #[error(
        "{} {version} is not in the {product} catalog (it has {known})",
        match .endpoint { Endpoint::From => "the current release", Endpoint::To => "the target release" }
    )]
    UnknownRelease {
        /// Which end of the path.
        endpoint: Endpoint,
        /// The release asked for.
        version: String,
        /// The catalog's product.
        product: String,
        /// The catalog's releases, oldest first.
        known: String,
        /// The releases either side of the one asked for. (Spelling suggestions mislead for
        /// version numbers: `1.9.0` is one edit from `1.5.0`.)
        suggestion: Option<String>,
    },
    /// A target below the current release.
    #[error("{to} is older than the current release {from}: downgrades are not supported")]
    Downgrade {
        /// The current release.
        from: String,
        /// The target release.
        to: String,
    },
    /// No way from the current release to the target.
    #[error("no upgrade path from {from} to {to}: {reason}")]
    NoPath {
        /// The current release.
        from: String,
        /// The target release.
        to: String,
        /// The impossible step and why.
        reason: String,
        /// The `upgrade_from` that refuses it (boxed to keep the error small).
        at: Option<Box<SourcePos>>,
        /// The source line at `at`.
        source_line: Option<String>,
    },
    /// A data-upgrade step whose commands the catalog's `commands` section cannot shape.
    #[error("{message}")]
    MissingCommands {
        /// What is missing.
        message: String,
        /// The release's `data_upgrade`.
        at: SourcePos,
        /// The source line at `at`.
        source_line: Option<String>,
    },
}

impl ToDiagnostic for PlanError {
    fn to_diagnostic(&self) -> Diagnostic {
        let mut d = Diagnostic::error(self.to_string());
        let (at, source_line, hint) = match self {
            PlanError::UnknownRelease { suggestion, .. } => (
                None,
                None,
                Some(match suggestion {
                    Some(s) => s.clone(),
                    None => "name one of the catalog's releases".to_owned(),
                }),
            ),
            PlanError::Downgrade { to, .. } => (
                None,
                None,
                Some(format!(
                    "to go back to {to}, restore the backup (values and data) taken before \
                     upgrading from it"
                )),
            ),
            PlanError::NoPath {
                at, source_line, ..
            } => (
                at.as_deref(),
                source_line.as_ref(),
                Some(
                    "if the vendor's upgrade guide allows that step, correct `upgrade_from` in \
                     the catalog"
                        .to_owned(),
                ),
            ),
            PlanError::MissingCommands {
                at, source_line, ..
            } => (
                Some(at),
                source_line.as_ref(),
                Some(
                    "add `commands: {upgrade_mode: <values path>, data_upgrade_api: <apiVersion>}` \
                     to the catalog"
                        .to_owned(),
                ),
            ),
        };
        if let Some(at) = at {
            d = d.with_file(at.file.to_string());
            d.location = Some(at.location);
            d.source_line = source_line.cloned();
        }
        d.hint = hint;
        d
    }
}

impl<'c> Step<'c> {
    /// The rules the step applies, in order: each covered release's `migrate` list in turn.
    pub fn rules(&self) -> impl Iterator<Item = RuleRef<'c>> + '_ {
        self.covers.iter().flat_map(|release| {
            release
                .migrate
                .iter()
                .enumerate()
                .map(move |(index, rule)| RuleRef {
                    release,
                    index,
                    rule,
                })
        })
    }

    /// The `require` paths of the covered releases, in order, each once.
    pub fn required_input(&self) -> Vec<&'c Path> {
        let mut paths: Vec<&'c Path> = Vec::new();
        for release in &self.covers {
            for path in release.required_inputs() {
                if !paths.contains(&path) {
                    paths.push(path);
                }
            }
        }
        paths
    }

    /// The release whose data upgrade the step runs: the latest covered release with a
    /// `data_upgrade`. A step that jumps over a data-upgrade release still runs it, because
    /// the data must reach that schema whatever release carries it there.
    pub fn data_upgrade_release(&self) -> Option<&'c Release> {
        self.covers
            .iter()
            .rev()
            .find(|r| r.data_upgrade.is_some())
            .copied()
    }

    /// The `DataUpgrade` label the step runs, if any.
    pub fn data_upgrade(&self) -> Option<&'c str> {
        self.data_upgrade_release()
            .and_then(|r| r.data_upgrade.as_deref())
    }

    /// The notes of the covered releases: the target's alone as written, several prefixed with
    /// their release.
    pub fn notes(&self) -> Option<String> {
        let with_notes: Vec<&Release> = self
            .covers
            .iter()
            .filter(|r| r.notes.is_some())
            .copied()
            .collect();
        match with_notes.as_slice() {
            [] => None,
            [only] if std::ptr::eq(*only, self.to) => only.notes.clone(),
            several => Some(
                several
                    .iter()
                    .map(|r| format!("{}: {}", r.version, r.notes.as_deref().unwrap_or("")))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
        }
    }

    /// One sentence on why the step ends here.
    pub fn explanation(&self, catalog: &Catalog) -> String {
        let (from, to) = (&self.from.version, &self.to.version);
        match &self.stop {
            Stop::Target => format!("{to} is the target"),
            Stop::UpgradeFrom { next, failed } => format!(
                "stops at {to}: {next} cannot be reached straight from {from} ({})",
                refusal(next, failed, from),
                next = next.version,
            ),
            Stop::Boundary { next, skipped } => {
                let policy = catalog.policy.sequential;
                let series = policy
                    .series(&skipped.version)
                    .map_or_else(String::new, |s| policy.series_text(s));
                format!(
                    "stops at {to}: {next} would jump over the {series} series, which {skipped} \
                     starts (policy.sequential: {})",
                    policy.as_str(),
                    next = next.version,
                    skipped = skipped.version,
                )
            }
            Stop::DeadEnd { next } => format!(
                "stops at {to}: {next} can be reached from {from}, but no path leads on from it",
                next = next.version
            ),
        }
    }
}

/// `its upgrade_from `>=2024.12` excludes 2024.07`, naming the failing comparator when the
/// requirement has several.
fn refusal(next: &Release, failed: &Comparator, from: &Version) -> String {
    let req = next.upgrade_from.as_ref();
    let text = req.map_or_else(String::new, ToString::to_string);
    if req.is_some_and(|r| r.comparators().len() > 1) {
        format!("its upgrade_from `{text}` excludes {from}: {from} is not {failed}")
    } else {
        format!("its upgrade_from `{text}` excludes {from}")
    }
}

/// Why `to` cannot be reached straight from `from` (indices into the catalog's releases,
/// `from < to`), or `None` when it can.
fn blocker<'c>(catalog: &'c Catalog, from: usize, to: usize) -> Option<Blocker<'c>> {
    let releases = catalog.releases();
    let (current, target) = (&releases[from], &releases[to]);
    if let Some(req) = &target.upgrade_from {
        if let Some(failed) = req.first_failure(&current.version) {
            return Some(Blocker::UpgradeFrom(failed.clone()));
        }
    }
    let policy = catalog.policy.sequential;
    let (Some(start), Some(end)) = (
        policy.series(&current.version),
        policy.series(&target.version),
    ) else {
        return None;
    };
    // Releases are sorted, so those in between have series between `start` and `end`; one in
    // neither of those is a whole series the upgrade would skip.
    releases[from + 1..to]
        .iter()
        .find(|r| {
            policy
                .series(&r.version)
                .is_some_and(|s| s != start && s != end)
        })
        .map(Blocker::Boundary)
}

/// Plans the upgrade from `from` to `to` through `catalog`.
///
/// Releases are looked up numerically (`2024.12` finds `2024.12.00`). A target below the
/// current release is a [`PlanError::Downgrade`], the same release an empty path. Each step
/// goes to the highest release up to the target that can be reached straight; if that choice
/// would lead to a dead end the next lower one is tried, so a path is found whenever one
/// exists (plain greedy choice would give up on some catalogs that do have a path).
pub fn plan<'c>(
    catalog: &'c Catalog,
    from: &Version,
    to: &Version,
) -> Result<UpgradePath<'c>, PlanError> {
    let start = lookup(catalog, from, Endpoint::From)?;
    let end = lookup(catalog, to, Endpoint::To)?;
    let releases = catalog.releases();
    if end < start {
        return Err(PlanError::Downgrade {
            from: releases[start].version.to_string(),
            to: releases[end].version.to_string(),
        });
    }
    let mut path = UpgradePath {
        catalog,
        from: &releases[start],
        to: &releases[end],
        steps: Vec::new(),
    };
    if start == end {
        return Ok(path);
    }
    let mut dead = vec![false; releases.len()];
    let Some(stops) = search(catalog, start, end, &mut dead) else {
        return Err(no_path(catalog, start, end));
    };
    let mut current = start;
    for &next in &stops {
        let stop = if next == end {
            Stop::Target
        } else {
            let after = &releases[next + 1];
            match blocker(catalog, current, next + 1) {
                Some(Blocker::UpgradeFrom(failed)) => Stop::UpgradeFrom {
                    next: after,
                    failed,
                },
                Some(Blocker::Boundary(skipped)) => Stop::Boundary {
                    next: after,
                    skipped,
                },
                None => Stop::DeadEnd { next: after },
            }
        };
        path.steps.push(Step {
            from: &releases[current],
            to: &releases[next],
            covers: releases[current + 1..=next].iter().collect(),
            stop,
        });
        current = next;
    }
    Ok(path)
}

/// The stops from `from` to `end`, highest reachable first; `dead` remembers releases from
/// which `end` cannot be reached, so each release is explored once.
fn search(catalog: &Catalog, from: usize, end: usize, dead: &mut [bool]) -> Option<Vec<usize>> {
    for next in (from + 1..=end).rev() {
        if dead[next] || blocker(catalog, from, next).is_some() {
            continue;
        }
        if next == end {
            return Some(vec![end]);
        }
        if let Some(mut rest) = search(catalog, next, end, dead) {
            rest.insert(0, next);
            return Some(rest);
        }
        dead[next] = true;
    }
    None
}

/// Explains a missing path: follow the highest reachable release until none is reachable;
/// there the very next release refuses by its `upgrade_from` (no boundary can lie between
/// neighbours).
fn no_path(catalog: &Catalog, start: usize, end: usize) -> PlanError {
    let releases = catalog.releases();
    let mut trail = vec![start];
    let mut current = start;
    while let Some(next) = (current + 1..end)
        .rev()
        .find(|&n| blocker(catalog, current, n).is_none())
    {
        trail.push(next);
        current = next;
    }
    let stuck = &releases[current];
    let next = &releases[current + 1];
    let why = match blocker(catalog, current, current + 1) {
        Some(Blocker::UpgradeFrom(failed)) => refusal(next, &failed, &stuck.version),
        Some(Blocker::Boundary(skipped)) => format!("it would jump over {}", skipped.version),
        None => "no path leads on from it".to_owned(),
    };
    let reached = if trail.len() > 1 {
        let walk: Vec<&str> = trail
            .iter()
            .map(|&i| releases[i].version.as_str())
            .collect();
        format!(
            "the path reaches {} ({}), but ",
            stuck.version,
            walk.join(" -> ")
        )
    } else {
        String::new()
    };
    let later = if current + 1 < end {
        format!(", nor to any later release up to {}", releases[end].version)
    } else {
        String::new()
    };
    let reason = format!(
        "{reached}{} cannot upgrade straight to {} ({why}){later}",
        stuck.version, next.version
    );
    let at = next.origin.upgrade_from.clone().map(Box::new);
    let source_line = at.as_deref().and_then(|at| catalog.source_line(at));
    PlanError::NoPath {
        from: releases[start].version.to_string(),
        to: releases[end].version.to_string(),
        reason,
        at,
        source_line,
    }
}

fn lookup(catalog: &Catalog, version: &Version, endpoint: Endpoint) -> Result<usize, PlanError> {
    catalog.index_of(version).ok_or_else(|| {
        let releases = catalog.releases();
        let neighbours = || {
            let above = releases.iter().position(|r| r.version > *version);
            let below = match above {
                Some(0) => None,
                Some(i) => Some(i - 1),
                None => releases.len().checked_sub(1),
            };
            match (below, above) {
                (Some(b), Some(a)) => format!(
                    "the releases either side are {} and {}",
                    releases[b].version, releases[a].version
                ),
                (Some(b), None) => format!("the latest release is {}", releases[b].version),
                (None, Some(a)) => format!("the oldest release is {}", releases[a].version),
                (None, None) => "the catalog lists no releases".to_owned(),
            }
        };
        PlanError::UnknownRelease {
            endpoint,
            version: version.to_string(),
            product: catalog.product.clone(),
            known: catalog.versions_text(),
            suggestion: Some(neighbours()),
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Rendering.

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

/// An argument of a printed command.
#[derive(Debug, Clone, PartialEq)]
enum Arg {
    /// Literal text.
    Lit(String),
    /// The values file of a release (its file-name part), spelled per format.
    ValuesFile(String),
}

/// A printed command.
#[derive(Debug, Clone)]
enum Command {
    /// A program run; the groups are shown one per line in continued form.
    Run {
        comment: String,
        groups: Vec<Vec<Arg>>,
    },
    /// `kubectl apply` of a manifest given inline.
    Apply { comment: String, manifest: String },
    /// A check the user makes by reading logs.
    WaitForLog { text: String },
}

/// One step as every format shows it.
struct StepView {
    from: String,
    to: String,
    chart_version: String,
    data_upgrade: Option<String>,
    notes: Option<String>,
    required_input: Vec<String>,
    values_file: String,
    explanation: String,
    commands: Vec<Command>,
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

/// How values file names are spelled in one format.
struct Files<'a> {
    options: RenderOptions<'a>,
    format: PlanFormat,
}

impl Files<'_> {
    /// The file name for display (text formats and JSON).
    fn display(&self, part: &str) -> String {
        let env = self.options.env.unwrap_or("<env>");
        self.join(&format!("values-{env}-{part}.yml"))
    }

    fn join(&self, name: &str) -> String {
        match self.options.values_dir {
            Some(dir) if !dir.is_empty() && dir != "." => {
                let sep = if dir.ends_with(['/', '\\']) { "" } else { "/" };
                format!("{dir}{sep}{name}")
            }
            _ => name.to_owned(),
        }
    }

    /// The file name as a script argument.
    fn script_arg(&self, part: &str) -> String {
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
            (_, PlanFormat::PowerShell) => format!("'{}'", self.display(part).replace('\'', "''")),
            _ => sh_quote(&self.display(part)),
        }
    }

    fn arg(&self, arg: &Arg) -> String {
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
    fn one_line(&self, command: &Command) -> String {
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
            Command::WaitForLog { text } => format!("# {text}"),
        }
    }

    /// A command in bash syntax with `\` continuations, each line prefixed by `indent`.
    fn continued(&self, command: &Command, indent: &str, continuation: &str) -> String {
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
            Command::WaitForLog { text } => format!("{indent}# {text}\n"),
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
fn set_flag(path: &Path, value: &Value) -> Vec<Arg> {
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
fn helm_types_it(text: &str) -> bool {
    ["true", "false", "null"]
        .iter()
        .any(|w| text.eq_ignore_ascii_case(w))
        || text == "0"
        || (!text.starts_with('0') && text.parse::<i64>().is_ok())
}

/// A values path in helm's `--set` syntax: keys joined by `.`, with `.`, `,`, `=`, `[` and
/// `\` escaped by a backslash; positions as `[N]`. Identities were refused when the catalog
/// was read.
fn helm_key(path: &Path) -> String {
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

fn helm_escape_value(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, ',' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn sh_quote(text: &str) -> String {
    let safe = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./:=,@%+-".contains(c));
    if safe {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

fn ps_quote(text: &str) -> String {
    let safe = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./:=+-".contains(c));
    if safe {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', "''"))
    }
}

fn step_view(
    catalog: &Catalog,
    step: &Step<'_>,
    options: RenderOptions<'_>,
) -> Result<StepView, PlanError> {
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
            let missing = |field: &str| {
                let at = source
                    .origin
                    .data_upgrade
                    .clone()
                    .unwrap_or_else(|| source.origin.entry.clone());
                PlanError::MissingCommands {
                    message: format!(
                        "release {} needs a data upgrade, but the catalog has no \
                         `commands.{field}`",
                        source.version
                    ),
                    source_line: catalog.source_line(&at),
                    at,
                }
            };
            let mode = catalog
                .commands
                .upgrade_mode
                .clone()
                .ok_or_else(|| missing("upgrade_mode"))?;
            let api = catalog
                .commands
                .data_upgrade_api
                .clone()
                .ok_or_else(|| missing("data_upgrade_api"))?;
            let mut first = vec![(mode.clone(), Value::Bool(true))];
            first.extend(flags.iter().cloned());
            commands.push(helm_upgrade(
                catalog,
                release,
                &first,
                format!(
                    "Upgrade to {} in upgrade mode (stops ingestion and processing)",
                    release.version
                ),
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
            commands.push(Command::Apply {
                comment: format!("Start the data upgrade to {label}"),
                manifest: format!(
                    "apiVersion: {api}\nkind: DataUpgrade\nmetadata:\n  name: {}\n  \
                     namespace: {}\nspec:\n  toVersion: {label}\n",
                    manifest_name(label),
                    catalog.namespace
                ),
            });
            commands.push(Command::WaitForLog {
                text: format!(
                    "Wait until the server log shows `POST /api/upgradeto/{label}` answered \
                     with 200 (the data upgrade is done)"
                ),
            });
            // The final run turns the toggles off; a flag that is not a boolean is a setting,
            // not a toggle, and keeps its value.
            let mut last = vec![(mode, Value::Bool(false))];
            last.extend(flags.iter().map(|(path, value)| match value {
                Value::Bool(_) => (path.clone(), Value::Bool(false)),
                other => (path.clone(), other.clone()),
            }));
            commands.push(helm_upgrade(
                catalog,
                release,
                &last,
                "Leave upgrade mode".to_owned(),
            ));
        }
    }
    Ok(StepView {
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
    })
}

/// A Kubernetes object name from a label: `Version450` gives `data-upgrade-version450`.
fn manifest_name(label: &str) -> String {
    let mut name: String = label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    name = name.trim_matches('-').to_owned();
    format!("data-upgrade-{name}")
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

#[cfg(test)]
mod tests;
