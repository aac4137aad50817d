//! The chart a pre-check renders, as the user named it, and the little reports need of it:
//! its name (through [`crate::chart`], the one chart reader) and the lines of a template Helm
//! names. A chart is a folder or a `.tgz` as `helm pull` saves it; Helm itself reads the rest.

use std::path::{Path, PathBuf};

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

    /// The chart's name: `Chart.yaml`'s `name`, as the chart reader reads it.
    pub(crate) fn name(&self) -> Option<String> {
        crate::chart::Chart::load(&self.path)
            .ok()
            .map(|chart| chart.name().to_owned())
    }

    /// The text of the chart file Helm names as `<chart>/templates/x.yaml` (its first
    /// component is the chart's name, then the path inside the chart).
    pub(crate) fn file_text(&self, helm_name: &str) -> Option<String> {
        if self.is_archive() {
            let bytes = std::fs::read(&self.path).ok()?;
            let mut files = crate::chart::untar(&self.shown, &bytes).ok()?;
            return String::from_utf8(files.remove(helm_name)?).ok();
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
}
