//! Positions in source text and the human rendering of a message at a position.
//!
//! Every error and finding that knows where it happened carries a [`Location`] (1-based line
//! and column, columns counted in characters as editors show them) and can be rendered as a
//! [`Diagnostic`]: a header line, the source line with a caret under the spot, and a hint.

use std::fmt::Write as _;
use std::ops::Range;
use std::sync::Arc;

/// A 1-based line and column (the column counts characters, not bytes). It serializes as
/// `{"line": L, "column": C}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
pub struct Location {
    /// 1-based line.
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
}

/// Maps byte offsets of one text to lines and columns.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    /// Byte offset where each line starts.
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text`. A line ends at `\n`; a `\r` before it belongs to the line's end.
    pub fn new(text: &str) -> Self {
        // memchr's iterator finds each break with vector compares; `match_indices` restarts
        // a search per line, which on short lines costs more than the lines themselves.
        let mut starts = Vec::with_capacity(text.len() / 32 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Self { starts }
    }

    /// The location of byte `offset` in `text` (the same text the index was built from).
    pub fn location(&self, text: &str, offset: usize) -> Location {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let start = self.starts[line];
        let column = text
            .get(start..offset)
            .map_or(offset - start, |prefix| prefix.chars().count())
            + 1;
        Location {
            line: line + 1,
            column,
        }
    }

    /// The zero-based line number of byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// The byte offset where zero-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts[line.min(self.starts.len() - 1)]
    }

    /// The byte range of zero-based `line` without its line break.
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.line_start(line);
        let end = self
            .starts
            .get(line + 1)
            .map_or(text.len(), |next| next - 1);
        let end = if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end - 1
        } else {
            end
        };
        start..end.max(start)
    }

    /// The number of lines (a text ending in a line break has an empty last line).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

impl LineIndex {
    /// The byte offset of `location` in `text` (the text the index was built from): the
    /// start of its character, or the line's end for a column past it.
    pub fn offset(&self, text: &str, location: Location) -> usize {
        let line = location.line.saturating_sub(1);
        if line >= self.line_count() {
            return text.len();
        }
        let range = self.line_range(text, line);
        text[range.clone()]
            .char_indices()
            .nth(location.column.saturating_sub(1))
            .map_or(range.end, |(i, _)| range.start + i)
    }
}

/// The byte range of the character of `text` at `location` (empty at the end of a line);
/// `None` when the text has no such line.
pub fn char_span(text: &str, location: Location) -> Option<Range<usize>> {
    let index = LineIndex::new(text);
    if location.line == 0 || location.line > index.line_count() {
        return None;
    }
    let start = index.offset(text, location);
    let end = text[start..]
        .chars()
        .next()
        .filter(|c| !matches!(c, '\n' | '\r'))
        .map_or(start, |c| start + c.len_utf8());
    Some(start..end)
}

/// The place in a source text an error is about: the text, shared with whoever read it rather
/// than copied, and the byte span. The caret snippet's line is cut from the text only when the
/// error is shown ([`SourceSpan::line_text`]), so an error that is handled and dropped costs
/// no copy of its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceSpan {
    text: Arc<str>,
    span: Range<usize>,
}

impl SourceSpan {
    /// The span `span` of `text` (clamped to the text).
    pub fn new(text: Arc<str>, span: Range<usize>) -> Self {
        let boundary = |mut at: usize| {
            at = at.min(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            at
        };
        let end = boundary(span.end);
        let span = boundary(span.start.min(end))..end;
        Self { text, span }
    }

    /// The character of `text` at `location` (empty at the end of a line); `None` when the
    /// text has no such line.
    pub fn at(text: Arc<str>, location: Location) -> Option<Self> {
        let span = char_span(&text, location)?;
        Some(Self::new(text, span))
    }

    /// The byte range in the source text.
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    /// The 1-based line and column where the span starts.
    pub fn location(&self) -> Location {
        LineIndex::new(&self.text).location(&self.text, self.span.start)
    }

    /// The source text the span is in.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The line the span starts on, as written (without its line break), for a caret snippet.
    pub fn line_text(&self) -> Option<String> {
        let start = self.text[..self.span.start]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let line = self.text[start..].split('\n').next()?;
        Some(line.trim_end_matches('\r').to_owned())
    }
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Fails the command.
    Error,
    /// Reported; fails only in strict mode.
    Warning,
}

impl serde::Serialize for Severity {
    /// A severity serializes as `error` or `warning`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// Whether rendered text may contain ANSI colour codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Color {
    /// Plain text.
    #[default]
    Never,
    /// ANSI colours.
    Always,
}

impl Color {
    /// Wraps `text` in the ANSI code `code` when colour is on.
    pub fn paint(self, code: &str, text: &str) -> String {
        match self {
            Color::Never => text.to_owned(),
            Color::Always => format!("\x1b[{code}m{text}\x1b[0m"),
        }
    }
}

/// A message about a place in a file, ready to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// A stable code such as `duplicate-key`, when there is one.
    pub code: Option<String>,
    /// What happened.
    pub message: String,
    /// The file's name as the user gave it.
    pub file: Option<String>,
    /// Where it happened.
    pub location: Option<Location>,
    /// The source line at `location`, for the caret snippet.
    pub source_line: Option<String>,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error with a message and nothing else.
    pub fn error(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            code: None,
            message: message.into(),
            file: None,
            location: None,
            source_line: None,
            hint: None,
        }
    }

    /// Sets the file name.
    pub fn with_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Sets the location and takes its source line from `source`, with secrets redacted
    /// (docs/secrets.md: the file may not parse, so the line is redacted as a raw line).
    pub fn at(mut self, source: Option<&str>, location: Location) -> Self {
        self.location = Some(location);
        self.source_line = source
            .and_then(|text| crate::secrets::snippet_line(text, location.line.saturating_sub(1)));
        self
    }

    /// The caret snippet's line taken from `source` as written, not redacted: what
    /// `--show-secrets` asks for. Nothing changes without a location.
    pub fn showing_secrets(mut self, source: &str) -> Self {
        if let Some(location) = self.location {
            let lines = LineIndex::new(source);
            let line = location.line.saturating_sub(1);
            self.source_line = (line < lines.line_count())
                .then(|| source[lines.line_range(source, line)].to_owned());
        }
        self
    }

    /// Sets the hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// What to do about it, if known (the accessor every error and finding type shares).
    pub fn hint(&self) -> Option<&str> {
        self.hint.as_deref()
    }

    /// Where it happened, if known (the accessor every error and finding type shares).
    pub fn location(&self) -> Option<Location> {
        self.location
    }

    /// `file:line:col` (or as much of it as is known).
    pub fn position(&self) -> Option<String> {
        match (&self.file, self.location) {
            (Some(file), Some(loc)) => Some(format!("{file}:{}:{}", loc.line, loc.column)),
            (Some(file), None) => Some(file.clone()),
            (None, Some(loc)) => Some(format!("{}:{}", loc.line, loc.column)),
            (None, None) => None,
        }
    }

    /// Renders an error as a command prints it:
    ///
    /// ```text
    /// error: duplicate key `tag` (first at line 3)
    ///   --> values.yml:7:3
    ///    |
    ///  7 |   tag: x
    ///    |   ^
    /// hint: remove one of them
    /// ```
    pub fn render(&self, color: Color) -> String {
        let mut out = format!("{}: {}\n", self.label(color), self.message);
        if let Some(position) = self.position() {
            let _ = writeln!(out, "  --> {position}");
        }
        self.render_tail(&mut out, color);
        out
    }

    /// Renders a finding as `validate` prints it: `file:line:col: error[code]: message`, then
    /// the snippet and the hint.
    pub fn render_finding(&self, color: Color) -> String {
        let position = self
            .position()
            .map(|p| format!("{p}: "))
            .unwrap_or_default();
        let mut out = format!("{position}{}: {}\n", self.label(color), self.message);
        self.render_tail(&mut out, color);
        out
    }

    /// `error`, `warning[code]`..., in the severity's colour.
    fn label(&self, color: Color) -> String {
        let severity = self.severity.as_str();
        let label = match &self.code {
            Some(code) => format!("{severity}[{code}]"),
            None => severity.to_owned(),
        };
        let code = match self.severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
        };
        color.paint(code, &label)
    }

    /// The caret snippet and the hint line.
    fn render_tail(&self, out: &mut String, color: Color) {
        self.render_snippet(out, color);
        if let Some(hint) = &self.hint {
            let _ = writeln!(out, "{}: {hint}", color.paint("1;36", "hint"));
        }
    }

    fn render_snippet(&self, out: &mut String, color: Color) {
        let (Some(loc), Some(line)) = (self.location, &self.source_line) else {
            return;
        };
        let number = loc.line.to_string();
        let gutter = " ".repeat(number.len());
        let (shown, caret_at) = snippet_line(line, loc.column.saturating_sub(1));
        let caret_pad = " ".repeat(caret_at);
        let _ = writeln!(out, " {gutter} |");
        let _ = writeln!(out, " {number} | {shown}");
        let _ = writeln!(out, " {gutter} | {caret_pad}{}", color.paint("1;31", "^"));
    }
}

/// The most characters of a source line a snippet shows; a longer line (minified JSON, a
/// certificate on one line) is cut around the caret, with `…` where it was cut.
const SNIPPET_WIDTH: usize = 120;

/// The source line as a snippet shows it, and the caret's column in it (0-based) for the
/// character at `column` (0-based). Tabs become one space each, so the caret stays under its
/// character; other control characters are escaped (`\u{1b}`), so a snippet never sends
/// terminal escapes or carriage returns from the file; a long line is clipped around the caret.
fn snippet_line(line: &str, column: usize) -> (String, usize) {
    let pieces: Vec<String> = line
        .chars()
        .map(|c| match c {
            '\t' => " ".to_owned(),
            c if c.is_control() => c.escape_unicode().to_string(),
            c => c.to_string(),
        })
        .collect();
    let column = column.min(pieces.len());
    let width = |pieces: &[String]| pieces.iter().map(|p| p.chars().count()).sum::<usize>();
    if width(&pieces) <= SNIPPET_WIDTH {
        return (pieces.concat(), width(&pieces[..column]));
    }
    // A window of characters around the caret, its width counted in shown characters.
    let mut start = column;
    let mut end = column;
    let mut used = 0;
    loop {
        let mut grew = false;
        if end < pieces.len() && used + pieces[end].chars().count() <= SNIPPET_WIDTH {
            used += pieces[end].chars().count();
            end += 1;
            grew = true;
        }
        // Left context up to half the width, so what follows the caret shows too.
        if start > 0
            && (width(&pieces[start - 1..column]) <= SNIPPET_WIDTH / 2 || end == pieces.len())
            && used + pieces[start - 1].chars().count() <= SNIPPET_WIDTH
        {
            start -= 1;
            used += pieces[start].chars().count();
            grew = true;
        }
        if !grew {
            break;
        }
    }
    let mut shown = String::new();
    let mut caret = width(&pieces[start..column]);
    if start > 0 {
        shown.push('…');
        caret += 1;
    }
    shown.push_str(&pieces[start..end].concat());
    if end < pieces.len() {
        shown.push('…');
    }
    (shown, caret)
}

/// An error or finding that can be shown to a user as a [`Diagnostic`].
///
/// Every error type of the library implements it, so a front end renders any of them the same
/// way (`error: ...`, `file:line:col`, caret snippet, `hint: ...`).
pub trait ToDiagnostic {
    /// The diagnostic for this error.
    fn to_diagnostic(&self) -> Diagnostic;
}

/// The candidate nearest to `word` by edit distance (ignoring case), if near enough to be a
/// typo of it.
pub fn did_you_mean<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let word_len = word.chars().count();
    candidates
        .into_iter()
        .filter(|c| *c != word)
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(word_len) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Optimal string alignment distance, case-insensitive: edits, with a swap of two neighbours
/// counting as one (`valeu` for `value`) and a wrong case as none (the commonest typos).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        d[i * width] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

/// GitHub's escaping of a workflow command's message (`%`, CR, LF).
pub fn github_escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub's escaping of a workflow command's property value (the message escapes plus `:`
/// and `,`).
pub fn github_escape_property(text: &str) -> String {
    github_escape_data(text)
        .replace(':', "%3A")
        .replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A span shares its text and cuts the snippet line only when asked.
    #[test]
    fn source_spans_cut_their_line_when_shown() {
        let text: Arc<str> = Arc::from("a: é\r\nbb: x\n");
        let span = SourceSpan::at(Arc::clone(&text), Location { line: 1, column: 4 }).unwrap();
        assert_eq!(span.span(), 3..5);
        assert_eq!(&span.text()[span.span()], "é");
        assert_eq!(span.location(), Location { line: 1, column: 4 });
        assert_eq!(span.line_text().as_deref(), Some("a: é"));
        let end = SourceSpan::at(Arc::clone(&text), Location { line: 2, column: 9 }).unwrap();
        assert_eq!(end.span(), 12..12);
        assert_eq!(end.line_text().as_deref(), Some("bb: x"));
        let last = SourceSpan::at(Arc::clone(&text), Location { line: 3, column: 1 }).unwrap();
        assert_eq!(last.line_text().as_deref(), Some(""));
        assert_eq!(
            SourceSpan::at(Arc::clone(&text), Location { line: 4, column: 1 }),
            None
        );
        assert_eq!(
            SourceSpan::at(Arc::clone(&text), Location { line: 0, column: 1 }),
            None
        );
        // A span inside a character is moved to its start.
        assert_eq!(SourceSpan::new(text, 4..4).span(), 3..3);
    }

    #[test]
    fn locations_count_characters() {
        let text = "a: é\r\nb: x\n";
        let index = LineIndex::new(text);
        assert_eq!(index.location(text, 0), Location { line: 1, column: 1 });
        let b = text.find('b').unwrap();
        assert_eq!(index.location(text, b), Location { line: 2, column: 1 });
        let x = text.find('x').unwrap();
        assert_eq!(index.location(text, x), Location { line: 2, column: 4 });
        assert_eq!(index.line_range(text, 0), 0..5);
        assert_eq!(&text[index.line_range(text, 0)], "a: é");
    }

    #[test]
    fn snippets_escape_control_characters_and_keep_the_caret_under_its_character() {
        let source = "a: \u{1b}[31mred\r\tb: 1\n";
        let d = Diagnostic::error("x").with_file("v.yml").at(
            Some(source),
            Location {
                line: 1,
                column: 14,
            },
        );
        let pad = " ".repeat("a: \\u{1b}[31mred\\u{d} ".len());
        assert_eq!(
            d.render(Color::Never),
            format!("error: x\n  --> v.yml:1:14\n   |\n 1 | a: \\u{{1b}}[31mred\\u{{d}} b: 1\n   | {pad}^\n")
        );
    }

    #[test]
    fn snippets_clip_long_lines_around_the_caret() {
        let line = format!("key: {}X{}", "a".repeat(300), "b".repeat(300));
        let column = line.find('X').unwrap() + 1;
        let d = Diagnostic::error("x")
            .with_file("v.yml")
            .at(Some(&line), Location { line: 1, column });
        let text = d.render(Color::Never);
        let lines: Vec<&str> = text.lines().collect();
        let shown = lines[3].strip_prefix(" 1 | ").unwrap();
        let caret = lines[4].strip_prefix("   | ").unwrap();
        assert_eq!(shown.chars().count(), SNIPPET_WIDTH + 2, "{shown}");
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert_eq!(shown.chars().nth(caret.len() - 1), Some('X'), "{text}");
        // Near the start, only the end is cut.
        let d = Diagnostic::error("x")
            .with_file("v.yml")
            .at(Some(&line), Location { line: 1, column: 1 });
        let text = d.render(Color::Never);
        let shown = text.lines().nth(3).unwrap().strip_prefix(" 1 | ").unwrap();
        assert_eq!(shown, format!("key: {}…", "a".repeat(SNIPPET_WIDTH - 5)));
        assert_eq!(text.lines().nth(4), Some("   | ^"));
    }

    #[test]
    fn renders_error_with_caret() {
        let source = "a: 1\n  b: 2\n";
        let d = Diagnostic::error("bad thing")
            .with_file("v.yml")
            .at(Some(source), Location { line: 2, column: 3 })
            .with_hint("do better");
        assert_eq!(
            d.render(Color::Never),
            "error: bad thing\n  --> v.yml:2:3\n   |\n 2 |   b: 2\n   |   ^\nhint: do better\n"
        );
    }
}

#[cfg(test)]
mod distance_tests {
    use super::{did_you_mean, edit_distance};

    #[test]
    fn distance_counts_edits_and_swaps_but_not_case() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("valeu", "value"), 1);
        assert_eq!(edit_distance("Value", "value"), 0);
        assert_eq!(did_you_mean("valeu", ["value", "from"]), Some("value"));
    }
}
