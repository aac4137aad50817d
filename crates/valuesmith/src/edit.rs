//! Format-preserving edits (write side): span splices on the source, verified by re-reading the result.
