//! `valuesmith diff`.

use valuesmith::diagnostic::Color;

use crate::error::{CliError, ExitStatus};

/// Arguments of `valuesmith diff`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {}

/// Runs `valuesmith diff`.
pub fn run(_args: DiffArgs, _color: Color) -> Result<ExitStatus, CliError> {
    Err(CliError::message("`diff` is not built yet"))
}
