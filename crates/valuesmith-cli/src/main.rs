//! `valuesmith`: diff, migrate and validate Helm values files without losing a comment.

mod cli;
mod commands;
mod error;
mod io;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let color = cli.color.for_stderr();
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
