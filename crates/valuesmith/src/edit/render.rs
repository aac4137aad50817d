//! Rendering new YAML text in the style of the document it goes into.
//!
//! New scalars are plain when every YAML reader (1.1, which Helm uses, and 1.2) reads them
//! back as the same string, and quoted otherwise; new collections follow the document's
//! indentation step and sequence style.

use crate::document::ScalarStyle;
use crate::value::{format_float, resolve_plain, yaml11_reads_as_non_string, Value};

/// Layout choices taken from the document being edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Spaces per nesting level.
    pub step: usize,
    /// Whether a sequence under a key starts at the key's column (`key:\n- a`).
    pub indentless: bool,
    /// The line break.
    pub eol: &'static str,
}

impl Default for Layout {
    fn default() -> Self {
        Self {
            step: 2,
            indentless: false,
            eol: "\n",
        }
    }
}

/// A subtree to write: a value, or text moved from elsewhere in the document.
#[derive(Debug, Clone)]
pub enum Tree {
    /// A value rendered afresh.
    Value(Value),
    /// A mapping whose entries are trees (used to create missing parents of a moved value).
    Map(Vec<(String, Tree)>),
    /// Source text carried over by a move.
    Moved(Fragment),
}

/// A value's source text with its comments, cut from one place to be put in another.
#[derive(Debug, Clone)]
pub struct Fragment {
    /// Comment lines that stood directly above the key, without their indentation.
    pub above: Vec<String>,
    /// What followed `key:` on the key's line (value, block header, trailing comment),
    /// including the leading space; empty when the value starts on the next line.
    pub key_line_rest: String,
    /// The value's lines after the key line, with the key's column removed from each.
    pub lines: Vec<String>,
    /// The value the text stands for.
    pub value: Value,
}

/// Whether `text` can be written as a plain scalar: every YAML 1.1 and 1.2 reader reads it
/// back as this same string. `flow` adds the restrictions of `[...]` and `{...}`.
pub fn is_plain_safe(text: &str, flow: bool) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    if text.starts_with(char::is_whitespace)
        || text.ends_with(char::is_whitespace)
        || text.ends_with(':')
        || text.contains(": ")
        || text.contains(" #")
        || text.chars().any(|c| c.is_control() || c == '\u{feff}')
        || text.starts_with("---")
        || text.starts_with("...")
    {
        return false;
    }
    // In brackets Helm's parser (go-yaml v2) also ends a plain value at `?` and takes a
    // leading `:` for an indicator (docs/helm-semantics.md).
    if flow && (text.contains([',', '[', ']', '{', '}', '?']) || text.starts_with(':')) {
        return false;
    }
    let second = text[first.len_utf8()..].chars().next();
    match first {
        '-' | '?' | ':'
            if second.is_none_or(|c| c.is_whitespace() || (flow && ",[]{}".contains(c))) =>
        {
            return false;
        }
        ',' | '[' | ']' | '{' | '}' | '#' | '&' | '*' | '!' | '|' | '>' | '\'' | '"' | '%'
        | '@' | '`' => return false,
        _ => {}
    }
    // Plain only where every reader takes it for a string: YAML 1.2, YAML 1.1 in general and
    // Helm (go-yaml v2) in particular.
    matches!(resolve_plain(text), Value::String(_))
        && !yaml11_reads_as_non_string(text)
        && crate::value::helm::reads_as_string(text)
}

/// Whether `text` is a dotted number with two or more dots (`4.5.0`, `2025.05.00`). Only the
/// YAML 1.1 specification's float pattern matches these; PyYAML, libyaml and go-yaml (Helm)
/// read them as strings. A new one is quoted to be safe, but one that replaces a plain one
/// stays plain, as the user's file already writes them.
pub fn is_multi_dot_version(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    parts.len() >= 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// A string in double quotes with JSON escapes (valid YAML).
pub fn double_quoted(text: &str) -> String {
    // Serialized as it is: a `serde_json::Value` around it would first copy it.
    serde_json::to_string(text).unwrap_or_default()
}

/// A string in single quotes, when it can be one (no line breaks or control characters).
pub fn single_quoted(text: &str) -> Option<String> {
    if text.chars().any(|c| c.is_control()) {
        return None;
    }
    Some(format!("'{}'", text.replace('\'', "''")))
}

/// A one-line scalar. A string keeps `like`'s quoting style when it has one, and is quoted
/// only when a plain scalar would read as something else.
pub fn scalar(value: &Value, like: Option<ScalarStyle>, flow: bool) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => format_float(*f),
        Value::String(s) => match like {
            Some(ScalarStyle::SingleQuoted) => single_quoted(s).unwrap_or_else(|| double_quoted(s)),
            Some(ScalarStyle::DoubleQuoted) => double_quoted(s),
            _ if is_plain_safe(s, flow) => s.clone(),
            _ => double_quoted(s),
        },
        Value::Sequence(_) | Value::Mapping(_) => flow_value(value),
    }
}

/// A mapping key.
pub fn key(text: &str) -> String {
    if is_plain_safe(text, false) && !text.contains(':') {
        text.to_owned()
    } else {
        double_quoted(text)
    }
}

/// A value in flow style (`{a: 1, b: [x, y]}`).
pub fn flow_value(value: &Value) -> String {
    match value {
        Value::Sequence(items) => {
            let inner: Vec<String> = items.iter().map(flow_value).collect();
            format!("[{}]", inner.join(", "))
        }
        Value::Mapping(m) => {
            let inner: Vec<String> = m
                .iter()
                .map(|(k, v)| {
                    let k = if is_plain_safe(k, true) && !k.contains(':') {
                        k.clone()
                    } else {
                        double_quoted(k)
                    };
                    format!("{k}: {}", flow_value(v))
                })
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
        _ => scalar(value, None, true),
    }
}

/// Whether a value is written on the line of its key (a scalar or an empty collection).
pub fn is_inline(value: &Value) -> bool {
    match value {
        Value::Sequence(items) => items.is_empty(),
        Value::Mapping(m) => m.is_empty(),
        Value::String(s) => literal_block(s).is_none(),
        _ => true,
    }
}

/// The chomping indicator and lines of a multi-line string as a literal block, or `None` when
/// a literal block cannot hold it exactly (leading spaces on the first line, trailing
/// spaces on the last, control characters).
fn literal_block(text: &str) -> Option<(&'static str, Vec<&str>)> {
    if !text.contains('\n') || text.chars().any(|c| c.is_control() && c != '\n') {
        return None;
    }
    if text.starts_with([' ', '\n']) {
        return None;
    }
    let body = text.trim_end_matches('\n');
    let chomp = match text.len() - body.len() {
        0 => "-",
        1 => "",
        _ => "+",
    };
    if chomp == "+" || body.lines().any(|line| line.ends_with(' ')) {
        return None;
    }
    Some((chomp, body.split('\n').collect()))
}

impl Layout {
    fn spaces(n: usize) -> String {
        " ".repeat(n)
    }

    /// The text after `key:` for a value whose key stands at column `col`: ` 1`, ` {}`, or a
    /// line break and the nested lines.
    pub fn after_key(&self, tree: &Tree, col: usize) -> String {
        match tree {
            Tree::Value(value) => self.after_key_value(value, col),
            Tree::Map(entries) if entries.is_empty() => " {}".to_owned(),
            Tree::Map(entries) => {
                let mut out = String::new();
                for (k, v) in entries {
                    out.push_str(self.eol);
                    out.push_str(&self.entry(k, v, col + self.step));
                }
                out
            }
            Tree::Moved(fragment) => {
                let mut out = fragment.key_line_rest.clone();
                for line in &fragment.lines {
                    out.push_str(self.eol);
                    if !line.is_empty() {
                        out.push_str(&Self::spaces(col));
                        out.push_str(line);
                    }
                }
                out
            }
        }
    }

    fn after_key_value(&self, value: &Value, col: usize) -> String {
        match value {
            Value::Mapping(m) if !m.is_empty() => {
                format!("{}{}", self.eol, self.mapping_lines(value, col + self.step))
            }
            Value::Sequence(items) if !items.is_empty() => {
                let dash = if self.indentless {
                    col
                } else {
                    col + self.step
                };
                format!("{}{}", self.eol, self.sequence_lines(items, dash))
            }
            Value::String(s) if s.contains('\n') => match literal_block(s) {
                Some((chomp, lines)) => {
                    let indent = Self::spaces(col + self.step);
                    let mut out = format!(" |{chomp}");
                    for line in lines {
                        out.push_str(self.eol);
                        if !line.is_empty() {
                            out.push_str(&indent);
                            out.push_str(line);
                        }
                    }
                    out
                }
                None => format!(" {}", double_quoted(s)),
            },
            _ => format!(" {}", scalar(value, None, false)),
        }
    }

    /// One `key: value` entry at column `col`, with any moved comments above it (no trailing
    /// line break).
    pub fn entry(&self, key_text: &str, tree: &Tree, col: usize) -> String {
        let mut out = String::new();
        if let Tree::Moved(fragment) = tree {
            for comment in &fragment.above {
                out.push_str(&Self::spaces(col));
                out.push_str(comment);
                out.push_str(self.eol);
            }
        }
        out.push_str(&Self::spaces(col));
        out.push_str(&key(key_text));
        out.push(':');
        out.push_str(&self.after_key(tree, col));
        out
    }

    /// The lines of a non-empty block mapping at column `col` (no trailing line break).
    pub fn mapping_lines(&self, value: &Value, col: usize) -> String {
        let Value::Mapping(m) = value else {
            return String::new();
        };
        m.iter()
            .map(|(k, v)| self.entry(k, &Tree::Value(v.clone()), col))
            .collect::<Vec<_>>()
            .join(self.eol)
    }

    /// The lines of a non-empty block sequence with its dashes at column `col`.
    pub fn sequence_lines(&self, items: &[Value], col: usize) -> String {
        items
            .iter()
            .map(|item| format!("{}-{}", Self::spaces(col), self.after_dash(item, col)))
            .collect::<Vec<_>>()
            .join(self.eol)
    }

    /// The text after `-` for an item whose dash is at column `col`.
    pub fn after_dash(&self, item: &Value, col: usize) -> String {
        match item {
            Value::Mapping(m) if !m.is_empty() => {
                format!(" {}", self.mapping_lines(item, col + 2).trim_start())
            }
            Value::Sequence(items) if !items.is_empty() => {
                format!(" {}", self.sequence_lines(items, col + 2).trim_start())
            }
            // A multi-line string under a dash: indent as if the dash were a key.
            Value::String(s) if s.contains('\n') => self.after_key_value(item, col),
            _ => format!(" {}", scalar(item, None, false)),
        }
    }

    /// A block value whose first line continues a line at column `col` (the start of the
    /// value being replaced): the nested lines are indented to `col`.
    pub fn compact(&self, value: &Value, col: usize) -> String {
        match value {
            Value::Mapping(m) if !m.is_empty() => {
                self.mapping_lines(value, col).trim_start().to_owned()
            }
            Value::Sequence(items) if !items.is_empty() => {
                self.sequence_lines(items, col).trim_start().to_owned()
            }
            _ => scalar(value, None, false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Value {
        Value::String(text.to_owned())
    }

    #[test]
    fn new_strings_are_quoted_when_any_yaml_reads_them_otherwise() {
        for (text, expected) in [
            ("on", "\"on\""),
            ("yes", "\"yes\""),
            ("n", "\"n\""),
            ("~", "\"~\""),
            ("null", "\"null\""),
            ("1.10", "\"1.10\""),
            ("0755", "\"0755\""),
            ("1e3", "\"1e3\""),
            ("2025.05.00", "\"2025.05.00\""),
            ("", "\"\""),
            ("{{ .Values.x }}", "\"{{ .Values.x }}\""),
            ("a: b", "\"a: b\""),
            ("plain text", "plain text"),
            ("v1.2.3", "v1.2.3"),
            ("cluedin-redis-master", "cluedin-redis-master"),
            ("6Gi", "6Gi"),
        ] {
            assert_eq!(scalar(&s(text), None, false), expected, "{text}");
        }
    }

    #[test]
    fn quoting_style_is_kept() {
        assert_eq!(
            scalar(&s("x'y"), Some(ScalarStyle::SingleQuoted), false),
            "'x''y'"
        );
        assert_eq!(
            scalar(&s("x"), Some(ScalarStyle::DoubleQuoted), false),
            "\"x\""
        );
        assert_eq!(
            scalar(&Value::Int(3), Some(ScalarStyle::DoubleQuoted), false),
            "3"
        );
    }

    #[test]
    fn block_rendering() {
        let layout = Layout::default();
        let value: Value = Value::from_json(&serde_json::json!({
            "image": {"tag": "2025.05.00"},
            "packages": [{"name": "A", "version": "1.0"}, "x"],
            "empty": {},
            "script": "line1\nline2\n"
        }));
        assert_eq!(
            layout.mapping_lines(&value, 2),
            "  image:\n    tag: \"2025.05.00\"\n  packages:\n    - name: A\n      version: \"1.0\"\n    - x\n  empty: {}\n  script: |\n    line1\n    line2"
        );
        let indentless = Layout {
            indentless: true,
            ..Layout::default()
        };
        assert_eq!(
            indentless.after_key(
                &Tree::Value(value.as_mapping().unwrap().get("packages").unwrap().clone()),
                0
            ),
            "\n- name: A\n  version: \"1.0\"\n- x"
        );
    }
}
