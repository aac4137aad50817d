//! Paths into a values document: one syntax for CLI arguments, catalogs, reports and JSON.
//!
//! `global.image.tag`, `podAnnotations."prometheus.io/port"`, `args[0]`,
//! `packages[name=CluedIn.Connector.Http].version`. Keys that would be ambiguous are written in
//! double quotes with JSON escapes; printing a path and parsing it back gives the same path for
//! every key YAML allows. This module also owns *identity detection*: which key matches the
//! items of a sequence of mappings across two versions of a document.

use std::fmt;

use crate::value::Value;

/// One step of a [`Path`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Segment {
    /// A mapping key.
    Key(String),
    /// A sequence item by position (zero-based).
    Index(usize),
    /// A sequence item by identity: the item whose `key` has the scalar text `value`.
    Identity {
        /// The identity key, such as `name`.
        key: String,
        /// The identity value, such as `CluedIn.Connector.Http`.
        value: String,
    },
}

/// A path from the document root to a node. The empty path is the whole document.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Path {
    segments: Vec<Segment>,
}

/// Why a path did not parse, with the byte offset in the path text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid path `{text}` at character {}: {reason}", .offset + 1)]
#[non_exhaustive]
pub struct PathError {
    /// The path text.
    pub text: String,
    /// Byte offset of the problem.
    pub offset: usize,
    /// What is wrong.
    pub reason: String,
}

impl Path {
    /// The empty path (the whole document).
    pub fn root() -> Self {
        Self::default()
    }

    /// A path of the given segments.
    pub fn from_segments(segments: Vec<Segment>) -> Self {
        Self { segments }
    }

    /// Parses the path syntax.
    pub fn parse(text: &str) -> Result<Self, PathError> {
        Parser { text, pos: 0 }.parse()
    }

    /// The segments, root first.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// Whether this is the root path.
    pub fn is_root(&self) -> bool {
        self.segments.is_empty()
    }

    /// This path with `segment` appended.
    pub fn child(&self, segment: Segment) -> Path {
        let mut segments = self.segments.clone();
        segments.push(segment);
        Path { segments }
    }

    /// This path with a key appended.
    pub fn key(&self, key: impl Into<String>) -> Path {
        self.child(Segment::Key(key.into()))
    }

    /// This path with a position appended.
    pub fn index(&self, index: usize) -> Path {
        self.child(Segment::Index(index))
    }

    /// The parent path and the last segment; `None` for the root.
    pub fn split_last(&self) -> Option<(Path, &Segment)> {
        let (last, rest) = self.segments.split_last()?;
        Some((Path::from_segments(rest.to_vec()), last))
    }

    /// The last segment.
    pub fn last(&self) -> Option<&Segment> {
        self.segments.last()
    }

    /// Whether `self` is `other` or lies below it.
    pub fn starts_with(&self, other: &Path) -> bool {
        self.segments.starts_with(&other.segments)
    }

    /// The number of segments.
    pub fn len(&self) -> usize {
        self.segments.len()
    }

    /// Whether the path has no segments (same as [`Path::is_root`]).
    pub fn is_empty(&self) -> bool {
        self.segments.is_empty()
    }

    /// The JSON form of the segments (§8): a string for a key, a number for a position, a
    /// one-entry object for an identity.
    pub fn segments_json(&self) -> serde_json::Value {
        serde_json::Value::Array(
            self.segments
                .iter()
                .map(|segment| match segment {
                    Segment::Key(k) => serde_json::Value::String(k.clone()),
                    Segment::Index(i) => serde_json::Value::from(*i),
                    Segment::Identity { key, value } => {
                        let mut object = serde_json::Map::new();
                        object.insert(key.clone(), serde_json::Value::String(value.clone()));
                        serde_json::Value::Object(object)
                    }
                })
                .collect(),
        )
    }
}

impl std::str::FromStr for Path {
    type Err = PathError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Path::parse(s)
    }
}

impl FromIterator<Segment> for Path {
    fn from_iter<I: IntoIterator<Item = Segment>>(iter: I) -> Self {
        Path::from_segments(iter.into_iter().collect())
    }
}

/// The path of a walk over a document, its keys borrowed from the document: pushed and
/// popped as the walk goes down and up, and made a [`Path`] only where one is reported. A
/// walk that built a `Path` per node spent a tenth of a validate copying them
/// (docs/performance.md).
#[derive(Debug, Default)]
pub(crate) struct WalkPath<'a> {
    steps: Vec<WalkStep<'a>>,
}

#[derive(Debug, Clone, Copy)]
enum WalkStep<'a> {
    Key(&'a str),
    Index(usize),
}

impl<'a> WalkPath<'a> {
    /// Goes down into the value of `key`.
    pub(crate) fn push_key(&mut self, key: &'a str) {
        self.steps.push(WalkStep::Key(key));
    }

    /// Goes down into the item at `index`.
    pub(crate) fn push_index(&mut self, index: usize) {
        self.steps.push(WalkStep::Index(index));
    }

    /// Goes back up one step.
    pub(crate) fn pop(&mut self) {
        self.steps.pop();
    }

    /// The path walked so far.
    pub(crate) fn to_path(&self) -> Path {
        self.steps
            .iter()
            .map(|step| match step {
                WalkStep::Key(key) => Segment::Key((*key).to_owned()),
                WalkStep::Index(index) => Segment::Index(*index),
            })
            .collect()
    }
}

fn key_needs_quotes(key: &str) -> bool {
    key.is_empty()
        || key.chars().any(|c| {
            matches!(c, '.' | '[' | ']' | '"' | '=') || c.is_whitespace() || c.is_control()
        })
}

fn identity_value_needs_quotes(value: &str) -> bool {
    value.is_empty()
        || value.starts_with(char::is_whitespace)
        || value.ends_with(char::is_whitespace)
        || value
            .chars()
            .any(|c| matches!(c, ']' | '"') || c.is_control())
}

fn write_quoted(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    // JSON escapes, as promised by the path syntax.
    write!(f, "{}", serde_json::Value::String(text.to_owned()))
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Segment::Key(key) if key_needs_quotes(key) => write_quoted(f, key),
            Segment::Key(key) => f.write_str(key),
            Segment::Index(i) => write!(f, "[{i}]"),
            Segment::Identity { key, value } => {
                f.write_str("[")?;
                if key_needs_quotes(key) {
                    write_quoted(f, key)?;
                } else {
                    f.write_str(key)?;
                }
                f.write_str("=")?;
                if identity_value_needs_quotes(value) {
                    write_quoted(f, value)?;
                } else {
                    f.write_str(value)?;
                }
                f.write_str("]")
            }
        }
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.segments.iter().enumerate() {
            if i > 0 && matches!(segment, Segment::Key(_)) {
                f.write_str(".")?;
            }
            fmt::Display::fmt(segment, f)?;
        }
        Ok(())
    }
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn error(&self, offset: usize, reason: impl Into<String>) -> PathError {
        PathError {
            text: self.text.to_owned(),
            offset,
            reason: reason.into(),
        }
    }

    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn parse(mut self) -> Result<Path, PathError> {
        let mut segments = Vec::new();
        if self.text.is_empty() {
            return Ok(Path { segments });
        }
        let mut expect_key = true;
        loop {
            match self.peek() {
                None => {
                    if expect_key {
                        return Err(self.error(self.pos, "expected a key after `.`"));
                    }
                    return Ok(Path { segments });
                }
                Some('[') => {
                    if expect_key && !segments.is_empty() {
                        return Err(self.error(self.pos, "expected a key after `.`"));
                    }
                    segments.push(self.bracket()?);
                    expect_key = false;
                }
                Some('.') if !expect_key => {
                    self.pos += 1;
                    expect_key = true;
                }
                Some(_) if expect_key => {
                    segments.push(Segment::Key(self.key()?));
                    expect_key = false;
                }
                Some(c) => {
                    return Err(self.error(self.pos, format!("expected `.` or `[`, found `{c}`")))
                }
            }
        }
    }

    /// A bare key runs to the next `.` or `[`; a quoted key is a JSON string.
    fn key(&mut self) -> Result<String, PathError> {
        if self.peek() == Some('"') {
            return self.quoted();
        }
        let start = self.pos;
        while let Some(c) = self.peek() {
            if matches!(c, '.' | '[') {
                break;
            }
            if matches!(c, ']' | '"' | '=') || c.is_whitespace() {
                return Err(self.error(
                    self.pos,
                    format!("`{c}` in a key: write the key in double quotes"),
                ));
            }
            self.pos += c.len_utf8();
        }
        if self.pos == start {
            return Err(self.error(start, "empty key: write it as \"\""));
        }
        Ok(self.text[start..self.pos].to_owned())
    }

    fn quoted(&mut self) -> Result<String, PathError> {
        let start = self.pos;
        let bytes = self.text.as_bytes();
        let mut i = start + 1;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => i += 2,
                b'"' => {
                    let literal = &self.text[start..=i];
                    let value: String = serde_json::from_str(literal)
                        .map_err(|e| self.error(start, format!("bad quoted key: {e}")))?;
                    self.pos = i + 1;
                    return Ok(value);
                }
                _ => i += 1,
            }
        }
        Err(self.error(start, "unterminated quoted key"))
    }

    fn bracket(&mut self) -> Result<Segment, PathError> {
        let open = self.pos;
        self.pos += 1;
        let digits_start = self.pos;
        while matches!(self.peek(), Some(c) if c.is_ascii_digit()) {
            self.pos += 1;
        }
        if self.pos > digits_start && self.peek() == Some(']') {
            let index = self.text[digits_start..self.pos]
                .parse()
                .map_err(|_| self.error(digits_start, "position too large"))?;
            self.pos += 1;
            return Ok(Segment::Index(index));
        }
        self.pos = digits_start;
        let key = if self.peek() == Some('"') {
            self.quoted()?
        } else {
            let start = self.pos;
            while let Some(c) = self.peek() {
                if matches!(c, '=' | ']') {
                    break;
                }
                self.pos += c.len_utf8();
            }
            if self.pos == start && self.peek() == Some('=') {
                return Err(self.error(open + 1, "empty identity key: write it as \"\""));
            }
            self.text[start..self.pos].to_owned()
        };
        if self.peek() != Some('=') {
            return Err(self.error(
                open,
                "expected `[N]` or `[key=value]` (a position or an identity)",
            ));
        }
        self.pos += 1;
        let value = if self.peek() == Some('"') {
            self.quoted()?
        } else {
            let start = self.pos;
            while let Some(c) = self.peek() {
                if c == ']' {
                    break;
                }
                self.pos += c.len_utf8();
            }
            self.text[start..self.pos].to_owned()
        };
        if self.peek() != Some(']') {
            return Err(self.error(open, "unterminated `[`"));
        }
        self.pos += 1;
        Ok(Segment::Identity { key, value })
    }
}

/// The identity keys tried on every sequence of mappings, in order.
pub const DEFAULT_IDENTITY_KEYS: &[&str] = &["name", "id", "key"];

/// The identity keys to try on a sequence, in order: `extra` (a catalog's `identity_keys`,
/// `--identity`) then [`DEFAULT_IDENTITY_KEYS`], each once.
pub fn identity_candidates(extra: &[String]) -> impl Iterator<Item = &str> {
    let mut tried = std::collections::HashSet::new();
    extra
        .iter()
        .map(String::as_str)
        .chain(DEFAULT_IDENTITY_KEYS.iter().copied())
        .filter(move |key| tried.insert(*key))
}

/// Whether `key` identifies `items`: a non-empty sequence of mappings that all hold a scalar
/// under `key`, no two with the same text.
fn identifies(items: &[Value], key: &str) -> bool {
    let mut seen = std::collections::HashSet::new();
    !items.is_empty()
        && items
            .iter()
            .all(|item| identity_of(item, key).is_some_and(|text| seen.insert(text)))
}

/// The identity key of a sequence: the first of [`identity_candidates`] that every item (all
/// mappings) has, with scalar values unique across the sequence. `None` for a sequence that
/// must be matched by position.
pub fn identity_key<'a>(items: &[Value], extra: &'a [String]) -> Option<&'a str> {
    identity_candidates(extra).find(|key| identifies(items, key))
}

/// The identity key several sequences share: the first of [`identity_candidates`] that
/// identifies each non-empty one on its own (§3 of docs/paths.md). `None` when all are empty
/// or no key fits them all.
pub fn shared_identity_key<'a>(lists: &[&[Value]], extra: &'a [String]) -> Option<&'a str> {
    if lists.iter().all(|items| items.is_empty()) {
        return None;
    }
    identity_candidates(extra).find(|key| {
        lists
            .iter()
            .all(|items| items.is_empty() || identifies(items, key))
    })
}

/// The identity text of `item` under `key`: the text of the scalar it holds there.
pub fn identity_of(item: &Value, key: &str) -> Option<String> {
    item.as_mapping()?.get(key).and_then(Value::scalar_text)
}

/// Whether `item` is the one the identity segment `[key=value]` names: a mapping whose `key`
/// holds a scalar written `value`.
pub fn item_has_identity(item: &Value, key: &str, value: &str) -> bool {
    identity_of(item, key).is_some_and(|text| text == value)
}

/// The identity segment naming `item` (an item to insert): the first of
/// [`DEFAULT_IDENTITY_KEYS`] it holds a scalar under, and that every item of `siblings` holds
/// too, when given.
pub fn identity_segment(item: &Value, siblings: Option<&[Value]>) -> Option<Segment> {
    DEFAULT_IDENTITY_KEYS.iter().find_map(|key| {
        let id = identity_of(item, key)?;
        let all_have = siblings
            .is_none_or(|items| items.iter().all(|other| identity_of(other, key).is_some()));
        all_have.then(|| Segment::Identity {
            key: (*key).to_owned(),
            value: id,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn round_trip(text: &str) {
        let path = Path::parse(text).unwrap();
        assert_eq!(path.to_string(), text);
    }

    #[test]
    fn examples_round_trip() {
        for text in [
            "",
            "global.image.tag",
            "podAnnotations.\"prometheus.io/port\"",
            "\"grafana.ini\".server",
            "args[0]",
            "packages[name=CluedIn.Connector.Http].version",
            "env[name=\"A]B\"]",
            "a.\"\".b",
            "[0][1].x",
            "x.\"a b\"",
            "x[name=\" lead\"]",
        ] {
            round_trip(text);
        }
    }

    #[test]
    fn segments() {
        let path = Path::parse("a.\"b.c\"[2][name=x y].d").unwrap();
        assert_eq!(
            path.segments(),
            &[
                Segment::Key("a".into()),
                Segment::Key("b.c".into()),
                Segment::Index(2),
                Segment::Identity {
                    key: "name".into(),
                    value: "x y".into()
                },
                Segment::Key("d".into()),
            ]
        );
    }

    #[test]
    fn errors() {
        for (text, offset) in [
            ("a..b", 2),
            ("a.", 2),
            ("a b", 1),
            ("a[", 1),
            ("a[x]", 1),
            ("\"abc", 0),
            ("a.[0]", 2),
        ] {
            let err = Path::parse(text).unwrap_err();
            assert_eq!(err.offset, offset, "{text}: {err}");
        }
    }

    #[test]
    fn identity_detection() {
        let items = |pairs: &[(&str, &str)]| -> Vec<Value> {
            pairs
                .iter()
                .map(|(k, v)| {
                    Value::Mapping(
                        [(k.to_string(), Value::String(v.to_string()))]
                            .into_iter()
                            .collect(),
                    )
                })
                .collect()
        };
        assert_eq!(
            identity_key(&items(&[("name", "a"), ("name", "b")]), &[]),
            Some("name")
        );
        assert_eq!(
            identity_key(&items(&[("name", "a"), ("name", "a")]), &[]),
            None
        );
        assert_eq!(
            identity_key(&items(&[("id", "a"), ("name", "b")]), &[]),
            None
        );
        let extra = vec!["port".to_string()];
        assert_eq!(
            identity_key(&items(&[("port", "1"), ("port", "2")]), &extra),
            Some("port")
        );
    }

    /// The one identity rule: which item `[key=value]` names, the key several lists share,
    /// the segment an inserted item is named by.
    #[test]
    fn identity_rule() {
        let item = |pairs: &[(&str, Value)]| -> Value {
            Value::Mapping(
                pairs
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.clone()))
                    .collect(),
            )
        };
        let s = |t: &str| Value::String(t.to_owned());
        let a = item(&[("name", s("a")), ("port", Value::Int(80))]);
        assert!(item_has_identity(&a, "name", "a"));
        assert!(item_has_identity(&a, "port", "80"));
        assert!(!item_has_identity(&a, "name", "b"));
        assert!(!item_has_identity(&s("a"), "name", "a"));
        let nested = item(&[("name", item(&[("x", s("a"))]))]);
        assert!(!item_has_identity(&nested, "name", "a"));
        assert_eq!(identity_of(&nested, "name"), None);

        let extra = vec!["name".to_owned(), "port".to_owned()];
        let tried: Vec<&str> = identity_candidates(&extra).collect();
        assert_eq!(tried, ["name", "port", "id", "key"]);

        let b = item(&[("name", s("b")), ("id", s("1"))]);
        let c = item(&[("id", s("2"))]);
        let first = [a.clone(), b.clone()];
        let second = [b.clone()];
        assert_eq!(
            shared_identity_key(&[&first, &second, &[]], &[]),
            Some("name")
        );
        assert_eq!(
            shared_identity_key(&[&first, std::slice::from_ref(&c)], &[]),
            None
        );
        assert_eq!(shared_identity_key(&[&[], &[]], &[]), None);
        let ids = vec!["id".to_owned()];
        assert_eq!(
            shared_identity_key(&[std::slice::from_ref(&b), std::slice::from_ref(&c)], &ids),
            Some("id")
        );

        assert_eq!(
            identity_segment(&b, None),
            Some(Segment::Identity {
                key: "name".into(),
                value: "b".into()
            })
        );
        assert_eq!(
            identity_segment(&b, Some(std::slice::from_ref(&c))),
            Some(Segment::Identity {
                key: "id".into(),
                value: "1".into()
            })
        );
        assert_eq!(identity_segment(&s("b"), None), None);
    }

    fn any_key() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-zA-Z0-9_/-]{1,8}",
            any::<String>(),
            "[ .\\[\\]\"=a\\\\]{0,6}",
        ]
    }

    fn any_segment() -> impl Strategy<Value = Segment> {
        prop_oneof![
            any_key().prop_map(Segment::Key),
            (0usize..1000).prop_map(Segment::Index),
            (any_key(), any::<String>()).prop_map(|(key, value)| Segment::Identity { key, value }),
        ]
    }

    proptest! {
        #[test]
        fn parse_print_round_trip(segments in proptest::collection::vec(any_segment(), 0..6)) {
            let path = Path::from_segments(segments);
            let printed = path.to_string();
            let parsed = Path::parse(&printed).unwrap();
            prop_assert_eq!(&parsed, &path);
            prop_assert_eq!(parsed.to_string(), printed);
        }
    }
}
