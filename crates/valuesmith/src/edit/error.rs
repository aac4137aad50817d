//! Why an edit was not made: [`EditError`], its locations and its diagnostics.

use crate::diagnostic::{Diagnostic, Location, Severity, ToDiagnostic};
use crate::document::ReadError;
use crate::path::Path;

/// Why an edit was not made. The document is unchanged after any of these.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum EditError {
    /// A parent of the path is a scalar or a sequence, so the key cannot be created.
    #[error("cannot set `{path}`: `{parent}` is a {found}, not a mapping")]
    ParentNotMapping {
        /// The path being set.
        path: Path,
        /// The parent in the way.
        parent: Path,
        /// What the parent is.
        found: &'static str,
        /// Where the parent is.
        location: Location,
    },
    /// The path goes through an alias; editing would change the anchored node instead.
    #[error("`{path}` goes through the alias `*{anchor}`; editing it would change what `&{anchor}` defines")]
    ThroughAlias {
        /// The path being edited.
        path: Path,
        /// The anchor's name.
        anchor: String,
        /// Where the alias is.
        location: Location,
    },
    /// The node carries an anchor that aliases use; replacing it would change them too.
    #[error("`{path}` defines the anchor `&{anchor}` that aliases use; changing it would change them too")]
    AnchoredNode {
        /// The path being edited.
        path: Path,
        /// The anchor's name.
        anchor: String,
        /// Where the node is.
        location: Location,
    },
    /// A rename whose target already holds another value.
    #[error("cannot rename `{from}` to `{to}`: `{to}` already holds another value")]
    Conflict {
        /// The key being renamed.
        from: Path,
        /// The target that holds another value.
        to: Path,
        /// Where the target is.
        location: Location,
    },
    /// A position past the end of a sequence.
    #[error("`{path}`: the sequence has {len} items")]
    IndexOutOfRange {
        /// The path.
        path: Path,
        /// The sequence length.
        len: usize,
    },
    /// A path the operation does not accept.
    #[error("cannot edit `{path}`: {reason}")]
    Unsupported {
        /// The path.
        path: Path,
        /// Why.
        reason: String,
    },
    /// The edited text did not read back (a bug: nothing was changed).
    #[error(
        "editing `{path}` would produce YAML that does not parse ({error}); nothing was changed"
    )]
    Reparse {
        /// The path.
        path: Path,
        /// The parser's complaint about the edited text.
        error: ReadError,
    },
    /// The edited text read back as a different change than asked (a bug: nothing was changed).
    #[error("editing `{path}` would change more than `{path}`; nothing was changed")]
    Unverified {
        /// The path.
        path: Path,
    },
}

impl EditError {
    /// Where in the document the problem is, when known.
    pub fn location(&self) -> Option<Location> {
        match self {
            EditError::ParentNotMapping { location, .. }
            | EditError::ThroughAlias { location, .. }
            | EditError::AnchoredNode { location, .. }
            | EditError::Conflict { location, .. } => Some(*location),
            _ => None,
        }
    }

    /// What to do about it, when there is advice (as [`ReadError::hint`] gives it).
    pub fn hint(&self) -> Option<String> {
        match self {
            EditError::ThroughAlias { anchor, .. } | EditError::AnchoredNode { anchor, .. } => {
                Some(format!(
                    "edit the node that defines `&{anchor}` or replace the alias by a copy"
                ))
            }
            EditError::Reparse { .. } | EditError::Unverified { .. } => {
                Some("please report this with the input file".to_owned())
            }
            _ => None,
        }
    }
}

impl ToDiagnostic for EditError {
    fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code: None,
            message: self.to_string(),
            file: None,
            location: self.location(),
            source_line: None,
            hint: self.hint(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hint_accessor_is_the_diagnostic_hint() {
        let err = EditError::ThroughAlias {
            path: Path::parse("a.b").unwrap(),
            anchor: "base".into(),
            location: Location { line: 2, column: 4 },
        };
        assert_eq!(
            err.hint().as_deref(),
            Some("edit the node that defines `&base` or replace the alias by a copy")
        );
        assert_eq!(err.to_diagnostic().hint(), err.hint().as_deref());
        assert_eq!(err.to_diagnostic().location(), err.location());
        let range = EditError::IndexOutOfRange {
            path: Path::parse("l[3]").unwrap(),
            len: 2,
        };
        assert_eq!((range.hint(), range.location()), (None, None));
    }
}
