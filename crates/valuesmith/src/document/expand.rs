//! What a node means: its [`Value`] by the document's [`Reading`], with aliases expanded
//! within the limits, merge keys merged and duplicate keys resolved as go-yaml v2 does, and
//! the scalar rules of each reading.

use super::{Document, Entry, NodeId, NodeKind, Reading, ScalarStyle};
use crate::value::helm::{go_scalar, helm_value, is_merge_key, plain_stays_string};
use crate::value::{resolve_plain, Mapping, Value};

/// Why building a value stopped: the node where alias expansion went over a limit, or the
/// node Helm refuses.
pub(super) enum Expansion {
    Budget(NodeId),
    Depth(NodeId),
    Refused(NodeId, Box<str>),
}

impl Document {
    /// Whether building the whole value cannot fail, so that it can wait until it is asked
    /// for: one root, and no alias (budget), merge key or duplicate key (merged mappings),
    /// tag, or plain scalar that Helm refuses (`.nan`, `.inf`: JSON has neither). Collection
    /// depth was checked while reading, with the same limit.
    pub(crate) fn builds_without_failure(&self) -> bool {
        self.roots.len() <= 1
            && self.merging.is_empty()
            && self.nodes.iter().all(|node| {
                node.tag.is_none()
                    && match &node.kind {
                        NodeKind::Alias { .. } => false,
                        // Every form Helm refuses is short and starts with `.`, `+` or `-`:
                        // only those ask the scalar rules.
                        NodeKind::Scalar {
                            text,
                            style: ScalarStyle::Plain,
                        } if self.reading.is_helm()
                            && text.len() <= 5
                            && text.starts_with(['.', '+', '-']) =>
                        {
                            scalar_value_as(self.reading, text, ScalarStyle::Plain, None).is_ok()
                        }
                        _ => true,
                    }
            })
    }

    /// The text of the scalar `id` when its value is plainly that string, told without
    /// building the value (in the Helm readings: a quoted or block scalar without a tag, or a
    /// plain one that no resolution rule applies to); `None` when only
    /// [`Document::value_of`] can tell.
    pub(crate) fn string_text(&self, id: NodeId) -> Option<&str> {
        let node = self.node(id);
        match &node.kind {
            NodeKind::Scalar { text, style }
                if self.reading.is_helm()
                    && node.tag.is_none()
                    && (*style != ScalarStyle::Plain || plain_stays_string(text)) =>
            {
                Some(text)
            }
            _ => None,
        }
    }

    /// The value of node `id` at collection depth `depth`. `alias` is the outermost alias being
    /// expanded: only copies made through an alias spend `budget`, as everything else is
    /// bounded by the size of the input. Recursion is bounded by `max_depth`.
    pub(super) fn build_value(
        &self,
        id: NodeId,
        budget: &mut usize,
        depth: usize,
        alias: Option<NodeId>,
    ) -> Result<Value, Expansion> {
        let node = self.node(id);
        if let Some(alias) = alias {
            let text_len = match &node.kind {
                NodeKind::Scalar { text, .. } => text.len(),
                NodeKind::Mapping { entries, .. } => entries.iter().map(|e| e.key_text.len()).sum(),
                _ => 0,
            };
            let cost = 1 + text_len / 64;
            if *budget < cost {
                return Err(Expansion::Budget(alias));
            }
            *budget -= cost;
        }
        let is_collection = matches!(
            node.kind,
            NodeKind::Sequence { .. } | NodeKind::Mapping { .. }
        );
        if is_collection && depth >= self.limits.max_depth {
            return Err(Expansion::Depth(alias.unwrap_or(id)));
        }
        Ok(match &node.kind {
            NodeKind::Scalar { text, style } => self.scalar(id, text, *style)?,
            NodeKind::Alias { target, .. } => {
                self.build_value(*target, budget, depth, Some(alias.unwrap_or(id)))?
            }
            // Plain loops: iterator adapters add frames to every level of the recursion, which
            // in debug builds costs a multiple of the stack.
            NodeKind::Sequence { items, .. } => {
                let mut values = Vec::with_capacity(items.len());
                for &item in items {
                    values.push(self.build_value(item, budget, depth + 1, alias)?);
                }
                Value::Sequence(values)
            }
            NodeKind::Mapping { entries, .. } if self.merging.contains(&id) => {
                self.merging_mapping(entries, budget, depth, alias)?
            }
            NodeKind::Mapping { entries, .. } => {
                let mut mapping = Mapping::new();
                for entry in entries {
                    // The reader refused duplicate keys, so no lookup is needed (a lookup per
                    // key would make wide mappings quadratic).
                    mapping.push_unique(
                        entry.key_text.clone(),
                        self.build_value(entry.value, budget, depth + 1, alias)?,
                    );
                }
                Value::Mapping(mapping)
            }
        })
    }

    /// The value of a mapping with merge keys or duplicate keys. go-yaml v2 sets each key in
    /// turn: a merge sets the merged mapping's keys (overriding keys written before it), a
    /// later key overrides earlier ones. Out of line, so that the frame of every level of
    /// [`Document::build_value`]'s recursion stays small.
    #[inline(never)]
    fn merging_mapping(
        &self,
        entries: &[Entry],
        budget: &mut usize,
        depth: usize,
        alias: Option<NodeId>,
    ) -> Result<Value, Expansion> {
        let mut pairs: Vec<(String, Value)> = Vec::with_capacity(entries.len());
        for entry in entries {
            if self.is_merge_key(entry.key) {
                self.merge_into(entry.value, &mut pairs, budget, depth, alias)?;
            } else {
                let value = self.build_value(entry.value, budget, depth + 1, alias)?;
                pairs.push((entry.key_text.clone(), value));
            }
        }
        Ok(Value::Mapping(pairs.into_iter().collect()))
    }

    /// A scalar's value by the document's reading (out of line, like
    /// [`Document::merging_mapping`]).
    #[inline(never)]
    fn scalar(&self, id: NodeId, text: &str, style: ScalarStyle) -> Result<Value, Expansion> {
        scalar_value_as(self.reading, text, style, self.node(id).tag.as_deref())
            .map_err(|reason| Expansion::Refused(id, reason.into()))
    }

    /// Whether a key node is go-yaml v2's merge key `<<` (Helm reading only).
    pub(super) fn is_merge_key(&self, key: NodeId) -> bool {
        self.reading.is_helm()
            && matches!(&self.node(key).kind, NodeKind::Scalar { text, style }
                if is_merge_key(text, *style, self.node(key).tag.as_deref()))
    }

    /// Appends the entries a merge key's value brings: a mapping (or an alias of one), or a
    /// sequence of them, the last first so that the earlier ones win, as in go-yaml v2.
    fn merge_into(
        &self,
        value: NodeId,
        pairs: &mut Vec<(String, Value)>,
        budget: &mut usize,
        depth: usize,
        alias: Option<NodeId>,
    ) -> Result<(), Expansion> {
        let refuse = |at: NodeId| {
            Expansion::Refused(
                at,
                "map merge requires map or sequence of maps as the value (`<<` takes a mapping \
                or a list of mappings)"
                    .into(),
            )
        };
        let is_mapping =
            |id: NodeId| matches!(self.node(self.resolve(id)).kind, NodeKind::Mapping { .. });
        let sources: Vec<NodeId> = match &self.node(value).kind {
            NodeKind::Mapping { .. } => vec![value],
            NodeKind::Alias { target, .. } if is_mapping(*target) => vec![value],
            NodeKind::Sequence { items, .. } => {
                if let Some(&bad) = items.iter().find(|&&item| {
                    !matches!(
                        self.node(item).kind,
                        NodeKind::Mapping { .. } | NodeKind::Alias { .. }
                    ) || !is_mapping(item)
                }) {
                    return Err(refuse(bad));
                }
                items.iter().rev().copied().collect()
            }
            _ => return Err(refuse(value)),
        };
        for source in sources {
            // One level deeper: a mapping that merges itself (`&a {<<: *a}`) ends at `max_depth`.
            if let Value::Mapping(mapping) = self.build_value(source, budget, depth + 1, alias)? {
                pairs.extend(mapping);
            }
        }
        Ok(())
    }
}

/// The value of a scalar read by `reading`, or why Helm refuses it.
pub fn scalar_value_as(
    reading: Reading,
    text: &str,
    style: ScalarStyle,
    tag: Option<&str>,
) -> Result<Value, String> {
    match reading {
        Reading::Helm | Reading::Helm3 => go_scalar(text, style, tag).and_then(helm_value),
        Reading::Yaml12 => Ok(scalar_value(text, style, tag)),
    }
}

/// The value of a scalar by the YAML 1.2 reading: quoted and block scalars are strings; plain
/// ones resolve by the YAML 1.2 core schema; standard tags override.
pub fn scalar_value(text: &str, style: ScalarStyle, tag: Option<&str>) -> Value {
    match tag {
        Some("!!str" | "tag:yaml.org,2002:str") => return Value::String(text.to_owned()),
        Some("!!int" | "tag:yaml.org,2002:int" | "!!float" | "tag:yaml.org,2002:float") => {
            if let v @ (Value::Int(_) | Value::Float(_)) = resolve_plain(text) {
                return v;
            }
        }
        Some("!!bool" | "tag:yaml.org,2002:bool") => {
            if let v @ Value::Bool(_) = resolve_plain(text) {
                return v;
            }
        }
        Some("!!null" | "tag:yaml.org,2002:null") => return Value::Null,
        _ => {}
    }
    match style {
        ScalarStyle::Plain if tag.is_none() || tag == Some("!") => {
            if tag == Some("!") {
                Value::String(text.to_owned())
            } else {
                resolve_plain(text)
            }
        }
        ScalarStyle::Plain => resolve_plain(text),
        _ => Value::String(text.to_owned()),
    }
}
