//! Text geometry of the document being edited: line starts and ends, columns, indentation,
//! where a key's colon, an item's dash, a block and the comments a node owns begin and end.

use super::{DocumentMut, Slot};
use crate::document::NodeId;

impl DocumentMut {
    // ---- text geometry -------------------------------------------------------------------

    pub(super) fn line_start(&self, offset: usize) -> usize {
        let lines = self.doc.lines();
        lines.line_start(lines.line_of(offset))
    }

    /// The end of the line holding `offset`, before its line break.
    pub(super) fn line_end(&self, offset: usize) -> usize {
        let lines = self.doc.lines();
        // Never before `offset`: a line's range leaves out a `\r` before its `\n` (or a lone
        // `\r`, which YAML reads as a line break too), where a node may end.
        lines
            .line_range(self.doc.source(), lines.line_of(offset))
            .end
            .max(offset)
            .min(self.doc.source().len())
    }

    /// The start of the next line after `offset` (or the end of the text).
    pub(super) fn next_line_start(&self, offset: usize) -> usize {
        let source = self.doc.source();
        // Offsets computed as "one past" an indicator may pass the end of the text.
        let offset = offset.min(source.len());
        match source[offset..].find('\n') {
            Some(i) => offset + i + 1,
            None => source.len(),
        }
    }

    pub(super) fn column(&self, offset: usize) -> usize {
        self.doc.source()[self.line_start(offset)..offset]
            .chars()
            .count()
    }

    pub(super) fn is_line_leading(&self, offset: usize) -> bool {
        self.doc.source()[self.line_start(offset)..offset]
            .trim()
            .is_empty()
    }

    pub(super) fn line_indent(&self, line: usize) -> usize {
        let range = self.doc.lines().line_range(self.doc.source(), line);
        let text = &self.doc.source()[range];
        text.len() - text.trim_start_matches(' ').len()
    }

    /// The first byte after the `:` that follows a key ending at `key_end`.
    pub(super) fn colon_end(&self, key_end: usize) -> usize {
        let source = self.doc.source();
        let mut in_comment = false;
        for (i, c) in source[key_end..].char_indices() {
            match c {
                '\n' => in_comment = false,
                '#' => in_comment = true,
                ':' if !in_comment => return key_end + i + 1,
                _ => {}
            }
        }
        key_end
    }

    /// The `-` of a block sequence item.
    pub(super) fn dash_of(&self, item: NodeId) -> Option<usize> {
        let node = self.doc.node(item);
        let start = node
            .anchor
            .as_ref()
            .map_or(node.span.start, |a| a.span.start.min(node.span.start));
        let before = &self.doc.source()[..start];
        let trimmed = before.trim_end();
        trimmed.ends_with('-').then(|| trimmed.len() - 1)
    }

    /// Where the comment block directly above the line of `offset` begins: comment-only lines
    /// at column `col` with no blank line between (docs/commands.md).
    pub(super) fn owned_comments_start(&self, offset: usize, col: usize) -> usize {
        let lines = self.doc.lines();
        let key_line = lines.line_of(offset);
        let mut line = key_line;
        while line > 0 && self.doc.is_comment_line(line - 1) && self.line_indent(line - 1) == col {
            line -= 1;
        }
        // A block that opens the file is the file's header, not the first key's.
        if line == 0 {
            line = key_line;
        }
        lines.line_start(line)
    }

    /// The end (after the line break) of the lines of a block entry or item that ends at
    /// `end`: its last line and the comment lines right after it indented deeper than `col`,
    /// which sit inside its block.
    pub(super) fn block_end(&self, end: usize, col: usize) -> usize {
        let lines = self.doc.lines();
        let mut line = lines.line_of(end);
        while line + 1 < lines.line_count()
            && self.doc.is_comment_line(line + 1)
            && self.line_indent(line + 1) > col
        {
            line += 1;
        }
        let range = lines.line_range(self.doc.source(), line);
        self.next_line_start(range.end)
    }

    pub(super) fn container_is_flow(&self, slot: Slot) -> bool {
        let container = match slot {
            Slot::Root => return false,
            Slot::MapValue { map, .. } => map,
            Slot::SeqItem { seq, .. } => seq,
        };
        !self.doc.node(container).is_block_collection()
    }
}
