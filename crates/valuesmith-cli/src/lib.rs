//! The `valuesmith` command as a library target, so that the binary of this crate and the
//! repository root's pre-commit package (which `pre-commit` installs with
//! `cargo install --path .`) are the same one-line `main` over the same code.

mod cli;
mod commands;
mod error;
mod io;

use std::process::ExitCode;

use clap::Parser;

/// The clap definition of the command line (for tests and tools that list the commands).
pub fn command() -> clap::Command {
    <cli::Cli as clap::CommandFactory>::command()
}

/// Parses the command line, runs the command, prints any error to standard error (the only
/// place that does) and gives the exit code.
pub fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let color = cli.color.for_stderr();
    cli.helm_version.apply();
    match commands::run(cli) {
        Ok(status) => status.into(),
        Err(err) => {
            if err.is_broken_pipe() {
                return ExitCode::SUCCESS;
            }
            eprint!("{}", err.render(color));
            err.status().into()
        }
    }
}
