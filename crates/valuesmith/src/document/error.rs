//! Why a document could not be read ([`ReadError`], with its validation code, position and
//! hint) and the same error with its file and source, ready to render ([`FileReadError`]).

use crate::diagnostic::{Diagnostic, Location, Severity, ToDiagnostic};

/// Why a document could not be read. Every variant knows its position where there is one.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// UTF-16 input (what Windows PowerShell's `>` writes).
    #[error("the file is UTF-16 encoded ({endian}), not UTF-8")]
    Utf16 {
        /// `little-endian` or `big-endian`.
        endian: &'static str,
    },
    /// Bytes that are not UTF-8.
    #[error("invalid UTF-8 at byte {offset}")]
    InvalidUtf8 {
        /// Byte offset of the first bad byte.
        offset: usize,
        /// Its position.
        location: Location,
    },
    /// YAML that does not parse.
    #[error("{message}")]
    Syntax {
        /// The parser's message.
        message: String,
        /// Where the parser stopped.
        location: Location,
    },
    /// A tab in indentation.
    #[error("a tab character is used for indentation")]
    TabIndent {
        /// The tab's position.
        location: Location,
    },
    /// A key twice in one mapping.
    #[error("duplicate key `{key}` (first at line {})", .first.line)]
    DuplicateKey {
        /// The key.
        key: String,
        /// The first occurrence.
        first: Location,
        /// The second occurrence.
        second: Location,
    },
    /// Nothing but comments or whitespace.
    #[error("the file is empty{}", if *.comments_only { " (only comments)" } else { "" })]
    Empty {
        /// Whether there were comments.
        comments_only: bool,
    },
    /// `helm get values` without `-o yaml` prints this header line first.
    #[error("the file starts with helm's `USER-SUPPLIED VALUES:` header")]
    HelmHeader {
        /// The header's position.
        location: Location,
    },
    /// More than one document.
    #[error("the file holds more than one YAML document")]
    MultiDocument {
        /// Where the second document starts.
        location: Location,
    },
    /// A values file whose top level is not a mapping.
    #[error("the top level is a {found}, but a values file must be a mapping")]
    NotAMapping {
        /// What was found.
        found: &'static str,
        /// Where it starts.
        location: Location,
    },
    /// Alias expansion would produce too many nodes.
    #[error("aliases expand to more than {limit} nodes")]
    AliasBudget {
        /// The limit.
        limit: usize,
        /// The alias that went over it.
        location: Location,
    },
    /// Collections nested too deeply.
    #[error("collections are nested more than {limit} levels deep")]
    TooDeep {
        /// The limit.
        limit: usize,
        /// Where the limit was passed.
        location: Location,
    },
    /// The document has more nodes than the limit.
    #[error("the document has more than {limit} nodes (keys, values and collections)")]
    TooManyNodes {
        /// The limit.
        limit: usize,
        /// Where the first node over the limit starts.
        location: Location,
    },
    /// The input is larger than the limit.
    #[error("the input is {size} bytes, more than the limit of {limit}")]
    TooLarge {
        /// The input size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// YAML that parses but that Helm refuses to read as values (`helm template` and
    /// `helm install` stop with an error).
    #[error("Helm would refuse this file: {reason}")]
    HelmRefuses {
        /// Why, in go-yaml's or `sigs.k8s.io/yaml`'s words where they have some.
        reason: String,
        /// The node Helm stops at.
        location: Location,
    },
    /// YAML that Helm's parser reads otherwise than YAML 1.2 (`[?a]` is `[{a: null}]` to
    /// Helm), in a way valuesmith's parser cannot follow. The Helm readings read such forms
    /// by reading a rewritten text again; this is what is left when a file holds more of them
    /// than that is done for (64): refused, so that no reading other than Helm's is used.
    #[error("Helm reads this otherwise than YAML 1.2, and valuesmith cannot read it Helm's way: {reason}")]
    HelmReadsOtherwise {
        /// What Helm reads, and how to write it so both agree.
        reason: String,
        /// Where.
        location: Location,
    },
}

impl ReadError {
    /// The validation code of this error (docs/validate.md).
    pub fn code(&self) -> &'static str {
        match self {
            ReadError::Utf16 { .. } | ReadError::InvalidUtf8 { .. } => "encoding",
            ReadError::TabIndent { .. } => "tab-indent",
            ReadError::DuplicateKey { .. } => "duplicate-key",
            ReadError::Empty { .. } => "empty",
            ReadError::HelmHeader { .. } => "helm-header",
            ReadError::MultiDocument { .. } => "multi-document",
            _ => "syntax",
        }
    }

    /// Every position the error holds (a duplicate key has two), for moving them into another
    /// text's coordinates.
    pub(super) fn locations_mut(&mut self) -> Vec<&mut Location> {
        match self {
            ReadError::InvalidUtf8 { location, .. }
            | ReadError::Syntax { location, .. }
            | ReadError::TabIndent { location }
            | ReadError::HelmHeader { location }
            | ReadError::MultiDocument { location }
            | ReadError::NotAMapping { location, .. }
            | ReadError::AliasBudget { location, .. }
            | ReadError::TooDeep { location, .. }
            | ReadError::TooManyNodes { location, .. }
            | ReadError::HelmRefuses { location, .. }
            | ReadError::HelmReadsOtherwise { location, .. } => vec![location],
            ReadError::DuplicateKey { first, second, .. } => vec![first, second],
            ReadError::Utf16 { .. } | ReadError::Empty { .. } | ReadError::TooLarge { .. } => {
                Vec::new()
            }
        }
    }

    /// Where the error is, if known: a duplicate key's second occurrence.
    pub fn location(&self) -> Option<Location> {
        // Errors are rare and small: one list of positions serves both uses.
        self.clone()
            .locations_mut()
            .last()
            .map(|location| **location)
    }

    /// What to do about it.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            ReadError::Utf16 { .. } => {
                "PowerShell's `>` writes UTF-16; write the file with \
                `helm get values ... -o yaml | Out-File -Encoding utf8 FILE` or re-save it as UTF-8"
                    .to_owned()
            }
            ReadError::InvalidUtf8 { .. } => "re-save the file as UTF-8".to_owned(),
            ReadError::TabIndent { .. } => "YAML indentation must use spaces; replace the tab \
                with spaces"
                .to_owned(),
            ReadError::DuplicateKey { key, first, .. } => format!(
                "keep one `{key}`: Helm silently uses the last one (the other is at line {})",
                first.line
            ),
            ReadError::Empty { .. } => "was `helm get values` connected to the cluster? Export \
                again with `helm get values <release> -n <namespace> -o yaml > FILE`"
                .to_owned(),
            ReadError::HelmHeader { .. } => {
                "export with `-o yaml`, or delete the first line".to_owned()
            }
            ReadError::MultiDocument { .. } => "Helm 3 reads only the first document of a values \
                file and Helm 4 merges them all; split the file at the `---` line"
                .to_owned(),
            ReadError::NotAMapping { .. } => {
                "a values file maps keys to values at its top level".to_owned()
            }
            // The parser's words for a line inside brackets or a multi-line scalar that is not
            // indented past its parent: most often a bracket or quote left open above, else
            // indentation that YAML 1.2 requires (and PyYAML and Helm's parser do not).
            ReadError::Syntax { message, .. } if message == "invalid indentation" => {
                "is a `[`, `{` or quote above left open? If not, indent this line more than the \
                key or `-` it belongs to: YAML requires it inside brackets and in a scalar that \
                goes on over several lines"
                    .to_owned()
            }
            ReadError::Syntax { message, .. } if message.contains("did not find expected") => {
                "is a `[`, `{` or quote above left open? Close it where its content ends".to_owned()
            }
            ReadError::AliasBudget { .. } => "the aliases nest too deeply to expand (a \
                `billion laughs` document?)"
                .to_owned(),
            ReadError::TooDeep { .. } => "values files nest a few dozen levels at most: is this \
                the right file?"
                .to_owned(),
            ReadError::TooManyNodes { .. } | ReadError::TooLarge { .. } => "values files are \
                rarely larger than a megabyte: is this the right file?"
                .to_owned(),
            ReadError::HelmRefuses { reason, .. } => helm_refusal_hint(reason).to_owned(),
            ReadError::HelmReadsOtherwise { .. } => "write it the way the message says, so that \
                YAML 1.2 tools and Helm read the same (docs/helm-semantics.md lists these forms)"
                .to_owned(),
            _ => return None,
        })
    }
}

/// Something a document was read despite: Helm reads it, and it is most often a mistake or
/// reads otherwise elsewhere. [`crate::document::Document::notes`] lists them; validate
/// reports each under [`ReadNote::code`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReadNote {
    /// A values file of several YAML documents, read by `reading`: Helm 4's merges them all,
    /// Helm 3's reads the first.
    #[error("{}", multi_document_message(*.reading))]
    MultiDocument {
        /// The reading it was read by.
        reading: super::Reading,
        /// Where the second document starts.
        location: Location,
    },
    /// A line inside a flow collection (`[...]`, `{...}`) indented no deeper than the line the
    /// collection starts on: Helm reads it, YAML 1.2 refuses it.
    #[error(
        "this line inside brackets is not indented past the key the brackets belong to: Helm \
        reads it, other YAML tools refuse it"
    )]
    FlowIndent {
        /// The line's first character.
        location: Location,
    },
    /// A form Helm's parser (go-yaml v2) reads and YAML 1.2 refuses (`[-]`, `[?a]`,
    /// `[!!str, b]`, a tab or too little indentation on a quoted value's continuation line):
    /// read as Helm reads it, and most often a mistake.
    #[error("{what}: Helm reads it, other YAML tools refuse it")]
    HelmOnlySyntax {
        /// The form, and what Helm reads.
        what: &'static str,
        /// What to do about it.
        hint: &'static str,
        /// Where it is.
        location: Location,
    },
}

fn multi_document_message(reading: super::Reading) -> &'static str {
    if reading == super::Reading::Helm3 {
        "the file holds more than one YAML document: read as Helm 3 reads it, the first \
        document only (Helm 4 merges them all)"
    } else {
        "the file holds more than one YAML document: read as Helm 4 reads it, every document \
        merged in order (Helm 3 reads only the first)"
    }
}

impl ReadNote {
    /// The validation code of its finding (docs/validate.md).
    pub fn code(&self) -> &'static str {
        match self {
            ReadNote::MultiDocument { .. } => "multi-document",
            ReadNote::FlowIndent { .. } => "flow-indent",
            ReadNote::HelmOnlySyntax { .. } => "helm-only-syntax",
        }
    }

    /// Where it is.
    pub fn location(&self) -> Location {
        match self {
            ReadNote::MultiDocument { location, .. }
            | ReadNote::FlowIndent { location }
            | ReadNote::HelmOnlySyntax { location, .. } => *location,
        }
    }

    /// What to do about it.
    pub fn hint(&self) -> String {
        match self {
            ReadNote::MultiDocument { .. } => "Helm 3 and Helm 4 read this file differently: \
                merge the documents into one, or split the file at the `---` line into two \
                `-f` files (`--helm-version 3|4` chooses the reading)"
                .to_owned(),
            ReadNote::FlowIndent { .. } => "indent the line more than the key, or close the \
                bracket at the end of the line above"
                .to_owned(),
            ReadNote::HelmOnlySyntax { hint, .. } => (*hint).to_owned(),
        }
    }
}

/// What to do about a file Helm refuses, by its reason.
fn helm_refusal_hint(reason: &str) -> &'static str {
    if reason.contains("(go-yaml: `") && reason.contains("a tab ") {
        "replace the tab with spaces: Helm's parser takes a tab only inside a value or after \
        one, never where it looks for indentation"
    } else if reason.contains("invalid Yaml document separator") {
        "leave the `---` alone on its line (a comment may follow it) and put what follows it on \
        the next line"
    } else if reason.contains("(go-yaml: `") {
        "Helm's parser (go-yaml v2) refuses this form, which YAML 1.2 reads: write it the way \
        the message says (docs/helm-semantics.md lists these forms)"
    } else if reason.contains("JSON has no") {
        "quote the value to keep it as a string: Helm turns values into JSON, which has no \
        infinity or NaN"
    } else if reason.contains("key") {
        "Helm's values are JSON objects: every key must be a string, a number or a boolean \
        (quote it to make it a string)"
    } else if reason.contains("merge") {
        "`<<` merges a mapping (`<<: *base`) or a list of them (`<<: [*a, *b]`); quote it \
        (`\"<<\":`) for a literal key"
    } else if reason.contains("base64") {
        "a `!!binary` value is base64 text (line breaks allowed)"
    } else {
        "drop the tag, or write a value of the tag's type"
    }
}

/// A [`ReadError`] with the name of the file and its source, ready to render.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}: {error}")]
#[non_exhaustive]
pub struct FileReadError {
    /// The file's name as the user gave it.
    pub file: String,
    /// What went wrong.
    pub error: ReadError,
    /// The decoded source, when it was text (for the caret snippet).
    pub source_text: Option<String>,
}

impl FileReadError {
    /// The error of reading `bytes` from `file`.
    pub fn new(file: impl Into<String>, error: ReadError, bytes: &[u8]) -> Self {
        // Invalid UTF-8 still shows its line, with the bad bytes as U+FFFD; UTF-16 shows none.
        let text = match error {
            ReadError::Utf16 { .. } => None,
            _ => Some(String::from_utf8_lossy(bytes)),
        };
        Self {
            file: file.into(),
            error,
            source_text: text.map(|t| t.strip_prefix('\u{feff}').unwrap_or(&t).to_owned()),
        }
    }
}

impl FileReadError {
    /// Where the error is, if known.
    pub fn location(&self) -> Option<Location> {
        self.error.location()
    }

    /// What to do about it, if there is advice.
    pub fn hint(&self) -> Option<String> {
        self.error.hint()
    }

    /// The byte range in the source of the character the error is at, when the source is
    /// text and the error has a position. The caret snippet is cut from the source only when
    /// the error is rendered.
    pub fn span(&self) -> Option<std::ops::Range<usize>> {
        crate::diagnostic::char_span(self.source_text.as_deref()?, self.location()?)
    }
}

impl ToDiagnostic for FileReadError {
    fn to_diagnostic(&self) -> Diagnostic {
        let mut diagnostic = Diagnostic {
            severity: Severity::Error,
            code: None,
            message: self.error.to_string(),
            file: Some(self.file.clone()),
            location: None,
            source_line: None,
            hint: self.error.hint(),
        };
        if let Some(location) = self.error.location() {
            diagnostic = diagnostic.at(self.source_text.as_deref(), location);
        }
        diagnostic
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The file error names the same place three ways that agree: the location, the byte
    /// span, and the snippet line rendered from the kept source.
    #[test]
    fn file_errors_give_location_span_and_hint_that_agree() {
        let bytes = "a: 1\nbé: 2\nbé: 3\n".as_bytes();
        let error = ReadError::DuplicateKey {
            key: "bé".into(),
            first: Location { line: 2, column: 1 },
            second: Location { line: 3, column: 1 },
        };
        let err = FileReadError::new("v.yml", error, bytes);
        assert_eq!(err.location(), Some(Location { line: 3, column: 1 }));
        let span = err.span().unwrap();
        assert_eq!((span.start, &bytes[span]), (12, &b"b"[..]));
        assert_eq!(err.hint(), err.error.hint());
        assert!(err.hint().unwrap().starts_with("keep one `bé`"));
        let diagnostic = err.to_diagnostic();
        assert_eq!(diagnostic.location(), err.location());
        assert_eq!(diagnostic.hint(), err.hint().as_deref());
        assert_eq!(diagnostic.source_line.as_deref(), Some("bé: 3"));
        let utf16 = FileReadError::new("w.yml", ReadError::Utf16 { endian: "x" }, b"\xff\xfe");
        assert_eq!((utf16.location(), utf16.span()), (None, None));
    }
}
