//! The policy applied to texts: a read document's source (the byte spans of its secret
//! scalars replaced, line structure kept, for unified diffs and `get`), raw lines of a file
//! that may not parse (caret snippets), and free text such as messages (the secret values of
//! the file scrubbed out).

use std::collections::BTreeSet;
use std::ops::Range;

use rustc_hash::FxHashMap;

use super::{
    is_digest_key, is_hex_only, is_metadata_key, is_placeholder, is_secret_key,
    looks_like_credential, names_secret, names_secret_item, REDACTED, REDACTED_CHANGED,
};
use crate::document::{Document, NodeId, NodeKind, ReadError};
use crate::path::WalkPath;
use crate::validate::Finding;
use crate::value::Value;

/// The shortest secret that free text is scrubbed of where it stands alone; a shorter one is
/// scrubbed only where it is quoted (`"ab"`), so that `1` does not vanish from every number.
const SCRUB_MIN: usize = 4;

/// The secret values of one or more files, to scrub out of free text and to redact wherever
/// else they appear (a secret moved from `db.pass` to `database.password` is secret on both
/// sides).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecretValues {
    values: BTreeSet<String>,
}

impl SecretValues {
    /// The secret scalars of a read document (aliases under secret keys included).
    pub fn of_document(document: &Document) -> Self {
        let mut walk = Walk::new(document);
        walk.run();
        walk.values
    }

    /// The secret values of a text: read as a document when it parses, else line by line.
    pub fn of_source(source: &str) -> Self {
        match Document::parse(source) {
            Ok(document) => Self::of_document(&document),
            Err(_) => RawScan::run(source, &[]).values,
        }
    }

    /// The secret scalars of several documents (both sides of a diff).
    pub fn of_documents(documents: &[&Document]) -> Self {
        let mut values = Self::default();
        for document in documents {
            values.extend(&Self::of_document(document));
        }
        values
    }

    /// Whether a scalar's text is one of the values, long enough (four characters or more)
    /// that meeting it elsewhere is no coincidence.
    pub fn is_known(&self, text: &str) -> bool {
        text.chars().count() >= SCRUB_MIN && self.values.contains(text)
    }

    /// Adds the values of `other`.
    pub fn extend(&mut self, other: &SecretValues) {
        self.values.extend(other.values.iter().cloned());
    }

    /// Whether `text` is one of the values.
    pub fn contains(&self, text: &str) -> bool {
        self.values.contains(text)
    }

    /// The number of distinct values.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    fn insert(&mut self, text: &str) {
        // A boolean, number or null (`true` under `automountServiceAccountToken`) is no
        // value to look for elsewhere: every `enabled: true` would vanish.
        let plain = crate::document::scalar_value(text, crate::document::ScalarStyle::Plain, None);
        let string = matches!(plain, crate::value::Value::String(_));
        if string && !super::is_placeholder(text) && text != REDACTED_CHANGED {
            self.values.insert(text.to_owned());
        }
    }

    /// `text` with every occurrence of a value replaced by `<redacted>`: as written, JSON-quoted
    /// (as messages quote values), line by line for multi-line values, and cut short before
    /// `…` (as messages shorten long values). A value shorter than four characters is replaced
    /// only where it is quoted.
    pub fn scrub(&self, text: &str) -> String {
        let mut needles: Vec<(String, bool)> = Vec::new();
        for value in &self.values {
            let quoted = serde_json::to_string(value).unwrap_or_default();
            let inner = quoted[1..quoted.len().saturating_sub(1).max(1)].to_owned();
            needles.push((quoted, true));
            for form in [value.as_str(), inner.as_str()] {
                needles.push((form.to_owned(), false));
                if form.contains('\n') {
                    needles.extend(form.lines().map(|l| (l.trim().to_owned(), false)));
                }
            }
        }
        needles.retain(|(n, quoted)| *quoted || n.chars().count() >= SCRUB_MIN);
        // Longest first, so a value is not half-replaced by a shorter one inside it.
        needles.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        needles.dedup();
        let mut out = text.to_owned();
        for (needle, quoted) in &needles {
            out = replace_standalone(&out, needle, *quoted);
            if !quoted {
                out = replace_cut(&out, needle);
            }
        }
        out
    }
}

/// Replaces `needle` where it is not part of a longer word (or anywhere, for a quoted form).
fn replace_standalone(text: &str, needle: &str, quoted: bool) -> String {
    if needle.is_empty() || !text.contains(needle) {
        return text.to_owned();
    }
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let mut out = String::with_capacity(text.len());
    let mut rest = 0;
    for (at, _) in text.match_indices(needle) {
        if at < rest {
            continue;
        }
        let before = text[..at].chars().next_back();
        let after = text[at + needle.len()..].chars().next();
        let first = needle.chars().next();
        let last = needle.chars().next_back();
        let alone = quoted || ((!word(first) || !word(before)) && (!word(last) || !word(after)));
        if alone {
            out.push_str(&text[rest..at]);
            out.push_str(&if quoted {
                format!("\"{REDACTED}\"")
            } else {
                REDACTED.to_owned()
            });
            rest = at + needle.len();
        }
    }
    out.push_str(&text[rest..]);
    out
}

/// Replaces a start of `needle` (eight characters or more) that a message cut short with `…`.
fn replace_cut(text: &str, needle: &str) -> String {
    let mut out = text.to_owned();
    let mut search = 0;
    while let Some(found) = out[search..].find('…') {
        let end = search + found;
        let head = &out[..end];
        let cut = needle
            .char_indices()
            .map(|(i, _)| i)
            .skip(8)
            .chain([needle.len()])
            .filter(|&i| head.ends_with(&needle[..i]))
            .max();
        match cut {
            Some(len) => {
                let start = end - len;
                out.replace_range(start..end, REDACTED);
                search = start + REDACTED.len() + '…'.len_utf8();
            }
            None => search = end + '…'.len_utf8(),
        }
    }
    out
}

/// The secret scalar nodes of a document, found by walking it once.
///
/// The walk carries down what the path so far says (whether a key on it names a secret,
/// which key owns the node) instead of asking [`is_secret_scalar`](super::is_secret_scalar)
/// about the whole path at every scalar: the same verdicts (a unit test compares them on the
/// corpus), with each distinct key text judged once. On a 100k-item list the per-scalar path
/// checks were half of a `diff` (docs/performance.md).
struct Walk<'d> {
    document: &'d Document,
    /// The span and text of every secret scalar.
    spans: Vec<(Range<usize>, String)>,
    /// Every other scalar, which may still hold a secret value found elsewhere.
    others: Vec<(Range<usize>, &'d str)>,
    values: SecretValues,
    /// Whether each key text met so far is a secret key: a document repeats its keys (every
    /// item of a list has the same ones), and this is asked of every entry.
    secret_keys: FxHashMap<&'d str, bool>,
    /// The path to the node being walked, for the one case that needs it whole (an alias,
    /// whose target is redacted as a value at this path).
    path: WalkPath<'d>,
}

/// What the walked path says about the node at its end.
#[derive(Debug, Clone, Copy, Default)]
struct Context<'d> {
    /// Some key on the path (the node's own included) is a secret key.
    secret_above: bool,
    /// The last key on the path (the key of the nearest mapping entry above).
    own_key: Option<&'d str>,
    /// The node is inside the `value` of an item whose identity names a secret.
    forced: bool,
}

impl<'d> Walk<'d> {
    fn new(document: &'d Document) -> Self {
        Self {
            document,
            spans: Vec::new(),
            others: Vec::new(),
            values: SecretValues::default(),
            secret_keys: FxHashMap::default(),
            path: WalkPath::default(),
        }
    }

    fn run(&mut self) {
        if let Some(root) = self.document.root() {
            self.node(root, Context::default());
        }
    }

    /// Whether `key` is a secret key ([`is_secret_key`]).
    fn secret_key(&mut self, key: &'d str) -> bool {
        *self
            .secret_keys
            .entry(key)
            .or_insert_with(|| is_secret_key(key))
    }

    fn node(&mut self, id: NodeId, context: Context<'d>) {
        let document = self.document;
        let node = document.node(id);
        match &node.kind {
            NodeKind::Scalar { text, .. } => {
                // What `is_secret_scalar` decides from the path and the text (the metadata and
                // digest tests run only in the rare cases that need them).
                let own = context.own_key;
                let by_keys = context.secret_above && !own.is_some_and(is_metadata_key);
                let secret = context.forced
                    || by_keys
                    || (looks_like_credential(text)
                        && !(own.is_some_and(is_digest_key) && is_hex_only(text)));
                // A switch is no credential (`automountServiceAccountToken: true`).
                if secret
                    && !is_placeholder(text)
                    && !matches!(document.value_of(id), Value::Bool(_))
                {
                    self.values.insert(text);
                    self.spans.push((node.span.clone(), text.clone()));
                } else {
                    self.others.push((node.span.clone(), text.as_str()));
                }
            }
            NodeKind::Alias { target, .. } => {
                // The alias shows only a name, but what it stands for is secret here, so the
                // anchored text is redacted where it is written.
                let value = document.value_of(*target);
                let shown = if context.forced {
                    value.clone()
                } else {
                    super::redact(&self.path.to_path(), &value)
                };
                collect_redacted(&value, &shown, &mut self.values);
            }
            NodeKind::Mapping { entries, .. } => {
                let secret_item = names_secret_item(entries.iter().filter_map(|e| {
                    match &document.node(document.resolve(e.value)).kind {
                        NodeKind::Scalar { text, .. } => Some((e.key_text.as_str(), text.as_str())),
                        _ => None,
                    }
                }));
                for entry in entries {
                    let key = entry.key_text.as_str();
                    let child = Context {
                        secret_above: context.secret_above || self.secret_key(key),
                        own_key: Some(key),
                        forced: context.forced || (secret_item && key == "value"),
                    };
                    self.path.push_key(key);
                    self.node(entry.value, child);
                    self.path.pop();
                }
            }
            NodeKind::Sequence { items, .. } => {
                for (i, item) in items.iter().enumerate() {
                    self.path.push_index(i);
                    self.node(*item, context);
                    self.path.pop();
                }
            }
        }
    }

    /// Every span to redact: the secret scalars, and the other scalars that hold a value of
    /// `values` (found in this document or in the other side of a diff).
    fn redactions(&self, values: &SecretValues) -> Vec<(Range<usize>, String)> {
        let mut spans = self.spans.clone();
        spans.extend(
            self.others
                .iter()
                .filter(|(_, text)| values.is_known(text))
                .map(|(span, text)| (span.clone(), (*text).to_owned())),
        );
        spans.sort_by_key(|(span, _)| span.start);
        spans
    }
}

/// Adds to `values` each scalar of `value` that `shown` (its redacted form) hides.
fn collect_redacted(
    value: &crate::value::Value,
    shown: &crate::value::Value,
    values: &mut SecretValues,
) {
    use crate::value::Value;
    match (value, shown) {
        (Value::Mapping(a), Value::Mapping(b)) => {
            for ((_, va), (_, vb)) in a.iter().zip(b.iter()) {
                collect_redacted(va, vb, values);
            }
        }
        (Value::Sequence(a), Value::Sequence(b)) => {
            for (va, vb) in a.iter().zip(b) {
                collect_redacted(va, vb, values);
            }
        }
        (value, Value::String(s)) if s == REDACTED && value != shown => {
            if let Some(text) = value.scalar_text() {
                values.insert(&text);
            }
        }
        _ => {}
    }
}

/// `source` with each span replaced by the marker `marker(text)` gives, line by line: the
/// first line's part and every later line's text after its indentation become the marker,
/// so the text keeps its lines (and, for the document's own syntax, stays readable YAML).
fn replace_spans(
    source: &str,
    spans: &[(Range<usize>, String)],
    marker: impl Fn(&str) -> &'static str,
) -> String {
    let mut out = String::with_capacity(source.len());
    let mut at = 0;
    for (span, text) in spans {
        if span.start < at || span.is_empty() || span.end > source.len() {
            continue;
        }
        out.push_str(&source[at..span.start]);
        let marker = marker(text);
        for (i, line) in source[span.clone()].split('\n').enumerate() {
            if i > 0 {
                out.push('\n');
            }
            let (line, cr) = match line.strip_suffix('\r') {
                Some(line) => (line, "\r"),
                None => (line, ""),
            };
            let content = line.trim_start_matches([' ', '\t']);
            out.push_str(&line[..line.len() - content.len()]);
            if !content.is_empty() {
                out.push_str(marker);
            }
            out.push_str(cr);
        }
        at = span.end;
    }
    out.push_str(&source[at..]);
    out
}

/// The comments of a document whose text names a secret value (`# password: old`) or holds a
/// credential, redacted as raw lines.
fn comment_redactions(document: &Document) -> Vec<(Range<usize>, String)> {
    let source = document.source();
    document
        .comments()
        .iter()
        .filter_map(|comment| {
            let text = &source[comment.span.clone()];
            let body = text.trim_start_matches('#');
            let redacted = redact_line(body);
            (redacted != body).then(|| (comment.span.clone(), format!("#{redacted}")))
        })
        .collect()
}

fn render(
    document: &Document,
    spans: Vec<(Range<usize>, String)>,
    marker: impl Fn(&str) -> &'static str,
) -> String {
    // Comments are replaced whole by their redacted text; scalars by markers.
    let comments = comment_redactions(document);
    let source = document.source();
    let mut text = String::with_capacity(source.len() + 1);
    if document.has_bom() {
        text.push('\u{feff}');
    }
    if comments.is_empty() {
        text.push_str(&replace_spans(source, &spans, marker));
        return text;
    }
    // Scalars and comments never overlap: apply the scalars, then the comments from the end
    // of the original text, keeping offsets by working on pieces between them.
    let mut pieces = String::new();
    let mut at = 0;
    for (span, redacted) in &comments {
        let inside: Vec<(Range<usize>, String)> = spans
            .iter()
            .filter(|(s, _)| s.start >= at && s.end <= span.start)
            .map(|(s, t)| (s.start - at..s.end - at, t.clone()))
            .collect();
        pieces.push_str(&replace_spans(&source[at..span.start], &inside, &marker));
        pieces.push_str(redacted);
        at = span.end;
    }
    let inside: Vec<(Range<usize>, String)> = spans
        .iter()
        .filter(|(s, _)| s.start >= at)
        .map(|(s, t)| (s.start - at..s.end - at, t.clone()))
        .collect();
    pieces.push_str(&replace_spans(&source[at..], &inside, &marker));
    text.push_str(&pieces);
    text
}

/// A document's text (BOM included) with its secret scalars replaced by `<redacted>`, line
/// structure kept: what `get` prints a subtree from.
pub fn redacted_text(document: &Document) -> String {
    let mut walk = Walk::new(document);
    walk.run();
    let spans = walk.redactions(&walk.values);
    render(document, spans, |_| REDACTED)
}

/// `document` read again from its [`redacted_text`]: the same structure, with `<redacted>`
/// strings in place of secrets.
pub fn redacted_document(document: &Document) -> Result<Document, ReadError> {
    let text = redacted_text(document);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Document::parse_as(text, document.kind(), document.limits())
}

/// The two texts a unified diff of `old` and `new` compares: as written with `show_secrets`,
/// else each with the secret scalars of both replaced, line structure kept. A secret is
/// secret on both sides (a value secret in one is redacted in the other too, which covers
/// renames and moves); on the new side, a secret the old side does not hold reads
/// `<redacted (changed)>`, so the line still shows as changed.
pub fn diff_texts(old: &Document, new: &Document, show_secrets: bool) -> (String, String) {
    if show_secrets {
        return (old.to_text(), new.to_text());
    }
    let mut old_walk = Walk::new(old);
    old_walk.run();
    let mut new_walk = Walk::new(new);
    new_walk.run();
    let mut values = old_walk.values.clone();
    values.extend(&new_walk.values);
    let old_spans = old_walk.redactions(&values);
    let old_texts: BTreeSet<&str> = old_spans.iter().map(|(_, t)| t.as_str()).collect();
    let old_text = render(old, old_spans.clone(), |_| REDACTED);
    let new_text = render(new, new_walk.redactions(&values), |text| {
        if old_texts.contains(text) {
            REDACTED
        } else {
            REDACTED_CHANGED
        }
    });
    (old_text, new_text)
}

/// Zero-based `line` of `source` as a caret snippet shows it: the value of a secret key (by
/// the keys of the lines above, read by their indentation, so it works on a file that does
/// not parse) and every credential-looking word replaced by `<redacted>`. `None` when the
/// text has no such line.
pub fn snippet_line(source: &str, line: usize) -> Option<String> {
    RawScan::run(source, &[line]).targets.pop().flatten()
}

/// One line redacted without the lines above it: a `key: value` whose key is secret, a
/// secret inside a flow collection (`db: {password: x}`), and every credential-looking word.
pub fn redact_line(line: &str) -> String {
    snippet_line(line, 0).unwrap_or_else(|| line.to_owned())
}

/// Redacts findings of the file `file` whose bytes were `source`: each message and hint
/// scrubbed of the file's secret values, each snippet line of that file redacted as
/// [`snippet_line`] does. A finding can sit in another file (a chart default it inherits):
/// its snippet is that file's line, redacted on its own as [`redact_line`] does.
pub fn redact_findings(findings: &mut [Finding], file: &str, source: &[u8]) {
    // Finding the secret values reads the whole file again: with nothing to scrub, that read
    // was most of a clean file's validate.
    if findings.is_empty() {
        return;
    }
    let text = String::from_utf8_lossy(source);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let values = SecretValues::of_source(text);
    scrub_findings(findings, file, text, &values);
}

/// [`redact_findings`] for a file that was read as `document`: its secret values come from
/// that read, not from a second one.
pub fn redact_document_findings(findings: &mut [Finding], file: &str, document: &Document) {
    if findings.is_empty() {
        return;
    }
    let values = SecretValues::of_document(document);
    scrub_findings(findings, file, document.source(), &values);
}

/// Scrubs findings of `file` (whose text is `text`) of `values`, the snippet lines of that
/// file taken from one pass over its lines.
fn scrub_findings(findings: &mut [Finding], file: &str, text: &str, values: &SecretValues) {
    let mut wanted: Vec<usize> = findings
        .iter()
        .filter(|f| f.file == file && f.source_line.is_some())
        .map(|f| f.location.line.saturating_sub(1))
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    let lines = RawScan::run(text, &wanted).targets;
    for finding in findings {
        finding.message = values.scrub(&finding.message);
        finding.hint = finding.hint.as_deref().map(|h| values.scrub(h));
        if finding.file != file {
            finding.source_line = finding
                .source_line
                .as_deref()
                .map(|line| values.scrub(&redact_line(line)));
        } else if finding.source_line.is_some() {
            let at = wanted.binary_search(&finding.location.line.saturating_sub(1));
            finding.source_line = at
                .ok()
                .and_then(|at| lines[at].as_deref())
                .map(|line| values.scrub(line));
        }
    }
}

// ---- raw lines ------------------------------------------------------------------------------

/// A key above the current line, as the indentation shows it.
struct Open {
    column: usize,
    secret: bool,
    /// Its value was empty or a block scalar header: lines below belong to it.
    opened: bool,
}

/// One pass over raw lines, keeping the keys above each line by indentation.
struct RawScan {
    stack: Vec<Open>,
    /// The key column of an `- name: DB_PASSWORD` item, whose `value` is secret.
    secret_item: Option<usize>,
    in_pem: bool,
    values: SecretValues,
    /// The redacted text of each line asked for, in the order asked (`None` past the end).
    targets: Vec<Option<String>>,
}

/// A line taken apart: `<indent>- - key: value`.
struct Parts {
    /// The column of the first `-`, if the line starts items.
    dash: Option<usize>,
    /// The column of the content after the indentation and dashes.
    column: usize,
    /// The key and the byte offset where its value starts.
    key: Option<(String, usize)>,
    /// Byte offset of the content (after the dashes).
    content: usize,
}

impl RawScan {
    /// Scans `source` up to the last of `targets` (zero-based line numbers, ascending), or to
    /// its end when `targets` is empty, keeping the redacted text of each target line.
    fn run(source: &str, targets: &[usize]) -> Self {
        let mut scan = RawScan {
            stack: Vec::new(),
            secret_item: None,
            in_pem: false,
            values: SecretValues::default(),
            targets: vec![None; targets.len()],
        };
        let last = targets.last().copied().unwrap_or(usize::MAX);
        let mut next = 0;
        for (n, line) in source.split('\n').enumerate() {
            if n > last {
                break;
            }
            let line = line.strip_suffix('\r').unwrap_or(line);
            let wanted = targets.get(next) == Some(&n);
            let redacted = scan.line(line, wanted);
            if wanted {
                scan.targets[next] = Some(redacted);
                next += 1;
            }
        }
        scan
    }

    fn parts(line: &str) -> Parts {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let mut content = indent;
        let mut dash = None;
        loop {
            let rest = &line[content..];
            if rest == "-" || rest.starts_with("- ") {
                dash.get_or_insert(content);
                content += 1;
                content += line[content..].len() - line[content..].trim_start_matches(' ').len();
            } else {
                break;
            }
        }
        let key = key_of(&line[content..]).map(|(key, offset)| (key, content + offset));
        Parts {
            dash,
            column: line[..content].chars().count(),
            key,
            content,
        }
    }

    /// Reads one line into the scan's state and returns its redacted text; with `emit`
    /// false (a line above the ones asked for) the text is not built and comes back empty.
    fn line(&mut self, line: &str, emit: bool) -> String {
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            return line.to_owned();
        }
        if self.in_pem || trimmed.contains("-----BEGIN ") {
            self.in_pem = !trimmed.contains("-----END ");
            let indent = line.len() - trimmed.len();
            return format!("{}{REDACTED}", &line[..indent]);
        }
        if trimmed.starts_with('#') {
            return line.to_owned();
        }
        let parts = Self::parts(line);
        // The keys this line is not below.
        let column = parts.dash.unwrap_or(parts.column);
        while let Some(top) = self.stack.last() {
            let below =
                top.column < column || (parts.dash.is_some() && top.column == column && top.opened);
            if below {
                break;
            }
            self.stack.pop();
        }
        if let Some(item) = self.secret_item {
            if parts.dash.is_some_and(|d| d < item) || parts.column < item {
                self.secret_item = None;
            }
        }
        let above_secret = self.stack.iter().any(|o| o.secret);
        match &parts.key {
            Some((key, value_at)) => {
                let value = line[*value_at..].trim();
                // `is_secret_key` is `names_secret` and not metadata; the metadata test, the
                // dearer one, runs only for a key that could be secret.
                let secret = (names_secret(key)
                    || above_secret
                    || (key == "value" && self.secret_item == Some(parts.column)))
                    && !is_metadata_key(key);
                if parts.dash.is_some() && matches!(key.as_str(), "name" | "key" | "id") {
                    let identity = unquote(strip_comment(value));
                    self.secret_item = is_secret_key(identity).then_some(parts.column);
                }
                let header = value.starts_with(['|', '>']);
                self.stack.push(Open {
                    column: parts.column,
                    secret,
                    opened: value.is_empty() || header,
                });
                if secret && !is_placeholder(unquote(strip_comment(value))) && !header {
                    self.values.insert(unquote(strip_comment(value)));
                    // A trailing comment says nothing secret and helps find the line.
                    let raw = &line[*value_at..];
                    let comment = match raw.find(" #") {
                        Some(at) if !value.starts_with(['"', '\'']) => {
                            &raw[raw[..at].trim_end().len()..]
                        }
                        _ => "",
                    };
                    shown(emit, || {
                        format!("{}{REDACTED}{comment}", &line[..*value_at])
                    })
                } else {
                    let (head, tail) = line.split_at(*value_at);
                    shown(emit, || {
                        format!("{head}{}", redact_words(&redact_flow(tail)))
                    })
                }
            }
            None => {
                let (head, tail) = line.split_at(parts.content);
                if above_secret && !is_placeholder(unquote(strip_comment(tail.trim()))) {
                    self.values.insert(unquote(strip_comment(tail.trim())));
                    shown(emit, || format!("{head}{REDACTED}"))
                } else {
                    shown(emit, || {
                        format!("{head}{}", redact_words(&redact_flow(tail)))
                    })
                }
            }
        }
    }
}

/// `text()` when `emit`, else nothing (see [`RawScan::line`]).
fn shown(emit: bool, text: impl FnOnce() -> String) -> String {
    if emit {
        text()
    } else {
        String::new()
    }
}

/// The key at the start of `text` (`key: value`, `key:`, `"a key": value`) and the byte
/// offset of its value.
fn key_of(text: &str) -> Option<(String, usize)> {
    let first = text.chars().next()?;
    if matches!(
        first,
        '{' | '[' | '#' | '&' | '*' | '!' | '|' | '>' | '%' | '@' | '`'
    ) {
        return None;
    }
    let (key, after) = if first == '"' || first == '\'' {
        let close = text[1..].find(first)? + 1;
        (text[1..close].to_owned(), close + 1)
    } else {
        let mut end = None;
        for (i, c) in text.char_indices() {
            if c == ':'
                && text[i + 1..]
                    .chars()
                    .next()
                    .is_none_or(|n| n == ' ' || n == '\t')
            {
                end = Some(i);
                break;
            }
            if c == '#' && text[..i].ends_with(' ') {
                return None;
            }
        }
        let end = end?;
        (text[..end].trim_end().to_owned(), end)
    };
    let rest = &text[after..];
    let rest = rest.strip_prefix(':')?;
    let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    Some((key, after + 1 + spaces))
}

fn strip_comment(value: &str) -> &str {
    match value.find(" #") {
        Some(at) if !value.starts_with(['"', '\'']) => value[..at].trim_end(),
        _ => value,
    }
}

fn unquote(value: &str) -> &str {
    let v = value.trim();
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q) {
            return inner.strip_suffix(q).unwrap_or(inner);
        }
    }
    v
}

/// A flow collection's text with the values of its secret keys replaced
/// (`{user: u, password: p}` becomes `{user: u, password: <redacted>}`).
fn redact_flow(text: &str) -> String {
    if !text.contains(['{', '[']) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut piece_start = 0;
    let mut quote: Option<char> = None;
    let flush = |out: &mut String, piece: &str| match key_of(piece.trim_start()) {
        Some((key, value_at)) if is_secret_key(&key) => {
            let lead = piece.len() - piece.trim_start().len();
            let value = &piece[lead + value_at..];
            let trail = value.len() - value.trim_end().len();
            if value.trim().is_empty() {
                out.push_str(piece);
            } else {
                out.push_str(&piece[..lead + value_at]);
                out.push_str(REDACTED);
                out.push_str(&value[value.len() - trail..]);
            }
        }
        _ => out.push_str(piece),
    };
    for (i, c) in text.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if matches!(c, ',' | '{' | '}' | '[' | ']') => {
                flush(&mut out, &text[piece_start..i]);
                out.push(c);
                piece_start = i + c.len_utf8();
            }
            None => {}
        }
    }
    flush(&mut out, &text[piece_start..]);
    out
}

/// Every credential-looking word of `text` replaced by `<redacted>`.
fn redact_words(text: &str) -> String {
    if !looks_like_credential(text) {
        return text.to_owned();
    }
    let separator = |c: char| {
        c.is_whitespace() || matches!(c, '"' | '\'' | ',' | ';' | '`' | '{' | '}' | '[' | ']')
    };
    let mut out = String::with_capacity(text.len());
    let mut word_start = None;
    let flush = |out: &mut String, word: &str| {
        if looks_like_credential(word) {
            // Keep `key=` before a credential.
            match word.split_once(['=', ':']) {
                Some((head, rest))
                    if looks_like_credential(rest) && !looks_like_credential(head) =>
                {
                    out.push_str(&word[..head.len() + 1]);
                    out.push_str(REDACTED);
                }
                _ => out.push_str(REDACTED),
            }
        } else {
            out.push_str(word);
        }
    };
    for (i, c) in text.char_indices() {
        if separator(c) {
            if let Some(start) = word_start.take() {
                flush(&mut out, &text[start..i]);
            }
            out.push(c);
        } else if word_start.is_none() {
            word_start = Some(i);
        }
    }
    if let Some(start) = word_start {
        flush(&mut out, &text[start..]);
    }
    out
}

/// The spans of the secret scalars the walk finds, for the unit test that compares them with
/// the path rules.
#[cfg(test)]
pub(super) fn tests_walk(document: &Document) -> Vec<Range<usize>> {
    let mut walk = Walk::new(document);
    walk.run();
    walk.spans.into_iter().map(|(span, _)| span).collect()
}
