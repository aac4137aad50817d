//! Findings for a file the reader refused: encoding, syntax, duplicate keys, empty files,
//! `helm get values`' header, several documents.
//!
//! The reader stops at its first error. For duplicate keys that would hide the others, so a
//! file refused for one is scanned again here, with the parser alone, for all of them.

use std::collections::HashMap;

use granit_parser::{Event, Parser, ScalarStyle as ParserStyle};

use super::{Code, Finding, Sink};
use crate::diagnostic::{LineIndex, Location};
use crate::document::{scalar_value, ReadError, ScalarStyle};

/// The findings of a file that could not be read as a values file.
pub(super) fn read_findings(name: &str, bytes: &[u8], error: &ReadError) -> Vec<Finding> {
    // UTF-16 text decoded as UTF-8 is noise; show no source lines for it.
    let text = match error {
        ReadError::Utf16 { .. } => String::new(),
        _ => {
            let text = String::from_utf8_lossy(bytes);
            text.strip_prefix('\u{feff}').unwrap_or(&text).to_owned()
        }
    };
    let lines = LineIndex::new(&text);
    let mut sink = Sink::new(name, &text, &lines);
    let code = match error {
        // A tab where Helm's parser refuses one is what `tab-indent` reports.
        ReadError::HelmRefuses { reason, .. } if reason.contains("a tab ") => Code::TabIndent,
        _ => Code::from_name(error.code()).unwrap_or(Code::Syntax),
    };
    let duplicates = match error {
        ReadError::DuplicateKey { .. } => duplicate_keys(&text, &lines),
        _ => Vec::new(),
    };
    if duplicates.is_empty() {
        match error.location() {
            Some(location) => sink.at(code, location, error.to_string(), error.hint()),
            None => sink.whole_file(code, error.to_string(), error.hint()),
        }
    }
    for duplicate in duplicates {
        sink.at(
            Code::DuplicateKey,
            duplicate
                .location()
                .unwrap_or(Location { line: 1, column: 1 }),
            duplicate.to_string(),
            duplicate.hint(),
        );
    }
    sink.finish()
}

/// Every duplicate key of the text's first document, up to the first syntax error, as the
/// reader's own [`ReadError::DuplicateKey`].
fn duplicate_keys(text: &str, lines: &LineIndex) -> Vec<ReadError> {
    enum Frame {
        Mapping {
            keys: HashMap<String, Location>,
            expect_key: bool,
        },
        Sequence,
    }
    let mut found = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut documents = 0;
    for next in Parser::new_from_str(text) {
        let Ok((event, span)) = next else {
            break;
        };
        let start = span.start.byte_offset().unwrap_or(span.start.index());
        let is_node = matches!(
            event,
            Event::Scalar(..)
                | Event::Alias(..)
                | Event::MappingStart(..)
                | Event::SequenceStart(..)
        );
        if is_node {
            if let Some(Frame::Mapping { keys, expect_key }) = stack.last_mut() {
                let is_key = *expect_key;
                *expect_key = !*expect_key;
                if is_key {
                    if let Event::Scalar(value, style, ..) = &event {
                        let key = key_text(value, *style);
                        let location = lines.location(text, start);
                        match keys.get(&key) {
                            Some(first) => found.push(ReadError::DuplicateKey {
                                key,
                                first: *first,
                                second: location,
                            }),
                            None => {
                                keys.insert(key, location);
                            }
                        }
                    }
                }
            }
        }
        match event {
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    break;
                }
            }
            Event::MappingStart(..) => stack.push(Frame::Mapping {
                keys: HashMap::new(),
                expect_key: true,
            }),
            Event::SequenceStart(..) => stack.push(Frame::Sequence),
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
            }
            _ => {}
        }
    }
    found
}

/// The key's text as the reader compares keys: `1` and `"1"` are the same key.
fn key_text(value: &str, style: ParserStyle) -> String {
    match style {
        ParserStyle::Plain if value.is_empty() => String::new(),
        ParserStyle::Plain => scalar_value(value, ScalarStyle::Plain, None)
            .scalar_text()
            .unwrap_or_default(),
        _ => value.to_owned(),
    }
}
