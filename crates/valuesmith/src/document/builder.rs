//! The builder: decoding bytes, then turning the parser's events into the node arena with
//! byte spans (block scalar headers, block collection extents), anchors and aliases, comments,
//! duplicate and merge keys, and the read-time checks (limits, one document, a values file's
//! top level).

use rustc_hash::{FxHashMap, FxHashSet};
use std::ops::Range;

use granit_parser::{Event, Parser, ScalarStyle as ParserScalarStyle, ScanError};

use super::expand::{scalar_value, Expansion};
use super::goyaml;
use super::{
    Anchor, CollectionStyle, Comment, Document, DocumentKind, DuplicateKey, Entry, Limits,
    LineEnding, Node, NodeId, NodeKind, ReadError, ReadNote, Reading, ScalarStyle,
};
use crate::diagnostic::{LineIndex, Location};
use crate::value::helm::{go_scalar, helm_key};
use crate::value::{Mapping, Value};

pub(super) fn decode(bytes: &[u8]) -> Result<&str, ReadError> {
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Err(ReadError::Utf16 {
            endian: "little-endian",
        });
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(ReadError::Utf16 {
            endian: "big-endian",
        });
    }
    // UTF-16 without a BOM: ASCII text with every other byte zero.
    if bytes.len() >= 4 && bytes[1] == 0 && bytes[3] == 0 && bytes[0] != 0 {
        return Err(ReadError::Utf16 {
            endian: "little-endian",
        });
    }
    if bytes.len() >= 4 && bytes[0] == 0 && bytes[2] == 0 && bytes[1] != 0 {
        return Err(ReadError::Utf16 {
            endian: "big-endian",
        });
    }
    std::str::from_utf8(bytes).map_err(|err| {
        let offset = err.valid_up_to();
        let valid = std::str::from_utf8(&bytes[..offset]).unwrap_or_default();
        let location = LineIndex::new(valid).location(valid, offset);
        ReadError::InvalidUtf8 { offset, location }
    })
}

enum Frame {
    Mapping {
        id: NodeId,
        pending_key: Option<NodeId>,
        /// Where the first entry of each key text is, by the text's hash, once the mapping is
        /// wide enough for a search of its entries per key to cost more ([`seen_key`]).
        keys: Option<FxHashMap<u64, u32>>,
    },
    Sequence {
        id: NodeId,
    },
}

pub(super) struct Builder<'a> {
    source: &'a str,
    lines: LineIndex,
    kind: DocumentKind,
    limits: Limits,
    reading: Reading,
    duplicates: Vec<DuplicateKey>,
    merging: FxHashSet<NodeId>,
    nodes: Vec<Node>,
    stack: Vec<Frame>,
    anchors: FxHashMap<usize, NodeId>,
    comments: Vec<Comment>,
    root: Option<NodeId>,
    /// The root of every document read (Helm 4 reads them all), in order.
    roots: Vec<NodeId>,
    documents: usize,
    last_node: Option<NodeId>,
    /// End of the last token seen, for finding block scalar headers.
    prev_end: usize,
    /// Where the second document starts (Helm readings of a values file).
    second_document: Option<usize>,
    /// What the document was read despite ([`ReadNote`]).
    notes: Vec<ReadNote>,
}

impl<'a> Builder<'a> {
    pub(super) fn new(
        source: &'a str,
        kind: DocumentKind,
        limits: Limits,
        reading: Reading,
    ) -> Self {
        Self {
            source,
            lines: LineIndex::new(source),
            kind,
            limits,
            reading,
            duplicates: Vec::new(),
            merging: FxHashSet::default(),
            nodes: Vec::new(),
            stack: Vec::new(),
            anchors: FxHashMap::default(),
            comments: Vec::new(),
            root: None,
            roots: Vec::new(),
            documents: 0,
            last_node: None,
            prev_end: 0,
            second_document: None,
            notes: Vec::new(),
        }
    }

    fn location(&self, offset: usize) -> Location {
        self.lines.location(self.source, offset)
    }

    fn syntax_error(&self, err: &ScanError, base: usize) -> ReadError {
        let marker = err.marker();
        let offset = (base + marker.byte_offset().unwrap_or(marker.index())).min(self.source.len());
        let location = self.location(offset);
        if matches!(err.kind(), granit_parser::ErrorKind::RecursionLimitExceeded) {
            return ReadError::TooDeep {
                limit: self.limits.max_depth,
                location,
            };
        }
        let message = err.kind().to_string();
        if message.to_ascii_lowercase().contains("tab") {
            // Point at the tab itself, which the parser's marker passes.
            let line = self.lines.line_of(offset.min(self.source.len()));
            let range = self.lines.line_range(self.source, line);
            if let Some(tab) = self.source[range.clone()].find('\t') {
                return ReadError::TabIndent {
                    location: self.location(range.start + tab),
                };
            }
            return ReadError::TabIndent { location };
        }
        // go-yaml takes a `-` before `,`, `]` or `}` in brackets as a plain value; YAML 1.2
        // (and the parser) do not.
        if self.reading.is_helm()
            && matches!(
                err.kind(),
                granit_parser::ErrorKind::PlainScalarStartsWithDashFlowIndicator
            )
        {
            return ReadError::HelmReadsOtherwise {
                reason: "a lone `-` in brackets: Helm's parser reads it as the string `-` \
                    (quote it: `[\"-\"]`) (Helm reads `[-]` as `[\"-\"]`)"
                    .to_owned(),
                location,
            };
        }
        ReadError::Syntax { message, location }
    }

    pub(super) fn build(mut self, bom: bool) -> Result<Document, ReadError> {
        let helm4_values = self.reading == Reading::Helm && self.kind == DocumentKind::Values;
        if !helm4_values {
            let source = self.source;
            self.read_events(source, 0, false)?;
            return self.finish(bom);
        }
        // Helm 4 cuts the file into documents at its `---` lines before parsing each one
        // alone (k8s.io/apimachinery's YAMLReader: every line gets a line break, and a line
        // that starts with `---` and holds more than a comment is refused).
        for chunk in goyaml::helm4_documents(self.source).map_err(|(offset, reason)| {
            ReadError::HelmRefuses {
                reason,
                location: self.location(offset),
            }
        })? {
            let text = &self.source[chunk.text.clone()];
            if let Some(directive) = goyaml::leading_directive(text) {
                return Err(ReadError::HelmRefuses {
                    reason: "a directive (`%YAML`, `%TAG`) before a `---` line: Helm 4 cuts \
                        the file at its `---` lines before parsing, which leaves the directive \
                        without its document (go-yaml: `did not find expected <document \
                        start>`)"
                        .to_owned(),
                    location: self.location(chunk.text.start + directive),
                });
            }
            self.anchors.clear();
            self.documents += 1;
            if self.documents > 1 {
                self.second_document.get_or_insert(chunk.separator);
            }
            if text.ends_with('\n') {
                self.read_events(text, chunk.text.start, true)?;
            } else {
                let owned = format!("{text}\n");
                self.read_events(&owned, chunk.text.start, true)?;
            }
        }
        self.finish(bom)
    }

    /// Reads the events of `text`, which starts at byte `base` of the source: the whole
    /// source, or (`one_document`) one of the documents Helm 4 cuts a values file into, of
    /// which go-yaml reads the first document only.
    fn read_events(
        &mut self,
        text: &str,
        base: usize,
        one_document: bool,
    ) -> Result<(), ReadError> {
        // Strict indentation: YAML 1.2 refuses flow lines indented no deeper than their parent
        // (yaml-test-suite 9C9N), which the parser's PyYAML-compatible default lets through.
        // Nesting: the parser enforces our limit (its scanner reads a run of `[[[[` ahead of the
        // events, so it sees the first collection too many before we do), and a larger
        // `max_depth` is not cut short at its default of 255. Its error becomes `TooDeep`.
        // Helm's reader (go-yaml v2) lets flow lines at their key's column through.
        let nesting = self.limits.max_depth;
        let strict = self.reading == Reading::Yaml12;
        let options = granit_parser::options! {
            emit_anchor_events: true,
            strict_indentation: strict,
            flow_nesting_limit: nesting,
            block_nesting_limit: nesting,
        };
        let parser = Parser::new_from_str_with_options(text, options);
        let mut first_document = true;
        for next in parser {
            let (event, span) = next.map_err(|err| self.syntax_error(&err, base))?;
            // Whatever the parser's markers say, every span stays within the text, so that
            // slicing the text by a span never panics.
            let len = self.source.len();
            let start = (base + span.start.byte_offset().unwrap_or(span.start.index())).min(len);
            let end = (base + span.end.byte_offset().unwrap_or(span.end.index())).min(len);
            let tag_span = span.tag_span();
            let tag = tag_span.and_then(|t| t.slice(text)).map(Box::<str>::from);
            if let Some(t) = tag_span {
                let tag_end = base + t.end.byte_offset().unwrap_or(t.end.index());
                if self.reading.is_helm() {
                    goyaml::check_tag_end(self.source, tag_end, self.in_flow_sequence())
                        .map_err(|r| self.refusal(r))?;
                }
            }
            match event {
                Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
                Event::DocumentStart(..) if one_document => {
                    // go-yaml reads the first document of what it is given.
                    if !first_document {
                        break;
                    }
                    first_document = false;
                }
                Event::DocumentStart(..) => {
                    self.documents += 1;
                    if self.documents > 1 {
                        let values = self.kind == DocumentKind::Values;
                        match self.reading {
                            // Helm 3 reads the first document and never parses the rest.
                            Reading::Helm3 if values => {
                                self.second_document = Some(start);
                                break;
                            }
                            Reading::Helm if values => {
                                // Helm 4 parses each document on its own: no alias reaches
                                // an anchor of an earlier one.
                                self.anchors.clear();
                                self.second_document.get_or_insert(start);
                            }
                            _ => {
                                return Err(ReadError::MultiDocument {
                                    location: self.location(start),
                                })
                            }
                        }
                    }
                }
                Event::Comment(_, placement) => {
                    let line_start = self.lines.line_start(self.lines.line_of(start));
                    self.comments.push(Comment::read(
                        self.source,
                        line_start,
                        start,
                        end,
                        placement,
                    ));
                }
                Event::Anchor(_, name) => {
                    if let Some(last) = self.last_node {
                        let mut name = name.into_owned();
                        if self.reading.is_helm() {
                            self.go_yaml_anchor(last, &mut name, start..end)?;
                        }
                        self.nodes[last.index()].anchor = Some(Box::new(Anchor {
                            name,
                            span: start..end,
                        }));
                    }
                }
                Event::Scalar(value, style, anchor_id, _) => {
                    let style = convert_style(style);
                    let span = self.scalar_span(style, start, end);
                    let mut value = value.into_owned();
                    if self.reading.is_helm() {
                        self.go_yaml_scalar(&mut value, style, &span, text, base)?;
                    }
                    let id = self.push(Node {
                        kind: NodeKind::Scalar { text: value, style },
                        span,
                        anchor: None,
                        tag,
                    })?;
                    if anchor_id != 0 {
                        self.anchors.insert(anchor_id, id);
                    }
                    self.attach(id)?;
                    self.prev_end = end;
                }
                Event::Alias(anchor_id) => {
                    let target =
                        self.anchors
                            .get(&anchor_id)
                            .copied()
                            .ok_or_else(|| ReadError::Syntax {
                                message: "alias to an unknown anchor".to_owned(),
                                location: self.location(start),
                            })?;
                    let name = self.source[start..end].trim_start_matches('*').to_owned();
                    if self.reading.is_helm() {
                        goyaml::check_name(
                            self.source,
                            &(start..end),
                            &name,
                            false,
                            self.in_flow(),
                        )
                        .map_err(|r| self.refusal(r))?;
                    }
                    let id = self.push(Node {
                        kind: NodeKind::Alias { name, target },
                        span: start..end,
                        anchor: None,
                        tag: None,
                    })?;
                    self.attach(id)?;
                    self.prev_end = end;
                }
                Event::UnresolvedAlias(_) => {
                    return Err(ReadError::Syntax {
                        message: "alias to an unknown anchor".to_owned(),
                        location: self.location(start),
                    })
                }
                Event::MappingStart(style, anchor_id, _)
                | Event::SequenceStart(style, anchor_id, _) => {
                    let is_mapping = matches!(event, Event::MappingStart(..));
                    if self.stack.len() >= self.limits.max_depth {
                        return Err(ReadError::TooDeep {
                            limit: self.limits.max_depth,
                            location: self.location(start),
                        });
                    }
                    let style = match style {
                        granit_parser::StructureStyle::Flow => CollectionStyle::Flow,
                        _ => CollectionStyle::Block,
                    };
                    let kind = if is_mapping {
                        NodeKind::Mapping {
                            style,
                            entries: Vec::new(),
                        }
                    } else {
                        NodeKind::Sequence {
                            style,
                            items: Vec::new(),
                        }
                    };
                    let id = self.push(Node {
                        kind,
                        span: start..start,
                        anchor: None,
                        tag,
                    })?;
                    if anchor_id != 0 {
                        self.anchors.insert(anchor_id, id);
                    }
                    self.attach(id)?;
                    self.stack.push(if is_mapping {
                        Frame::Mapping {
                            id,
                            pending_key: None,
                            keys: None,
                        }
                    } else {
                        Frame::Sequence { id }
                    });
                    self.prev_end = end;
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    let id = match self.stack.pop() {
                        Some(Frame::Mapping { id, .. } | Frame::Sequence { id }) => id,
                        None => continue,
                    };
                    self.finish_collection(id, end);
                    self.check_flow_indent(id);
                    self.prev_end = self.prev_end.max(end);
                    self.last_node = None;
                }
                // Events added by later parser versions carry no content we model.
                _ => {}
            }
        }
        Ok(())
    }

    fn refusal(&self, refusal: goyaml::Refusal) -> ReadError {
        let location = self.location(refusal.offset);
        refusal.into_error(location)
    }

    /// Whether the next node is an item of a flow sequence.
    fn in_flow_sequence(&self) -> bool {
        self.in_flow() && matches!(self.stack.last(), Some(Frame::Sequence { .. }))
    }

    /// Whether `offset` is inside a flow collection still open.
    fn in_flow_at(&self, offset: usize) -> bool {
        self.stack.iter().any(|frame| {
            let (Frame::Mapping { id, .. } | Frame::Sequence { id }) = frame;
            let node = &self.nodes[id.index()];
            !node.is_block_collection() && node.span.start < offset
        })
    }

    fn in_flow(&self) -> bool {
        self.stack.last().is_some_and(|frame| {
            let (Frame::Mapping { id, .. } | Frame::Sequence { id }) = frame;
            !self.nodes[id.index()].is_block_collection()
        })
    }

    /// go-yaml's reading of a scalar's text ([`goyaml::scalar`]); `text` is what the parser
    /// read, from byte `base`.
    fn go_yaml_scalar(
        &self,
        value: &mut String,
        style: ScalarStyle,
        span: &Range<usize>,
        text: &str,
        base: usize,
    ) -> Result<(), ReadError> {
        let in_flow = self.in_flow();
        let is_key = matches!(
            self.stack.last(),
            Some(Frame::Mapping {
                pending_key: None,
                ..
            })
        );
        let context = goyaml::Context {
            source: self.source,
            text,
            base,
            in_flow,
            is_key,
            in_sequence: in_flow && matches!(self.stack.last(), Some(Frame::Sequence { .. })),
        };
        goyaml::scalar(&context, value, style, span).map_err(|r| self.refusal(r))
    }

    /// go-yaml's anchor names ([`goyaml::anchor`]).
    fn go_yaml_anchor(
        &mut self,
        node: NodeId,
        name: &mut String,
        span: Range<usize>,
    ) -> Result<(), ReadError> {
        let in_flow = self.in_flow_at(span.start);
        goyaml::anchor(
            self.source,
            &mut self.nodes[node.index()],
            name,
            span,
            in_flow,
        )
        .map_err(|r| self.refusal(r))
    }

    fn push(&mut self, node: Node) -> Result<NodeId, ReadError> {
        // `NodeId` is 32 bits: no limit may let the arena outgrow it.
        let limit = self.limits.max_nodes.min(u32::MAX as usize);
        if self.nodes.len() >= limit {
            return Err(ReadError::TooManyNodes {
                limit: self.limits.max_nodes,
                location: self.location(node.span.start),
            });
        }
        let id = NodeId(self.nodes.len() as u32);
        self.nodes.push(node);
        self.last_node = Some(id);
        Ok(id)
    }

    /// Block scalars start at their header; empty plain scalars sit just after their indicator.
    fn scalar_span(&self, style: ScalarStyle, start: usize, end: usize) -> Range<usize> {
        let bytes = self.source.as_bytes();
        if style.is_block() {
            let header = self.find_block_header(start).unwrap_or(start);
            // End after the last line holding content, before its line break.
            let body = &self.source[start..end];
            let mut content_end = start;
            let mut offset = start;
            for line in body.split_inclusive('\n') {
                let text = line.trim_end_matches(['\n', '\r']);
                if !text.trim().is_empty() {
                    content_end = offset + text.len();
                }
                offset += line.len();
            }
            if content_end == start {
                // No content: the header line alone.
                let line = self.lines.line_of(header);
                let range = self.lines.line_range(self.source, line);
                let header_text = &self.source[header..range.end];
                let header_len = header_text
                    .find(|c: char| c.is_whitespace())
                    .unwrap_or(header_text.len());
                return header..header + header_len;
            }
            return header..content_end;
        }
        if style == ScalarStyle::Plain && start == end {
            let pos = start.min(bytes.len());
            if pos < bytes.len() && matches!(bytes[pos], b':' | b'-' | b'?') {
                return pos + 1..pos + 1;
            }
            return pos..pos;
        }
        start..end
    }

    /// The `|` or `>` that starts the block scalar whose content starts at `content_start`.
    fn find_block_header(&self, content_start: usize) -> Option<usize> {
        let region = &self.source[self.prev_end.min(content_start)..content_start];
        let mut in_comment = false;
        let mut prev_space = true;
        for (i, c) in region.char_indices() {
            match c {
                '\n' => in_comment = false,
                '#' if prev_space => in_comment = true,
                '|' | '>' if !in_comment => return Some(self.prev_end + i),
                _ => {}
            }
            prev_space = c.is_whitespace();
        }
        None
    }

    fn attach(&mut self, id: NodeId) -> Result<(), ReadError> {
        let Some(frame) = self.stack.last_mut() else {
            if self.roots.len() < self.documents.max(1) {
                self.roots.push(id);
            }
            if self.root.is_none() {
                self.root = Some(id);
            }
            return Ok(());
        };
        match frame {
            Frame::Sequence { id: seq } => {
                let seq = *seq;
                if let NodeKind::Sequence { items, .. } = &mut self.nodes[seq.index()].kind {
                    items.push(id);
                }
            }
            Frame::Mapping {
                id: map,
                pending_key,
                keys,
            } => match pending_key.take() {
                None => *pending_key = Some(id),
                Some(key) => {
                    let map = *map;
                    let key_text = key_text(&self.nodes, self.source, key, self.reading).map_err(
                        |reason| ReadError::HelmRefuses {
                            reason,
                            location: self
                                .lines
                                .location(self.source, self.nodes[key.index()].span.start),
                        },
                    )?;
                    let NodeKind::Mapping { entries, .. } = &self.nodes[map.index()].kind else {
                        unreachable!("a mapping frame is a mapping node");
                    };
                    if let Some(first) = seen_key(entries, keys, &key_text) {
                        let first = self
                            .lines
                            .location(self.source, self.nodes[first.index()].span.start);
                        let second = self
                            .lines
                            .location(self.source, self.nodes[key.index()].span.start);
                        if self.reading == Reading::Yaml12 {
                            return Err(ReadError::DuplicateKey {
                                key: key_text,
                                first,
                                second,
                            });
                        }
                        self.duplicates.push(DuplicateKey {
                            key: key_text.clone(),
                            first,
                            second,
                        });
                        self.merging.insert(map);
                    }
                    if self.reading.is_helm() && key_text == "<<" {
                        self.merging.insert(map);
                    }
                    if let NodeKind::Mapping { entries, .. } = &mut self.nodes[map.index()].kind {
                        entries.push(Entry {
                            key_text,
                            key,
                            value: id,
                        });
                    }
                }
            },
        }
        Ok(())
    }

    fn finish_collection(&mut self, id: NodeId, end_event_end: usize) {
        let (style, children): (CollectionStyle, Vec<NodeId>) = match &self.nodes[id.index()].kind {
            NodeKind::Mapping { style, entries } => (
                *style,
                entries.iter().flat_map(|e| [e.key, e.value]).collect(),
            ),
            NodeKind::Sequence { style, items } => (*style, items.clone()),
            _ => return,
        };
        let start = self.nodes[id.index()].span.start;
        let end = match style {
            CollectionStyle::Flow => end_event_end,
            CollectionStyle::Block => children
                .iter()
                .map(|c| self.nodes[c.index()].span.end)
                .max()
                .unwrap_or(start),
        };
        let start = match style {
            CollectionStyle::Flow => start,
            CollectionStyle::Block => children
                .iter()
                .map(|c| self.nodes[c.index()].span.start)
                .chain(self.block_sequence_dash(id))
                .min()
                .unwrap_or(start),
        };
        self.nodes[id.index()].span = start..end.max(start);
    }

    /// A flow collection nested in a block one whose later lines are indented no deeper than
    /// the line it starts on: YAML 1.2 refuses it, Helm's reader (go-yaml v2) reads it, and it
    /// is most often a bracket closed where it should not be. Recorded as a note.
    fn check_flow_indent(&mut self, id: NodeId) {
        let node = &self.nodes[id.index()];
        let flow = matches!(
            node.kind,
            NodeKind::Mapping {
                style: CollectionStyle::Flow,
                ..
            } | NodeKind::Sequence {
                style: CollectionStyle::Flow,
                ..
            }
        );
        let in_block = self.stack.last().is_some_and(|frame| {
            let (Frame::Mapping { id, .. } | Frame::Sequence { id }) = frame;
            self.nodes[id.index()].is_block_collection()
        });
        if !flow || !in_block {
            return;
        }
        let span = node.span.clone();
        let indent = |range: Range<usize>| {
            let text = &self.source[range];
            (
                text.len() - text.trim_start_matches(' ').len(),
                text.trim().is_empty(),
            )
        };
        let first = self.lines.line_of(span.start);
        let last = self.lines.line_of(span.end);
        let (base, _) = indent(self.lines.line_range(self.source, first));
        for line in first + 1..=last {
            let range = self.lines.line_range(self.source, line);
            let (depth, blank) = indent(range.clone());
            if !blank && depth <= base {
                self.notes.push(ReadNote::FlowIndent {
                    location: self.location(range.start + depth),
                });
                return;
            }
        }
    }

    /// A block sequence's span starts at its first `-`. The start event gives the dash for an
    /// indented sequence but the first item's content for an indentless one, so look back
    /// from the first item.
    fn block_sequence_dash(&self, id: NodeId) -> Option<usize> {
        let NodeKind::Sequence { items, .. } = &self.nodes[id.index()].kind else {
            return None;
        };
        let first = &self.nodes[items.first()?.index()];
        let item_start = first
            .anchor
            .as_ref()
            .map_or(first.span.start, |a| a.span.start.min(first.span.start));
        let before = self.source[..item_start].trim_end();
        before.ends_with('-').then(|| before.len() - 1)
    }

    fn finish(self, bom: bool) -> Result<Document, ReadError> {
        let line_ending = match self.source.find('\n') {
            Some(i) if i > 0 && self.source.as_bytes()[i - 1] == b'\r' => LineEnding::CrLf,
            _ => LineEnding::Lf,
        };
        // A stream with no document, or a document that is an empty plain scalar, has no root.
        let nodes = &self.nodes;
        let has_content = |root: &NodeId| {
            !matches!(&nodes[root.index()].kind,
                NodeKind::Scalar { text, style: ScalarStyle::Plain }
                    if text.is_empty() || (text == "~" && nodes[root.index()].span.is_empty()))
        };
        let roots: Vec<NodeId> = self.roots.iter().copied().filter(has_content).collect();
        let root = roots.first().copied();
        let documents = self.documents.max(1);
        let mut notes = self.notes;
        if let Some(start) = self.second_document {
            let location = self.lines.location(self.source, start);
            notes.push(ReadNote::MultiDocument {
                reading: self.reading,
                location,
            });
            notes.sort_by_key(|note| note.location());
        }
        let mut document = Document {
            source: self.source.to_owned(),
            bom,
            line_ending,
            lines: self.lines,
            nodes: self.nodes,
            root,
            roots,
            documents,
            comments: self.comments,
            value: std::sync::OnceLock::new(),
            kind: self.kind,
            limits: self.limits,
            reading: self.reading,
            duplicates: self.duplicates,
            merging: self.merging,
            notes,
        };
        if self.reading.is_helm() {
            document.check_go_yaml_scanner()?;
        }
        // A document whose value cannot fail to build (one root, no alias, tag, merge key,
        // duplicate key or scalar Helm refuses) builds it when it is first asked for: a diff
        // compares nodes and never needs it, and its trees are most of a read's memory.
        if document.builds_without_failure() {
            return checked(document);
        }
        let mut whole = Value::Null;
        let mut budget = self.limits.max_expanded_nodes;
        let roots = document.roots.clone();
        for (i, &root) in roots.iter().enumerate() {
            let value =
                document
                    .build_value(root, &mut budget, 0, None)
                    .map_err(|stop| match stop {
                        Expansion::Budget(at) => ReadError::AliasBudget {
                            limit: self.limits.max_expanded_nodes,
                            location: document.node_location(at),
                        },
                        Expansion::Depth(at) => ReadError::TooDeep {
                            limit: self.limits.max_depth,
                            location: document.node_location(at),
                        },
                        Expansion::Refused(at, reason) => ReadError::HelmRefuses {
                            reason: reason.into(),
                            location: document.node_location(at),
                        },
                    })?;
            if i == 0 {
                whole = value;
                continue;
            }
            // Helm 4: each later document merges over the ones before, as `-f` files do.
            match (&mut whole, value) {
                (Value::Mapping(into), Value::Mapping(over)) => into.merge_over(over),
                (_, value) => {
                    let at = if matches!(whole, Value::Mapping(_)) {
                        root
                    } else {
                        roots[0]
                    };
                    let found = if at == root { &value } else { &whole };
                    return Err(ReadError::HelmRefuses {
                        reason: format!(
                            "a document of a values file is a {}, and Helm 4 merges every \
                            document as a mapping (`cannot unmarshal {} into Go value of type \
                            map[string]interface {{}}`)",
                            found.type_name(),
                            found.type_name()
                        ),
                        location: document.node_location(at),
                    });
                }
            }
        }
        document.value = std::sync::OnceLock::from(whole);
        checked(document)
    }
}

/// `document` after the checks of its kind (for a values file: Helm's reading of an empty
/// file, a mapping at the root).
fn checked(mut document: Document) -> Result<Document, ReadError> {
    if document.kind == DocumentKind::Values {
        check_values_document(&mut document)?;
    }
    Ok(document)
}

/// Mappings up to this many entries look for a duplicate key by comparing texts: most
/// mappings are this small, and a hash table per mapping would cost more than it saves.
const LINEAR_KEYS: usize = 8;

/// The key node of the first of `entries` whose key text is `text`, if any; otherwise `text`
/// is recorded (in `index`, once the mapping is wide) as the key of the entry about to be
/// pushed. The index maps a text's hash to its first entry, so no key text is copied into it;
/// a hash shared by two texts falls back to a search.
fn seen_key(
    entries: &[Entry],
    index: &mut Option<FxHashMap<u64, u32>>,
    text: &str,
) -> Option<NodeId> {
    use std::collections::hash_map::Entry as Slot;
    use std::hash::BuildHasher;
    let search = || entries.iter().find(|e| e.key_text == text).map(|e| e.key);
    if index.is_none() && entries.len() < LINEAR_KEYS {
        return search();
    }
    let hash = |text: &str| rustc_hash::FxBuildHasher.hash_one(text);
    let index = index.get_or_insert_with(|| {
        let mut map = FxHashMap::with_capacity_and_hasher(2 * LINEAR_KEYS, Default::default());
        for (i, entry) in entries.iter().enumerate() {
            map.entry(hash(&entry.key_text)).or_insert(i as u32);
        }
        map
    });
    match index.entry(hash(text)) {
        Slot::Vacant(slot) => {
            slot.insert(entries.len() as u32);
            None
        }
        Slot::Occupied(slot) => {
            let first = &entries[*slot.get() as usize];
            if first.key_text == text {
                Some(first.key)
            } else {
                search()
            }
        }
    }
}

/// The text a path segment uses for a key: a scalar's value, an alias's target's, or (YAML 1.2
/// reading) the source text of a complex key. By Helm's reading, the string
/// `sigs.k8s.io/yaml` makes of the key (`y` is `true`, `0x10` is `16`), or why Helm refuses it.
fn key_text(nodes: &[Node], source: &str, key: NodeId, reading: Reading) -> Result<String, String> {
    let mut id = key;
    while let NodeKind::Alias { target, .. } = nodes[id.index()].kind {
        id = target;
    }
    let node = &nodes[id.index()];
    if reading.is_helm() {
        return match &node.kind {
            NodeKind::Scalar { text, style } => {
                go_scalar(text, *style, node.tag.as_deref()).and_then(helm_key)
            }
            _ => Err(format!(
                "a {} as a mapping key (`invalid map key`)",
                if matches!(node.kind, NodeKind::Mapping { .. }) {
                    "mapping"
                } else {
                    "sequence"
                }
            )),
        };
    }
    Ok(match &node.kind {
        NodeKind::Scalar { text, style } => match scalar_value(text, *style, node.tag.as_deref()) {
            Value::Null if text.is_empty() => String::new(),
            other => other.scalar_text().unwrap_or_default(),
        },
        _ => source[node.span.clone()].to_owned(),
    })
}

fn check_values_document(document: &mut Document) -> Result<(), ReadError> {
    let empty = match document.root {
        None => true,
        // Only a scalar root can be null; the value of a collection is not asked for here.
        Some(root) => {
            matches!(
                document.node(root).kind,
                NodeKind::Scalar { .. } | NodeKind::Alias { .. }
            ) && *document.value() == Value::Null
        }
    };
    if empty && document.reading.is_helm() {
        // Helm reads an empty, comment-only or `~` file as no values (validate reports it).
        document.value = std::sync::OnceLock::from(Value::Mapping(Mapping::new()));
        return Ok(());
    }
    let Some(root) = document.root else {
        return Err(ReadError::Empty {
            comments_only: !document.comments.is_empty(),
        });
    };
    let node = document.node(root);
    match &node.kind {
        NodeKind::Mapping { entries, .. } => {
            if let Some(first) = entries.first() {
                if first.key_text.trim() == "USER-SUPPLIED VALUES" {
                    return Err(ReadError::HelmHeader {
                        location: document.node_location(first.key),
                    });
                }
            }
            Ok(())
        }
        _ => {
            let found = document.value().type_name();
            if document
                .source
                .trim_start()
                .starts_with("USER-SUPPLIED VALUES:")
            {
                return Err(ReadError::HelmHeader {
                    location: document.node_location(root),
                });
            }
            Err(ReadError::NotAMapping {
                found,
                location: document.node_location(root),
            })
        }
    }
}

fn convert_style(style: ParserScalarStyle) -> ScalarStyle {
    match style {
        ParserScalarStyle::SingleQuoted => ScalarStyle::SingleQuoted,
        ParserScalarStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
        ParserScalarStyle::Literal => ScalarStyle::Literal,
        ParserScalarStyle::Folded => ScalarStyle::Folded,
        _ => ScalarStyle::Plain,
    }
}
