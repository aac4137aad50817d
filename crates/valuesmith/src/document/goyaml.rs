//! Where Helm's parser (go-yaml v2, under `sigs.k8s.io/yaml`) and YAML 1.2 part ways on the
//! same bytes, for the Helm readings: what go-yaml's scanner refuses that YAML 1.2 reads, and
//! the few forms it reads otherwise (docs/helm-semantics.md, "What Helm's parser refuses").
//!
//! The parser reads YAML 1.2; these rules run over its events and the source text:
//! - tabs: go-yaml skips a tab between tokens only in brackets or after a value; one that
//!   starts a line, follows `-`, `?` or an explicit key's `:`, sits in a block scalar's
//!   indentation, or in a multi-line plain value's indentation, stops it;
//! - `\/` in double quotes is no escape go-yaml knows;
//! - an anchor or alias name is letters, digits, `_` and `-` only (`&a:b` is the anchor `a`
//!   on the value `:b`);
//! - a tag runs on through `,`, `[` and `]`;
//! - in brackets, `:` and `?` are always indicators, a plain value ends at `?`, and a key's
//!   `:` must be on the key's line;
//! - a block scalar whose last line ends the file without a line break has no final break.

use std::ops::Range;

use super::{CollectionStyle, Document, Node, NodeId, NodeKind, ReadError, ScalarStyle};

/// A refusal at a byte offset, in go-yaml's words: Helm refuses the form too, or (with
/// `helm_reads`) Helm reads it otherwise than YAML 1.2 in a way valuesmith's parser cannot
/// follow, so neither reading would be Helm's.
pub(super) struct Refusal {
    pub offset: usize,
    pub reason: String,
    pub helm_reads: bool,
}

fn refuse(offset: usize, what: &str, goyaml: &str) -> Refusal {
    Refusal {
        offset,
        reason: format!("{what} (go-yaml: `{goyaml}`)"),
        helm_reads: false,
    }
}

/// A form Helm reads as `helm` reads it, where valuesmith would read something else.
fn read_otherwise(offset: usize, what: &str, helm: &str) -> Refusal {
    Refusal {
        offset,
        reason: format!("{what} (Helm reads {helm})"),
        helm_reads: true,
    }
}

impl Refusal {
    /// The read error at `location`.
    pub(super) fn into_error(self, location: super::Location) -> ReadError {
        if self.helm_reads {
            ReadError::HelmReadsOtherwise {
                reason: self.reason,
                location,
            }
        } else {
            ReadError::HelmRefuses {
                reason: self.reason,
                location,
            }
        }
    }
}

/// Whether go-yaml takes `b` into an anchor or alias name.
fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// What go-yaml makes of an anchor (`&name`, `is_anchor`) or alias (`*name`) whose YAML 1.2
/// name is `name`, written at `span` in `source`: `Ok(None)` when it reads the same name,
/// `Ok(Some(cut))` when it ends the name `cut` bytes in at a `:` that starts a plain value
/// (an anchor in block context only), else why it refuses.
pub(super) fn check_name(
    source: &str,
    span: &Range<usize>,
    name: &str,
    is_anchor: bool,
    in_flow: bool,
) -> Result<Option<usize>, Refusal> {
    let cut = name.bytes().take_while(|b| is_name_byte(*b)).count();
    if cut == name.len() {
        return Ok(None);
    }
    let what = if is_anchor { "anchor" } else { "alias" };
    let at = span.start + 1 + cut;
    let next = name.as_bytes()[cut];
    let after = source.as_bytes().get(at + 1).copied().unwrap_or(b' ');
    if cut > 0 && is_anchor && !in_flow && next == b':' && !b" \t\r\n".contains(&after) {
        return Ok(Some(cut));
    }
    Err(refuse(
        at,
        &format!(
            "Helm's parser ends the {what} name `{name}` at `{}`: a name is letters, digits, \
            `_` and `-` only",
            next as char
        ),
        if cut == 0 || !b"?:,]}%@`".contains(&next) {
            "did not find expected alphabetic or numeric character"
        } else {
            "mapping values are not allowed in this context"
        },
    ))
}

/// A double-quoted scalar written at `span`: go-yaml knows YAML 1.2's escapes but `\/`.
pub(super) fn check_escapes(source: &str, span: &Range<usize>) -> Result<(), Refusal> {
    let bytes = &source.as_bytes()[span.clone()];
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            if bytes.get(i + 1) == Some(&b'/') {
                return Err(refuse(
                    span.start + i,
                    "`\\/` in double quotes: Helm's parser knows no such escape (write `/`)",
                    "found unknown escape character",
                ));
            }
            i += 1;
        }
        i += 1;
    }
    Ok(())
}

/// A tag ending at `end`: go-yaml reads `,`, `[` and `]` into it. Before a `,` in a flow
/// sequence (`in_sequence`) Helm then reads the next item with that tag (`[!!str, b]` is
/// `["b"]`); elsewhere it stops.
pub(super) fn check_tag_end(source: &str, end: usize, in_sequence: bool) -> Result<(), Refusal> {
    match source.as_bytes().get(end) {
        Some(b',') if in_sequence => Err(read_otherwise(
            end,
            "a tag followed by `,` in brackets: Helm's parser reads the `,` into the tag and \
            puts the tag on the next item (put a space after the tag)",
            "`[!!str, b]` as `[\"b\"]`",
        )),
        Some(&c) if b",[]".contains(&c) => Err(refuse(
            end,
            &format!(
                "a tag followed by `{}`: Helm's parser reads the `{}` into the tag (put a space \
                after the tag)",
                c as char, c as char
            ),
            "did not find expected ',' or '}'",
        )),
        _ => Ok(()),
    }
}

/// A plain scalar in brackets, at `start` with text `text`: go-yaml takes a leading `:` or
/// `?` as an indicator and ends a plain value at `?`. `Ok(Some(text))` is the key go-yaml
/// reads for `{?key: v}` (`is_key`).
pub(super) fn check_flow_plain(
    text: &str,
    start: usize,
    is_key: bool,
    in_sequence: bool,
) -> Result<Option<String>, Refusal> {
    if in_sequence && (text == "?" || text.starts_with("??")) {
        return Err(refuse(
            start,
            "a `?` in brackets with no key after it: Helm's parser reads it as a key \
            indicator and finds no key (quote it)",
            "did not find expected node content",
        ));
    }
    if in_sequence && text.starts_with('?') {
        return Err(read_otherwise(
            start,
            "a `?` that starts an unquoted item in brackets: Helm's parser reads it as a key \
            indicator, so the item is a mapping (write `{a: null}`, or quote the value for a \
            string)",
            "`[?a]` as `[{a: null}]`",
        ));
    }
    if text.starts_with(':') {
        return Err(refuse(
            start,
            "a value in brackets that starts with `:`: Helm's parser reads the `:` as the \
            key-value separator (quote the value)",
            "did not find expected node content",
        ));
    }
    let rest = match text.strip_prefix('?') {
        Some(rest) if is_key => rest.trim_start_matches([' ', '\t']),
        _ => text,
    };
    if let Some(at) = rest.find('?') {
        return Err(refuse(
            start + (text.len() - rest.len()) + at,
            "a `?` in an unquoted value in brackets: Helm's parser reads it as a key indicator \
            (quote the value)",
            "did not find expected ',' or ']'",
        ));
    }
    Ok((rest.len() != text.len()).then(|| rest.to_owned()))
}

/// Where a scalar is and what encloses it.
struct Scalar {
    span: Range<usize>,
    style: ScalarStyle,
    /// The column of the innermost block collection holding it (-1 at the top).
    indent: i64,
}

/// What the tree walk collects.
#[derive(Default)]
struct Layout {
    scalars: Vec<Scalar>,
    flows: Vec<Range<usize>>,
}

impl Document {
    fn column(&self, offset: usize) -> i64 {
        let line = self.lines.line_of(offset);
        let start = self.lines.line_start(line);
        self.source[start..offset].chars().count() as i64
    }

    fn walk(&self, id: NodeId, indent: i64, layout: &mut Layout) {
        let node = self.node(id);
        match &node.kind {
            NodeKind::Scalar { style, .. } => layout.scalars.push(Scalar {
                span: node.span.clone(),
                style: *style,
                indent,
            }),
            NodeKind::Alias { .. } => {}
            NodeKind::Mapping { style, entries } => {
                let inner = self.inner_indent(*style, &node.span, indent, layout);
                for entry in entries {
                    self.walk(entry.key, inner, layout);
                    self.walk(entry.value, inner, layout);
                }
            }
            NodeKind::Sequence { style, items } => {
                let inner = self.inner_indent(*style, &node.span, indent, layout);
                for item in items {
                    self.walk(*item, inner, layout);
                }
            }
        }
    }

    fn inner_indent(
        &self,
        style: CollectionStyle,
        span: &Range<usize>,
        indent: i64,
        layout: &mut Layout,
    ) -> i64 {
        match style {
            CollectionStyle::Flow => {
                layout.flows.push(span.clone());
                indent
            }
            CollectionStyle::Block => self.column(span.start),
        }
    }

    /// go-yaml's scanner rules over the whole document: tabs and a flow key's `:`.
    pub(super) fn check_go_yaml_scanner(&self) -> Result<(), ReadError> {
        let result = self.check_flow_keys().and_then(|()| {
            if !self.source.contains('\t') {
                return Ok(());
            }
            let mut layout = Layout::default();
            for &root in &self.roots {
                self.walk(root, -1, &mut layout);
            }
            layout.scalars.sort_by_key(|s| s.span.start);
            self.check_tabs(&layout)
        });
        result.map_err(|refusal| {
            let location = self.location(refusal.offset);
            refusal.into_error(location)
        })
    }

    /// In brackets, go-yaml takes a key only when its `:` is on the key's line.
    fn check_flow_keys(&self) -> Result<(), Refusal> {
        let flow_entries = self.nodes.iter().filter_map(|n| match &n.kind {
            NodeKind::Mapping {
                style: CollectionStyle::Flow,
                entries,
            } => Some(entries),
            _ => None,
        });
        for entry in flow_entries.flatten() {
            let node = self.node(entry.key);
            if node.span.is_empty() {
                continue;
            }
            let before = self.source[..node.span.start].trim_end();
            if before.ends_with('?') {
                continue;
            }
            let Some(colon) = self.next_token(node.span.end) else {
                continue;
            };
            if self.source.as_bytes()[colon] == b':'
                && self.lines.line_of(colon) != self.lines.line_of(node.span.start)
            {
                return Err(refuse(
                    colon,
                    "a key in brackets whose `:` is on a later line: Helm's parser needs the \
                    `:` on the key's line",
                    "did not find expected ',' or '}'",
                ));
            }
        }
        Ok(())
    }

    /// The first byte at or after `from` that is not blank, a line break or a comment.
    fn next_token(&self, from: usize) -> Option<usize> {
        let bytes = self.source.as_bytes();
        let mut i = from;
        while i < bytes.len() {
            match bytes[i] {
                b' ' | b'\t' | b'\r' | b'\n' => i += 1,
                b'#' => {
                    while i < bytes.len() && bytes[i] != b'\n' {
                        i += 1;
                    }
                }
                _ => return Some(i),
            }
        }
        None
    }

    /// The scalar whose span holds `offset`.
    fn scalar_at<'l>(&self, layout: &'l Layout, offset: usize) -> Option<&'l Scalar> {
        let i = layout.scalars.partition_point(|s| s.span.start <= offset);
        layout.scalars[..i]
            .iter()
            .rev()
            .take(4)
            .find(|s| s.span.contains(&offset))
    }

    fn in_comment(&self, offset: usize) -> bool {
        let i = self.comments.partition_point(|c| c.span.start <= offset);
        i > 0 && self.comments[i - 1].span.contains(&offset)
    }

    fn in_flow(layout: &Layout, offset: usize) -> bool {
        layout
            .flows
            .iter()
            .any(|f| f.start < offset && offset < f.end)
    }

    fn check_tabs(&self, layout: &Layout) -> Result<(), Refusal> {
        let mut block_regions = Vec::new();
        for scalar in layout.scalars.iter().filter(|s| s.style.is_block()) {
            block_regions.push(self.check_block_scalar(scalar)?);
        }
        let bytes = self.source.as_bytes();
        for (t, _) in self.source.match_indices('\t') {
            if self.in_comment(t) || block_regions.iter().any(|r| r.contains(&t)) {
                continue;
            }
            let line_start = self.lines.line_start(self.lines.line_of(t));
            let leading = bytes[line_start..t]
                .iter()
                .all(|b| *b == b' ' || *b == b'\t');
            if let Some(scalar) = self.scalar_at(layout, t) {
                if scalar.style == ScalarStyle::Plain
                    && leading
                    && self.column(t) < scalar.indent + 1
                {
                    return Err(plain_tab(t));
                }
                continue;
            }
            let in_flow = Self::in_flow(layout, t);
            if leading {
                // What the scanner read last before this line.
                let previous = self.source[..line_start].trim_end();
                let last = previous.len().checked_sub(1);
                if let Some(plain) = last
                    .and_then(|p| self.scalar_at(layout, p))
                    .filter(|s| s.style == ScalarStyle::Plain && !self.in_comment(previous.len()))
                {
                    // The plain value's scan goes on over blank lines.
                    if self.column(t) < plain.indent + 1 {
                        return Err(plain_tab(t));
                    }
                    continue;
                }
                if !in_flow {
                    return Err(start_tab(t));
                }
                continue;
            }
            if in_flow {
                continue;
            }
            let before = self.source[line_start..t].trim_end_matches([' ', '\t']);
            let p = line_start + before.len();
            let Some(&c) = before.as_bytes().last() else {
                continue;
            };
            let alone = before.len() == 1 || matches!(bytes[p - 2], b' ' | b'\t');
            let indicator = match c {
                b'-' | b'?' => alone,
                // The `:` of an explicit key (`? k` above) starts its line.
                b':' => before.trim_start().len() == 1,
                _ => false,
            };
            if indicator && self.scalar_at(layout, p - 1).is_none() && !self.in_comment(p - 1) {
                return Err(start_tab(t));
            }
        }
        Ok(())
    }

    /// go-yaml's scan of a block scalar's lines: a tab where it looks for the indentation
    /// stops it. Gives the region the scan covers.
    fn check_block_scalar(&self, scalar: &Scalar) -> Result<Range<usize>, Refusal> {
        let bytes = self.source.as_bytes();
        let header = scalar.span.start;
        if !matches!(bytes.get(header), Some(b'|' | b'>')) {
            return Ok(header..header);
        }
        let header_end = self.source[header..]
            .find('\n')
            .map_or(self.source.len(), |i| header + i + 1);
        let increment = self.source[header + 1..header_end]
            .bytes()
            .take_while(|b| !b" \t#\r\n".contains(b))
            .find(u8::is_ascii_digit)
            .map(|d| i64::from(d - b'0'));
        let mut indent = match increment {
            Some(m) if scalar.indent >= 0 => scalar.indent + m,
            Some(m) => m,
            None => 0,
        };
        let mut pos = header_end;
        let mut max_col = 0;
        while pos < bytes.len() {
            let line_end = self.source[pos..]
                .find('\n')
                .map_or(bytes.len(), |i| pos + i + 1);
            let mut col = 0;
            let mut i = pos;
            while i < line_end && bytes[i] == b' ' && (indent == 0 || col < indent) {
                i += 1;
                col += 1;
            }
            let blank = matches!(bytes.get(i), None | Some(b'\r' | b'\n'));
            if indent == 0 {
                max_col = max_col.max(col);
            }
            if i < line_end && bytes[i] == b'\t' && (indent == 0 || col < indent) {
                return Err(refuse(
                    i,
                    "a tab in the indentation of a block scalar (`|`, `>`): Helm's parser \
                    takes only spaces there",
                    "found a tab character where an indentation space is expected",
                ));
            }
            if !blank {
                if indent == 0 {
                    indent = max_col.max(scalar.indent + 1).max(1);
                }
                if col < indent {
                    break;
                }
            }
            pos = line_end;
        }
        Ok(header..pos)
    }
}

fn plain_tab(t: usize) -> Refusal {
    refuse(
        t,
        "a tab in the indentation after a value: Helm's parser takes only spaces there",
        "found a tab character that violates indentation",
    )
}

fn start_tab(t: usize) -> Refusal {
    refuse(
        t,
        "a tab at the start of a line or after `-`, `?` or `:`: Helm's parser takes a tab \
        there for indentation and stops",
        "found character that cannot start any token",
    )
}

/// Whether the block scalar whose header is at `header` in `text` runs to the text's end on a
/// last line without a line break: go-yaml then gives it no final line break.
pub(super) fn block_scalar_ends_text(text: &str, header: usize) -> bool {
    let Some(body) = text
        .get(header..)
        .and_then(|t| t.find('\n').map(|i| &t[i + 1..]))
    else {
        return false;
    };
    let Some(last) = body.rsplit('\n').next().filter(|l| !l.is_empty()) else {
        return false;
    };
    let spaces = |line: &str| line.len() - line.trim_start_matches(' ').len();
    let Some(first) = body.lines().find(|l| !l.trim().is_empty()) else {
        return false;
    };
    let indent = spaces(first);
    let last = last.trim_end_matches('\r');
    indent > 0
        && if last.trim().is_empty() {
            last.len() > indent
        } else {
            spaces(last) >= indent
        }
}

/// Where a scalar is read: the source, the text the parser read (from byte `base`), and
/// whether the scalar is in brackets, as a flow mapping's key.
pub(super) struct Context<'a> {
    pub source: &'a str,
    pub text: &'a str,
    pub base: usize,
    pub in_flow: bool,
    pub is_key: bool,
    /// The scalar is an item of a flow sequence.
    pub in_sequence: bool,
}

/// go-yaml's reading of a scalar's text where it differs from the parser's: refused escapes
/// and plain values in brackets, `{?key: v}`, and a block scalar that ends the text without a
/// line break.
pub(super) fn scalar(
    context: &Context<'_>,
    value: &mut String,
    style: ScalarStyle,
    span: &Range<usize>,
) -> Result<(), Refusal> {
    match style {
        ScalarStyle::DoubleQuoted => check_escapes(context.source, span)?,
        ScalarStyle::Plain if context.in_flow && !value.is_empty() => {
            if let Some(key) =
                check_flow_plain(value, span.start, context.is_key, context.in_sequence)?
            {
                *value = key;
            }
        }
        ScalarStyle::Literal | ScalarStyle::Folded
            if !context.text.ends_with('\n')
                && value.ends_with('\n')
                && block_scalar_ends_text(
                    context.text,
                    span.start.saturating_sub(context.base),
                ) =>
        {
            value.pop();
        }
        _ => {}
    }
    Ok(())
}

/// go-yaml's anchor names: `&a:b v` is the anchor `a` on the plain value `:b v` (the anchored
/// `node` and `name` change to that); other names with characters go-yaml does not take are
/// refused.
pub(super) fn anchor(
    source: &str,
    node: &mut Node,
    name: &mut String,
    span: Range<usize>,
    in_flow: bool,
) -> Result<(), Refusal> {
    let Some(cut) = check_name(source, &span, name, true, in_flow)? else {
        return Ok(());
    };
    let from = span.start + 1 + cut;
    match &mut node.kind {
        NodeKind::Scalar {
            text,
            style: ScalarStyle::Plain,
        } if node.span.end > from && !source[from..node.span.end].contains('\n') => {
            *text = source[from..node.span.end].to_owned();
            name.truncate(cut);
            Ok(())
        }
        _ => Err(refuse(
            from,
            &format!(
                "Helm's parser ends the anchor name `{name}` at `:` and reads the rest as a \
                value"
            ),
            "did not find expected alphabetic or numeric character",
        )),
    }
}

/// A document Helm 4 reads on its own: the bytes of its lines, and where the `---` line
/// before it starts (0 for the first).
#[derive(Debug)]
pub(super) struct Helm4Document {
    pub text: Range<usize>,
    pub separator: usize,
}

/// The documents Helm 4 cuts a values file into (k8s.io/apimachinery's `YAMLReader`): a line
/// that starts with `---` ends one, and may hold nothing else than a comment; documents
/// without a byte are skipped. The error is a separator line Helm refuses, with its offset.
pub(super) fn helm4_documents(source: &str) -> Result<Vec<Helm4Document>, (usize, String)> {
    let mut documents = Vec::new();
    let mut start = 0;
    let mut separator = 0;
    // Only lines that start with `---` matter: finding them with memchr's substring search
    // instead of walking every line was 5% of a read of a large file.
    let first = source.starts_with("---").then_some(0);
    let rest = memchr::memmem::find_iter(source.as_bytes(), b"\n---").map(|at| at + 1);
    for offset in first.into_iter().chain(rest) {
        let end = memchr::memchr(b'\n', &source.as_bytes()[offset..])
            .map_or(source.len(), |at| offset + at + 1);
        let line = &source[offset..end];
        let rest = line["---".len()..].trim();
        if !rest.is_empty() && !rest.starts_with('#') {
            return Err((
                offset,
                format!(
                    "a `---` line followed by `{rest}`: Helm 4 cuts a values file into \
                    documents at its `---` lines and refuses one that holds more than a \
                    comment (`invalid Yaml document separator: {rest}`)"
                ),
            ));
        }
        if offset > start {
            documents.push(Helm4Document {
                text: start..offset,
                separator,
            });
        }
        separator = offset;
        start = end;
    }
    if source.len() > start {
        documents.push(Helm4Document {
            text: start..source.len(),
            separator,
        });
    }
    Ok(documents)
}

/// Where a directive line (`%YAML`, `%TAG`) starts, if one comes before any content.
pub(super) fn leading_directive(text: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if line.starts_with('%') {
            return Some(offset);
        }
        if !trimmed.is_empty() && !trimmed.starts_with('#') {
            return None;
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::helm4_documents;

    /// Helm 4's split as a walk over every line, the way YAMLReader reads: what the
    /// substring search must agree with.
    fn by_lines(source: &str) -> Vec<(std::ops::Range<usize>, usize)> {
        let (mut documents, mut start, mut separator, mut offset) = (Vec::new(), 0, 0, 0);
        for line in source.split_inclusive('\n') {
            if line.starts_with("---") {
                if offset > start {
                    documents.push((start..offset, separator));
                }
                separator = offset;
                start = offset + line.len();
            }
            offset += line.len();
        }
        if source.len() > start {
            documents.push((start..source.len(), separator));
        }
        documents
    }

    #[test]
    fn the_document_split_finds_every_separator_line_and_only_those() {
        for source in [
            "",
            "a: 1\n",
            "---\na: 1\n",
            "---",
            "a: 1\n---\nb: 2\n---\n",
            "a: 1\r\n--- # next\r\nb: 2\r\n",
            "a: '---'\n ---\nb: |\n  ---x\n---\n---\nc: 3",
            "a: 1\n---",
            "\n---\n\n---  \n",
        ] {
            let split: Vec<_> = helm4_documents(source)
                .unwrap()
                .into_iter()
                .map(|document| (document.text, document.separator))
                .collect();
            assert_eq!(split, by_lines(source), "{source:?}");
        }
        let (offset, reason) = helm4_documents("a: 1\n--- b\n").unwrap_err();
        assert_eq!(offset, 5);
        assert!(
            reason.contains("invalid Yaml document separator: b"),
            "{reason}"
        );
    }
}
