//! Semantic YAML values: what a document *means*, with every presentation detail dropped.
//!
//! [`Value`] is what diffs compare, what catalogs state as required values and what edits
//! verify against: after an edit the re-read document's value must equal the expected value.
//! Mapping keys are strings (a non-string key is kept as its source text), and mappings keep
//! their key order so reports list changes in document order.

use std::collections::HashMap;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

pub(crate) mod helm;
pub use helm::{helm_json, MAX_EXACT_INT};

/// A YAML value after alias expansion and scalar resolution: by Helm's reading (go-yaml v2's
/// YAML 1.1 resolution, numbers as float64: see [`helm_json`]) or by the YAML 1.2 core schema
/// ([`crate::document::Reading`]).
#[derive(Debug, Clone)]
pub enum Value {
    /// `~`, `null` or an empty value.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer that fits in 64 bits.
    Int(i64),
    /// Any other number, including `.inf` and `.nan`.
    Float(f64),
    /// A string.
    String(String),
    /// A sequence of values.
    Sequence(Vec<Value>),
    /// A mapping with its keys in document order.
    Mapping(Mapping),
}

/// An ordered mapping from string keys to values.
///
/// Lookups are linear: values-file mappings are small, and keeping document order matters more
/// than lookup speed here.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mapping {
    entries: Vec<(String, Value)>,
}

impl Mapping {
    /// An empty mapping.
    pub fn new() -> Self {
        Self::default()
    }

    /// A mapping of `entries` as they are, for entries already known to have distinct keys
    /// (a mapping stored by the catalog cache): no index is built to find repeated keys.
    pub(crate) fn from_unique_entries(entries: Vec<(String, Value)>) -> Self {
        Mapping { entries }
    }

    /// The value under `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The value under `key`, mutably.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.entries
            .iter_mut()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// Sets `key` to `value`, keeping its position if present, else appending it.
    /// Returns the previous value.
    pub fn insert(&mut self, key: impl Into<String>, value: Value) -> Option<Value> {
        let key = key.into();
        match self.get_mut(&key) {
            Some(slot) => Some(std::mem::replace(slot, value)),
            None => {
                self.entries.push((key, value));
                None
            }
        }
    }

    /// Appends an entry whose key the caller knows is not present yet (the reader, which has
    /// refused duplicate keys already), without the lookup that makes [`Mapping::insert`]
    /// linear.
    pub(crate) fn push_unique(&mut self, key: String, value: Value) {
        self.entries.push((key, value));
    }

    /// Merges `over` into this mapping as Helm merges `-f` files and (Helm 4) the documents
    /// of one values file: a mapping over a mapping merges key by key, anything else (a `null`
    /// too) replaces; new keys go at the end, in `over`'s order.
    pub fn merge_over(&mut self, over: Mapping) {
        let mut positions: rustc_hash::FxHashMap<String, usize> = self
            .entries
            .iter()
            .enumerate()
            .map(|(i, (k, _))| (k.clone(), i))
            .collect();
        for (key, value) in over.entries {
            match positions.get(&key) {
                Some(&at) => match (&mut self.entries[at].1, value) {
                    (Value::Mapping(into), Value::Mapping(from)) => into.merge_over(from),
                    (slot, value) => *slot = value,
                },
                None => {
                    positions.insert(key.clone(), self.entries.len());
                    self.entries.push((key, value));
                }
            }
        }
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let index = self.entries.iter().position(|(k, _)| k == key)?;
        Some(self.entries.remove(index).1)
    }

    /// Whether `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The entries in order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// The keys in order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.entries.iter().map(|(k, _)| k)
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the mapping has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl FromIterator<(String, Value)> for Mapping {
    /// Like [`Mapping::insert`] for each pair (a repeated key keeps its first position and
    /// takes its last value), through an index so that wide mappings stay linear.
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Self {
        let mut positions: HashMap<String, usize> = HashMap::new();
        let mut entries: Vec<(String, Value)> = Vec::new();
        for (k, v) in iter {
            match positions.get(&k) {
                Some(&at) => entries[at].1 = v,
                None => {
                    positions.insert(k.clone(), entries.len());
                    entries.push((k, v));
                }
            }
        }
        Mapping { entries }
    }
}

impl IntoIterator for Mapping {
    type Item = (String, Value);
    type IntoIter = std::vec::IntoIter<(String, Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            // Helm holds every number as a float64: `1` and `1.0` are the same value.
            (Value::Int(i), Value::Float(f)) | (Value::Float(f), Value::Int(i)) => {
                (-MAX_EXACT_INT..=MAX_EXACT_INT).contains(i) && *i as f64 == *f
            }
            // NaN equals NaN here: a document must compare equal to itself.
            (Value::Float(a), Value::Float(b)) => a == b || (a.is_nan() && b.is_nan()),
            (Value::String(a), Value::String(b)) => a == b,
            (Value::Sequence(a), Value::Sequence(b)) => a == b,
            // Key order is presentation, not meaning.
            (Value::Mapping(a), Value::Mapping(b)) => mappings_equal(a, b),
            _ => false,
        }
    }
}

/// Equal entries in any order. Keys in the same order (a document and its edited copy) are
/// compared in one pass; the rest is indexed rather than searched once per key, which would
/// make comparing wide mappings quadratic.
fn mappings_equal(a: &Mapping, b: &Mapping) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let same_order = a
        .entries
        .iter()
        .zip(&b.entries)
        .take_while(|((ka, _), (kb, _))| ka == kb)
        .count();
    let (a_head, a_rest) = a.entries.split_at(same_order);
    let (b_head, b_rest) = b.entries.split_at(same_order);
    if !a_head.iter().zip(b_head).all(|((_, va), (_, vb))| va == vb) {
        return false;
    }
    if a_rest.is_empty() {
        return true;
    }
    let index: HashMap<&str, &Value> = b_rest.iter().map(|(k, v)| (k.as_str(), v)).collect();
    a_rest
        .iter()
        .all(|(k, v)| index.get(k.as_str()).is_some_and(|other| *other == v))
}

impl Value {
    /// The value at `path` (a missing key, index or identity is `None`).
    pub fn at(&self, path: &crate::path::Path) -> Option<&Value> {
        use crate::path::Segment;
        let mut value = self;
        for segment in path.segments() {
            value = match (value, segment) {
                (Value::Mapping(m), Segment::Key(k)) => m.get(k)?,
                (Value::Sequence(items), Segment::Index(i)) => items.get(*i)?,
                (Value::Sequence(items), Segment::Identity { key, value }) => items
                    .iter()
                    .find(|item| crate::path::item_has_identity(item, key, value))?,
                _ => return None,
            };
        }
        Some(value)
    }

    /// The type name used in reports: `null`, `bool`, `int`, `float`, `string`, `sequence`,
    /// `mapping`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::String(_) => "string",
            Value::Sequence(_) => "sequence",
            Value::Mapping(_) => "mapping",
        }
    }

    /// Whether this is a scalar (not a sequence or mapping).
    pub fn is_scalar(&self) -> bool {
        !matches!(self, Value::Sequence(_) | Value::Mapping(_))
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The mapping, if this is one.
    pub fn as_mapping(&self) -> Option<&Mapping> {
        match self {
            Value::Mapping(m) => Some(m),
            _ => None,
        }
    }

    /// The sequence, if this is one.
    pub fn as_sequence(&self) -> Option<&[Value]> {
        match self {
            Value::Sequence(s) => Some(s),
            _ => None,
        }
    }

    /// The text of a scalar as a user would write it: strings as they are, numbers and booleans
    /// in their canonical form, null as `null`. `None` for collections.
    pub fn scalar_text(&self) -> Option<String> {
        Some(match self {
            Value::Null => "null".to_owned(),
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => format_float(*f),
            Value::String(s) => s.clone(),
            _ => return None,
        })
    }

    /// The JSON form of this value (non-finite floats become strings, as JSON has none).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map(J::Number)
                .unwrap_or_else(|| J::String(format_float(*f))),
            Value::String(s) => J::String(s.clone()),
            Value::Sequence(items) => J::Array(items.iter().map(Value::to_json).collect()),
            Value::Mapping(m) => {
                J::Object(m.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
            }
        }
    }

    /// The value of a JSON document.
    pub fn from_json(json: &serde_json::Value) -> Value {
        use serde_json::Value as J;
        match json {
            J::Null => Value::Null,
            J::Bool(b) => Value::Bool(*b),
            J::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            J::String(s) => Value::String(s.clone()),
            J::Array(items) => Value::Sequence(items.iter().map(Value::from_json).collect()),
            J::Object(m) => Value::Mapping(
                m.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        }
    }
}

/// Formats a float the way YAML writes it (`.inf`, `-.inf`, `.nan`, or a decimal that reads
/// back as a float).
pub fn format_float(f: f64) -> String {
    if f.is_nan() {
        ".nan".to_owned()
    } else if f.is_infinite() {
        if f > 0.0 { ".inf" } else { "-.inf" }.to_owned()
    } else {
        let text = f.to_string();
        if text.contains(['.', 'e', 'E']) {
            text
        } else {
            format!("{text}.0")
        }
    }
}

/// Resolves a plain (unquoted) scalar by the YAML 1.2 core schema.
pub fn resolve_plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    if let Some(int) = parse_core_int(text) {
        return int;
    }
    if is_core_float(text) {
        if let Ok(f) = text.parse::<f64>() {
            return Value::Float(f);
        }
    }
    Value::String(text.to_owned())
}

fn parse_core_int(text: &str) -> Option<Value> {
    let (digits, radix) = if let Some(rest) = text.strip_prefix("0o") {
        (rest, 8)
    } else if let Some(rest) = text.strip_prefix("0x") {
        (rest, 16)
    } else {
        let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
        if unsigned.is_empty() || !unsigned.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        return Some(match text.parse::<i64>() {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Float(text.parse::<f64>().ok()?),
        });
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    Some(match i64::from_str_radix(digits, radix) {
        Ok(i) => Value::Int(i),
        Err(_) => Value::Float(u128::from_str_radix(digits, radix).ok()? as f64),
    })
}

/// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
fn is_core_float(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        i += 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - int_start;
    let mut frac_digits = 0;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let frac_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        frac_digits = i - frac_start;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        let exp_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == exp_start {
            return false;
        }
    }
    i == b.len()
}

/// Whether a YAML 1.1 reader (what Helm uses) would read this plain text as something other
/// than a string: booleans (`yes`, `on`, `n`...), nulls, numbers in any 1.1 notation
/// (`0755`, `1_000`, `1.10`, `2025.05.00`, `1:30`), or `=` / `<<`.
pub fn yaml11_reads_as_non_string(text: &str) -> bool {
    const BOOLS: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false",
        "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
    ];
    if BOOLS.contains(&text) || matches!(text, "~" | "null" | "Null" | "NULL" | "" | "=" | "<<") {
        return true;
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if unsigned.is_empty() {
        return false;
    }
    let first = unsigned.as_bytes()[0];
    // ints: binary, octal, decimal, hex, sexagesimal (all with `_` allowed)
    if let Some(rest) = unsigned.strip_prefix("0b") {
        return !rest.is_empty() && rest.bytes().all(|c| matches!(c, b'0' | b'1' | b'_'));
    }
    if let Some(rest) = unsigned.strip_prefix("0x") {
        return !rest.is_empty() && rest.bytes().all(|c| c.is_ascii_hexdigit() || c == b'_');
    }
    if unsigned.bytes().all(|c| c.is_ascii_digit() || c == b'_') && first.is_ascii_digit() {
        return true;
    }
    if first.is_ascii_digit()
        && unsigned.contains(':')
        && unsigned
            .bytes()
            .all(|c| c.is_ascii_digit() || c == b'_' || c == b':' || c == b'.')
    {
        return true;
    }
    // floats: [-+]?([0-9][0-9_]*)?\.[0-9.]*([eE][-+][0-9]+)? and .inf/.nan
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") || matches!(text, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(pos) => (&unsigned[..pos], Some(&unsigned[pos + 1..])),
        None => (unsigned, None),
    };
    if let Some(exp) = exponent {
        let digits = exp.strip_prefix(['-', '+']).unwrap_or(exp);
        if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
            return false;
        }
    }
    match mantissa.find('.') {
        Some(dot) => {
            let (int_part, frac_part) = (&mantissa[..dot], &mantissa[dot + 1..]);
            (int_part.is_empty()
                || (int_part.as_bytes()[0].is_ascii_digit()
                    && int_part.bytes().all(|c| c.is_ascii_digit() || c == b'_')))
                && frac_part.bytes().all(|c| c.is_ascii_digit() || c == b'.')
                && !(int_part.is_empty() && frac_part.is_empty())
        }
        None => false,
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ValueVisitor;
        impl<'de> Visitor<'de> for ValueVisitor {
            type Value = Value;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
                Ok(Value::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
                Ok(Value::Int(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
                Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
                Ok(Value::Float(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Value, E> {
                Ok(Value::String(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<Value, E> {
                Ok(Value::String(v))
            }
            fn visit_unit<E>(self) -> Result<Value, E> {
                Ok(Value::Null)
            }
            fn visit_none<E>(self) -> Result<Value, E> {
                Ok(Value::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
                Value::deserialize(d)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Value::Sequence(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
                let mut mapping = Mapping::new();
                while let Some(key) = map.next_key::<Value>()? {
                    let key = key
                        .scalar_text()
                        .ok_or_else(|| de::Error::custom("a mapping key must be a scalar"))?;
                    let value = map.next_value()?;
                    mapping.insert(key, value);
                }
                Ok(Value::Mapping(mapping))
            }
        }
        deserializer.deserialize_any(ValueVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_schema_resolution() {
        assert_eq!(resolve_plain("~"), Value::Null);
        assert_eq!(resolve_plain("True"), Value::Bool(true));
        assert_eq!(resolve_plain("yes"), Value::String("yes".into()));
        assert_eq!(resolve_plain("0755"), Value::Int(755));
        assert_eq!(resolve_plain("0o17"), Value::Int(15));
        assert_eq!(resolve_plain("0x1F"), Value::Int(31));
        assert_eq!(resolve_plain("1.10"), Value::Float(1.1));
        assert_eq!(resolve_plain("1e3"), Value::Float(1000.0));
        assert_eq!(
            resolve_plain("2025.05.00"),
            Value::String("2025.05.00".into())
        );
        assert_eq!(resolve_plain("-.inf"), Value::Float(f64::NEG_INFINITY));
        assert_eq!(resolve_plain("1_000"), Value::String("1_000".into()));
    }

    #[test]
    fn yaml11_non_strings() {
        for text in [
            "on",
            "yes",
            "n",
            "Y",
            "~",
            "null",
            "1.10",
            "0755",
            "2025.05.00",
            "1_000",
            "0b101",
            "1:30",
            ".5",
            "1.",
        ] {
            assert!(yaml11_reads_as_non_string(text), "{text}");
        }
        // 1e3 is a float in YAML 1.2 only.
        for text in [
            "v1.2.3",
            "2024.12",
            "abc",
            "1.2.3-beta",
            "e3",
            ".",
            "-",
            "1e",
            "x1",
            "1e3",
        ] {
            let non_string_in_11 = yaml11_reads_as_non_string(text);
            // 2024.12 is a 1.1 float; everything else here is a string.
            assert_eq!(non_string_in_11, text == "2024.12", "{text}");
        }
    }

    #[test]
    fn mapping_equality_ignores_order() {
        let a: Mapping = [("x".into(), Value::Int(1)), ("y".into(), Value::Int(2))]
            .into_iter()
            .collect();
        let b: Mapping = [("y".into(), Value::Int(2)), ("x".into(), Value::Int(1))]
            .into_iter()
            .collect();
        assert_eq!(Value::Mapping(a), Value::Mapping(b));
        // Same order up to a point, then shuffled; and one value different after the shuffle.
        let wide = |order: &[usize], last: i64| {
            Value::Mapping(
                order
                    .iter()
                    .map(|&i| (format!("k{i}"), Value::Int(if i == 4 { last } else { 0 })))
                    .collect(),
            )
        };
        assert_eq!(wide(&[0, 1, 2, 3, 4], 1), wide(&[0, 1, 4, 3, 2], 1));
        assert_ne!(wide(&[0, 1, 2, 3, 4], 1), wide(&[0, 1, 4, 3, 2], 2));
        assert_ne!(wide(&[0, 1, 2, 3, 4], 1), wide(&[0, 1, 2, 3, 4], 2));
        assert_ne!(wide(&[0, 1, 2, 3], 1), wide(&[0, 1, 2, 3, 4], 1));
        let repeated: Mapping = [
            ("x".into(), Value::Int(1)),
            ("y".into(), Value::Int(2)),
            ("x".into(), Value::Int(3)),
        ]
        .into_iter()
        .collect();
        assert_eq!(repeated.keys().collect::<Vec<_>>(), ["x", "y"]);
        assert_eq!(repeated.get("x"), Some(&Value::Int(3)));
        assert_eq!(Value::Float(f64::NAN), Value::Float(f64::NAN));
    }
}
