//! Locating the shared corpus and the project's fixtures.

use std::path::{Path, PathBuf};

/// The shared corpus (`../shared/corpus` from the repository root).
pub fn corpus_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    assert!(
        dir.is_dir(),
        "the shared corpus is missing at {}: clone the project beside `shared/`",
        dir.display()
    );
    dir
}

/// Every chart values file of the corpus, sorted.
pub fn chart_values_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(corpus_dir().join("charts"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "values.yaml")
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// One case of the YAML test suite.
pub struct SuiteCase {
    /// `ID` or `ID/NN`.
    pub name: String,
    /// The case folder.
    pub dir: PathBuf,
    /// Whether the case has an `error` marker.
    pub invalid: bool,
}

/// Every case of the YAML test suite (numbered sub-cases included), sorted.
pub fn yaml_test_suite_cases() -> Vec<SuiteCase> {
    let data = corpus_dir().join("yaml-test-suite/data");
    let mut cases = Vec::new();
    for entry in walkdir::WalkDir::new(&data).min_depth(1).max_depth(2) {
        let entry = entry.unwrap();
        if entry.file_type().is_dir() && entry.path().join("in.yaml").is_file() {
            let name = entry
                .path()
                .strip_prefix(&data)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            cases.push(SuiteCase {
                name,
                dir: entry.path().to_path_buf(),
                invalid: entry.path().join("error").is_file(),
            });
        }
    }
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    cases
}

/// The case folders of `fixtures/<area>/`, sorted.
pub fn fixture_cases(area: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(area);
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}
