//! Running the user's `helm` binary: arguments in, standard output and error out, stopped
//! when it runs past its time.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::RenderError;

/// The `helm` program valuesmith runs, and how long one run may take.
///
/// valuesmith never downloads Helm: this is the binary the user has, named by `--helm PATH`
/// or found as `helm` on `PATH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Helm {
    program: PathBuf,
    timeout: Duration,
}

/// What a finished `helm` run printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Output {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

impl Helm {
    /// How long one `helm template` may run unless told otherwise: rendering a large chart
    /// takes well under a second, so two minutes only stops a render that hangs.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);

    /// The program at `program` (a path, or a bare name looked up on `PATH`).
    pub fn new(program: impl Into<PathBuf>) -> Self {
        Self {
            program: program.into(),
            timeout: Self::DEFAULT_TIMEOUT,
        }
    }

    /// `--helm PATH` when given, else `helm` on `PATH`.
    pub fn from_option(program: Option<PathBuf>) -> Self {
        Self::new(program.unwrap_or_else(|| PathBuf::from("helm")))
    }

    /// The same program with another time limit per run.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The program as given.
    pub fn program(&self) -> &std::path::Path {
        &self.program
    }

    /// The time limit of one run.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Runs helm with `args`, writing `stdin` to its standard input. `shown` is the command as
    /// messages name it. A run past the time limit is killed.
    pub(crate) fn run(
        &self,
        args: &[OsString],
        stdin: Option<&str>,
        shown: &str,
    ) -> Result<Output, RenderError> {
        let mut child = Command::new(&self.program)
            .args(args)
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|err| {
                if err.kind() == std::io::ErrorKind::NotFound {
                    RenderError::HelmNotFound {
                        program: self.program.display().to_string(),
                    }
                } else {
                    RenderError::HelmStart {
                        program: self.program.display().to_string(),
                        reason: err.to_string(),
                    }
                }
            })?;
        // Standard input, output and error each get a thread, so that a chatty helm never
        // blocks on a full pipe while the others wait.
        let writer = child.stdin.take().zip(stdin).map(|(mut pipe, text)| {
            let text = text.to_owned();
            std::thread::spawn(move || {
                // A helm that exits without reading its input is reported by its exit status.
                let _ = pipe.write_all(text.as_bytes());
            })
        });
        let out = child.stdout.take().map(reader);
        let err = child.stderr.take().map(reader);
        let deadline = Instant::now() + self.timeout;
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if Instant::now() >= deadline => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(RenderError::Timeout {
                        command: shown.to_owned(),
                        seconds: self.timeout.as_secs_f64(),
                    });
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(5)),
                Err(err) => {
                    return Err(RenderError::HelmStart {
                        program: self.program.display().to_string(),
                        reason: err.to_string(),
                    })
                }
            }
        };
        if let Some(writer) = writer {
            let _ = writer.join();
        }
        let collect = |handle: Option<std::thread::JoinHandle<Vec<u8>>>| {
            let bytes = handle.and_then(|h| h.join().ok()).unwrap_or_default();
            String::from_utf8_lossy(&bytes).into_owned()
        };
        Ok(Output {
            success: status.success(),
            stdout: collect(out),
            stderr: collect(err),
        })
    }
}

fn reader(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        bytes
    })
}
