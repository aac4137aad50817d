//! `--ignore` patterns: a path in the usual syntax where a `*` segment stands for any one
//! segment.

use std::fmt;

use crate::path::{Path, PathError, Segment};

/// One step of a [`PathPattern`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PatternSegment {
    /// Exactly this segment.
    Exact(Segment),
    /// Any one segment: a key, a position or an identity (`*`, or `[*]` after a key).
    Any,
}

/// A path pattern for [`crate::diff::DiffOptions::ignore`]: `metadata.annotations`,
/// `*.image.tag`, `env[*].value`.
///
/// A bare `*` segment (`a.*.b`) or `[*]` matches any one segment; write `"*"` in quotes for a
/// key that is literally `*`. A pattern matches a path when it matches the path's first
/// segments, so ignoring `a.b` ignores everything below `a.b` too.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct PathPattern {
    segments: Vec<PatternSegment>,
}

impl PathPattern {
    /// Parses the pattern syntax (the path syntax plus `*` and `[*]`).
    pub fn parse(text: &str) -> Result<Self, PathError> {
        let mut segments = Vec::new();
        for token in tokens(text)? {
            let body = &text[token.clone()];
            if body == "*" || body == "[*]" {
                segments.push(PatternSegment::Any);
                continue;
            }
            // Each token is a one-segment path; parsing it alone keeps the path syntax (and
            // its error messages) in one place.
            let path = Path::parse(body).map_err(|err| PathError {
                text: text.to_owned(),
                offset: token.start + err.offset,
                reason: err.reason,
            })?;
            segments.extend(path.segments().iter().cloned().map(PatternSegment::Exact));
        }
        Ok(Self { segments })
    }

    /// A pattern that matches exactly `path` (and what lies below it).
    pub fn from_path(path: &Path) -> Self {
        Self {
            segments: path
                .segments()
                .iter()
                .cloned()
                .map(PatternSegment::Exact)
                .collect(),
        }
    }

    /// The segments, root first.
    pub fn segments(&self) -> &[PatternSegment] {
        &self.segments
    }

    /// The number of segments.
    pub fn len(&self) -> usize {
        self.segments.len()
    }

    /// Whether the pattern has no segments (it matches every path).
    pub fn is_empty(&self) -> bool {
        self.segments.is_empty()
    }

    /// Whether the pattern matches `segments` exactly (same length, each segment matching).
    pub fn matches_exactly(&self, segments: &[Segment]) -> bool {
        self.segments.len() == segments.len()
            && self
                .segments
                .iter()
                .zip(segments)
                .all(|(pattern, segment)| match pattern {
                    PatternSegment::Any => true,
                    PatternSegment::Exact(exact) => exact == segment,
                })
    }

    /// Whether `path` is matched: the pattern matches `path` or one of its ancestors.
    pub fn matches(&self, path: &Path) -> bool {
        let segments = path.segments();
        segments.len() >= self.segments.len()
            && self.matches_exactly(&segments[..self.segments.len()])
    }
}

impl std::str::FromStr for PathPattern {
    type Err = PathError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PathPattern::parse(s)
    }
}

impl fmt::Display for PathPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.segments.iter().enumerate() {
            match segment {
                PatternSegment::Any => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str("*")?;
                }
                PatternSegment::Exact(exact) => {
                    if i > 0 && matches!(exact, Segment::Key(_)) {
                        f.write_str(".")?;
                    }
                    // A key that is literally `*` must be quoted to stay a key.
                    match exact {
                        Segment::Key(key) if key == "*" => f.write_str("\"*\"")?,
                        other => write!(f, "{other}")?,
                    }
                }
            }
        }
        Ok(())
    }
}

/// Splits pattern text into one byte range per segment: a key (bare or quoted) or a bracket,
/// without the dots between them. Quotes are skipped over so `.` and `[` inside them do not
/// split.
fn tokens(text: &str) -> Result<Vec<std::ops::Range<usize>>, PathError> {
    let error = |offset: usize, reason: &str| PathError {
        text: text.to_owned(),
        offset,
        reason: reason.to_owned(),
    };
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    let mut expect_key = true;
    if text.is_empty() {
        return Ok(tokens);
    }
    while i < bytes.len() {
        let start = i;
        match bytes[i] {
            b'[' => {
                if expect_key && !tokens.is_empty() {
                    return Err(error(start, "expected a key after `.`"));
                }
                // A bracket runs to its `]`, skipping quoted parts.
                i += 1;
                loop {
                    match bytes.get(i) {
                        None => return Err(error(start, "unterminated `[`")),
                        Some(b'"') => {
                            i = skip_quoted(bytes, i)
                                .ok_or_else(|| error(i, "unterminated quoted key"))?
                        }
                        Some(b']') => {
                            i += 1;
                            break;
                        }
                        Some(_) => i += 1,
                    }
                }
                expect_key = false;
            }
            b'.' if !expect_key => {
                i += 1;
                expect_key = true;
                if i == bytes.len() {
                    return Err(error(i, "expected a key after `.`"));
                }
                continue;
            }
            _ if !expect_key => {
                return Err(error(start, "expected `.` or `[` between segments"));
            }
            b'"' => {
                i = skip_quoted(bytes, i).ok_or_else(|| error(i, "unterminated quoted key"))?;
                expect_key = false;
            }
            _ => {
                while i < bytes.len() && !matches!(bytes[i], b'.' | b'[') {
                    i += 1;
                }
                if i == start {
                    return Err(error(start, "expected a key after `.`"));
                }
                expect_key = false;
            }
        }
        tokens.push(start..i);
    }
    Ok(tokens)
}

/// The index just after the closing quote of the quoted text starting at `start`.
fn skip_quoted(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(text: &str) -> Path {
        Path::parse(text).unwrap()
    }

    #[test]
    fn stars_match_one_segment() {
        let pattern = PathPattern::parse("*.image.tag").unwrap();
        assert!(pattern.matches(&path("controller.image.tag")));
        assert!(pattern.matches(&path("controller.image.tag.deeper")));
        assert!(!pattern.matches(&path("controller.image")));
        assert!(!pattern.matches(&path("a.b.image.tag")));
        let items = PathPattern::parse("env[*].value").unwrap();
        assert!(items.matches(&path("env[3].value")));
        assert!(items.matches(&path("env[name=A].value")));
        assert!(!items.matches(&path("env[3].name")));
        let star_after_key = PathPattern::parse("env.*").unwrap();
        assert!(star_after_key.matches(&path("env[0]")));
    }

    #[test]
    fn quoted_star_is_a_key() {
        let pattern = PathPattern::parse("a.\"*\"").unwrap();
        assert!(pattern.matches(&path("a.\"*\"")));
        assert!(!pattern.matches(&path("a.b")));
        assert_eq!(pattern.to_string(), "a.\"*\"");
    }

    #[test]
    fn quoted_keys_and_identities_keep_their_dots() {
        let pattern = PathPattern::parse("podAnnotations.\"prometheus.io/port\"").unwrap();
        assert!(pattern.matches(&path("podAnnotations.\"prometheus.io/port\"")));
        let pattern = PathPattern::parse("env[name=\"a.b[c\"].value").unwrap();
        assert_eq!(pattern.len(), 3);
        assert!(pattern.matches(&path("env[name=\"a.b[c\"].value")));
    }

    #[test]
    fn display_round_trips() {
        for text in ["a.*.b", "*", "a[0].*", "env.*.value", "\"a.b\".*"] {
            let pattern = PathPattern::parse(text).unwrap();
            assert_eq!(PathPattern::parse(&pattern.to_string()).unwrap(), pattern);
        }
    }

    #[test]
    fn errors_point_into_the_whole_pattern() {
        for (text, offset) in [
            ("a..b", 2),
            ("a.", 2),
            ("a.b c", 3),
            ("a[", 1),
            ("\"x", 0),
            ("[0]x", 3),
            ("a.[0]", 2),
        ] {
            let err = PathPattern::parse(text).unwrap_err();
            assert_eq!(err.offset, offset, "{text}: {err}");
            assert_eq!(err.text, text);
        }
    }
}
