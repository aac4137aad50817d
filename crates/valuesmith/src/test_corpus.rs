//! The shared corpus (`../shared/corpus` from the repository root) for the unit tests that
//! prove a rule on every real file: one walk, in file-name order, so that each such test reads
//! the same files and says the same thing when the corpus is absent.

use std::path::{Path, PathBuf};

/// Every `.yaml` and `.yml` file under the corpus folder `dir` (`""` for all of it) with its
/// bytes, in file-name order; `None`, after printing that the test is skipped, when there is
/// no corpus.
pub(crate) fn yaml_files(dir: &str) -> Option<Vec<(PathBuf, Vec<u8>)>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus")
        .join(dir);
    if !root.is_dir() {
        println!("skipped: no shared corpus");
        return None;
    }
    let files = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.path()
                .extension()
                .is_some_and(|x| x == "yaml" || x == "yml")
        })
        .map(|e| {
            let bytes = std::fs::read(e.path()).expect("a corpus file reads");
            (e.into_path(), bytes)
        })
        .collect();
    Some(files)
}
