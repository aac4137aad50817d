//! A cache of read catalogs, so that a command run again on an unchanged catalog does not read
//! its YAML again (two full YAML reads of a 57 KB catalog cost three times a whole `validate`
//! of the values file; a cache hit costs a file read and a decode).
//!
//! One file per catalog location (`catalog-<hash of the path>.bin` in the user's cache
//! folder), overwritten when the catalog changes, so the folder does not grow with every edit.
//! The file is keyed by content, not trusted by name: it holds the valuesmith version, the
//! reading (Helm 4, Helm 3, YAML 1.2: it decides what the release values mean), and every
//! source file's name and full text. A hit needs all of them to equal the catalog just read
//! from disk, byte for byte, so a stale, foreign or colliding file is never used. Only catalogs
//! that read without error are stored: an invalid catalog is read in full every time, so its
//! errors keep their positions. A cache file that is unreadable, truncated or corrupt decodes to
//! nothing and the catalog is read as if there were no cache. Writes go to a temporary file
//! renamed over the old one, so a reader never sees half a file. `VALUESMITH_NO_CATALOG_CACHE`
//! (any non-empty value) switches the cache off. Documented in docs/catalog.md.

use std::hash::Hasher;
use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;

use rustc_hash::FxHasher;

use super::{
    Catalog, Commands, DataUpgradeProcedure, Policy, Release, ReleaseOrigin, Rule, RuleKind,
    Sequential, SetFlag, Source, SourcePos,
};
use crate::diagnostic::Location;
use crate::document::Reading;
use crate::path::{Path, Segment};
use crate::value::{Mapping, Value};
use crate::version::{Version, VersionReq};

/// The environment variable that switches the cache off.
pub const NO_CACHE_ENV_VAR: &str = "VALUESMITH_NO_CATALOG_CACHE";

/// What a cache file starts with; the number changes whenever the layout below does.
const MAGIC: &[u8] = b"valuesmith catalog cache 1\n";

/// Where read catalogs are kept.
pub(super) struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// The user's cache: `$XDG_CACHE_HOME/valuesmith`, else `~/.cache/valuesmith`; `None` when
    /// switched off by [`NO_CACHE_ENV_VAR`] or when there is no such folder to use.
    pub(super) fn from_env() -> Option<Cache> {
        if std::env::var_os(NO_CACHE_ENV_VAR).is_some_and(|v| !v.is_empty()) {
            return None;
        }
        // The XDG spec ignores a relative $XDG_CACHE_HOME; so do we.
        let base = std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| {
                std::env::var_os("HOME")
                    .map(PathBuf::from)
                    .filter(|p| p.is_absolute())
                    .map(|home| home.join(".cache"))
            })?;
        Some(Cache::in_dir(base.join("valuesmith")))
    }

    /// A cache in `dir` (tests use their own folder).
    pub(super) fn in_dir(dir: PathBuf) -> Cache {
        Cache { dir }
    }

    /// The cache file of the catalog at `path` (a file or a folder).
    fn file_for(&self, path: &FsPath) -> PathBuf {
        let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let mut hasher = FxHasher::default();
        hasher.write(absolute.as_os_str().as_encoded_bytes());
        self.dir
            .join(format!("catalog-{:016x}.bin", hasher.finish()))
    }

    /// The catalog stored for `path`, if the stored one was read from exactly `sources` by this
    /// valuesmith with the current reading.
    pub(super) fn load(&self, path: &FsPath, sources: &[Source]) -> Option<Catalog> {
        let bytes = std::fs::read(self.file_for(path)).ok()?;
        decode(&bytes, sources)
    }

    /// Stores `catalog` for `path`. Failures are ignored: the cache only saves time.
    pub(super) fn store(&self, path: &FsPath, catalog: &Catalog) {
        let Some(bytes) = encode(catalog) else {
            return;
        };
        let target = self.file_for(path);
        if std::fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        // Unique per process and call, so concurrent runs never write into one temporary file.
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let temporary = target.with_extension(format!("{}-{n}.tmp", std::process::id()));
        if std::fs::write(&temporary, &bytes).is_err()
            || std::fs::rename(&temporary, &target).is_err()
        {
            let _ = std::fs::remove_file(&temporary);
        }
    }
}

fn reading_code() -> u8 {
    match Reading::default() {
        Reading::Helm => 0,
        Reading::Helm3 => 1,
        Reading::Yaml12 => 2,
    }
}

// ---------------------------------------------------------------------------------------------
// Encoding. Destructuring without `..` makes a new model field a compile error here rather
// than a field the cache silently drops.

/// The cache file for `catalog`, or `None` when it cannot be stored faithfully (a position in
/// a file that is not one of its sources).
pub(super) fn encode(catalog: &Catalog) -> Option<Vec<u8>> {
    let mut w = Writer {
        out: Vec::with_capacity(catalog.sources.iter().map(|s| s.text.len()).sum::<usize>() * 2),
        sources: &catalog.sources,
    };
    w.out.extend_from_slice(MAGIC);
    w.str(env!("CARGO_PKG_VERSION"));
    w.out.push(reading_code());
    w.len(catalog.sources.len());
    for source in &catalog.sources {
        w.str(&source.name);
        w.str(&source.text);
    }
    let Catalog {
        product,
        chart,
        release_name,
        namespace,
        version_path,
        identity_keys,
        policy,
        commands,
        releases,
        sources: _,
    } = catalog;
    w.str(product);
    w.str(chart);
    w.str(release_name);
    w.str(namespace);
    w.opt(version_path.as_ref(), Writer::path);
    w.len(identity_keys.len());
    for key in identity_keys {
        w.str(key);
    }
    let Policy { sequential } = policy;
    w.out.push(match sequential {
        Sequential::None => 0,
        Sequential::Minor => 1,
        Sequential::Major => 2,
    });
    let Commands {
        set,
        upgrade_mode,
        data_upgrade,
    } = commands;
    w.flags(set);
    w.opt(upgrade_mode.as_ref(), Writer::path);
    let DataUpgradeProcedure {
        apply,
        wait_for,
        mode_effect,
        begin,
        finish,
    } = data_upgrade;
    w.opt_str(apply.as_deref());
    w.opt_str(wait_for.as_deref());
    w.opt_str(mode_effect.as_deref());
    w.flags(begin);
    w.flags(finish);
    w.len(releases.len());
    for release in releases {
        w.release(release)?;
    }
    let sum = checksum(&w.out);
    w.u64(sum);
    Some(w.out)
}

/// A checksum of everything before it, so that a file damaged in a way the layout cannot
/// notice (a changed byte inside a key) is ignored too.
fn checksum(bytes: &[u8]) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(bytes);
    hasher.finish()
}

struct Writer<'a> {
    out: Vec<u8>,
    sources: &'a [Source],
}

impl Writer<'_> {
    fn u64(&mut self, n: u64) {
        self.out.extend_from_slice(&n.to_le_bytes());
    }

    fn len(&mut self, n: usize) {
        self.u64(n as u64);
    }

    fn str(&mut self, s: &str) {
        self.len(s.len());
        self.out.extend_from_slice(s.as_bytes());
    }

    fn opt<T>(&mut self, value: Option<T>, write: impl FnOnce(&mut Self, T)) {
        match value {
            None => self.out.push(0),
            Some(v) => {
                self.out.push(1);
                write(self, v);
            }
        }
    }

    fn opt_str(&mut self, value: Option<&str>) {
        self.opt(value, Writer::str);
    }

    fn path(&mut self, path: &Path) {
        self.len(path.segments().len());
        for segment in path.segments() {
            match segment {
                Segment::Key(key) => {
                    self.out.push(0);
                    self.str(key);
                }
                Segment::Index(i) => {
                    self.out.push(1);
                    self.len(*i);
                }
                Segment::Identity { key, value } => {
                    self.out.push(2);
                    self.str(key);
                    self.str(value);
                }
            }
        }
    }

    fn value(&mut self, value: &Value) {
        match value {
            Value::Null => self.out.push(0),
            Value::Bool(b) => {
                self.out.push(1);
                self.out.push(u8::from(*b));
            }
            Value::Int(i) => {
                self.out.push(2);
                self.out.extend_from_slice(&i.to_le_bytes());
            }
            Value::Float(f) => {
                // The bits, so NaN, infinities and -0.0 come back as they were.
                self.out.push(3);
                self.u64(f.to_bits());
            }
            Value::String(s) => {
                self.out.push(4);
                self.str(s);
            }
            Value::Sequence(items) => {
                self.out.push(5);
                self.len(items.len());
                for item in items {
                    self.value(item);
                }
            }
            Value::Mapping(mapping) => {
                self.out.push(6);
                self.mapping(mapping);
            }
        }
    }

    fn mapping(&mut self, mapping: &Mapping) {
        self.len(mapping.len());
        for (key, value) in mapping.iter() {
            self.str(key);
            self.value(value);
        }
    }

    fn flags(&mut self, flags: &[SetFlag]) {
        self.len(flags.len());
        for SetFlag { path, value } in flags {
            self.path(path);
            self.value(value);
        }
    }

    fn pos(&mut self, pos: &SourcePos) -> Option<()> {
        let SourcePos { file, location } = pos;
        let index = self.sources.iter().position(|s| s.name == *file)?;
        self.len(index);
        let Location { line, column } = location;
        self.len(*line);
        self.len(*column);
        Some(())
    }

    fn opt_pos(&mut self, pos: Option<&SourcePos>) -> Option<()> {
        match pos {
            None => self.out.push(0),
            Some(pos) => {
                self.out.push(1);
                self.pos(pos)?;
            }
        }
        Some(())
    }

    fn release(&mut self, release: &Release) -> Option<()> {
        let Release {
            version,
            chart_version,
            upgrade_from,
            data_upgrade,
            notes,
            values,
            migrate,
            origin,
        } = release;
        self.str(version.as_str());
        self.str(chart_version);
        self.opt(upgrade_from.as_ref(), |w, req| w.str(&req.to_string()));
        self.opt_str(data_upgrade.as_deref());
        self.opt_str(notes.as_deref());
        self.mapping(values);
        self.len(migrate.len());
        for Rule { kind, reason, at } in migrate {
            self.rule_kind(kind);
            self.opt_str(reason.as_deref());
            self.pos(at)?;
        }
        let ReleaseOrigin {
            entry,
            version,
            upgrade_from,
            data_upgrade,
        } = origin;
        self.pos(entry)?;
        self.pos(version)?;
        self.opt_pos(upgrade_from.as_ref())?;
        self.opt_pos(data_upgrade.as_ref())
    }

    fn rule_kind(&mut self, kind: &RuleKind) {
        match kind {
            RuleKind::Set { path, value } => {
                self.out.push(0);
                self.path(path);
                self.value(value);
            }
            RuleKind::Add { path, value } => {
                self.out.push(1);
                self.path(path);
                self.value(value);
            }
            RuleKind::Remove { path, keep_empty } => {
                self.out.push(2);
                self.path(path);
                self.out.push(u8::from(*keep_empty));
            }
            RuleKind::Rename { from, to } => {
                self.out.push(3);
                self.path(from);
                self.path(to);
            }
            RuleKind::Replace { path, from, value } => {
                self.out.push(4);
                self.path(path);
                self.value(from);
                self.value(value);
            }
            RuleKind::Require { path } => {
                self.out.push(5);
                self.path(path);
            }
            RuleKind::Warn { text } => {
                self.out.push(6);
                self.str(text);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Decoding: every read is checked, so a truncated or corrupt file gives `None`, never a panic.

/// The catalog in `bytes`, if they are a cache file of this valuesmith and reading for exactly
/// `sources` (names and texts).
pub(super) fn decode(bytes: &[u8], sources: &[Source]) -> Option<Catalog> {
    let (bytes, sum) = bytes.split_at_checked(bytes.len().checked_sub(8)?)?;
    if checksum(bytes) != u64::from_le_bytes(sum.try_into().ok()?) {
        return None;
    }
    let mut r = Reader {
        bytes,
        at: 0,
        sources,
    };
    if r.take(MAGIC.len())? != MAGIC
        || r.str()? != env!("CARGO_PKG_VERSION")
        || r.byte()? != reading_code()
        || r.len()? != sources.len()
    {
        return None;
    }
    for source in sources {
        if r.str()? != &*source.name || r.str()? != &*source.text {
            return None;
        }
    }
    let product = r.string()?;
    let chart = r.string()?;
    let release_name = r.string()?;
    let namespace = r.string()?;
    let version_path = r.opt(Reader::path)?;
    let identity_keys = r.list(Reader::string)?;
    let sequential = match r.byte()? {
        0 => Sequential::None,
        1 => Sequential::Minor,
        2 => Sequential::Major,
        _ => return None,
    };
    let set = r.list(Reader::flag)?;
    let upgrade_mode = r.opt(Reader::path)?;
    let data_upgrade = DataUpgradeProcedure {
        apply: r.opt(Reader::string)?,
        wait_for: r.opt(Reader::string)?,
        mode_effect: r.opt(Reader::string)?,
        begin: r.list(Reader::flag)?,
        finish: r.list(Reader::flag)?,
    };
    let releases = r.list(Reader::release)?;
    if r.at != bytes.len() {
        return None;
    }
    Some(Catalog {
        product,
        chart,
        release_name,
        namespace,
        version_path,
        identity_keys,
        policy: Policy { sequential },
        commands: Commands {
            set,
            upgrade_mode,
            data_upgrade,
        },
        releases,
        sources: sources.to_vec(),
    })
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    sources: &'a [Source],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let slice = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(slice)
    }

    fn byte(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    fn bool(&mut self) -> Option<bool> {
        match self.byte()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn len(&mut self) -> Option<usize> {
        usize::try_from(self.u64()?).ok()
    }

    /// A count of items that each take at least one byte: more than the bytes left is corrupt
    /// (and would make `with_capacity` allocate without bound).
    fn count(&mut self) -> Option<usize> {
        let n = self.len()?;
        (n <= self.bytes.len() - self.at).then_some(n)
    }

    fn str(&mut self) -> Option<&'a str> {
        let n = self.len()?;
        std::str::from_utf8(self.take(n)?).ok()
    }

    fn string(&mut self) -> Option<String> {
        self.str().map(str::to_owned)
    }

    fn opt<T>(&mut self, read: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        match self.byte()? {
            0 => Some(None),
            1 => read(self).map(Some),
            _ => None,
        }
    }

    fn list<T>(&mut self, mut read: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let n = self.count()?;
        let mut items = Vec::with_capacity(n);
        for _ in 0..n {
            items.push(read(self)?);
        }
        Some(items)
    }

    fn path(&mut self) -> Option<Path> {
        let segments = self.list(|r| match r.byte()? {
            0 => Some(Segment::Key(r.string()?)),
            1 => Some(Segment::Index(r.len()?)),
            2 => Some(Segment::Identity {
                key: r.string()?,
                value: r.string()?,
            }),
            _ => None,
        })?;
        Some(Path::from_segments(segments))
    }

    fn value(&mut self, depth: usize) -> Option<Value> {
        // Values nest no deeper than the reader allowed; a corrupt file must not overflow the
        // stack either.
        if depth > 10_000 {
            return None;
        }
        Some(match self.byte()? {
            0 => Value::Null,
            1 => Value::Bool(self.bool()?),
            2 => Value::Int(i64::from_le_bytes(self.take(8)?.try_into().ok()?)),
            3 => Value::Float(f64::from_bits(self.u64()?)),
            4 => Value::String(self.string()?),
            5 => Value::Sequence(self.list(|r| r.value(depth + 1))?),
            6 => Value::Mapping(self.mapping(depth + 1)?),
            _ => return None,
        })
    }

    fn mapping(&mut self, depth: usize) -> Option<Mapping> {
        let entries = self.list(|r| Some((r.string()?, r.value(depth)?)))?;
        Some(Mapping::from_unique_entries(entries))
    }

    fn flag(&mut self) -> Option<SetFlag> {
        Some(SetFlag {
            path: self.path()?,
            value: self.value(0)?,
        })
    }

    fn pos(&mut self) -> Option<SourcePos> {
        let file = Arc::clone(&self.sources.get(self.len()?)?.name);
        let line = self.len()?;
        let column = self.len()?;
        Some(SourcePos {
            file,
            location: Location { line, column },
        })
    }

    fn rule(&mut self) -> Option<Rule> {
        let kind = match self.byte()? {
            0 => RuleKind::Set {
                path: self.path()?,
                value: self.value(0)?,
            },
            1 => RuleKind::Add {
                path: self.path()?,
                value: self.value(0)?,
            },
            2 => RuleKind::Remove {
                path: self.path()?,
                keep_empty: self.bool()?,
            },
            3 => RuleKind::Rename {
                from: self.path()?,
                to: self.path()?,
            },
            4 => RuleKind::Replace {
                path: self.path()?,
                from: self.value(0)?,
                value: self.value(0)?,
            },
            5 => RuleKind::Require { path: self.path()? },
            6 => RuleKind::Warn {
                text: self.string()?,
            },
            _ => return None,
        };
        Some(Rule {
            kind,
            reason: self.opt(Reader::string)?,
            at: self.pos()?,
        })
    }

    fn release(&mut self) -> Option<Release> {
        let version = Version::parse(self.str()?).ok()?;
        let chart_version = self.string()?;
        let upgrade_from = match self.opt(|r| r.str())? {
            None => None,
            Some(text) => Some(VersionReq::parse(text).ok()?),
        };
        let data_upgrade = self.opt(Reader::string)?;
        let notes = self.opt(Reader::string)?;
        let values = self.mapping(0)?;
        let migrate = self.list(Reader::rule)?;
        let origin = ReleaseOrigin {
            entry: self.pos()?,
            version: self.pos()?,
            upgrade_from: self.opt(Reader::pos)?,
            data_upgrade: self.opt(Reader::pos)?,
        };
        Some(Release {
            version,
            chart_version,
            upgrade_from,
            data_upgrade,
            notes,
            values,
            migrate,
            origin,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind of rule, the `commands` section and values of every type (-0.0 included,
    /// whose sign must survive; a catalog refuses NaN and infinities).
    const HEAD: &str = r#"product: p
chart: repo/p
version_path: global.image.tag
identity_keys: [id]
policy: { sequential: major }
commands:
  set: { a.b: 1, c: "x" }
  upgrade_mode: app.upgradeMode
  data_upgrade:
    mode_effect: stops ingestion
    apply: "kind: X {label}"
    wait_for: the log says so
    begin: { a.begin: true }
    finish: { a.b: false }
"#;

    const RELEASES: &str = r#"releases:
  - version: "1.0"
    chart_version: 1.0.0
    values:
      global: { image: { tag: "1.0" } }
      numbers: [1, -2, 3.5, 1e300, -0.0, ~, yes, "yes", 0x10]
      packages: [{ id: a, version: 1 }, { id: b, version: 2 }]
  - version: 2.0.0-rc.1
    chart_version: 2.0.0
    upgrade_from: ">=1.0, <2.0"
    data_upgrade: Version200
    notes: |
      Read this.
    migrate:
      - set: a.b
        value: { c: [1, 2] }
        reason: why
      - add: "x.\"y.z\""
        value: -0.0
      - remove: old
        keep_empty: true
      - rename: from.here
        to: to.there
      - replace: image.repo
        from: old/repo
        value: new/repo
      - require: packages[id=a].version
      - warn: take care
"#;

    fn write(dir: &FsPath, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    /// Two catalogs are the same when every field is (Debug covers them all, positions and
    /// source texts included).
    fn same(a: &Catalog, b: &Catalog) -> bool {
        format!("{a:?}") == format!("{b:?}")
    }

    fn uncached(path: &FsPath) -> Catalog {
        Catalog::load_with(path, None).unwrap()
    }

    fn cache_files(dir: &FsPath) -> Vec<PathBuf> {
        std::fs::read_dir(dir)
            .map(|d| d.filter_map(|e| Some(e.ok()?.path())).collect())
            .unwrap_or_default()
    }

    #[test]
    fn a_stored_catalog_decodes_to_the_same_catalog() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let tmp = tempfile::tempdir().unwrap();
        let file = write(tmp.path(), "releases.yml", &format!("{HEAD}{RELEASES}"));
        let folder = tmp.path().join("folder");
        std::fs::create_dir(&folder).unwrap();
        write(&folder, "00-head.yml", HEAD);
        write(&folder, "10-releases.yml", RELEASES);
        for path in [
            root.join("examples/cluedin/releases.yml"),
            root.join("fixtures/environments/releases.yml"),
            root.join("fixtures/render/catalog/releases.yml"),
            file,
            folder,
        ] {
            let catalog = uncached(&path);
            let bytes = encode(&catalog).unwrap();
            let decoded = decode(&bytes, &catalog.sources).unwrap();
            assert!(same(&catalog, &decoded), "{}", path.display());
        }
    }

    #[test]
    fn a_cache_hit_is_used_and_a_changed_catalog_is_read_again() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = Cache::in_dir(tmp.path().join("cache"));
        let path = write(tmp.path(), "releases.yml", &format!("{HEAD}{RELEASES}"));
        let first = Catalog::load_with(&path, Some(&cache)).unwrap();
        assert!(same(&first, &uncached(&path)));
        assert_eq!(cache_files(&cache.dir).len(), 1);

        // A stored entry for the same bytes is what a load returns: plant one that differs.
        let mut planted = first.clone();
        planted.product = "planted".to_owned();
        std::fs::write(cache.file_for(&path), encode(&planted).unwrap()).unwrap();
        assert_eq!(
            Catalog::load_with(&path, Some(&cache)).unwrap().product,
            "planted"
        );

        // Changed bytes (one character of a value) make the stored entry stale.
        let changed = format!("{HEAD}{RELEASES}").replace("version: 1 }", "version: 7 }");
        std::fs::write(&path, &changed).unwrap();
        let second = Catalog::load_with(&path, Some(&cache)).unwrap();
        assert!(same(&second, &uncached(&path)));
        assert_ne!(second.product, "planted");
        // ...and the entry is replaced, not added to.
        assert_eq!(cache_files(&cache.dir).len(), 1);
        assert!(same(
            &Catalog::load_with(&path, Some(&cache)).unwrap(),
            &second
        ));
    }

    #[test]
    fn a_corrupt_or_foreign_cache_file_is_ignored() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = Cache::in_dir(tmp.path().join("cache"));
        let path = write(tmp.path(), "releases.yml", &format!("{HEAD}{RELEASES}"));
        let expected = uncached(&path);
        let good = encode(&expected).unwrap();

        let mut flipped = good.clone();
        let middle = flipped.len() - 100;
        flipped[middle] ^= 0x20;
        // A valid file (checksum included) whose byte at `at` says something else.
        let resealed = |at: usize, change: fn(u8) -> u8| {
            let mut bytes = good[..good.len() - 8].to_vec();
            bytes[at] = change(bytes[at]);
            let sum = checksum(&bytes);
            bytes.extend_from_slice(&sum.to_le_bytes());
            bytes
        };
        let version = env!("CARGO_PKG_VERSION");
        let at = MAGIC.len() + 8;
        assert_eq!(&good[at..at + version.len()], version.as_bytes());
        let other_version = resealed(at, |b| if b == b'9' { b'8' } else { b'9' });
        let other_reading = resealed(at + version.len(), |b| (b + 1) % 3);
        let corrupt: Vec<(&str, Vec<u8>)> = vec![
            ("empty", Vec::new()),
            ("garbage", b"not a cache file at all".to_vec()),
            ("truncated", good[..good.len() / 2].to_vec()),
            ("one bit changed", flipped),
            ("another version", other_version),
            ("another reading", other_reading),
        ];
        for (what, bytes) in corrupt {
            assert!(decode(&bytes, &expected.sources).is_none(), "{what}");
            std::fs::create_dir_all(&cache.dir).unwrap();
            std::fs::write(cache.file_for(&path), &bytes).unwrap();
            let loaded = Catalog::load_with(&path, Some(&cache)).unwrap();
            assert!(same(&loaded, &expected), "{what}");
            // The bad file was replaced by a good one.
            assert_eq!(
                std::fs::read(cache.file_for(&path)).unwrap(),
                good,
                "{what}"
            );
        }

        // A cache file that cannot be read (a folder in its place) is no cache either.
        std::fs::remove_file(cache.file_for(&path)).unwrap();
        std::fs::create_dir(cache.file_for(&path)).unwrap();
        assert!(same(
            &Catalog::load_with(&path, Some(&cache)).unwrap(),
            &expected
        ));
    }

    #[test]
    fn an_invalid_catalog_is_never_stored_and_keeps_its_error() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = Cache::in_dir(tmp.path().join("cache"));
        let text = format!("{HEAD}{RELEASES}").replace("version: \"1.0\"", "version: v1.0");
        let path = write(tmp.path(), "releases.yml", &text);
        let expected = Catalog::load_with(&path, None).unwrap_err();
        for _ in 0..2 {
            assert_eq!(
                Catalog::load_with(&path, Some(&cache)).unwrap_err(),
                expected
            );
        }
        assert!(cache_files(&cache.dir).is_empty());
    }
}
