//! `valuesmith set`.

use valuesmith::diagnostic::Color;

use crate::error::{CliError, ExitStatus};

/// Arguments of `valuesmith set`.
#[derive(Debug, clap::Args)]
pub struct SetArgs {}

/// Runs `valuesmith set`.
pub fn run(_args: SetArgs, _color: Color) -> Result<ExitStatus, CliError> {
    Err(CliError::message("`set` is not built yet"))
}
