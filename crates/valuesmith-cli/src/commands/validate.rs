//! `valuesmith validate`.

use valuesmith::diagnostic::Color;

use crate::error::{CliError, ExitStatus};

/// Arguments of `valuesmith validate`.
#[derive(Debug, clap::Args)]
pub struct ValidateArgs {}

/// Runs `valuesmith validate`.
pub fn run(_args: ValidateArgs, _color: Color) -> Result<ExitStatus, CliError> {
    Err(CliError::message("`validate` is not built yet"))
}
