//! Reading inputs (files or `-` for standard input) and writing outputs atomically.

use std::io::Read;
use std::path::Path;

use valuesmith::diagnostic::ToDiagnostic;
use valuesmith::document::{Document, FileReadError};
use valuesmith::path::Path as ValuesPath;

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

/// Reads a values file, mapping failures to `file:line:col` errors.
pub fn read_document(name: &str, bytes: &[u8]) -> Result<Document, CliError> {
    read_values(name, bytes, false)
}

/// As [`read_document`]; with `show_secrets` a parse error's snippet shows the line as
/// written (docs/secrets.md).
pub fn read_values(name: &str, bytes: &[u8], show_secrets: bool) -> Result<Document, CliError> {
    Document::values_from_bytes(bytes).map_err(|error| read_error(name, error, bytes, show_secrets))
}

/// The error of a file that does not read: its snippet redacted unless `show_secrets`.
pub fn read_error(
    name: &str,
    error: valuesmith::document::ReadError,
    bytes: &[u8],
    show_secrets: bool,
) -> CliError {
    let error = FileReadError::new(name, error, bytes);
    let diagnostic = error.to_diagnostic();
    CliError::new(match &error.source_text {
        Some(source) if show_secrets => diagnostic.showing_secrets(source),
        _ => diagnostic,
    })
}

/// Parses a path argument.
pub fn parse_path(text: &str) -> Result<ValuesPath, CliError> {
    ValuesPath::parse(text).map_err(|err| {
        CliError::message(err.to_string())
            .with_hint("quote keys with dots or spaces: podAnnotations.\"prometheus.io/port\"")
    })
}

/// Writes `bytes` to `target` all or nothing ([`valuesmith::files::write_one`]: a temporary
/// file in the same folder renamed into place). Refuses to replace an existing file unless
/// `overwrite`.
pub fn write_atomic(target: &Path, bytes: &[u8], overwrite: bool) -> Result<(), CliError> {
    valuesmith::files::write_one(target, bytes, overwrite).map_err(write_error)
}

/// Writes every output or none ([`valuesmith::files::write_all`]).
pub fn write_all(outputs: &[valuesmith::files::Output], overwrite: bool) -> Result<(), CliError> {
    valuesmith::files::write_all(outputs, overwrite).map_err(write_error)
}

fn write_error(err: valuesmith::files::WriteError) -> CliError {
    let hint = err.hint().map(str::to_owned);
    let error = CliError::message(err.to_string());
    match hint {
        Some(hint) => error.with_hint(hint),
        None => error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use valuesmith::diagnostic::Color;

    /// The names in `folder`, sorted: a temporary file left behind shows up here.
    fn listing(folder: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn message(err: &CliError) -> String {
        err.render(Color::Never)
    }

    #[test]
    fn writes_a_new_file_and_leaves_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("values-dev-2025-05-00.yml");
        write_atomic(&target, b"a: 1\n", false).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"a: 1\n");
        assert_eq!(listing(dir.path()), ["values-dev-2025-05-00.yml"]);
    }

    #[test]
    fn an_existing_output_is_kept_unless_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.yml");
        std::fs::write(&target, "old: 1\n").unwrap();
        let err = write_atomic(&target, b"new: 1\n", false).unwrap_err();
        assert!(
            message(&err).contains("out.yml: already exists"),
            "{}",
            message(&err)
        );
        assert!(message(&err).contains("--force"));
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "old: 1\n");
        // The temporary file was written before placing it failed: it is gone.
        assert_eq!(listing(dir.path()), ["out.yml"]);

        #[cfg(unix)]
        std::fs::set_permissions(&target, std::os::unix::fs::PermissionsExt::from_mode(0o640))
            .unwrap();
        write_atomic(&target, b"new: 1\n", true).unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new: 1\n");
        assert_eq!(listing(dir.path()), ["out.yml"]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&target).unwrap().permissions().mode();
            assert_eq!(
                mode & 0o777,
                0o640,
                "the replaced file's permissions are kept"
            );
        }
    }

    #[test]
    fn a_directory_target_is_refused_either_way() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.yml");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("inside"), "x").unwrap();
        for overwrite in [false, true] {
            let err = write_atomic(&target, b"a: 1\n", overwrite).unwrap_err();
            assert!(
                message(&err).contains("out.yml: is a directory"),
                "{}",
                message(&err)
            );
            assert_eq!(listing(dir.path()), ["out.yml"], "overwrite: {overwrite}");
            assert_eq!(listing(&target), ["inside"]);
        }
    }

    #[test]
    fn a_target_under_a_file_fails_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("values.yml");
        std::fs::write(&file, "a: 1\n").unwrap();
        let err = write_atomic(&file.join("out.yml"), b"a: 1\n", true).unwrap_err();
        assert!(message(&err).contains("out.yml"), "{}", message(&err));
        assert_eq!(listing(dir.path()), ["values.yml"]);
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "a: 1\n");
    }

    /// A folder that cannot be written to. Root ignores permissions (as here, in containers),
    /// so the test first checks that the folder really refuses a file; when it does not, the
    /// failure is covered by the other tests (a target under a file, a directory target) and
    /// only the success is checked.
    #[cfg(unix)]
    #[test]
    fn a_read_only_folder_fails_and_leaves_nothing() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("ro");
        std::fs::create_dir(&folder).unwrap();
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();
        let privileged = std::fs::write(folder.join("probe"), "").is_ok();
        let _ = std::fs::remove_file(folder.join("probe"));
        let result = write_atomic(&folder.join("out.yml"), b"a: 1\n", false);
        let names = listing(&folder);
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
        if privileged {
            result.unwrap();
            assert_eq!(names, ["out.yml"]);
        } else {
            let err = result.unwrap_err();
            assert!(
                message(&err).contains("permission denied"),
                "{}",
                message(&err)
            );
            assert!(names.is_empty(), "{names:?}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_is_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("values-dev.yml");
        let link = dir.path().join("current.yml");
        std::fs::write(&real, "a: 1\n").unwrap();
        std::os::unix::fs::symlink("values-dev.yml", &link).unwrap();
        write_atomic(&link, b"a: 2\n", true).unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "a: 2\n");
        assert_eq!(listing(dir.path()), ["current.yml", "values-dev.yml"]);
        // Without overwrite, the file the link names exists: refused.
        let err = write_atomic(&link, b"a: 3\n", false).unwrap_err();
        assert!(
            message(&err).contains("already exists"),
            "{}",
            message(&err)
        );
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "a: 2\n");
    }

    #[test]
    fn a_name_near_the_length_limit_still_gets_a_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let name = format!("values-{}.yml", "x".repeat(240));
        let target = dir.path().join(&name);
        write_atomic(&target, b"a: 1\n", false).unwrap();
        assert_eq!(listing(dir.path()), [name]);
    }
}
