//! Helm pitfalls in a file that parses: tabs that Helm's reader refuses, YAML 1.1 booleans and
//! versions written as numbers.
//!
//! Helm reads values with a YAML 1.1 reader (go-yaml v2, through `sigs.k8s.io/yaml`) and then
//! turns them into JSON, so every number becomes a float64 that templates print with Go's
//! `%v`. A file that our YAML 1.2 reader accepts can therefore still fail in Helm (a tab at the
//! start of a line, or right after `key:` or `- `) or mean something else there (`no` is
//! `false`, `1.10` prints as `1.1`, `20240102` as `2.0240102e+07`).

use std::ops::Range;

use super::{Code, Finding, Fix, FixEdit, Sink};
use crate::document::{CollectionStyle, Document, NodeId, NodeKind, ReadError, ScalarStyle};
use crate::path::WalkPath;
use crate::value::helm::{go_format_g64, go_scalar, helm_value, is_merge_key, GoScalar};
use crate::value::{resolve_plain, Value, MAX_EXACT_INT};

/// The plain scalars that YAML 1.1 reads as booleans, apart from `true` and `false` (which
/// mean the same in YAML 1.2). Other spellings such as `yEs` stay strings in go-yaml v2.
const YAML11_BOOLS: &[(&str, bool)] = &[
    ("y", true),
    ("Y", true),
    ("yes", true),
    ("Yes", true),
    ("YES", true),
    ("on", true),
    ("On", true),
    ("ON", true),
    ("n", false),
    ("N", false),
    ("no", false),
    ("No", false),
    ("NO", false),
    ("off", false),
    ("Off", false),
    ("OFF", false),
];

/// Runs every pitfall check on `document`.
pub(super) fn check(document: &Document, sink: &mut Sink<'_>) {
    if document.root().is_none() {
        // Helm reads an empty file as no values; an empty export is almost always a mistake.
        let error = ReadError::Empty {
            comments_only: !document.comments().is_empty(),
        };
        sink.whole_file(Code::Empty, error.to_string(), error.hint());
        return;
    }
    let mut walker = Walker {
        document,
        sink,
        protected: Vec::new(),
        path: WalkPath::default(),
    };
    for &root in document.document_roots() {
        walker.node(root, Role::Value { key: None });
    }
    let mut protected = std::mem::take(&mut walker.protected);
    protected.sort_by_key(|r| r.start);
    // By Helm's readings the reader itself refuses every tab Helm's parser refuses (a
    // `tab-indent` finding of the read); the lints say it of a file read as YAML 1.2.
    if !document.reading().is_helm() {
        walker.leading_tabs(&protected);
    }
    duplicate_keys(document, sink);
    // What the reader read despite (several documents, brackets closed at their key's column).
    for note in document.notes() {
        if let Some(code) = Code::from_name(note.code()) {
            sink.at(code, note.location(), note.to_string(), Some(note.hint()));
        }
    }
}

/// Every key a mapping holds twice: Helm's reading keeps the last value, as Helm does, but it
/// is almost always a mistake, so it stays an error (with the reader's own wording).
fn duplicate_keys(document: &Document, sink: &mut Sink<'_>) {
    for duplicate in document.duplicate_keys() {
        let error = ReadError::DuplicateKey {
            key: duplicate.key.clone(),
            first: duplicate.first,
            second: duplicate.second,
        };
        sink.at(
            Code::DuplicateKey,
            duplicate.second,
            error.to_string(),
            error.hint(),
        );
    }
}

#[derive(Clone, Copy)]
enum Role<'k> {
    Key,
    /// A value, with the nearest mapping key above it (a sequence item inherits its
    /// sequence's key).
    Value {
        key: Option<&'k str>,
    },
}

struct Walker<'d, 's, 'f> {
    document: &'d Document,
    sink: &'s mut Sink<'f>,
    /// Ranges whose lines may start with tabs: multi-line scalars and flow collections, where
    /// a tab is content or allowed whitespace.
    protected: Vec<Range<usize>>,
    /// The path to the node being checked (a key is checked at its mapping's path).
    path: WalkPath<'d>,
}

impl<'d> Walker<'d, '_, '_> {
    /// Checks the node `id` at the walked path and what it holds.
    fn node(&mut self, id: NodeId, role: Role<'d>) {
        let document = self.document;
        let node = document.node(id);
        let source = document.source();
        match &node.kind {
            NodeKind::Scalar { text, style } => {
                if source[node.span.clone()].contains('\n') {
                    self.protected.push(node.span.clone());
                }
                if *style == ScalarStyle::Plain && node.tag.is_none() {
                    // One finding a scalar: the version check says more about a version.
                    let version = match role {
                        Role::Value { key: Some(key) } => self.float_version(id, text, key),
                        _ => false,
                    };
                    if !self.yaml11_bool(id, text, role) && !version {
                        self.yaml11_number(id, text, role);
                    }
                }
            }
            NodeKind::Mapping { style, entries } => {
                if *style == CollectionStyle::Flow {
                    self.protected.push(node.span.clone());
                }
                self.merge_order(entries);
                for entry in entries {
                    self.node(entry.key, Role::Key);
                    if *style == CollectionStyle::Block && !document.reading().is_helm() {
                        self.tab_after_indicator(
                            document.node(entry.key).span.end,
                            entry.value,
                            ':',
                        );
                    }
                    self.path.push_key(&entry.key_text);
                    self.node(
                        entry.value,
                        Role::Value {
                            key: Some(&entry.key_text),
                        },
                    );
                    self.path.pop();
                }
            }
            NodeKind::Sequence { style, items } => {
                if *style == CollectionStyle::Flow {
                    self.protected.push(node.span.clone());
                }
                for (index, &item) in items.iter().enumerate() {
                    if *style == CollectionStyle::Block && !document.reading().is_helm() {
                        let start = document.node(item).span.start;
                        let before = source[..start].trim_end_matches([' ', '\t']);
                        if before.ends_with('-') {
                            self.tab_after_indicator(before.len() - 1, item, '-');
                        }
                    }
                    self.path.push_index(index);
                    self.node(item, role);
                    self.path.pop();
                }
            }
            // The anchored node is checked where it is written.
            NodeKind::Alias { .. } => {}
        }
    }

    /// go-yaml refuses a tab right after a block `key:` or `- ` (it allows only spaces there),
    /// which YAML 1.2 readers accept.
    fn tab_after_indicator(&mut self, from: usize, value: NodeId, indicator: char) {
        let source = self.document.source();
        let value_start = self.document.node(value).span.start;
        if value_start <= from {
            return;
        }
        let region = &source[from..value_start];
        let Some(at) = region.find(indicator) else {
            return;
        };
        let after = &region[at + 1..];
        let blanks = after.len() - after.trim_start_matches([' ', '\t']).len();
        if let Some(tab) = after[..blanks].find('\t') {
            let offset = from + at + 1 + tab;
            let what = if indicator == ':' { "`key:`" } else { "`- `" };
            self.sink.at(
                Code::TabIndent,
                self.document.location(offset),
                format!(
                    "a tab character after {what}, where Helm's YAML reader allows only spaces"
                ),
                Some("replace the tab with a space".to_owned()),
            );
        }
    }

    /// Lines whose indentation holds a tab, outside multi-line scalars and flow collections.
    fn leading_tabs(&mut self, protected: &[Range<usize>]) {
        let document = self.document;
        let source = document.source();
        let lines = document.lines();
        for line in 0..lines.line_count() {
            let range = lines.line_range(source, line);
            let text = &source[range.clone()];
            let indent = text.len() - text.trim_start_matches([' ', '\t']).len();
            let Some(tab) = text[..indent].find('\t') else {
                continue;
            };
            let start = range.start;
            let inside = protected
                .iter()
                .take_while(|r| r.start < start)
                .any(|r| start < r.end);
            if inside {
                continue;
            }
            let blank = indent == text.len();
            let message = if blank {
                "a tab character on a blank line, which Helm's YAML reader refuses"
            } else {
                "a tab character is used for indentation"
            };
            self.sink.at(
                Code::TabIndent,
                document.location(start + tab),
                message,
                Some("YAML indentation must use spaces; replace the tab with spaces".to_owned()),
            );
        }
    }

    /// A number that Helm and YAML 1.2 tools read differently (`0755`, `1_000`, `0b101`), or
    /// that Helm holds as a float64 that loses digits (beyond 2^53). One finding a scalar, with
    /// what each reads; `0o17` and `0x1F`, which both read alike, are flagged as well: many
    /// other tools (and schemas) take them for strings.
    fn yaml11_number(&mut self, id: NodeId, text: &str, role: Role<'_>) {
        let Ok(scalar) = go_scalar(text, ScalarStyle::Plain, None) else {
            return;
        };
        if !matches!(
            scalar,
            GoScalar::Int(_) | GoScalar::Uint(_) | GoScalar::Float(_)
        ) {
            return;
        }
        let Ok(helm) = helm_value(scalar.clone()) else {
            return;
        };
        let shown = |value: &Value| crate::value::helm_json(value).unwrap_or_default();
        let yaml12 = resolve_plain(text);
        let location = self.document.node_location(id);
        let what = match role {
            Role::Key => "the key",
            Role::Value { .. } => "",
        };
        let big = match scalar {
            GoScalar::Int(i) => !(-MAX_EXACT_INT..=MAX_EXACT_INT).contains(&i),
            GoScalar::Uint(_) => true,
            _ => false,
        };
        if big {
            self.sink.at(
                Code::BigInteger,
                location,
                format!(
                    "{what} `{text}` is beyond 2^53: Helm holds every number as a float64, so \
                     it becomes {}",
                    shown(&helm)
                )
                .trim_start()
                .to_owned(),
                Some(format!("quote it (\"{text}\") to keep every digit")),
            );
            return;
        }
        let digits = text.trim_start_matches(['-', '+']);
        let prefixed = digits.len() > 2
            && digits.starts_with('0')
            && matches!(
                digits.as_bytes()[1],
                b'x' | b'X' | b'o' | b'O' | b'b' | b'B'
            );
        let octal = digits.len() > 1
            && digits.starts_with('0')
            && digits.as_bytes()[1].is_ascii_digit()
            && matches!(scalar, GoScalar::Int(_));
        let underscore = text.contains('_');
        if !(prefixed || octal || underscore) && helm == yaml12 {
            return;
        }
        let why = if octal {
            "a leading zero makes it octal in YAML 1.1"
        } else if prefixed {
            "a 0x/0o/0b prefix"
        } else if underscore {
            "YAML 1.1 ignores `_` in numbers"
        } else {
            "YAML 1.1 and 1.2 read numbers differently"
        };
        let yaml12_reads = match &yaml12 {
            Value::String(_) => "the string".to_owned(),
            other => format!("the {} {}", other.type_name(), shown(other)),
        };
        self.sink.at(
            Code::Yaml11Number,
            location,
            format!(
                "{what} `{text}` is the number {} to Helm ({why}) but {yaml12_reads} to YAML 1.2 \
                 tools",
                shown(&helm)
            )
            .trim_start()
            .to_owned(),
            Some(format!(
                "write {} for the number, or quote it (\"{text}\") for the string",
                shown(&helm)
            )),
        );
    }

    /// A merge key `<<` after explicit keys: Helm (go-yaml v2) lets the merged mapping
    /// override the keys written above it, where the YAML merge-key spec and YAML 1.2 tools
    /// let explicit keys win.
    fn merge_order(&mut self, entries: &[crate::document::Entry]) {
        let document = self.document;
        let is_merge = |entry: &crate::document::Entry| {
            let node = document.node(entry.key);
            matches!(&node.kind, NodeKind::Scalar { text, style }
                if is_merge_key(text, *style, node.tag.as_deref()))
        };
        let Some(first_explicit) = entries.iter().position(|e| !is_merge(e)) else {
            return;
        };
        for entry in entries[first_explicit..].iter().filter(|e| is_merge(e)) {
            let merged = document.value_of(entry.value);
            let merged_keys: Vec<&str> = match &merged {
                Value::Mapping(m) => m.keys().map(String::as_str).collect(),
                Value::Sequence(items) => items
                    .iter()
                    .filter_map(Value::as_mapping)
                    .flat_map(|m| m.keys().map(String::as_str))
                    .collect(),
                _ => Vec::new(),
            };
            let before = entries.iter().take_while(|e| e.key != entry.key);
            let overridden: Vec<String> = before
                .filter(|e| !is_merge(e) && merged_keys.contains(&e.key_text.as_str()))
                .map(|e| format!("`{}`", e.key_text))
                .collect();
            let effect = if overridden.is_empty() {
                "it overrides any key written above it".to_owned()
            } else {
                format!("it overrides {} written above it", overridden.join(", "))
            };
            self.sink.at(
                Code::MergeOrder,
                document.node_location(entry.key),
                format!(
                    "the merge key `<<` comes after explicit keys: to Helm (go-yaml v2) {effect}, \
                     while YAML 1.2 tools keep the explicit keys"
                ),
                Some("write `<<` first in its mapping".to_owned()),
            );
        }
    }

    /// Reports a YAML 1.1 boolean word; whether it was one.
    ///
    /// A value gets the fix of quoting it (the string every YAML 1.2 tool, and valuesmith,
    /// already reads), unsafe unless the chart's defaults show a string is meant
    /// ([`sure_bool_fixes`]); a key gets none.
    fn yaml11_bool(&mut self, id: NodeId, text: &str, role: Role<'_>) -> bool {
        let Some(&(_, meaning)) = YAML11_BOOLS.iter().find(|(spelling, _)| *spelling == text)
        else {
            return false;
        };
        let location = self.document.node_location(id);
        let (message, hint) = match role {
            Role::Key => (
                format!(
                    "the key `{text}` is the boolean {meaning} to Helm (YAML 1.1), so the key \
                     becomes \"{meaning}\""
                ),
                format!("quote the key: \"{text}\":"),
            ),
            Role::Value { .. } => (
                format!(
                    "`{text}` is the boolean {meaning} to Helm (YAML 1.1) but the string \
                     \"{text}\" to YAML 1.2 tools"
                ),
                format!("write {meaning} for the boolean, or quote it (\"{text}\") for the string"),
            ),
        };
        self.sink
            .at(Code::Yaml11Bool, location, message, Some(hint));
        if let Role::Value { .. } = role {
            self.sink.fix(Fix::new(
                false,
                FixEdit::Quote {
                    path: self.path.to_path(),
                },
            ));
        }
        true
    }

    /// Reports a number under a version-like key, with the safe fix of writing it as the
    /// string it was written as (`"1.10"`); whether it did.
    fn float_version(&mut self, id: NodeId, text: &str, key: &str) -> bool {
        if !is_version_key(key) {
            return false;
        }
        let Some(number) = helm_number(text) else {
            return false;
        };
        let printed = go_print(number);
        let float_form = text.contains(['.', 'e', 'E']);
        let message = if printed != text {
            format!(
                "`{key}: {text}` is a number to Helm, which prints it as {printed}, not as \
                 {text}"
            )
        } else if float_form {
            format!(
                "`{key}: {text}` is a number to Helm, not a string: a version such as 1.10 \
                 would print as 1.1"
            )
        } else {
            return false;
        };
        self.sink.at(
            Code::FloatVersion,
            self.document.node_location(id),
            message,
            Some(format!("quote it: {key}: \"{text}\"")),
        );
        self.sink.fix(Fix::new(
            true,
            FixEdit::Set {
                path: self.path.to_path(),
                value: Value::String(text.to_owned()),
            },
        ));
        true
    }
}

/// Makes the fixes of `yaml11-bool` findings sure where the chart's defaults say what the
/// value is: a string default there makes quoting safe; a boolean default makes the fix
/// respelling it as the boolean Helm already reads (`true`/`false`), also safe. Elsewhere the quoting
/// fix stays unsafe: only the user knows whether `no` meant a string.
pub(super) fn sure_bool_fixes(findings: &mut [Finding], document: &Document, defaults: &Value) {
    for finding in findings.iter_mut().filter(|f| f.code == Code::Yaml11Bool) {
        let Some(fix) = finding.fix.as_mut() else {
            continue;
        };
        let Some(FixEdit::Quote { path }) = fix.edits.first() else {
            continue;
        };
        match defaults.at(path) {
            Some(Value::String(_)) => fix.safe = true,
            Some(Value::Bool(_)) => {
                let path = path.clone();
                let word = document.get(&path).map(|id| &document.node(id).kind);
                let meaning = match word {
                    Some(NodeKind::Scalar { text, .. }) => YAML11_BOOLS
                        .iter()
                        .find(|(w, _)| w == text)
                        .map(|(_, m)| *m),
                    _ => None,
                };
                if let Some(meaning) = meaning {
                    *fix = Fix::new(
                        true,
                        FixEdit::Respell {
                            path,
                            text: meaning.to_string(),
                        },
                    );
                }
            }
            _ => {}
        }
    }
}

/// Whether a key names a version or an image tag: one of its words (split at camelCase, `_`,
/// `-` and `.`) is `tag`, `tags`, `version` or `versions` (`imageTag`, `appVersion`,
/// `chart_version`), so `stage` or `percentage` are not.
pub(super) fn is_version_key(key: &str) -> bool {
    crate::secrets::has_key_word(key, &["tag", "tags", "version", "versions"])
}

/// The number Helm (go-yaml v2) reads a plain scalar as, if any (`0755` is 493, `0x1F` 31,
/// `1_000` 1000, `1.10` 1.1).
pub(super) fn helm_number(text: &str) -> Option<f64> {
    match go_scalar(text, ScalarStyle::Plain, None).ok()? {
        GoScalar::Int(i) => Some(i as f64),
        GoScalar::Uint(u) => Some(u as f64),
        GoScalar::Float(f) if f.is_finite() => Some(f),
        _ => None,
    }
}

/// How a Go template prints a float64 (`%v`, that is `%g` with the shortest digits).
pub(super) fn go_print(value: f64) -> String {
    if value.is_nan() {
        "NaN".to_owned()
    } else if value.is_infinite() {
        if value > 0.0 { "+Inf" } else { "-Inf" }.to_owned()
    } else {
        go_format_g64(value)
    }
}
