//! `valuesmith plan`.

use valuesmith::diagnostic::Color;

use crate::error::{CliError, ExitStatus};

/// Arguments of `valuesmith plan`.
#[derive(Debug, clap::Args)]
pub struct PlanArgs {}

/// Runs `valuesmith plan`.
pub fn run(_args: PlanArgs, _color: Color) -> Result<ExitStatus, CliError> {
    Err(CliError::message("`plan` is not built yet"))
}
