//! Checking many values files at once, on every core.
//!
//! [`validate_files`] runs [`validate_file`] (and, unless secrets are shown, the redaction of
//! its findings) for each file on rayon's thread pool and hands the findings back in the
//! order the files were given, so the report is the same bytes whatever the number of cores.

use rayon::prelude::*;

use super::{validate_file, Finding, ValidateOptions};

/// One file of a [`validate_files`] run.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct FileInput<'a> {
    /// The file's name as the user gave it (see [`validate_file`]).
    pub name: &'a str,
    /// The file's content.
    pub bytes: &'a [u8],
    /// What to check it against.
    pub options: ValidateOptions<'a>,
}

impl<'a> FileInput<'a> {
    /// A file to check with `options`.
    pub fn new(name: &'a str, bytes: &'a [u8], options: ValidateOptions<'a>) -> Self {
        Self {
            name,
            bytes,
            options,
        }
    }
}

/// The findings of every file, in the order of `files`, checked in parallel. With `redact`,
/// secret values are scrubbed from each file's findings as
/// [`crate::secrets::redact_findings`] does.
pub fn validate_files(files: &[FileInput<'_>], redact: bool) -> Vec<Vec<Finding>> {
    files
        .par_iter()
        .map(|file| {
            let mut found = validate_file(file.name, file.bytes, &file.options);
            if redact {
                crate::secrets::redact_findings(&mut found, file.name, file.bytes);
            }
            found
        })
        .collect()
}
