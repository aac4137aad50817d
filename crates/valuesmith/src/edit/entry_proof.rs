//! Proving a one-value set by reading back only the mapping entry its splices lie in.
//!
//! Every edit is proven by reading the result again and comparing what it means with what
//! the change asks for. For a set whose splices all lie inside one block mapping entry, the
//! rest of the text is byte for byte what it was, and the reader is in the same state when it
//! reaches that entry's first line (nothing before it changed) and when it leaves the entry
//! (a line at the entry's column or less, which was there before): so reading that entry's
//! lines alone, as a document, proves what reading the whole text proves, under the
//! conditions [`EntryRegion::prove`] checks. Any doubt answers `None`, and the caller reads the
//! whole text instead, so the proof can only save a read, never accept what a whole read would
//! refuse. docs/library.md ("Read types and edit types") states when it applies.

use std::ops::Range;

use crate::document::{CollectionStyle, Document, Limits, NodeId, NodeKind};
use crate::path::Path;
use crate::value::Value;

use super::{apply_edits, Edit, Lookup, Slot};

/// The lines of one block mapping entry, from its key's line to the next line with content
/// outside it (the comment and blank lines between belong to the region).
#[derive(Debug)]
pub(super) struct EntryRegion {
    /// Byte range in the source: the start of the key's line to the start of the next
    /// content line (or the end of the text).
    range: Range<usize>,
    /// How many path segments lead to the entry's value (the entry's mapping is that deep).
    depth: usize,
    /// The entry's key node.
    key: NodeId,
    /// The entry's value node.
    value: NodeId,
}

impl super::DocumentMut {
    /// The text after `edits` when reading back the entry they lie in proves that it means
    /// the document's value with `path` set to `value`; `None` when that cannot be proven
    /// without reading the whole text.
    pub(super) fn prove_set_in_entry(
        &self,
        path: &Path,
        edits: &[Edit],
        value: &Value,
    ) -> Option<String> {
        let doc = &self.doc;
        if !doc.notes().is_empty()
            || !doc.builds_without_failure()
            || has_other_line_breaks(doc.source())
        {
            return None;
        }
        let region = self.entry_region(path, edits)?;
        region.prove(doc, path, edits, value)
    }

    /// The deepest entry on `path` whose lines hold every splice of `edits`.
    fn entry_region(&self, path: &Path, edits: &[Edit]) -> Option<EntryRegion> {
        let doc = &self.doc;
        let source = doc.source().as_bytes();
        for depth in (1..=path.len()).rev() {
            let prefix = Path::from_segments(path.segments()[..depth].to_vec());
            let Ok(Lookup::Found(located)) = self.locate(&prefix) else {
                continue;
            };
            let Slot::MapValue { map, index } = located.slot else {
                continue;
            };
            let NodeKind::Mapping {
                style: CollectionStyle::Block,
                entries,
            } = &doc.node(map).kind
            else {
                continue;
            };
            let key = doc.node(entries[index].key);
            let line_start = doc.lines().line_start(doc.lines().line_of(key.span.start));
            // The key opens its line: `- key:` and `? key` belong to what is before them.
            if !source[line_start..key.span.start]
                .iter()
                .all(|&b| b == b' ')
            {
                continue;
            }
            let column = key.span.start - line_start;
            let end = doc.node(located.node).span.end.max(key.span.end);
            let Some(region_end) = next_content_line(doc, end, column) else {
                continue;
            };
            if edits
                .iter()
                .all(|e| e.range.start >= key.span.start && e.range.end <= region_end)
            {
                return Some(EntryRegion {
                    range: line_start..region_end,
                    depth,
                    key: entries[index].key,
                    value: located.node,
                });
            }
        }
        None
    }
}

/// The start of the first line after the one holding `end` that has content (not blank, not a
/// comment), or the end of the text; `None` when that line is indented deeper than `column`
/// or opens a sequence item at it, because then it would not have ended the entry by itself.
fn next_content_line(doc: &Document, end: usize, column: usize) -> Option<usize> {
    let lines = doc.lines();
    let next = (lines.line_of(end) + 1..lines.line_count())
        .find(|&line| !doc.is_blank_line(line) && !doc.is_comment_line(line));
    let Some(line) = next else {
        return Some(doc.source().len());
    };
    let text = &doc.source().as_bytes()[lines.line_range(doc.source(), line)];
    let indent = text.iter().take_while(|&&b| b == b' ').count();
    let rest = &text[indent..];
    // A tab where indentation would be: only a whole read tells what it continues.
    if rest.first() == Some(&b'\t') {
        return None;
    }
    let item = rest.first() == Some(&b'-')
        && rest
            .get(1)
            .is_none_or(|b| matches!(b, b' ' | b'\t' | b'\r'));
    (indent < column || (indent == column && !item)).then(|| lines.line_start(line))
}

/// Whether `text` breaks a line other than with `\n` or `\r\n`: a lone `\r`, which YAML
/// reads as a line break, or NEL, LS and PS, which YAML 1.1 readers do. The lines this proof
/// reasons about are the ones `\n` ends.
fn has_other_line_breaks(text: &str) -> bool {
    let bytes = text.as_bytes();
    let lone_cr = memchr::memchr_iter(b'\r', bytes).any(|at| bytes.get(at + 1) != Some(&b'\n'));
    // NEL is C2 85, LS and PS E2 80 A8/A9: only their lead bytes are searched for.
    lone_cr
        || memchr::memchr2_iter(0xC2, 0xE2, bytes).any(|at| {
            matches!(
                bytes[at + 1..],
                [0x85, ..] if bytes[at] == 0xC2
            ) || matches!(bytes[at + 1..], [0x80, 0xA8 | 0xA9, ..] if bytes[at] == 0xE2)
        })
}

impl EntryRegion {
    /// The new whole text when reading the region's new text as a document of its own shows
    /// the same entry holding the old value with `path` set to `value`.
    fn prove(&self, doc: &Document, path: &Path, edits: &[Edit], value: &Value) -> Option<String> {
        let (text, entry_value) = self.read(doc, edits)?;
        let mut expected = doc.value_of(self.value);
        crate::patch::Change::Set {
            path: Path::from_segments(path.segments()[self.depth..].to_vec()),
            old: None,
            new: value.clone(),
        }
        .apply(&mut expected);
        (entry_value == expected).then_some(text)
    }

    /// Reads the region with `edits` applied as a document of its own; when it is the same
    /// entry (one block mapping entry, its key written as before), the new whole text and the
    /// value the entry now holds, which is what a read of the whole text gives it.
    fn read(&self, doc: &Document, edits: &[Edit]) -> Option<(String, Value)> {
        let source = doc.source();
        let grown: isize = edits
            .iter()
            .map(|e| e.text.len() as isize - e.range.len() as isize)
            .sum();
        let shifted: Vec<Edit> = edits
            .iter()
            .map(|e| {
                Edit::new(
                    e.range.start - self.range.start..e.range.end - self.range.start,
                    e.text.clone(),
                )
            })
            .collect();
        let region_text = apply_edits(&source[self.range.clone()], &shifted);
        if has_other_line_breaks(&region_text) {
            return None;
        }
        // The next line must still start a line of its own, where it ended the entry before.
        if self.range.end < source.len() && !region_text.ends_with('\n') {
            return None;
        }
        // Document markers and directives cut or open documents: only a whole read tells.
        if region_text
            .split('\n')
            .any(|line| line.starts_with("---") || line.starts_with("...") || line.starts_with('%'))
        {
            return None;
        }
        let limits = doc.limits();
        let whole_len = source.len().checked_add_signed(grown)? + usize::from(doc.has_bom()) * 3;
        if whole_len > limits.max_bytes {
            return None;
        }
        let region_limits = Limits {
            // The region's mapping is `depth` collections deep in the whole document.
            max_depth: limits.max_depth.checked_sub(self.depth)?,
            max_nodes: limits.max_nodes.checked_sub(doc.node_count())?,
            ..limits
        };
        let read = Document::parse_with(
            &region_text,
            // The same kind: Helm 4's reading of a values file ends its last line with a break.
            doc.kind(),
            region_limits,
            doc.reading(),
        )
        .ok()?;
        if !read.notes().is_empty() || !read.builds_without_failure() {
            return None;
        }
        let root = read.root()?;
        let [entry] = read.entries(root)? else {
            return None;
        };
        if !read.node(root).is_block_collection() {
            return None;
        }
        let (
            NodeKind::Scalar { text, style },
            NodeKind::Scalar {
                text: old_text,
                style: old_style,
            },
        ) = (&read.node(entry.key).kind, &doc.node(self.key).kind)
        else {
            return None;
        };
        // The key where it was: on the first line, at its column.
        let column = doc.node(self.key).span.start - self.range.start;
        if read.node(entry.key).span.start != column
            || text != old_text
            || style != old_style
            || read.node(entry.key).tag.is_some()
        {
            return None;
        }
        let entry_value = read.value_of(entry.value);
        let mut text = String::with_capacity(whole_len);
        if doc.has_bom() {
            text.push('\u{feff}');
        }
        text.push_str(&source[..self.range.start]);
        text.push_str(&region_text);
        text.push_str(&source[self.range.end..]);
        Some((text, entry_value))
    }
}

#[cfg(test)]
mod tests {
    use super::super::DocumentMut;
    use super::*;
    use crate::document::NodeId;
    use crate::patch::Change;
    use crate::value::Mapping;

    fn p(text: &str) -> Path {
        Path::parse(text).unwrap()
    }

    /// What `set` writes, and whether the entry's lines proved it.
    fn set_both_ways(text: &str, path: &str, value: &Value) -> (String, bool) {
        let editor = DocumentMut::new(Document::parse(text).unwrap());
        let edits = editor.plan_set_value(&p(path), value).unwrap().unwrap();
        let proven = editor.prove_set_in_entry(&p(path), &edits, value);
        let mut whole = editor.clone();
        whole.set(&p(path), value).unwrap();
        let (written, _) = editor.set_to_text(&p(path), value).unwrap();
        assert_eq!(written, whole.to_text(), "{path} in {text:?}");
        if let Some(proven) = &proven {
            assert_eq!(proven, &written);
        }
        (written, proven.is_some())
    }

    #[test]
    fn a_set_inside_an_entry_is_proven_by_its_lines() {
        let s = |t: &str| Value::String(t.to_owned());
        let cases: [(&str, &str, Value, &str, bool); 9] = [
            // A leaf deep in a section: its own line.
            (
                "a:\n  b:\n    c: 1 # keep\n  d: 2\ne: 3\n",
                "a.b.c",
                Value::Int(5),
                "a:\n  b:\n    c: 5 # keep\n  d: 2\ne: 3\n",
                true,
            ),
            // A new key under an existing section: the section's lines.
            (
                "a:\n  b: 1\n\n# next\ne: 3\n",
                "a.c",
                s("x"),
                "a:\n  b: 1\n  c: x\n\n# next\ne: 3\n",
                true,
            ),
            // A value that becomes a block of lines.
            (
                "a:\n  b: 1\ne: 3\n",
                "a.b",
                Value::Sequence(vec![Value::Int(1), Value::Int(2)]),
                "a:\n  b:\n    - 1\n    - 2\ne: 3\n",
                true,
            ),
            // A new top-level key lies in no entry: the whole text is read.
            ("a: 1\n", "b", Value::Int(2), "a: 1\nb: 2\n", false),
            // An item's first key follows `- `: the sequence's entry holds it.
            (
                "s:\n- name: x\n  v: 1\nt: 2\n",
                "s[0].name",
                Value::Int(2),
                "s:\n- name: 2\n  v: 1\nt: 2\n",
                true,
            ),
            // ... and a top-level sequence is in no entry.
            (
                "- name: x\n  v: 1\n",
                "[0].name",
                Value::Int(2),
                "- name: 2\n  v: 1\n",
                false,
            ),
            // An item's later key opens its line: its own entry.
            (
                "- name: x\n  v: 1\n",
                "[0].v",
                Value::Int(2),
                "- name: x\n  v: 2\n",
                true,
            ),
            // An alias anywhere: a whole read expands it.
            (
                "a: &x 1\nb:\n  c: 2\nd: *x\n",
                "b.c",
                Value::Int(3),
                "a: &x 1\nb:\n  c: 3\nd: *x\n",
                false,
            ),
            // CRLF and a BOM are kept.
            (
                "\u{feff}a:\r\n  b: 1\r\nc: 2\r\n",
                "a.b",
                Value::Int(9),
                "\u{feff}a:\r\n  b: 9\r\nc: 2\r\n",
                true,
            ),
        ];
        for (text, path, value, expected, proven) in cases {
            let (written, was_proven) = set_both_ways(text, path, &value);
            assert_eq!(written, expected, "{path} in {text:?}");
            assert_eq!(was_proven, proven, "{path} in {text:?}");
        }
    }

    #[test]
    fn line_breaks_other_than_lf_and_crlf_are_found() {
        for (text, other) in [
            ("a: 1\r\nb: 2\r\n", false),
            ("a: 1\rb: 2\n", true),
            ("a: 1\r", true),
            ("a: \u{e9}\u{e0}\u{20ac}\u{2027}\n", false),
            ("a: x\u{85}b: 2\n", true),
            ("a: x\u{2028}\n", true),
            ("a: \u{e9}\u{2029}\n", true),
        ] {
            assert_eq!(has_other_line_breaks(text), other, "{text:?}");
        }
    }

    /// Every scalar leaf under a key, with its path.
    fn keyed_leaves(doc: &Document) -> Vec<(Path, NodeId)> {
        let mut leaves = Vec::new();
        let mut stack = vec![(Path::root(), doc.root().unwrap())];
        while let Some((path, id)) = stack.pop() {
            match &doc.node(id).kind {
                NodeKind::Scalar { .. } if !path.is_root() => leaves.push((path, id)),
                NodeKind::Mapping { entries, .. } => {
                    for entry in entries.iter().rev() {
                        stack.push((path.key(entry.key_text.clone()), entry.value));
                    }
                }
                NodeKind::Sequence { items, .. } => {
                    for (i, &item) in items.iter().enumerate().rev() {
                        stack.push((path.index(i), item));
                    }
                }
                _ => {}
            }
        }
        leaves
    }

    fn corpus_values() -> Option<Vec<(String, Document)>> {
        let files = crate::test_corpus::yaml_files("charts")?;
        Some(
            files
                .into_iter()
                .filter_map(|(path, bytes)| {
                    let doc = Document::values_from_bytes(&bytes).ok()?;
                    Some((path.display().to_string(), doc))
                })
                .collect(),
        )
    }

    /// The planner's own splices, on a sample of the corpus's leaves and new keys beside them,
    /// with values of each shape: what the entry's lines prove is what reading the whole text
    /// verifies, and they prove every one but a new top-level key (which lies in no entry).
    #[test]
    fn a_set_proven_by_its_entry_is_what_a_whole_read_verifies() {
        let Some(files) = corpus_values() else {
            return;
        };
        let mut section = Mapping::new();
        section.insert("enabled", Value::Bool(true));
        let values = [
            Value::String("valuesmith".to_owned()),
            Value::String("two\nlines".to_owned()),
            Value::String(String::new()),
            Value::Int(7),
            Value::Null,
            Value::Mapping(section),
            Value::Sequence(vec![Value::String("a: b".to_owned())]),
        ];
        let (mut cases, mut proven, mut failures) = (0, 0, Vec::new());
        for (name, doc) in &files {
            let leaves = keyed_leaves(doc);
            let editor = DocumentMut::new(doc.clone());
            for (n, (path, _)) in leaves.iter().enumerate().step_by(leaves.len() / 6 + 1) {
                let value = &values[n % values.len()];
                let added = path.split_last().unwrap().0.key("valuesmithAdded");
                for path in [path, &added] {
                    let Ok(Some(edits)) = editor.plan_set_value(path, value) else {
                        continue;
                    };
                    let mut whole = editor.clone();
                    let Ok(()) = whole.commit_set(path, &edits, value) else {
                        continue;
                    };
                    cases += 1;
                    if let Some(text) = editor.prove_set_in_entry(path, &edits, value) {
                        proven += 1;
                        if text != whole.to_text() {
                            failures.push(format!("{name}: {path}"));
                        }
                    } else if path.len() > 1 || doc.get(path).is_some() {
                        failures.push(format!("{name}: {path} is not proven by its entry"));
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
        // Only a new top-level key lies in no entry; those are about one case in ten.
        assert!(
            cases > 1500 && proven * 10 > cases * 8,
            "{proven} of {cases} proven"
        );
    }

    /// A small fixed-seed generator: the same splices on every run.
    struct Splices(u64);

    impl Splices {
        fn next(&mut self, below: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % below as u64) as usize
        }
    }

    /// Splices no planner would write, anywhere in an entry's lines: whenever the entry's lines
    /// read alone say what the entry now means, a read of the whole text says the same, and
    /// where the whole text no longer reads the entry's lines prove nothing.
    #[test]
    fn an_entry_read_alone_never_says_what_a_whole_read_would_not() {
        let Some(files) = corpus_values() else {
            return;
        };
        const FRAGMENTS: &[&str] = &[
            "\r",
            "\r---",
            "\u{85}",
            "\u{2028}x: 1",
            "",
            "x",
            " ",
            "\n",
            "\n  ",
            "\n    ",
            "\n- y",
            "- ",
            ":",
            ": ",
            " #c",
            "#",
            "|",
            "|\n   z",
            ">-\n",
            "\"",
            "'",
            "[",
            "]",
            "{",
            "}",
            ",",
            "---",
            "...",
            "\t",
            "&a ",
            "*a",
            "!!str ",
            "? ",
            "<<: ",
            "k: v",
            "\nk2: 1",
            "\n  k2: 1",
            "\n      k3: [",
            "\r\n",
            "%",
            "@",
            "a: b: c",
            "\"x\n y\"",
            "\n#",
            "-",
            "\n  - 1\n",
            "~",
        ];
        let mut random = Splices(0x5eed_1234_abcd_ef01);
        let (mut accepted, mut trials, mut failures) = (0, 0, Vec::new());
        for (name, doc) in &files {
            let editor = DocumentMut::new(doc.clone());
            let leaves = keyed_leaves(doc);
            for (path, id) in leaves.iter().step_by(leaves.len() / 10 + 1) {
                let span = doc.node(*id).span.clone();
                let Some(region) = editor.entry_region(path, &[Edit::new(span, "")]) else {
                    continue;
                };
                let key_start = doc.node(region.key).span.start;
                let source = doc.source();
                for _ in 0..12 {
                    let mut edits: Vec<Edit> = Vec::new();
                    for _ in 0..1 + random.next(2) {
                        let width = region.range.end - key_start + 1;
                        let mut start = key_start + random.next(width);
                        // A third of them at a line's start or end, where indentation and
                        // line breaks decide what belongs to the entry.
                        if random.next(3) == 0 {
                            let bytes = source.as_bytes();
                            while start > key_start && bytes[start - 1] != b'\n' {
                                start -= random.next(2);
                            }
                        }
                        let end = (start + random.next(4)).min(region.range.end);
                        if !source.is_char_boundary(start)
                            || !source.is_char_boundary(end)
                            || edits
                                .iter()
                                .any(|e| e.range.start <= end && start <= e.range.end)
                        {
                            continue;
                        }
                        let text = FRAGMENTS[random.next(FRAGMENTS.len())];
                        edits.push(Edit::new(start..end, text));
                    }
                    let Some(region) = editor.entry_region(path, &edits) else {
                        continue;
                    };
                    trials += 1;
                    let Some((text, entry_value)) = region.read(doc, &edits) else {
                        continue;
                    };
                    accepted += 1;
                    let entry_path = Path::from_segments(path.segments()[..region.depth].to_vec());
                    let mut expected = doc.value().clone();
                    Change::Set {
                        path: entry_path.clone(),
                        old: None,
                        new: entry_value,
                    }
                    .apply(&mut expected);
                    let whole =
                        Document::parse_with(&text, doc.kind(), doc.limits(), doc.reading());
                    match whole {
                        Ok(whole) if whole.value() == &expected => {}
                        Ok(_) => {
                            failures.push(format!("{name}: {entry_path}: {edits:?} means more"))
                        }
                        Err(err) => {
                            failures.push(format!("{name}: {entry_path}: {edits:?}: {err}"))
                        }
                    }
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} failures: {failures:#?}",
            failures.len()
        );
        // 3,628 of 18,540 when written: most splices break the entry, which is the point.
        assert!(
            trials > 15_000 && accepted > 3_000,
            "{accepted} of {trials}"
        );
    }
}
