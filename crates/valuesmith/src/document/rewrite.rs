//! Forms Helm's parser (go-yaml v2) reads and YAML 1.2 refuses, read as Helm reads them: `[-]`
//! (`["-"]`), `[?a]` (`[{a: null}]`), `[!!str, b]` (`["b"]`, the tag running on over the `,`),
//! and a quoted scalar's continuation line that starts with a tab or is indented no deeper
//! than its key.
//!
//! The parser cannot be taught these forms, so when it refuses one in a Helm reading the
//! source is read again with the form written the YAML 1.2 way that means the same (`"-"`,
//! `? a`, `!!str%2C b`, spaces), and every offset of the result (spans, comments, anchors,
//! the locations of notes and errors) is mapped back through the rewrites into the source as
//! it is. The document keeps the source's bytes; only its reading comes from the rewritten
//! text. This runs only after a refusal, so a file without these forms pays nothing, and it
//! is bounded: each round answers one refusal further on, at most [`MAX_ROUNDS`] of them.
//!
//! A tab or indentation rewrite is kept only if it lands inside a quoted scalar of the
//! result: elsewhere go-yaml refuses the tab too, and so does the reading.

use super::{Builder, Document, DocumentKind, Limits, NodeKind, ReadError, ReadNote, Reading};
use super::{Location, ScalarStyle};
use crate::diagnostic::LineIndex;

/// How many refusals one read answers by rewriting before it gives the last one up.
pub(super) const MAX_ROUNDS: usize = 64;

/// Which form a rewrite writes the YAML 1.2 way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// `-` alone before `,`, `]` or `}`: `"-"`.
    Dash,
    /// `?` glued to an item of a flow sequence: `? `.
    KeyIndicator,
    /// `,`, `[` and `]` that go-yaml reads into a tag: percent-escaped, as a tag may hold them.
    TagRun,
    /// A tab that starts a quoted scalar's continuation line: a space.
    QuotedTab,
    /// A quoted scalar's continuation line indented no deeper than its key: more spaces.
    QuotedIndent,
}

impl Form {
    /// What the finding says of the form, and what to do about it.
    fn note(self) -> (&'static str, &'static str) {
        match self {
            Form::Dash => (
                "a lone `-` in brackets, which Helm reads as the string `-`",
                "quote it: `\"-\"`",
            ),
            Form::KeyIndicator => (
                "a `?` that starts an unquoted item in brackets, which Helm reads as a key \
                indicator: the item is a mapping (`[?a]` is `[{a: null}]`)",
                "write `{a: null}` for a mapping, or quote the item for a string",
            ),
            Form::TagRun => (
                "a tag followed by `,` in brackets: Helm reads the `,` into the tag and puts \
                the tag on the next item (`[!!str, b]` is `[\"b\"]`)",
                "put a space between the tag and the `,`, or drop the tag",
            ),
            Form::QuotedTab | Form::QuotedIndent => (
                "a quoted value's continuation line that starts with a tab or is not indented \
                past its key",
                "indent the line with spaces, deeper than its key, or keep the value on one line",
            ),
        }
    }

    fn verified(self) -> bool {
        matches!(self, Form::QuotedTab | Form::QuotedIndent)
    }
}

/// One rewrite, in the source's offsets: `remove` bytes at `at` become `insert`.
struct Rewrite {
    at: usize,
    remove: usize,
    insert: String,
    form: Form,
    /// The refusal it answers, in the source's positions (given back if it does not hold).
    refusal: ReadError,
}

/// Whether a Helm reading's `error` may be a form this module reads.
pub(super) fn answers(error: &ReadError) -> bool {
    match error {
        ReadError::HelmReadsOtherwise { .. } | ReadError::TabIndent { .. } => true,
        ReadError::Syntax { message, .. } => message == QUOTED_INDENT,
        _ => false,
    }
}

/// The parser's words for a quoted scalar's continuation line indented too little.
const QUOTED_INDENT: &str = "invalid indentation in multiline quoted scalar";

/// Reads `source` again after `first`, the refusal of its plain read, rewriting forms Helm
/// reads until it reads or refuses something else.
pub(super) fn read(
    source: &str,
    kind: DocumentKind,
    limits: Limits,
    reading: Reading,
    bom: bool,
    first: ReadError,
) -> Result<Document, ReadError> {
    let original = LineIndex::new(source);
    let mut rewrites: Vec<Rewrite> = Vec::new();
    let mut error = first;
    let mut text = source.to_owned();
    let mut lines = original.clone();
    let mut out_of_rounds = true;
    for _ in 0..MAX_ROUNDS {
        let Some((at, remove, replacement, form)) =
            next_rewrite(&rewrites, source, &text, &lines, &error)
        else {
            out_of_rounds = false;
            break;
        };
        let refusal = map_error(error.clone(), &rewrites, &text, &lines, source, &original);
        insert(
            &mut rewrites,
            Rewrite {
                at,
                remove,
                insert: replacement,
                form,
                refusal,
            },
        );
        text = apply(source, &rewrites);
        lines = LineIndex::new(&text);
        match Builder::new(&text, kind, limits, reading).build(bom) {
            Ok(mut document) => {
                document.restore(source, original, &rewrites);
                let failed = rewrites
                    .iter()
                    .find(|r| r.form.verified() && !document.in_quoted_scalar(r.at));
                if let Some(failed) = failed {
                    return Err(failed.refusal.clone());
                }
                return Ok(document);
            }
            Err(next) if answers(&next) => error = next,
            Err(next) => {
                let next = map_error(next, &rewrites, &text, &lines, source, &original);
                // A tab or indentation rewrite that leads to another refusal on its own line
                // (`\tkey: v` read as ` key: v`) was no quoted value's: its refusal stands.
                let line = original.line_of(at) + 1;
                if form.verified() && next.location().is_none_or(|l| l.line == line) {
                    if let Some(r) = rewrites.iter().find(|r| r.at == at && r.form == form) {
                        return Err(r.refusal.clone());
                    }
                }
                return Err(next);
            }
        }
    }
    let error = match error {
        ReadError::HelmReadsOtherwise { reason, location } if out_of_rounds => {
            ReadError::HelmReadsOtherwise {
                reason: format!(
                    "{reason}; valuesmith reads at most {MAX_ROUNDS} such forms in one file"
                ),
                location,
            }
        }
        other => other,
    };
    Err(map_error(
        error, &rewrites, &text, &lines, source, &original,
    ))
}

/// The rewrite that answers `error`, a refusal of `text` (the source with `rewrites`): the
/// source offset, how many source bytes it replaces, with what, and the form; `None` when it
/// answers none.
fn next_rewrite(
    rewrites: &[Rewrite],
    source: &str,
    text: &str,
    lines: &LineIndex,
    error: &ReadError,
) -> Option<(usize, usize, String, Form)> {
    let location = error.location()?;
    let offset = lines.offset(text, location);
    let bytes = text.as_bytes();
    let (offset, remove, insert, form) = match error {
        ReadError::HelmReadsOtherwise { .. } => match bytes.get(offset)? {
            b'-' => (offset, 1, "\"-\"".to_owned(), Form::Dash),
            b'?' => (offset, 1, "? ".to_owned(), Form::KeyIndicator),
            b',' => {
                let run = bytes[offset..]
                    .iter()
                    .take_while(|b| is_tag_byte(**b))
                    .count();
                let escaped = text[offset..offset + run]
                    .replace(',', "%2C")
                    .replace('[', "%5B")
                    .replace(']', "%5D");
                (offset, run, escaped, Form::TagRun)
            }
            _ => return None,
        },
        ReadError::TabIndent { .. } if bytes.get(offset) == Some(&b'\t') => {
            (offset, 1, " ".to_owned(), Form::QuotedTab)
        }
        ReadError::Syntax { .. } => {
            let line = lines.line_of(offset);
            let range = lines.line_range(text, line);
            let body = &text[range.clone()];
            if body.starts_with("---") || body.starts_with("...") {
                return None;
            }
            let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
            let previous = (0..line)
                .rev()
                .map(|l| &text[lines.line_range(text, l)])
                .find(|l| !l.trim().is_empty())?;
            let need = (indent(previous) + 1).saturating_sub(indent(body)).max(1);
            (range.start, 0, " ".repeat(need), Form::QuotedIndent)
        }
        _ => return None,
    };
    let at = to_source(rewrites, offset, false);
    // What is removed must be the source's own bytes, and each round must move on.
    let own = text.get(offset..offset + remove) == source.get(at..at + remove);
    let repeated = rewrites
        .iter()
        .any(|r| r.at == at && r.form == form && form != Form::QuotedIndent);
    if !own || repeated {
        return None;
    }
    Some((at, remove, insert, form))
}

/// The bytes go-yaml reads into a tag (`scan_tag_uri`).
fn is_tag_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-_;/?:@&=+$,.!~*'()[]%".contains(&b)
}

/// Adds `rewrite` in source order; more indentation on a line already indented joins it.
fn insert(rewrites: &mut Vec<Rewrite>, rewrite: Rewrite) {
    if let Some(same) = rewrites
        .iter_mut()
        .find(|r| r.at == rewrite.at && r.remove == 0 && rewrite.remove == 0)
    {
        same.insert.push_str(&rewrite.insert);
        return;
    }
    // An insertion goes before a replacement at the same offset (spaces before a tab's space).
    let i = rewrites.partition_point(|r| (r.at, r.remove) <= (rewrite.at, rewrite.remove));
    rewrites.insert(i, rewrite);
}

/// The source with its rewrites.
fn apply(source: &str, rewrites: &[Rewrite]) -> String {
    let mut out = String::with_capacity(source.len() + 8 * rewrites.len());
    let mut at = 0;
    for r in rewrites {
        out.push_str(&source[at..r.at]);
        out.push_str(&r.insert);
        at = r.at + r.remove;
    }
    out.push_str(&source[at..]);
    out
}

/// The source offset of offset `offset` of the rewritten text. An offset inside rewritten
/// bytes goes to the start of what they replace, or (`end` of a range) to its end.
fn to_source(rewrites: &[Rewrite], offset: usize, end: bool) -> usize {
    // `shift`: how far the rewritten text is ahead of the source after the rewrites so far.
    let mut shift: isize = 0;
    for r in rewrites {
        let start = (r.at as isize + shift) as usize;
        if offset <= start {
            break;
        }
        if offset < start + r.insert.len() {
            return if end { r.at + r.remove } else { r.at };
        }
        shift += r.insert.len() as isize - r.remove as isize;
    }
    (offset as isize - shift).max(0) as usize
}

/// A location of the rewritten text as a location of the source.
fn to_source_location(
    location: Location,
    rewrites: &[Rewrite],
    text: &str,
    lines: &LineIndex,
    source: &str,
    original: &LineIndex,
) -> Location {
    if rewrites.is_empty() {
        return location;
    }
    let offset = to_source(rewrites, lines.offset(text, location), false);
    original.location(source, offset.min(source.len()))
}

/// `error`, a refusal of the rewritten `text`, with its positions in the source.
fn map_error(
    mut error: ReadError,
    rewrites: &[Rewrite],
    text: &str,
    lines: &LineIndex,
    source: &str,
    original: &LineIndex,
) -> ReadError {
    let map = |l: &mut Location| {
        *l = to_source_location(*l, rewrites, text, lines, source, original);
    };
    for location in error.locations_mut() {
        map(location);
    }
    error
}

impl Document {
    /// Puts the source back under a document read from its rewritten text: every offset and
    /// location moves into the source, a quoted `"-"` is the plain `-` it was written as, a
    /// tag is written as in the source, and each form rewritten is noted.
    fn restore(&mut self, source: &str, original: LineIndex, rewrites: &[Rewrite]) {
        let text = std::mem::take(&mut self.source);
        let lines = std::mem::replace(&mut self.lines, original);
        let span = |s: &std::ops::Range<usize>| {
            let start = to_source(rewrites, s.start, false);
            start..to_source(rewrites, s.end, true).max(start)
        };
        for node in &mut self.nodes {
            node.span = span(&node.span);
            if let Some(anchor) = &mut node.anchor {
                anchor.span = span(&anchor.span);
            }
            if let Some(tag) = &mut node.tag {
                for r in rewrites.iter().filter(|r| r.form == Form::TagRun) {
                    if let Some(head) = tag.strip_suffix(r.insert.as_str()) {
                        *tag = format!("{head}{}", &source[r.at..r.at + r.remove]).into();
                    }
                }
            }
            if let NodeKind::Scalar { text, style } = &mut node.kind {
                let dash = rewrites
                    .iter()
                    .any(|r| r.form == Form::Dash && node.span == (r.at..r.at + 1));
                if dash && *style == ScalarStyle::DoubleQuoted && text == "-" {
                    *style = ScalarStyle::Plain;
                }
            }
        }
        for comment in &mut self.comments {
            comment.span = span(&comment.span);
        }
        let map = |l: &mut Location| {
            *l = to_source_location(*l, rewrites, &text, &lines, source, &self.lines);
        };
        for duplicate in &mut self.duplicates {
            map(&mut duplicate.first);
            map(&mut duplicate.second);
        }
        for note in &mut self.notes {
            match note {
                ReadNote::MultiDocument { location, .. }
                | ReadNote::FlowIndent { location }
                | ReadNote::HelmOnlySyntax { location, .. } => map(location),
            }
        }
        self.source = source.to_owned();
        let mut last = None;
        for r in rewrites {
            // One finding per form and line: a line's tab and indentation are one mistake.
            let location = self.location(r.at);
            let (what, hint) = r.form.note();
            if last == Some((location.line, what)) {
                continue;
            }
            last = Some((location.line, what));
            self.notes.push(ReadNote::HelmOnlySyntax {
                what,
                hint,
                location,
            });
        }
        self.notes.sort_by_key(ReadNote::location);
    }

    /// Whether source offset `offset` is inside a quoted scalar (not at its quotes).
    fn in_quoted_scalar(&self, offset: usize) -> bool {
        self.nodes.iter().any(|node| {
            matches!(
                node.kind,
                NodeKind::Scalar {
                    style: ScalarStyle::DoubleQuoted | ScalarStyle::SingleQuoted,
                    ..
                }
            ) && node.span.start < offset
                && offset < node.span.end.saturating_sub(1)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::DocumentMut;
    use crate::path::Path;
    use crate::value::Value;

    fn read(text: &str) -> Document {
        Document::parse_values(text).unwrap_or_else(|e| panic!("{text:?}: {e}"))
    }

    fn json(text: &str) -> serde_json::Value {
        read(text).value().to_json()
    }

    /// Each form reads as real Helm (3.17.3 and 4.1.4) reads it, the document keeps the
    /// source's bytes, every span points into them (the rewritten item's span is the bytes the
    /// user wrote), and validate gets a `helm-only-syntax` note at the form.
    #[test]
    fn forms_read_as_helm_reads_them_over_the_source_bytes() {
        for (text, helm, item, written, column) in [
            ("v: [a, -]\n", r#"{"v": ["a", "-"]}"#, "v[1]", "-", 8),
            (
                "v: {k: [-]}\n# c\n",
                r#"{"v": {"k": ["-"]}}"#,
                "v.k[0]",
                "-",
                9,
            ),
            (
                "v: [?a b, c]\n",
                r#"{"v": [{"a b": null}, "c"]}"#,
                "v[1]",
                "c",
                5,
            ),
            ("v: [!!str, b]\n", r#"{"v": ["b"]}"#, "v[0]", "b", 10),
            ("v: [!!int, 1] # c\n", r#"{"v": ["1"]}"#, "v[0]", "1", 10),
            ("v: [!!str,b, c]\n", r#"{"v": ["c"]}"#, "v[0]", "c", 10),
            (
                "v:\n  w: \"x\n\ty\" # c\n",
                r#"{"v": {"w": "x y"}}"#,
                "v.w",
                "\"x\n\ty\"",
                1,
            ),
            (
                "v: 'x\n\t\n  y'\n",
                r#"{"v": "x\ny"}"#,
                "v",
                "'x\n\t\n  y'",
                1,
            ),
            (
                "v:\n  w: \"x\ny\"\n",
                r#"{"v": {"w": "x y"}}"#,
                "v.w",
                "\"x\ny\"",
                1,
            ),
        ] {
            let d = read(text);
            let helm: serde_json::Value = serde_json::from_str(helm).unwrap();
            assert_eq!(d.value().to_json(), helm, "{text:?}");
            assert_eq!(d.to_text(), text);
            for node in &d.nodes {
                assert!(node.span.end <= text.len(), "{text:?}: {:?}", node.span);
                assert!(text.is_char_boundary(node.span.start));
            }
            for comment in d.comments() {
                assert!(text[comment.span.clone()].starts_with('#'), "{text:?}");
            }
            let id = d.get(&Path::parse(item).unwrap()).unwrap();
            assert_eq!(d.text_of(id), written, "{text:?}");
            let note = d.notes().last().unwrap();
            assert_eq!(note.code(), "helm-only-syntax", "{text:?}");
            assert_eq!(note.location().column, column, "{text:?}");
        }
        // `[-]`'s item is the plain `-` it is written as.
        let d = read("v: [-]\n");
        let id = d.get(&Path::parse("v[0]").unwrap()).unwrap();
        assert!(matches!(
            &d.node(id).kind,
            NodeKind::Scalar { text, style: ScalarStyle::Plain } if text == "-"
        ));
    }

    /// An edit elsewhere leaves the forms' bytes alone; an edit of a rewritten item writes the
    /// source's bytes and reads back as set, or is refused.
    #[test]
    fn edits_around_and_on_rewritten_forms_keep_the_source_bytes() {
        let text = "a: 1\nv: [-, ?b, !!str, c] # keep\nw: \"x\n\ty\"\n";
        let mut d = DocumentMut::new(read(text));
        d.set(&Path::parse("a").unwrap(), &Value::Int(2)).unwrap();
        assert_eq!(d.to_text(), text.replacen("a: 1", "a: 2", 1));
        d.set(&Path::parse("v[0]").unwrap(), &Value::String("x".into()))
            .unwrap();
        assert_eq!(
            d.to_text(),
            "a: 2\nv: [x, ?b, !!str, c] # keep\nw: \"x\n\ty\"\n"
        );
        d.set(&Path::parse("w").unwrap(), &Value::String("z".into()))
            .unwrap();
        assert_eq!(d.to_text(), "a: 2\nv: [x, ?b, !!str, c] # keep\nw: \"z\"\n");
        // The tag Helm puts on `c` stays: setting a number there would read back as a
        // string, which the edit's own check refuses.
        let before = d.to_text();
        let result = d.set(&Path::parse("v[2]").unwrap(), &Value::Int(5));
        match result {
            Ok(_) => assert_eq!(
                read(&d.to_text()).get_value(&Path::parse("v[2]").unwrap()),
                Some(Value::Int(5))
            ),
            Err(_) => assert_eq!(d.to_text(), before),
        }
        // `?b`'s value is written nowhere in the source: refused, with the way out.
        let err = d
            .set(&Path::parse("v[1].b").unwrap(), &Value::Int(1))
            .unwrap_err();
        assert!(
            err.to_string().contains("line 2 holds a `?`")
                && err.to_string().contains("write `{a: null}`"),
            "{err}"
        );
        assert_eq!(d.to_text(), before);
    }

    /// Errors after a rewritten form point at the source's bytes; a tab the rewrite cannot
    /// place in a quoted value stays refused; a form past the bound says so.
    #[test]
    fn refusals_after_rewrites_point_into_the_source() {
        let err = Document::parse_values("v: [-, ?a, \"x\\/\"]\n").unwrap_err();
        assert!(matches!(err, ReadError::HelmRefuses { .. }), "{err:?}");
        assert_eq!(
            err.location(),
            Some(Location {
                line: 1,
                column: 14
            })
        );
        let err = Document::parse_values("v: [-]\nw:\n\tx: 1\n").unwrap_err();
        assert!(matches!(err, ReadError::TabIndent { .. }), "{err:?}");
        assert_eq!(err.location(), Some(Location { line: 3, column: 1 }));
        let err = Document::parse_values("global:\n  image:\n\ttag: \"1\"\n").unwrap_err();
        assert!(matches!(err, ReadError::TabIndent { .. }), "{err:?}");
        assert_eq!(err.location(), Some(Location { line: 3, column: 1 }));
        let err = Document::parse_values("v: [-]\nw: [a, b\n").unwrap_err();
        assert_eq!(err.location().map(|l| l.line), Some(2), "{err:?}");
        let many = format!("v: [{}]\n", vec!["-"; MAX_ROUNDS + 1].join(", "));
        let err = Document::parse_values(&many).unwrap_err();
        assert!(
            matches!(&err, ReadError::HelmReadsOtherwise { reason, location }
                if reason.contains("at most") && location.column == 4 + 3 * MAX_ROUNDS + 1),
            "{err:?}"
        );
        let fewer = format!("v: [{}]\n", vec!["-"; MAX_ROUNDS].join(", "));
        assert_eq!(json(&fewer)["v"].as_array().map(Vec::len), Some(MAX_ROUNDS));
        // YAML 1.2's reading rewrites nothing.
        let yaml12 = Document::parse_with(
            "v: [-]\n",
            DocumentKind::Values,
            Limits::default(),
            Reading::Yaml12,
        );
        assert!(matches!(yaml12, Err(ReadError::Syntax { .. })));
    }

    #[test]
    fn offsets_map_back_through_insertions_and_replacements() {
        let rewrite = |at, remove, insert: &str| Rewrite {
            at,
            remove,
            insert: insert.to_owned(),
            form: Form::Dash,
            refusal: ReadError::Empty {
                comments_only: false,
            },
        };
        // "[-, !!s, b]" -> "[\"-\", !!s%2C b]"
        let rewrites = vec![rewrite(1, 1, "\"-\""), rewrite(7, 1, "%2C")];
        assert_eq!(apply("[-, !!s, b]", &rewrites), "[\"-\", !!s%2C b]");
        assert_eq!(to_source(&rewrites, 1, false), 1);
        assert_eq!(to_source(&rewrites, 4, true), 2);
        assert_eq!(to_source(&rewrites, 2, false), 1);
        assert_eq!(to_source(&rewrites, 2, true), 2);
        assert_eq!(to_source(&rewrites, 13, false), 9);
        assert_eq!(to_source(&rewrites, 0, false), 0);
    }
}
