//! `valuesmith migrate`.

use valuesmith::diagnostic::Color;

use crate::error::{CliError, ExitStatus};

/// Arguments of `valuesmith migrate`.
#[derive(Debug, clap::Args)]
pub struct MigrateArgs {}

/// Runs `valuesmith migrate`.
pub fn run(_args: MigrateArgs, _color: Color) -> Result<ExitStatus, CliError> {
    Err(CliError::message("`migrate` is not built yet"))
}
