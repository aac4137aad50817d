//! `valuesmith man [COMMAND]`: manual pages (roff), generated from the clap definition that
//! parses the command line: `valuesmith(1)` lists every command, `valuesmith-<command>(1)`
//! has a command's options.

use clap::CommandFactory;
use valuesmith::diagnostic::did_you_mean;

use crate::cli::Cli;
use crate::error::{write_stdout, CliError, ExitStatus};

/// Arguments of `valuesmith man`.
#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// The command whose page to print (default: the page of `valuesmith` itself).
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

/// Runs `valuesmith man`: `valuesmith man > valuesmith.1`, or `valuesmith man | man -l -`.
pub fn run(args: ManArgs) -> Result<ExitStatus, CliError> {
    let top = Cli::command();
    let command = match &args.command {
        None => top,
        Some(name) => page_of(&top, name)?,
    };
    let mut page = Vec::new();
    clap_mangen::Man::new(command)
        .render(&mut page)
        .map_err(|err| CliError::io("<stdout>", &err))?;
    write_stdout(&String::from_utf8_lossy(&page))?;
    Ok(ExitStatus::Success)
}

/// The subcommand `name`, named `valuesmith-<name>` as man pages of subcommands are.
fn page_of(top: &clap::Command, name: &str) -> Result<clap::Command, CliError> {
    let names = || top.get_subcommands().map(clap::Command::get_name);
    let Some(sub) = top.find_subcommand(name) else {
        let mut err = CliError::message(format!("no command `{name}`"));
        if let Some(near) = did_you_mean(name, names()) {
            err = err.with_hint(format!("did you mean `{near}`?"));
        } else {
            err = err.with_hint(format!(
                "the commands: {}",
                names().collect::<Vec<_>>().join(", ")
            ));
        }
        return Err(err);
    };
    let full = format!("valuesmith-{}", sub.get_name());
    let shown = format!("valuesmith {}", sub.get_name());
    let version = top.get_version().unwrap_or_default().to_owned();
    Ok(sub.clone().name(full).bin_name(shown).version(version))
}
