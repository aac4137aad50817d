//! Comment ownership: the [`Comment`]s a document keeps (every one, in source order, with
//! whether code stands before it on its line), how the builder records them from the parser's
//! events, and the line queries that edits and lints ask of them.

use std::ops::Range;

use super::Document;

/// A comment as written in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// The byte range from `#` to the end of the line (line break excluded).
    pub span: Range<usize>,
    /// Whether code stands before it on its line (`key: value # comment`).
    pub trailing: bool,
}

impl Comment {
    /// The comment at `start..end` of `source`: trailing when the parser places it to the
    /// right of code or when anything but blanks stands before it on its line.
    pub(super) fn read(
        source: &str,
        line_start: usize,
        start: usize,
        end: usize,
        placement: granit_parser::Placement,
    ) -> Self {
        let trailing = matches!(placement, granit_parser::Placement::Right)
            || !source[line_start..start].trim().is_empty();
        Comment {
            span: start..end,
            trailing,
        }
    }
}

impl Document {
    /// Every comment, in source order.
    pub fn comments(&self) -> &[Comment] {
        &self.comments
    }

    /// The trailing comment on zero-based `line`, if any.
    pub fn trailing_comment_on_line(&self, line: usize) -> Option<&Comment> {
        let range = self.lines.line_range(&self.source, line);
        let start = self
            .comments
            .partition_point(|c| c.span.start < range.start);
        self.comments[start..]
            .iter()
            .take_while(|c| c.span.start <= range.end)
            .find(|c| c.trailing)
    }

    /// Whether zero-based `line` holds nothing but a comment.
    pub fn is_comment_line(&self, line: usize) -> bool {
        let range = self.lines.line_range(&self.source, line);
        let text = &self.source[range.clone()];
        let indent = text.len() - text.trim_start().len();
        let hash = range.start + indent;
        text.trim_start().starts_with('#')
            && self
                .comments
                .binary_search_by(|c| c.span.start.cmp(&hash))
                .is_ok()
    }

    /// Whether zero-based `line` is empty or whitespace only.
    pub fn is_blank_line(&self, line: usize) -> bool {
        self.source[self.lines.line_range(&self.source, line)]
            .trim()
            .is_empty()
    }
}
