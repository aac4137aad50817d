//! The format-preserving document model (read side): bytes to a tree of nodes with byte spans, lines, columns and owned comments.
