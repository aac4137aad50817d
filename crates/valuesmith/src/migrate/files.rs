//! Migrating the files of several environments together: `migrate FILE... --to RELEASE`.
//!
//! Each file's env and release come from its name (`values-<env>-<release>.yml`, split with
//! the catalog's releases) and must agree with its `version_path` value
//! ([`crate::values_file::mismatch`]); each is planned ([`crate::plan::plan`]) and migrated
//! ([`super::migrate`]) on its own, exactly as a run on that file alone would. Nothing is
//! written until every file is migrated, and then every step file of every environment is
//! written through one [`crate::files::write_all`], so a failure in any file writes none.

use std::fmt::Write as _;
use std::path::{Path as FsPath, PathBuf};

use super::{migrate, MigrateError, Migration};
use crate::catalog::Catalog;
use crate::diagnostic::{Diagnostic, ToDiagnostic};
use crate::document::Document;
use crate::files::{write_all, Output, WriteError};
use crate::patch::Change;
use crate::plan::{plan, PlanError};
use crate::version::{values_file_name, Version};

/// One environment's file, as read.
#[derive(Debug, Clone)]
pub struct EnvFile {
    /// The file's path, as the user gave it (names the outputs' folder and the env).
    pub path: PathBuf,
    /// Its document.
    pub document: Document,
}

/// One environment migrated.
#[derive(Debug, Clone)]
pub struct EnvMigration {
    /// The input file's path.
    pub input: PathBuf,
    /// The env from its name.
    pub env: String,
    /// The migration, step by step.
    pub migration: Migration,
    /// The step files, one per step.
    pub outputs: Vec<PathBuf>,
}

/// Why a migration of several files could not be carried out; nothing was written.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum FilesError {
    /// A file whose name or `version_path` does not say its env and release.
    #[error("{}: {message}", .file.display())]
    Release {
        /// The file.
        file: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// No upgrade path for one file.
    #[error("{}: {error}", .file.display())]
    Plan {
        /// The file.
        file: PathBuf,
        /// Why.
        error: Box<PlanError>,
    },
    /// A rule failed, or a `require` is not met, in one file.
    #[error("{}: {error}", .file.display())]
    Migrate {
        /// The file.
        file: PathBuf,
        /// Why.
        error: MigrateError,
    },
    /// An output could not be written (no output was written).
    #[error(transparent)]
    Write(WriteError),
}

impl ToDiagnostic for FilesError {
    fn to_diagnostic(&self) -> Diagnostic {
        let (file, mut diagnostic) = match self {
            FilesError::Release { file, message } => (file, Diagnostic::error(message.clone())),
            FilesError::Plan { file, error } => (file, error.to_diagnostic()),
            FilesError::Migrate { file, error } => (file, error.to_diagnostic()),
            FilesError::Write(error) => {
                let mut d = Diagnostic::error(format!("{error}; nothing was written"));
                d.hint = error.hint().map(str::to_owned);
                return d;
            }
        };
        diagnostic.message = format!(
            "{}: {}; nothing was written",
            file.display(),
            diagnostic.message
        );
        diagnostic
    }
}

/// Plans and migrates every file to `to`; the step files go beside each input, or into
/// `out_dir`. Writes nothing: see [`write_migrations`].
pub fn migrate_files(
    files: Vec<EnvFile>,
    catalog: &Catalog,
    to: &Version,
    out_dir: Option<&FsPath>,
) -> Result<Vec<EnvMigration>, FilesError> {
    let mut done = Vec::new();
    for file in files {
        let name = file
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let parsed = catalog
            .values_file_name(&name)
            .ok_or_else(|| FilesError::Release {
                file: file.path.clone(),
                message: "the name does not follow values-<env>-<release>.yml, so it tells \
                          neither the env nor the release (migrate it on its own with --from \
                          and --env)"
                    .to_owned(),
            })?;
        if let Some(found) = crate::values_file::mismatch(&file.document, catalog, &parsed.release)
        {
            return Err(FilesError::Release {
                file: file.path.clone(),
                message: found.message,
            });
        }
        let path = plan(catalog, &parsed.release, to).map_err(|error| FilesError::Plan {
            file: file.path.clone(),
            error: Box::new(error),
        })?;
        let folder = out_dir
            .map(FsPath::to_path_buf)
            .or_else(|| {
                file.path
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .map(FsPath::to_path_buf)
            })
            .unwrap_or_default();
        let outputs = path
            .steps
            .iter()
            .map(|step| folder.join(values_file_name(&parsed.env, &step.to.version)))
            .collect();
        let migration = migrate(file.document, &path).map_err(|error| FilesError::Migrate {
            file: file.path.clone(),
            error,
        })?;
        done.push(EnvMigration {
            input: file.path,
            env: parsed.env,
            migration,
            outputs,
        });
    }
    Ok(done)
}

/// Writes every step file of every environment, or none.
pub fn write_migrations(migrations: &[EnvMigration], overwrite: bool) -> Result<(), FilesError> {
    let outputs: Vec<Output> = migrations
        .iter()
        .flat_map(|m| {
            m.outputs
                .iter()
                .zip(&m.migration.steps)
                .map(|(path, step)| Output {
                    path: path.clone(),
                    bytes: step.document.to_bytes(),
                })
        })
        .collect();
    write_all(&outputs, overwrite).map_err(FilesError::Write)
}

/// One change as a line of the combined report (values redacted unless `show_secrets`).
fn change_line(change: &Change, show_secrets: bool) -> String {
    // An appended item is named by its identity: its position differs between environments
    // whose lists differ.
    let path = match change {
        Change::Insert { path, value, .. } => crate::path::identity_segment(value, None)
            .map(|segment| path.child(segment))
            .unwrap_or_else(|| change.path()),
        _ => change.path(),
    };
    let shown = |v| super::inline(&crate::secrets::shown(&path, v, show_secrets));
    match change {
        Change::Move { to, value, .. } => format!(
            "> {path} -> {to}: {}",
            super::inline(&crate::secrets::shown_moved(&path, to, value, show_secrets))
        ),
        Change::Remove { old, .. } => format!("- {path}: {}", shown(old)),
        Change::Set {
            old: Some(old),
            new,
            ..
        } => format!("~ {path}: {} -> {}", shown(old), shown(new)),
        Change::Set { new, .. } | Change::Insert { value: new, .. } => {
            format!("+ {path}: {}", shown(new))
        }
        Change::Reorder { .. } => format!("~ {path}: reordered"),
    }
}

/// The combined report: what every environment's migration does, once, then per
/// environment what only it does, and the files written.
pub fn render_combined(migrations: &[EnvMigration], show_secrets: bool) -> String {
    let lines: Vec<Vec<String>> = migrations
        .iter()
        .map(|m| {
            m.migration
                .steps
                .iter()
                .flat_map(|s| {
                    s.patch
                        .changes()
                        .iter()
                        .map(|c| change_line(c, show_secrets))
                })
                .collect()
        })
        .collect();
    let common: Vec<&String> = lines
        .first()
        .map(|first| {
            first
                .iter()
                .filter(|line| lines.iter().all(|other| other.contains(line)))
                .collect()
        })
        .unwrap_or_default();
    let mut out = String::new();
    let envs: Vec<&str> = migrations.iter().map(|m| m.env.as_str()).collect();
    let _ = writeln!(
        out,
        "{} environments ({}) migrated",
        migrations.len(),
        envs.join(", ")
    );
    let _ = writeln!(out, "\ncommon to all ({} changes):", common.len());
    for line in &common {
        let _ = writeln!(out, "  {line}");
    }
    for (migration, lines) in migrations.iter().zip(&lines) {
        let own: Vec<&String> = lines.iter().filter(|l| !common.contains(l)).collect();
        let _ = writeln!(
            out,
            "\n{} ({}: {} -> {}, {} step{}; {} own change{}):",
            migration.env,
            migration.input.display(),
            migration.migration.from,
            migration.migration.to,
            migration.migration.steps.len(),
            if migration.migration.steps.len() == 1 {
                ""
            } else {
                "s"
            },
            own.len(),
            if own.len() == 1 { "" } else { "s" },
        );
        for line in own {
            let _ = writeln!(out, "  {line}");
        }
        for notice in migration.migration.steps.iter().flat_map(|s| &s.notices) {
            if let super::Notice::ExtraItem { path } = notice {
                let _ = writeln!(out, "  = {path}: kept (not in the release)");
            }
        }
        for output in &migration.outputs {
            let _ = writeln!(out, "  -> {}", output.display());
        }
    }
    out
}
