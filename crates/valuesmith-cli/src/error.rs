//! The one place where failures become exit codes and text on standard error.
//!
//! Exit codes (docs/commands.md): 0 success, no differences, valid; 1 differences, findings at
//! error level, unmet `require`s (these are outcomes, returned as [`ExitStatus`], not errors);
//! 2 could not do the job: every [`CliError`] unless it says otherwise (an unmet `require` is
//! reported as a `CliError` with status 1, so that all of standard error goes through `main`).

use std::process::ExitCode;
use valuesmith::files::io_reason;

use valuesmith::diagnostic::{Color, Diagnostic, ToDiagnostic};

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: success, no differences, valid.
    Success,
    /// 1: differences found, findings at error level, a `require` not met.
    Findings,
    /// 2: could not do the job.
    Failure,
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> Self {
        ExitCode::from(match status {
            ExitStatus::Success => 0,
            ExitStatus::Findings => 1,
            ExitStatus::Failure => 2,
        })
    }
}

/// A command that could not do its job (exit 2).
#[derive(Debug)]
pub struct CliError {
    status: ExitStatus,
    diagnostic: Box<Diagnostic>,
    broken_pipe: bool,
}

impl CliError {
    /// A failure described by `diagnostic`.
    pub fn new(diagnostic: Diagnostic) -> Self {
        Self {
            status: ExitStatus::Failure,
            diagnostic: Box::new(diagnostic),
            broken_pipe: false,
        }
    }

    /// A failure with only a message.
    pub fn message(message: impl Into<String>) -> Self {
        Self::new(Diagnostic::error(message))
    }

    /// A failure to read or write `path`.
    pub fn io(path: &str, err: &std::io::Error) -> Self {
        let diagnostic = Diagnostic::error(format!("{path}: {}", io_reason(err)));
        Self {
            status: ExitStatus::Failure,
            diagnostic: Box::new(diagnostic),
            broken_pipe: err.kind() == std::io::ErrorKind::BrokenPipe,
        }
    }

    /// A library error about a place in `file`, rendered with its caret snippet.
    pub fn in_file(err: &impl ToDiagnostic, file: &str, source: &str) -> Self {
        let mut diagnostic = err.to_diagnostic();
        diagnostic.file = Some(file.to_owned());
        if let Some(location) = diagnostic.location {
            diagnostic = diagnostic.at(Some(source), location);
        }
        Self::new(diagnostic)
    }

    /// The exit status (2 unless set otherwise).
    pub fn status(&self) -> ExitStatus {
        self.status
    }

    /// Ends with `status` instead of 2.
    pub fn with_status(mut self, status: ExitStatus) -> Self {
        self.status = status;
        self
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.diagnostic.hint = Some(hint.into());
        self
    }

    /// Writing to a closed pipe (`valuesmith diff a b | head`) ends quietly.
    pub fn is_broken_pipe(&self) -> bool {
        self.broken_pipe
    }

    /// The text for standard error.
    pub fn render(&self, color: Color) -> String {
        self.diagnostic.render(color)
    }
}

impl<E: ToDiagnostic> From<E> for CliError {
    fn from(err: E) -> Self {
        Self::new(err.to_diagnostic())
    }
}

/// Writing output: a closed pipe is not an error worth a message.
pub fn write_stdout(text: &str) -> Result<(), CliError> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|err| CliError::io("<stdout>", &err))
}
