//! The little of a chart that reports need: its name and the lines of a template Helm names.
//! A chart is a folder or a `.tgz` as `helm pull` saves it; Helm itself reads the rest.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::document::Document;

/// A chart the user has: a folder with `Chart.yaml`, or a packaged `.tgz`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartRef {
    /// Where it is.
    pub path: PathBuf,
    /// How messages name it (the path as the user gave it).
    pub shown: String,
}

impl ChartRef {
    /// The chart at `path`, named as given.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        Self {
            shown: path.display().to_string(),
            path,
        }
    }

    /// Whether it is a packaged chart.
    pub fn is_archive(&self) -> bool {
        self.path.is_file()
    }

    /// The chart's name: `Chart.yaml`'s `name` (in a package, the `Chart.yaml` of its top
    /// folder).
    pub(crate) fn name(&self) -> Option<String> {
        let text = if self.is_archive() {
            let mut found = None;
            self.each_entry(|entry_path, entry| {
                if entry_path.ends_with("/Chart.yaml") && entry_path.matches('/').count() == 1 {
                    let mut text = String::new();
                    found = entry.read_to_string(&mut text).ok().map(|_| text);
                    return false;
                }
                true
            });
            found?
        } else {
            std::fs::read_to_string(self.path.join("Chart.yaml")).ok()?
        };
        let document = Document::parse(&text).ok()?;
        document.value().as_mapping()?.get("name")?.scalar_text()
    }

    /// The text of the chart file Helm names as `<chart>/templates/x.yaml` (its first
    /// component is the chart's name, then the path inside the chart).
    pub(crate) fn file_text(&self, helm_name: &str) -> Option<String> {
        if self.is_archive() {
            let mut found = None;
            self.each_entry(|entry_path, entry| {
                if entry_path == helm_name {
                    let mut text = String::new();
                    if entry.read_to_string(&mut text).is_ok() {
                        found = Some(text);
                    }
                    return false;
                }
                true
            });
            return found;
        }
        let inside = helm_name.split_once('/')?.1;
        if Path::new(inside)
            .components()
            .any(|c| matches!(c, std::path::Component::ParentDir))
        {
            return None;
        }
        std::fs::read_to_string(self.path.join(inside)).ok()
    }

    /// Calls `visit` with each entry of the package until it returns false.
    fn each_entry(&self, mut visit: impl FnMut(&str, &mut dyn Read) -> bool) {
        let Ok(file) = std::fs::File::open(&self.path) else {
            return;
        };
        let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
        let Ok(entries) = archive.entries() else {
            return;
        };
        for mut entry in entries.flatten() {
            let name = match entry.path() {
                Ok(p) => p.to_string_lossy().trim_start_matches("./").to_owned(),
                Err(_) => continue,
            };
            if !visit(&name, &mut entry) {
                return;
            }
        }
    }
}
