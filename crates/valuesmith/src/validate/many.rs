//! Checking many values files at once, on every core.
//!
//! [`validate_files`] runs [`validate_file`] (or, unless secrets are shown,
//! [`validate_file_redacted`]) for each file on rayon's thread pool and hands the findings
//! back in the order the files were given, so the report is the same bytes whatever the
//! number of cores.

use rayon::prelude::*;

use super::{validate_file, validate_file_redacted, Finding, ValidateOptions};

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
/// secret values are scrubbed from each file's findings as [`validate_file_redacted`] does.
pub fn validate_files(files: &[FileInput<'_>], redact: bool) -> Vec<Vec<Finding>> {
    files
        .par_iter()
        .map(|file| {
            if redact {
                validate_file_redacted(file.name, file.bytes, &file.options)
            } else {
                validate_file(file.name, file.bytes, &file.options)
            }
        })
        .collect()
}
