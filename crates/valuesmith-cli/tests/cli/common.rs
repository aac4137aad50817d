//! Running the built binary in tests.

use std::path::{Path, PathBuf};
use std::process::Command;

/// `valuesmith` with colour off and a clean environment for the variables it reads.
pub fn valuesmith() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_valuesmith"));
    command
        .env("NO_COLOR", "1")
        .env_remove("VALUESMITH_CATALOG")
        .env_remove("VALUESMITH_NO_CATALOG_CACHE")
        // The catalog cache goes under target/, not into the user's ~/.cache.
        .env(
            "XDG_CACHE_HOME",
            PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("xdg-cache"),
        );
    command
}

/// The repository root.
#[allow(dead_code)]
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A fixture file's path.
pub fn fixture(relative: &str) -> PathBuf {
    repo_root().join("fixtures").join(relative)
}

/// The names in `dir`, sorted: a file written or left behind shows up here.
pub fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
