//! One module per command; each has its arguments and a `run`.

pub mod advise;
pub mod apply;
pub mod completions;
pub mod diff;
pub mod drift;
pub mod effective;
pub mod get;
pub mod helm_args;
pub mod man;
pub mod migrate;
pub mod plan;
pub mod release;
pub mod render_check;
pub mod render_diff;
pub mod schema;
pub mod set;
pub mod set_args;
pub mod validate;

use crate::cli::{Cli, Command};
use crate::error::{CliError, ExitStatus};

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<ExitStatus, CliError> {
    let color = cli.color.for_stdout();
    match cli.command {
        Command::Diff(args) => diff::run(args, color),
        Command::Apply(args) => apply::run(args, color),
        Command::Drift(args) => drift::run(args, color),
        Command::Migrate(args) => migrate::run(args, color),
        Command::Plan(args) => plan::run(args, color),
        Command::Validate(args) => validate::run(args, color),
        Command::Get(args) => get::run(args, color),
        Command::Set(args) => set::run(args, color),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
        Command::Schema(args) => schema::run(args),
        Command::RenderCheck(args) => render_check::run(args, color),
        Command::RenderDiff(args) => render_diff::run(args, color),
        Command::Effective(args) => effective::run(args, cli.helm_version, cli.color.for_stderr()),
        Command::Advise(args) => advise::run(args, cli.helm_version, color),
    }
}
