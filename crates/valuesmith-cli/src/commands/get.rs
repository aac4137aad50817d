//! `valuesmith get`.

use valuesmith::diagnostic::Color;

use crate::error::{CliError, ExitStatus};

/// Arguments of `valuesmith get`.
#[derive(Debug, clap::Args)]
pub struct GetArgs {}

/// Runs `valuesmith get`.
pub fn run(_args: GetArgs, _color: Color) -> Result<ExitStatus, CliError> {
    Err(CliError::message("`get` is not built yet"))
}
