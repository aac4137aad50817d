//! Finding a catalog (`--catalog`, `$VALUESMITH_CATALOG`, `releases.yml` or `releases/` up
//! the folder tree) and reading its file or folder from disk.

use std::ffi::OsString;
use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;

use super::assembly::assemble;
use super::cache::Cache;
use super::reading::{decode, parse_part};
use super::{Catalog, CatalogError, Source};

/// How a catalog was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoundBy {
    /// `--catalog PATH`.
    Flag,
    /// `$VALUESMITH_CATALOG`.
    EnvVar,
    /// `releases.yml` or `releases/` in the start folder or a parent.
    Search,
}

/// A catalog's location, before reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogSource {
    /// The file or folder.
    pub path: PathBuf,
    /// How it was found.
    pub found_by: FoundBy,
}

impl Catalog {
    /// Reads a catalog file, or a folder of `*.yml` / `*.yaml` files (not recursive, hidden
    /// files skipped) whose releases are merged. In a folder, a top-level field (`product`,
    /// `chart`, `policy`, `commands`...) may be written in any file, and in several only if
    /// they agree; releases may be spread over the files in any way, each listed once.
    ///
    /// A catalog read before from exactly the same bytes comes from the user's cache folder
    /// (docs/catalog.md; off with `VALUESMITH_NO_CATALOG_CACHE=1`).
    pub fn load(path: &FsPath) -> Result<Catalog, CatalogError> {
        Catalog::load_with(path, Cache::from_env().as_ref())
    }

    /// [`Catalog::load`] with this cache, or none.
    pub(super) fn load_with(path: &FsPath, cache: Option<&Cache>) -> Result<Catalog, CatalogError> {
        let shown = path.display().to_string();
        let metadata = std::fs::metadata(path).map_err(|err| read_error(&shown, &err))?;
        let files = if metadata.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|err| read_error(&shown, &err))?
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|p| {
                    let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
                    name.is_some_and(|n| {
                        !n.starts_with('.') && (n.ends_with(".yml") || n.ends_with(".yaml"))
                    }) && p.is_file()
                })
                .collect();
            files.sort();
            if files.is_empty() {
                return Err(CatalogError::Read {
                    path: shown,
                    message: "the catalog folder has no *.yml or *.yaml files".to_owned(),
                    hint: Some(
                        "put the catalog's files in it, or point at a releases.yml file".to_owned(),
                    ),
                });
            }
            files
        } else {
            vec![path.to_path_buf()]
        };
        let mut sources = Vec::with_capacity(files.len());
        for file in &files {
            let name = file.display().to_string();
            let bytes = std::fs::read(file).map_err(|err| read_error(&name, &err))?;
            sources.push(decode(&bytes, &name)?);
        }
        if let Some(catalog) = cache.and_then(|c| c.load(path, &sources)) {
            return Ok(catalog);
        }
        let catalog = read_sources(sources)?;
        if let Some(cache) = cache {
            cache.store(path, &catalog);
        }
        Ok(catalog)
    }

    /// Where the catalog is, without reading it: `explicit` (`--catalog`), else `env_var` (the
    /// value of `$VALUESMITH_CATALOG`, ignored when empty), else the first of `releases.yml`,
    /// `releases.yaml` and `releases/` in `start_dir` or its nearest parent folder that has
    /// one. `Ok(None)` when there is none; an error when `explicit` or `env_var` names
    /// nothing. Takes the environment variable as an argument so that tests never touch the
    /// process environment.
    pub fn find(
        explicit: Option<&FsPath>,
        env_var: Option<OsString>,
        start_dir: &FsPath,
    ) -> Result<Option<CatalogSource>, CatalogError> {
        if let Some(path) = explicit {
            return named_source(path, FoundBy::Flag, "--catalog");
        }
        if let Some(value) = env_var.filter(|v| !v.is_empty()) {
            let path = PathBuf::from(value);
            return named_source(&path, FoundBy::EnvVar, "$VALUESMITH_CATALOG");
        }
        let start = if start_dir.as_os_str().is_empty() {
            FsPath::new(".")
        } else {
            start_dir
        };
        // Walking up needs a real path: `..` and a relative start have no parents to offer.
        let absolute = std::fs::canonicalize(start)
            .or_else(|_| std::path::absolute(start))
            .map_err(|err| read_error(&start.display().to_string(), &err))?;
        let cwd = std::env::current_dir()
            .ok()
            .and_then(|d| std::fs::canonicalize(d).ok());
        for dir in absolute.ancestors() {
            for candidate in ["releases.yml", "releases.yaml", "releases"] {
                let path = dir.join(candidate);
                let found = if candidate == "releases" {
                    path.is_dir()
                } else {
                    path.is_file()
                };
                if found {
                    // Show a found catalog the way the user would type it from here.
                    let shown = match (&cwd, start.is_relative()) {
                        (Some(cwd), true) => path
                            .strip_prefix(cwd)
                            .map(FsPath::to_path_buf)
                            .unwrap_or(path),
                        _ => path,
                    };
                    return Ok(Some(CatalogSource {
                        path: shown,
                        found_by: FoundBy::Search,
                    }));
                }
            }
        }
        Ok(None)
    }

    /// [`Catalog::find`], then [`Catalog::load`].
    pub fn discover(
        explicit: Option<&FsPath>,
        env_var: Option<OsString>,
        start_dir: &FsPath,
    ) -> Result<Option<Catalog>, CatalogError> {
        match Catalog::find(explicit, env_var, start_dir)? {
            Some(source) => Catalog::load(&source.path).map(Some),
            None => Ok(None),
        }
    }
}

/// Reads and assembles the catalog's files, without the cache.
pub(super) fn read_sources(sources: Vec<Source>) -> Result<Catalog, CatalogError> {
    let parts = sources
        .iter()
        .map(parse_part)
        .collect::<Result<Vec<_>, _>>()?;
    let first = Arc::clone(&sources[0].name);
    assemble(parts, sources, &first)
}

fn named_source(
    path: &FsPath,
    found_by: FoundBy,
    via: &str,
) -> Result<Option<CatalogSource>, CatalogError> {
    if let Err(err) = std::fs::metadata(path) {
        let mut error = read_error(&path.display().to_string(), &err);
        if let CatalogError::Read { hint, .. } = &mut error {
            *hint = Some(format!(
                "{via} names the catalog: a releases.yml file or a folder of *.yml files"
            ));
        }
        return Err(error);
    }
    Ok(Some(CatalogSource {
        path: path.to_path_buf(),
        found_by,
    }))
}

fn read_error(path: &str, err: &std::io::Error) -> CatalogError {
    let message = crate::files::io_reason(err);
    CatalogError::Read {
        path: path.to_owned(),
        message,
        hint: None,
    }
}
