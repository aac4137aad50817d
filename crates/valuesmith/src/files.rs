//! Writing output files all or nothing, and the wording of file errors.
//!
//! This module owns how the library's use cases put files on disk: every output is first
//! staged as a temporary file in its target's folder (written and synced), and only when all
//! of them are staged are they renamed into place. A failure while staging (a folder in the
//! way, a folder that cannot be written, a full disk) removes every temporary file and leaves
//! the folders as they were; a failure while placing (an output that appeared meanwhile) puts
//! back what was already placed. The error names the file that failed. A replaced file keeps
//! its permissions, and a symbolic link is written through, so it survives.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// One file to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Where it goes.
    pub path: PathBuf,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// A file that could not be written; no output was written or changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {reason}", .path.display())]
#[non_exhaustive]
pub struct WriteError {
    /// The output that failed, as the caller named it.
    pub path: PathBuf,
    /// What went wrong.
    pub reason: String,
    /// The kind of failure.
    pub kind: WriteErrorKind,
}

/// The kinds of [`WriteError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum WriteErrorKind {
    /// The output exists and overwriting was not allowed.
    AlreadyExists,
    /// A folder is where the output should be.
    IsDirectory,
    /// The file system refused (permissions, a missing folder, a full disk).
    Io,
}

impl WriteError {
    fn new(path: &Path, kind: WriteErrorKind, reason: impl Into<String>) -> Self {
        Self {
            path: path.to_path_buf(),
            reason: reason.into(),
            kind,
        }
    }

    fn io(path: &Path, err: &std::io::Error) -> Self {
        Self::new(path, WriteErrorKind::Io, io_reason(err))
    }

    /// What to do about it, when there is something to say.
    pub fn hint(&self) -> Option<&str> {
        match self.kind {
            WriteErrorKind::AlreadyExists => Some("pass --force to overwrite it"),
            _ => None,
        }
    }
}

/// How file errors read in every message: the common kinds in plain words, others as the
/// system says them.
pub fn io_reason(err: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match err.kind() {
        ErrorKind::NotFound => "no such file or directory".to_owned(),
        ErrorKind::PermissionDenied => "permission denied".to_owned(),
        ErrorKind::IsADirectory => "is a directory, not a file".to_owned(),
        _ => err.to_string(),
    }
}

/// A staged output: its temporary file, and the real file it replaces.
struct Staged {
    shown: PathBuf,
    target: PathBuf,
    temp: PathBuf,
    /// A hard link to the file being replaced, to put it back if a later output fails.
    backup: Option<PathBuf>,
}

/// Writes every output, or none (see the module documentation). Without `overwrite`, an
/// output that exists is refused, at the moment of placing it as well as before.
pub fn write_all(outputs: &[Output], overwrite: bool) -> Result<(), WriteError> {
    let mut staged: Vec<Staged> = Vec::new();
    for output in outputs {
        match stage(output, overwrite) {
            Ok(one) => staged.push(one),
            Err(err) => {
                discard(&staged);
                return Err(err);
            }
        }
    }
    for (placed, one) in staged.iter().enumerate() {
        if let Err(err) = place(one, overwrite) {
            undo(&staged[..placed]);
            discard(&staged[placed..]);
            return Err(err);
        }
    }
    for one in &staged {
        if let Some(backup) = &one.backup {
            let _ = std::fs::remove_file(backup);
        }
    }
    Ok(())
}

/// Writes one output (`write_all` of one).
pub fn write_one(path: &Path, bytes: &[u8], overwrite: bool) -> Result<(), WriteError> {
    write_all(
        &[Output {
            path: path.to_path_buf(),
            bytes: bytes.to_vec(),
        }],
        overwrite,
    )
}

fn stage(output: &Output, overwrite: bool) -> Result<Staged, WriteError> {
    let shown = &output.path;
    let target = follow_link(shown).map_err(|err| WriteError::io(shown, &err))?;
    if target.is_dir() {
        return Err(WriteError::new(
            shown,
            WriteErrorKind::IsDirectory,
            "is a directory",
        ));
    }
    if !overwrite && target.symlink_metadata().is_ok() {
        return Err(already_exists(shown));
    }
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let (temp, file) = create_temp(&folder, &target).map_err(|err| WriteError::io(shown, &err))?;
    let written = write_synced(file, &output.bytes).and_then(|()| {
        // Keep the permissions of the file being replaced.
        match std::fs::metadata(&target) {
            Ok(meta) if overwrite => std::fs::set_permissions(&temp, meta.permissions()),
            _ => Ok(()),
        }
    });
    if let Err(err) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(WriteError::io(shown, &err));
    }
    let backup = if overwrite && target.is_file() {
        let backup = temp.with_extension("bak");
        std::fs::hard_link(&target, &backup).ok().map(|()| backup)
    } else {
        None
    };
    Ok(Staged {
        shown: shown.clone(),
        target,
        temp,
        backup,
    })
}

fn already_exists(shown: &Path) -> WriteError {
    WriteError::new(shown, WriteErrorKind::AlreadyExists, "already exists")
}

fn place(one: &Staged, overwrite: bool) -> Result<(), WriteError> {
    let result = if overwrite {
        std::fs::rename(&one.temp, &one.target)
    } else {
        place_new(&one.temp, &one.target)
    };
    result.map_err(|err| {
        if one.target.is_dir() {
            WriteError::new(&one.shown, WriteErrorKind::IsDirectory, "is a directory")
        } else if err.kind() == std::io::ErrorKind::AlreadyExists {
            already_exists(&one.shown)
        } else {
            WriteError::io(&one.shown, &err)
        }
    })
}

/// Removes the temporary files (and backups) of outputs not placed.
fn discard(staged: &[Staged]) {
    for one in staged {
        let _ = std::fs::remove_file(&one.temp);
        if let Some(backup) = &one.backup {
            let _ = std::fs::remove_file(backup);
        }
    }
}

/// Puts back what placed outputs replaced, and removes the ones that were new.
fn undo(placed: &[Staged]) {
    for one in placed {
        match &one.backup {
            Some(backup) => {
                let _ = std::fs::rename(backup, &one.target);
            }
            None => {
                let _ = std::fs::remove_file(&one.target);
            }
        }
    }
}

/// The file a symbolic link names (the path itself when it is none), so that writing replaces
/// that file and leaves the link in place.
fn follow_link(target: &Path) -> std::io::Result<PathBuf> {
    match std::fs::symlink_metadata(target) {
        Ok(meta) if meta.file_type().is_symlink() => std::fs::canonicalize(target),
        _ => Ok(target.to_path_buf()),
    }
}

/// Creates a new temporary file beside `target`, never opening one that exists (nor following
/// a link planted under its name). The name is short whatever the target's, so that a target
/// whose name is near the file system's limit still gets one.
fn create_temp(folder: &Path, target: &Path) -> std::io::Result<(PathBuf, std::fs::File)> {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut cut = name.len().min(64);
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    let mut attempts = 0;
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let temp = folder.join(format!(
            ".{}.valuesmith-{}-{n}.tmp",
            &name[..cut],
            std::process::id()
        ));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
        {
            Ok(file) => return Ok((temp, file)),
            // A leftover of an earlier process with the same id: take the next name.
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists && attempts < 16 => {
                attempts += 1;
            }
            Err(err) => return Err(err),
        }
    }
}

/// Writes and flushes to disk, so that the renamed file is complete even after a crash.
fn write_synced(mut file: std::fs::File, bytes: &[u8]) -> std::io::Result<()> {
    file.write_all(bytes)?;
    file.sync_all()
}

/// Moves `temp` to `target` unless `target` exists. A hard link fails on an existing target
/// atomically (a check before a rename would let a file created in between be replaced); on a
/// file system without hard links, check and rename.
fn place_new(temp: &Path, target: &Path) -> std::io::Result<()> {
    match std::fs::hard_link(temp, target) {
        Ok(()) => {
            // The content is in place under its name: a temporary name left over is only
            // clutter, not a failure.
            let _ = std::fs::remove_file(temp);
            Ok(())
        }
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => Err(err),
        Err(_) if target.symlink_metadata().is_ok() => {
            Err(std::io::Error::from(std::io::ErrorKind::AlreadyExists))
        }
        Err(_) => std::fs::rename(temp, target),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names in `folder` with their contents, sorted: a temporary file left behind, or a
    /// file changed, shows up here.
    fn listing(folder: &Path) -> Vec<(String, String)> {
        let mut names: Vec<(String, String)> = std::fs::read_dir(folder)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                let content = std::fs::read_to_string(e.path()).unwrap_or_else(|_| "<dir>".into());
                (e.file_name().to_string_lossy().into_owned(), content)
            })
            .collect();
        names.sort();
        names
    }

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("valuesmith-files-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn out(dir: &Path, name: &str, text: &str) -> Output {
        Output {
            path: dir.join(name),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn every_output_is_written() {
        let dir = scratch("all");
        write_all(
            &[out(&dir, "a.yml", "a\n"), out(&dir, "b.yml", "b\n")],
            false,
        )
        .unwrap();
        assert_eq!(
            listing(&dir),
            [
                ("a.yml".to_owned(), "a\n".to_owned()),
                ("b.yml".to_owned(), "b\n".to_owned())
            ]
        );
    }

    #[test]
    fn a_folder_in_the_way_of_the_second_output_writes_nothing() {
        let dir = scratch("folder");
        std::fs::write(dir.join("a.yml"), "old a\n").unwrap();
        std::fs::create_dir(dir.join("b.yml")).unwrap();
        let before = listing(&dir);
        let err = write_all(
            &[out(&dir, "a.yml", "new a\n"), out(&dir, "b.yml", "b\n")],
            true,
        )
        .unwrap_err();
        assert_eq!(err.kind, WriteErrorKind::IsDirectory);
        assert_eq!(
            err.to_string(),
            format!("{}: is a directory", dir.join("b.yml").display())
        );
        assert_eq!(listing(&dir), before);
    }

    #[test]
    fn an_existing_output_is_refused_without_overwrite_and_nothing_is_written() {
        let dir = scratch("exists");
        std::fs::write(dir.join("b.yml"), "mine\n").unwrap();
        let before = listing(&dir);
        let err = write_all(
            &[out(&dir, "a.yml", "a\n"), out(&dir, "b.yml", "b\n")],
            false,
        )
        .unwrap_err();
        assert_eq!(err.kind, WriteErrorKind::AlreadyExists);
        assert_eq!(err.hint(), Some("pass --force to overwrite it"));
        assert_eq!(listing(&dir), before);
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_folder_for_the_second_output_writes_nothing_anywhere() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = scratch("readonly");
        let locked = dir.join("locked");
        std::fs::create_dir(&locked).unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
        // Root writes anywhere: the check means nothing then.
        if std::fs::write(locked.join("probe"), "").is_ok() {
            let _ = std::fs::remove_file(locked.join("probe"));
            std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
            eprintln!("skipped: the folder is writable anyway (running as root)");
            return;
        }
        let before = (listing(&dir), listing(&locked));
        let err = write_all(
            &[out(&dir, "a.yml", "a\n"), out(&locked, "b.yml", "b\n")],
            true,
        )
        .unwrap_err();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(err.kind, WriteErrorKind::Io);
        assert!(
            err.to_string().ends_with("b.yml: permission denied"),
            "{err}"
        );
        assert_eq!((listing(&dir), listing(&locked)), before);
    }

    #[test]
    fn a_file_where_a_folder_should_be_writes_nothing() {
        let dir = scratch("notdir");
        std::fs::write(dir.join("plain"), "x\n").unwrap();
        let before = listing(&dir);
        let err = write_all(
            &[
                out(&dir, "a.yml", "a\n"),
                out(&dir.join("plain"), "b.yml", "b\n"),
            ],
            true,
        )
        .unwrap_err();
        assert_eq!(err.kind, WriteErrorKind::Io);
        assert_eq!(listing(&dir), before);
    }
}
