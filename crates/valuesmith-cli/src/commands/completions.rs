//! `valuesmith completions SHELL`: the shell completion script, generated from the same clap
//! definition that parses the command line, so it always knows every command and option.

use clap::CommandFactory;

use crate::cli::Cli;
use crate::error::{write_stdout, CliError, ExitStatus};

/// Arguments of `valuesmith completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to write the completion script for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Runs `valuesmith completions`: the script goes to standard output.
pub fn run(args: CompletionsArgs) -> Result<ExitStatus, CliError> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "valuesmith", &mut script);
    write_stdout(&String::from_utf8_lossy(&script))?;
    Ok(ExitStatus::Success)
}
