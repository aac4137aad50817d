//! Helm pitfalls in a file that parses: tabs that Helm's reader refuses, YAML 1.1 booleans and
//! versions written as numbers.
//!
//! Helm reads values with a YAML 1.1 reader (go-yaml v2, through `sigs.k8s.io/yaml`) and then
//! turns them into JSON, so every number becomes a float64 that templates print with Go's
//! `%v`. A file that our YAML 1.2 reader accepts can therefore still fail in Helm (a tab at the
//! start of a line, or right after `key:` or `- `) or mean something else there (`no` is
//! `false`, `1.10` prints as `1.1`, `20240102` as `2.0240102e+07`).

use std::ops::Range;

use super::{Code, Sink};
use crate::document::{CollectionStyle, Document, NodeId, NodeKind, ReadError, ScalarStyle};

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
    let Some(root) = document.root() else {
        // Helm reads an empty file as no values; an empty export is almost always a mistake.
        let error = ReadError::Empty {
            comments_only: !document.comments().is_empty(),
        };
        sink.whole_file(Code::Empty, error.to_string(), error.hint());
        return;
    };
    let mut walker = Walker {
        document,
        sink,
        protected: Vec::new(),
    };
    walker.node(root, Role::Value { key: None });
    let mut protected = std::mem::take(&mut walker.protected);
    protected.sort_by_key(|r| r.start);
    walker.leading_tabs(&protected);
    duplicate_keys(document, sink);
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
}

impl<'d> Walker<'d, '_, '_> {
    fn node(&mut self, id: NodeId, role: Role<'d>) {
        let document = self.document;
        let node = document.node(id);
        let source = document.source();
        let multi_line = source[node.span.clone()].contains('\n');
        match &node.kind {
            NodeKind::Scalar { text, style } => {
                if multi_line {
                    self.protected.push(node.span.clone());
                }
                if *style == ScalarStyle::Plain && node.tag.is_none() {
                    self.yaml11_bool(id, text, role);
                    if let Role::Value { key: Some(key) } = role {
                        self.float_version(id, text, key);
                    }
                }
            }
            NodeKind::Mapping { style, entries } => {
                if *style == CollectionStyle::Flow {
                    self.protected.push(node.span.clone());
                }
                for entry in entries {
                    self.node(entry.key, Role::Key);
                    if *style == CollectionStyle::Block {
                        self.tab_after_indicator(
                            document.node(entry.key).span.end,
                            entry.value,
                            ':',
                        );
                    }
                    self.node(
                        entry.value,
                        Role::Value {
                            key: Some(&entry.key_text),
                        },
                    );
                }
            }
            NodeKind::Sequence { style, items } => {
                if *style == CollectionStyle::Flow {
                    self.protected.push(node.span.clone());
                }
                for &item in items {
                    if *style == CollectionStyle::Block {
                        let start = document.node(item).span.start;
                        let before = source[..start].trim_end_matches([' ', '\t']);
                        if before.ends_with('-') {
                            self.tab_after_indicator(before.len() - 1, item, '-');
                        }
                    }
                    self.node(item, role);
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

    fn yaml11_bool(&mut self, id: NodeId, text: &str, role: Role<'_>) {
        let Some(&(_, meaning)) = YAML11_BOOLS.iter().find(|(spelling, _)| *spelling == text)
        else {
            return;
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
    }

    fn float_version(&mut self, id: NodeId, text: &str, key: &str) {
        if !is_version_key(key) {
            return;
        }
        let Some(number) = helm_number(text) else {
            return;
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
            return;
        };
        self.sink.at(
            Code::FloatVersion,
            self.document.node_location(id),
            message,
            Some(format!("quote it: {key}: \"{text}\"")),
        );
    }
}

/// Whether a key names a version or an image tag: one of its words (split at camelCase, `_`,
/// `-` and `.`) is `tag`, `tags`, `version` or `versions` (`imageTag`, `appVersion`,
/// `chart_version`), so `stage` or `percentage` are not.
pub(super) fn is_version_key(key: &str) -> bool {
    words(key)
        .iter()
        .any(|w| matches!(w.as_str(), "tag" | "tags" | "version" | "versions"))
}

fn words(key: &str) -> Vec<String> {
    let chars: Vec<char> = key.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        let boundary = c.is_uppercase()
            && prev.is_some_and(|p| {
                p.is_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_uppercase() && next.is_some_and(char::is_lowercase))
            });
        if boundary && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// The number go-yaml v2 reads a plain scalar as, if any: integers in Go's base-0 notation
/// (`0755` is octal, `0x1F` hex, `_` ignored), then floats of the form
/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`.
pub(super) fn helm_number(text: &str) -> Option<f64> {
    let plain: String = text.chars().filter(|&c| c != '_').collect();
    let (negative, digits) = match plain.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, plain.strip_prefix('+').unwrap_or(&plain)),
    };
    if digits.is_empty() {
        return None;
    }
    let integer = if let Some(hex) = digits.strip_prefix("0x").or(digits.strip_prefix("0X")) {
        u64::from_str_radix(hex, 16).ok()
    } else if let Some(octal) = digits.strip_prefix("0o").or(digits.strip_prefix("0O")) {
        u64::from_str_radix(octal, 8).ok()
    } else if let Some(binary) = digits.strip_prefix("0b").or(digits.strip_prefix("0B")) {
        u64::from_str_radix(binary, 2).ok()
    } else if digits.len() > 1 && digits.starts_with('0') {
        u64::from_str_radix(&digits[1..], 8).ok()
    } else if digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse::<u64>().ok()
    } else {
        None
    };
    if let Some(value) = integer {
        let value = value as f64;
        return Some(if negative { -value } else { value });
    }
    if is_yaml_style_float(&plain) {
        return plain.parse::<f64>().ok();
    }
    None
}

fn is_yaml_style_float(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'-' | b'+')));
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// How a Go template prints a float64 (`%v`, that is `%g` with the shortest digits): plain
/// decimals for exponents from -4 to 5, else `d.ddde+XX`.
pub(super) fn go_print(value: f64) -> String {
    if value == 0.0 {
        return "0".to_owned();
    }
    if !value.is_finite() {
        return if value.is_nan() {
            "NaN".to_owned()
        } else if value > 0.0 {
            "+Inf".to_owned()
        } else {
            "-Inf".to_owned()
        };
    }
    // Rust's `{:e}` gives the shortest digits that read back exactly, as Go's does.
    let scientific = format!("{:e}", value.abs());
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if value < 0.0 { "-" } else { "" };
    if !(-4..6).contains(&exponent) {
        let (first, rest) = digits.split_at(1);
        let fraction = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let exp_sign = if exponent < 0 { '-' } else { '+' };
        return format!("{sign}{first}{fraction}e{exp_sign}{:02}", exponent.abs());
    }
    let point = exponent + 1;
    let text = if point <= 0 {
        format!("0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
    } else {
        let point = point as usize;
        if digits.len() <= point {
            format!("{digits}{}", "0".repeat(point - digits.len()))
        } else {
            format!("{}.{}", &digits[..point], &digits[point..])
        }
    };
    format!("{sign}{text}")
}
