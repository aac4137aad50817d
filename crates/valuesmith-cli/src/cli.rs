//! Command-line arguments shared by every command.

use clap::{Parser, Subcommand, ValueEnum};
use valuesmith::diagnostic::Color;

use crate::commands;

/// Diff, migrate and validate Helm values files, keeping every comment and blank line.
#[derive(Debug, Parser)]
#[command(name = "valuesmith", version, about, max_term_width = 100, after_help = AFTER_HELP)]
pub struct Cli {
    /// When to use colour: auto (a terminal without NO_COLOR), always or never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Read values files as this Helm major version does: 4 merges every YAML document of a
    /// file (the default), 3 reads the first document only.
    #[arg(long, global = true, value_enum, default_value_t = HelmVersion::V4)]
    pub helm_version: HelmVersion,

    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The end of `valuesmith --help`: what every command shares.
const AFTER_HELP: &str = "\
A value that starts with `-` goes after `--`, which ends the options:
  valuesmith set values.yml replicas -- -1
Exit codes: 0 ok, 1 findings or differences, 2 could not run.
Shell completion: valuesmith completions bash|zsh|fish|powershell|elvish; manual: valuesmith man";

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Structural diff of two YAML documents.
    Diff(commands::diff::DiffArgs),
    /// Apply a `diff --format json` patch to another values file (promote dev's change to prod).
    Apply(commands::apply::ApplyArgs),
    /// The matrix of how one release's values files differ across environments.
    Drift(commands::drift::DriftArgs),
    /// Migrate a values file through the upgrade path to a release.
    Migrate(commands::migrate::MigrateArgs),
    /// Show the upgrade path and the commands that deploy each step.
    Plan(commands::plan::PlanArgs),
    /// Check values files (for pre-commit and CI).
    Validate(commands::validate::ValidateArgs),
    /// Print the value at a path.
    Get(commands::get::GetArgs),
    /// Set the value at a path, changing nothing else in the file.
    Set(commands::set::SetArgs),
    /// Print the shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(commands::completions::CompletionsArgs),
    /// Print the manual page (roff) of valuesmith or of one command.
    Man(commands::man::ManArgs),
    /// Print the JSON Schema of a valuesmith file format (the catalog), for editors.
    Schema(commands::schema::SchemaArgs),
    /// Render values with `helm template` offline and report what stops it, at your lines.
    RenderCheck(commands::render_check::RenderCheckArgs),
    /// Render two values files (or chart versions) and diff the manifests resource by resource.
    RenderDiff(commands::render_diff::RenderDiffArgs),
    /// The values a chart's templates see for -f files and --set flags, and where each came from.
    Effective(commands::effective::EffectiveArgs),
    /// What upgrading a chart from A to B does to your overrides, and the rules that fix them.
    Advise(commands::advise::AdviseArgs),
}

/// `--helm-version`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HelmVersion {
    /// Helm 3: the first document of a values file.
    #[value(name = "3")]
    V3,
    /// Helm 4: every document of a values file, merged in order.
    #[value(name = "4")]
    V4,
}

impl HelmVersion {
    /// Makes this version's reading the one every command uses for values files (and its
    /// coalescing rules the ones `effective` and `advise` follow).
    pub fn apply(self) {
        valuesmith::document::Reading::set_process_default(match self {
            HelmVersion::V3 => valuesmith::document::Reading::Helm3,
            HelmVersion::V4 => valuesmith::document::Reading::Helm,
        });
    }
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal unless NO_COLOR is set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    /// Decides for one output stream: `auto` colours a terminal unless `NO_COLOR` is set, so
    /// `valuesmith diff a b > out.txt` writes plain text even when run from a terminal.
    pub fn resolve(self, stream_is_terminal: bool) -> Color {
        match self {
            ColorChoice::Always => Color::Always,
            ColorChoice::Never => Color::Never,
            ColorChoice::Auto => {
                let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
                if !no_color && stream_is_terminal {
                    Color::Always
                } else {
                    Color::Never
                }
            }
        }
    }

    /// The colour of what goes to standard output (reports).
    pub fn for_stdout(self) -> Color {
        use std::io::IsTerminal;
        self.resolve(std::io::stdout().is_terminal())
    }

    /// The colour of what goes to standard error (diagnostics).
    pub fn for_stderr(self) -> Color {
        use std::io::IsTerminal;
        self.resolve(std::io::stderr().is_terminal())
    }
}

impl From<HelmVersion> for valuesmith::effective::HelmVersion {
    fn from(version: HelmVersion) -> Self {
        match version {
            HelmVersion::V3 => valuesmith::effective::HelmVersion::V3,
            HelmVersion::V4 => valuesmith::effective::HelmVersion::V4,
        }
    }
}
