//! Reading inputs (files or `-` for standard input) and writing outputs atomically.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::CliError;

/// An input as read: its display name and bytes.
pub struct Input {
    /// The name used in messages (`<stdin>` for `-`).
    pub name: String,
    /// The raw bytes.
    pub bytes: Vec<u8>,
}

/// Reads `path`, or standard input for `-`.
pub fn read_input(path: &str) -> Result<Input, CliError> {
    if path == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|err| CliError::io("<stdin>", &err))?;
        return Ok(Input {
            name: "<stdin>".to_owned(),
            bytes,
        });
    }
    if Path::new(path).is_dir() {
        return Err(CliError::message(format!(
            "{path}: is a directory, not a file"
        )));
    }
    let bytes = std::fs::read(path).map_err(|err| CliError::io(path, &err))?;
    Ok(Input {
        name: path.to_owned(),
        bytes,
    })
}

/// Writes `bytes` to `target` through a temporary file in the same folder renamed into place,
/// so a failure never leaves a partial file. Refuses to replace an existing file unless
/// `overwrite`.
pub fn write_atomic(target: &Path, bytes: &[u8], overwrite: bool) -> Result<(), CliError> {
    let shown = target.display().to_string();
    if target.is_dir() {
        return Err(CliError::message(format!("{shown}: is a directory")));
    }
    if !overwrite && target.exists() {
        return Err(CliError::message(format!("{shown}: already exists"))
            .with_hint("pass --force to overwrite it"));
    }
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = folder.join(format!(
        ".{file_name}.valuesmith-{}.tmp",
        std::process::id()
    ));
    let result = std::fs::write(&temp, bytes).and_then(|()| {
        // Keep the permissions of the file being replaced.
        if let Ok(meta) = std::fs::metadata(target) {
            std::fs::set_permissions(&temp, meta.permissions())?;
        }
        std::fs::rename(&temp, target)
    });
    if let Err(err) = result {
        let _ = std::fs::remove_file(&temp);
        return Err(CliError::io(&shown, &err));
    }
    Ok(())
}
