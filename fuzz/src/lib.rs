//! The checks behind the fuzz targets of valuesmith, one public function per target.
//!
//! Every function takes the fuzzer's bytes and panics (a finding) only when valuesmith breaks
//! one of its promises: a panic of its own, a document that does not write back byte for
//! byte, an edit whose result does not read back as what it claims, a path that does not
//! print and parse back to itself.

use std::sync::OnceLock;

use valuesmith::catalog::Catalog;
use valuesmith::diagnostic::{Color, Diagnostic, ToDiagnostic};
use valuesmith::diff::render::{self, Format};
use valuesmith::diff::{diff as diff_documents, DiffOptions, PathPattern};
use valuesmith::document::{Document, DocumentKind, NodeId, NodeKind};
use valuesmith::edit::{DocumentMut, EditError};
use valuesmith::migrate::migrate_step;
use valuesmith::path::{Path, Segment};
use valuesmith::plan::{plan, render as render_plan, PlanFormat, RenderOptions};
use valuesmith::value::{Mapping, Value};

/// The most paths a document contributes to the edit target's choices; enough to reach every
/// node of the small documents fuzzing works with, and bounded for the large ones.
const MAX_PATHS: usize = 512;

/// The most edits one input applies.
const MAX_EDITS: usize = 8;

/// Reading: any bytes give a document or an error, never a panic. A document writes back
/// byte for byte, reads back to the same value, and every node it lists can be found again by
/// its path. An error renders with its position.
pub fn read(data: &[u8]) {
    for kind in [DocumentKind::Any, DocumentKind::Values] {
        match Document::from_bytes_as(data, kind, Default::default()) {
            Ok(document) => {
                assert_eq!(
                    document.to_bytes(),
                    data,
                    "does not write back byte for byte"
                );
                let again = Document::parse_as(&document.to_text(), kind, document.limits())
                    .unwrap_or_else(|err| panic!("its own text does not read again: {err}"));
                assert!(again.value() == document.value(), "reads back differently");
                let _ = document.value().to_json();
                for (path, node) in paths(&document) {
                    let found = document.get(&path);
                    assert_eq!(found, Some(node), "`{path}` does not lead back to its node");
                    let _ = document.text_of(node);
                    let _ = document.node_location(node);
                    let parsed = Path::parse(&path.to_string())
                        .unwrap_or_else(|err| panic!("`{path}` does not parse: {err}"));
                    assert_eq!(parsed, path, "`{path}` does not parse back to itself");
                }
                let lines = document.lines().line_count();
                for line in 0..lines {
                    let _ = document.trailing_comment_on_line(line);
                    let _ = document.is_comment_line(line);
                    let _ = document.is_blank_line(line);
                }
            }
            Err(err) => {
                let mut diagnostic = Diagnostic::error(err.to_string()).with_file("fuzz.yaml");
                if let Some(location) = err.location() {
                    let source = std::str::from_utf8(data).ok();
                    diagnostic = diagnostic.at(source, location);
                }
                if let Some(hint) = err.hint() {
                    diagnostic = diagnostic.with_hint(hint);
                }
                let _ = diagnostic.render(Color::Always);
                let _ = err.code();
            }
        }
    }
}

/// Whether an edit that the safety net caught ([`EditError::Reparse`], [`EditError::Unverified`])
/// is a finding: it is a planning bug even though nothing was written. Off by default, as the
/// promise is that such an edit changes nothing; `VALUESMITH_FUZZ_STRICT_EDITS=1` turns it on
/// to hunt for those bugs.
fn strict_edits() -> bool {
    static STRICT: OnceLock<bool> = OnceLock::new();
    *STRICT
        .get_or_init(|| std::env::var_os("VALUESMITH_FUZZ_STRICT_EDITS").is_some_and(|v| v == "1"))
}

/// Editing: the input is a YAML document, then a NUL byte, then a program of edits whose paths
/// are picked from the document's own paths (or one step below them) and whose values come
/// from a palette of awkward scalars and small collections. A failed edit leaves the text as
/// it was; a successful one leaves a text that reads back (within the same limits) to the
/// document's value, with the change visible at its path.
pub fn edit(data: &[u8]) {
    let split = data.iter().position(|&b| b == 0).unwrap_or(data.len());
    let (text, program) = (&data[..split], data.get(split + 1..).unwrap_or_default());
    let Ok(document) = Document::from_bytes(text) else {
        return;
    };
    // A values file where it is one: its edits are read back with the values rules too.
    let document = Document::values_from_bytes(text).unwrap_or(document);
    let kind = document.kind();
    let mut doc = DocumentMut::new(document);
    let mut bytes = Bytes::new(program);
    for _ in 0..MAX_EDITS {
        if bytes.is_empty() {
            break;
        }
        let before = doc.to_text();
        let known = paths(doc.document());
        let op = bytes.next() % 5;
        let path = pick_path(&known, &mut bytes, op == 1);
        let outcome: Result<(), EditError> = match op {
            0 | 1 => {
                let value = gen_value(&mut bytes, 0);
                // Setting an identity's own key moves the item away from its identity: look
                // for it by position then.
                let at = if moves_identity(&path) {
                    positional(doc.document(), &path)
                } else {
                    path.clone()
                };
                doc.set(&path, &value).map(|changed| {
                    // A new item set by identity also gets its identity key: not compared.
                    let new_identity = matches!(path.last(), Some(Segment::Identity { .. }));
                    if changed && !new_identity {
                        let now = doc.document().get_value(&at);
                        assert!(
                            now.as_ref() == Some(&value),
                            "set `{path}` to {value:?}, reads {now:?}"
                        );
                    }
                })
            }
            2 => {
                let parent_len = parent_len(doc.document(), &path);
                doc.remove(&path).map(|removed| {
                    if removed.is_some() {
                        check_removed(doc.document(), &path, parent_len);
                    }
                })
            }
            3 => {
                let fresh = bytes.next().is_multiple_of(2);
                let to = pick_path(&known, &mut bytes, fresh);
                let to = match to.split_last() {
                    Some((parent, Segment::Key(_))) if bytes.next().is_multiple_of(2) => {
                        parent.key(gen_string(&mut bytes))
                    }
                    _ => to,
                };
                let old = doc.document().get_value(&path);
                doc.rename(&path, &to).map(|changed| {
                    // Removing an item by position shifts the items after it, `to` among them
                    // maybe, and moving an identity's own key changes what the paths name:
                    // only other moves of keys are checked.
                    let checked = matches!(path.last(), Some(Segment::Key(_)))
                        && !moves_identity(&path)
                        && !moves_identity(&to);
                    if changed && checked {
                        let now = doc.document().get_value(&to);
                        assert!(
                            now == old,
                            "renamed `{path}` to `{to}`: {old:?} became {now:?}"
                        );
                        assert!(
                            doc.document().get(&path).is_none(),
                            "`{path}` is still there after its move to `{to}`"
                        );
                    }
                })
            }
            _ => {
                let value = gen_value(&mut bytes, 0);
                let len = doc
                    .document()
                    .get(&path)
                    .and_then(|id| doc.document().items(id))
                    .map(<[_]>::len);
                doc.append(&path, &value).map(|()| {
                    let items = doc
                        .document()
                        .get(&path)
                        .and_then(|id| doc.document().items(id));
                    let items = items.unwrap_or_else(|| panic!("`{path}` is no longer a sequence"));
                    assert_eq!(Some(items.len()), len.map(|n| n + 1), "append to `{path}`");
                    let last = doc.document().value_of(items[items.len() - 1]);
                    assert!(
                        last == value,
                        "appended {value:?} to `{path}`, reads {last:?}"
                    );
                })
            }
        };
        let text = doc.to_text();
        match outcome {
            Ok(()) => {
                let reread = Document::parse_as(&text, kind, doc.document().limits())
                    .unwrap_or_else(|err| panic!("the edited text does not read: {err}\n{text}"));
                assert!(
                    reread.value() == doc.document().value(),
                    "the edited text reads differently"
                );
                assert_eq!(reread.to_text(), text);
            }
            Err(err) => {
                assert_eq!(text, before, "a failed edit ({err}) changed the text");
                if strict_edits()
                    && matches!(
                        err,
                        EditError::Reparse { .. } | EditError::Unverified { .. }
                    )
                {
                    panic!("the safety net caught an edit: {err}\n--- before\n{before}");
                }
            }
        }
    }
}

/// Diff: two documents separated by a NUL byte (then, optionally, after a second NUL, the
/// identity keys to try, one a line). The diff is complete: applying it to the old value gives
/// the new one (docs/diff.md); a document differs from itself in nothing; every report
/// format renders; ignoring every path leaves nothing.
pub fn diff(data: &[u8]) {
    let mut parts = data.splitn(3, |&b| b == 0);
    let (Some(old), Some(new)) = (parts.next(), parts.next()) else {
        return;
    };
    let identity_keys = parts
        .next()
        .map(|keys| {
            String::from_utf8_lossy(keys)
                .lines()
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let (Ok(old), Ok(new)) = (Document::from_bytes(old), Document::from_bytes(new)) else {
        return;
    };
    let options = DiffOptions {
        identity_keys,
        ..DiffOptions::default()
    };
    let changes = diff_documents(&old, &new, &options);
    let applied = changes.to_patch().applied(old.value());
    assert!(
        &applied == new.value(),
        "the diff is not complete:\n{changes:#?}\napplied: {applied:?}\nnew: {:?}",
        new.value()
    );
    assert!(
        diff_documents(&old, &old, &options).is_empty(),
        "a document differs from itself"
    );
    for format in Format::ALL {
        let _ = render::render(&changes, format, "old.yaml", "new.yaml", Color::Always);
    }
    if !changes.is_empty() {
        let everything = DiffOptions {
            ignore: vec![PathPattern::parse("*").expect("`*` is a pattern")],
            ..options
        };
        let left = diff_documents(&old, &new, &everything);
        // A change of the whole document (its type) has no segment for `*` to match.
        assert!(
            left.changes.iter().all(|c| c.path.is_root()),
            "`--ignore '*'` left {left:#?}"
        );
    }
}

/// Catalogs: YAML text read as a release catalog (then, optionally after a NUL, a values
/// file). A catalog that loads plans between its releases without panicking, and renders every
/// plan format; the values file, migrated one step, reads back to its value, and migrating it
/// again by the same step changes nothing (docs/catalog.md).
pub fn catalog(data: &[u8]) {
    let split = data.iter().position(|&b| b == 0).unwrap_or(data.len());
    let (text, values) = (&data[..split], data.get(split + 1..));
    let Ok(text) = std::str::from_utf8(text) else {
        return;
    };
    let catalog = match Catalog::parse(text, "releases.yml") {
        Ok(catalog) => catalog,
        Err(err) => {
            let _ = err.to_diagnostic().render(Color::Never);
            let _ = (err.kind(), err.message(), err.hint());
            return;
        }
    };
    let releases = catalog.releases();
    let values = values.and_then(|bytes| Document::values_from_bytes(bytes).ok());
    // Every pair among the first few releases: planning is a search over them.
    for from in releases.iter().take(6) {
        for to in releases.iter().take(6) {
            let Ok(path) = plan(&catalog, &from.version, &to.version) else {
                continue;
            };
            for format in [
                PlanFormat::Human,
                PlanFormat::Markdown,
                PlanFormat::Json,
                PlanFormat::Shell,
                PlanFormat::PowerShell,
            ] {
                let options = RenderOptions::default().with_env(Some("dev"));
                let _ = render_plan(&path, format, options);
            }
            let (Some(document), Some(step)) = (&values, path.steps.first()) else {
                continue;
            };
            let Ok(once) = migrate_step(document.clone(), step, &catalog) else {
                continue;
            };
            let text = once.document.to_text();
            let reread = Document::parse_as(&text, DocumentKind::Values, once.document.limits())
                .unwrap_or_else(|err| panic!("a migrated file does not read: {err}\n{text}"));
            assert!(
                reread.value() == once.document.value(),
                "a migrated file reads differently"
            );
            if let Ok(twice) = migrate_step(once.document.clone(), step, &catalog) {
                assert_eq!(
                    twice.document.to_text(),
                    text,
                    "a second migration by the same step changed the file"
                );
            }
        }
    }
}

/// Paths: any text that parses as a path prints back to text that parses to the same path,
/// and a path built of any segments (any key, any identity value) prints to text that parses
/// back to it (docs/paths.md).
pub fn path(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(path) = Path::parse(text) {
            let printed = path.to_string();
            let again = Path::parse(&printed).unwrap_or_else(|err| {
                panic!("`{text}` printed as `{printed}`, which fails: {err}")
            });
            assert_eq!(again, path, "`{text}` printed as `{printed}`");
            let _ = path.segments_json();
        }
    }
    let segments: Vec<Segment> = data
        .split(|&b| b == 0)
        .filter(|chunk| !chunk.is_empty())
        .map(|chunk| {
            let text = String::from_utf8_lossy(&chunk[1..]).into_owned();
            match chunk[0] % 3 {
                0 => Segment::Key(text),
                1 => Segment::Index(chunk.len() * 7919 % 100_003),
                _ => {
                    let (key, value) = text.split_once('\u{1}').unwrap_or((&text, ""));
                    Segment::Identity {
                        key: key.to_owned(),
                        value: value.to_owned(),
                    }
                }
            }
        })
        .collect();
    let path = Path::from_segments(segments);
    let printed = path.to_string();
    let again = Path::parse(&printed).unwrap_or_else(|err| panic!("`{printed}` fails: {err}"));
    assert_eq!(again, path, "`{printed}` parses to another path");
}

/// The fuzzer's bytes read one at a time; zeros once they run out, so every choice is made.
struct Bytes<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Bytes<'a> {
    fn new(data: &'a [u8]) -> Self {
        Self { data, pos: 0 }
    }

    fn is_empty(&self) -> bool {
        self.pos >= self.data.len()
    }

    fn next(&mut self) -> u8 {
        let byte = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        byte
    }
}

/// The paths of a document's nodes (not through aliases: the alias itself is listed), with
/// positions and, where items have a `name`, identities too. Breadth first, at most
/// [`MAX_PATHS`].
fn paths(document: &Document) -> Vec<(Path, NodeId)> {
    let mut out = Vec::new();
    let Some(root) = document.root() else {
        return out;
    };
    let mut queue = std::collections::VecDeque::from([(Path::root(), root)]);
    while let Some((path, id)) = queue.pop_front() {
        if out.len() >= MAX_PATHS {
            break;
        }
        out.push((path.clone(), id));
        match &document.node(id).kind {
            NodeKind::Mapping { entries, .. } => {
                for entry in entries {
                    queue.push_back((path.key(entry.key_text.clone()), entry.value));
                }
            }
            NodeKind::Sequence { items, .. } => {
                let names: Vec<Option<String>> = items
                    .iter()
                    .map(|&item| {
                        document
                            .child(item, &Segment::Key("name".to_owned()))
                            .and_then(|n| document.value_of(n).scalar_text())
                    })
                    .collect();
                for (i, &item) in items.iter().enumerate() {
                    queue.push_back((path.index(i), item));
                    // Only a unique identity names one item (and keeps naming it once a
                    // sibling is removed).
                    if let Some(name) = &names[i] {
                        if names.iter().filter(|n| n.as_ref() == Some(name)).count() == 1 {
                            let identity = Segment::Identity {
                                key: "name".to_owned(),
                                value: name.clone(),
                            };
                            queue.push_back((path.child(identity), item));
                        }
                    }
                }
            }
            NodeKind::Scalar { .. } | NodeKind::Alias { .. } => {}
        }
    }
    out
}

/// A path of the document, or (when `fresh`) one step below one: a new key, the next
/// position, or a new identity.
fn pick_path(known: &[(Path, NodeId)], bytes: &mut Bytes<'_>, fresh: bool) -> Path {
    let base = match known {
        [] => Path::root(),
        _ => known[usize::from(bytes.next()) % known.len()].0.clone(),
    };
    if !fresh {
        return base;
    }
    match bytes.next() % 3 {
        0 => base.key(gen_string(bytes)),
        1 => base.index(usize::from(bytes.next() % 4)),
        _ => base.child(Segment::Identity {
            key: "name".to_owned(),
            value: gen_string(bytes),
        }),
    }
}

/// Strings that YAML writers get wrong: look-alikes of other types in YAML 1.1 and 1.2,
/// indicators, comments, document markers, line breaks, quotes, Unicode.
const AWKWARD: &[&str] = &[
    "",
    " ",
    "on",
    "yes",
    "n",
    "~",
    "null",
    "1.10",
    "0755",
    "1e3",
    "2025.05.00",
    "0x1F",
    ".inf",
    ".nan",
    "true",
    "-",
    "- x",
    "? x",
    ": x",
    "a: b",
    "a:b",
    "# c",
    "a #c",
    "#",
    "*a",
    "&a",
    "!t",
    "!!str",
    "%YAML",
    "@x",
    "`x",
    "|",
    ">",
    "'",
    "\"",
    "''",
    "[x]",
    "{y: 1}",
    ",",
    "---",
    "...",
    "--- x",
    "x\n",
    "\nx",
    "a\nb",
    "a\n\nb",
    "a \n b",
    "\t",
    "a\tb",
    "\r\n",
    "\u{85}",
    "\u{2028}",
    "\u{feff}",
    "\0",
    "\u{7f}",
    "é",
    "日本",
    "😀",
    "  lead",
    "trail  ",
    "<redacted>",
    "<<",
    "=",
    "USER-SUPPLIED VALUES:",
];

fn gen_string(bytes: &mut Bytes<'_>) -> String {
    let choice = bytes.next();
    if choice < 200 {
        return AWKWARD[usize::from(choice) % AWKWARD.len()].to_owned();
    }
    // Or a few awkward pieces glued together.
    let parts = 1 + bytes.next() % 4;
    (0..parts)
        .map(|_| AWKWARD[usize::from(bytes.next()) % AWKWARD.len()])
        .collect()
}

fn gen_value(bytes: &mut Bytes<'_>, depth: usize) -> Value {
    let choice = bytes.next() % if depth >= 3 { 6 } else { 8 };
    match choice {
        0 => Value::Null,
        1 => Value::Bool(bytes.next().is_multiple_of(2)),
        2 => Value::Int(match bytes.next() % 4 {
            0 => i64::MIN,
            1 => i64::MAX,
            2 => -1,
            _ => i64::from(bytes.next()),
        }),
        3 => Value::Float(match bytes.next() % 6 {
            0 => f64::NAN,
            1 => f64::INFINITY,
            2 => f64::NEG_INFINITY,
            3 => 1.1,
            4 => -0.0,
            _ => 1e300,
        }),
        4 | 5 => Value::String(gen_string(bytes)),
        6 => Value::Sequence(
            (0..bytes.next() % 3)
                .map(|_| gen_value(bytes, depth + 1))
                .collect(),
        ),
        _ => {
            let mut mapping = Mapping::new();
            for _ in 0..bytes.next() % 3 {
                let key = gen_string(bytes);
                let value = gen_value(bytes, depth + 1);
                mapping.insert(key, value);
            }
            Value::Mapping(mapping)
        }
    }
}

/// The number of items of the sequence that holds `path`'s last position, if it is one.
fn parent_len(document: &Document, path: &Path) -> Option<usize> {
    let (parent, last) = path.split_last()?;
    if !matches!(last, Segment::Index(_)) {
        return None;
    }
    document
        .get(&parent)
        .and_then(|id| document.items(id))
        .map(<[_]>::len)
}

/// Whether editing `path` changes the identity key of an item the path finds by identity
/// (`items[name=a].name`), so that the path no longer names that item afterwards.
fn moves_identity(path: &Path) -> bool {
    path.segments()
        .windows(2)
        .any(|pair| matches!(pair, [Segment::Identity { key, .. }, Segment::Key(k)] if k == key))
}

/// `path` with its identities replaced by positions; an identity no item has yet stands for
/// the position an appended item takes.
fn positional(document: &Document, path: &Path) -> Path {
    let mut out = Path::root();
    let mut node = document.root();
    for segment in path.segments() {
        let next = node.and_then(|id| document.child(id, segment));
        let segment = match segment {
            Segment::Identity { .. } => {
                let items = node.and_then(|id| document.items(id)).unwrap_or_default();
                let index = next.and_then(|n| items.iter().position(|&i| i == n));
                Segment::Index(index.unwrap_or(items.len()))
            }
            other => other.clone(),
        };
        out = out.child(segment);
        node = next;
    }
    out
}

/// After a removal: a key is gone, a sequence is one item shorter.
fn check_removed(document: &Document, path: &Path, parent_len: Option<usize>) {
    match path.split_last() {
        Some((_, Segment::Key(_))) => {
            assert!(
                document.get(path).is_none(),
                "`{path}` is still there after its removal"
            );
        }
        Some((parent, Segment::Index(_))) => {
            let len = document
                .get(&parent)
                .and_then(|id| document.items(id))
                .map(<[_]>::len);
            assert_eq!(len.map(|n| n + 1), parent_len, "removing `{path}`");
        }
        _ => {}
    }
}
