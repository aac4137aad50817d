//! Helm's `--set` syntax (`a.b=c`, `a={x,y}`, `a[0].b=c`, `a\.b=c`, `a=x\,y`), applied to a
//! values tree as Helm's `strvals` parser applies it, quirks included: `--set` reads `true`,
//! `false` and `null` in any case, and integers without a leading zero, as typed values and
//! everything else (`1.5`, `010`) as a string; `--set-string` reads every value as a string;
//! a key path that walks into a value that is not a mapping (or a list for `[i]`) is refused,
//! as Helm refuses it.
//!
//! The other three flags share the key syntax: `--set-json` reads each value as one JSON
//! value (`a={"b":1},c=[1,2]`; an empty value is null), `--set-file` reads each value as the
//! path of a file whose text becomes a string ([`read_set_file`]: `-` is standard input, as
//! in Helm; a URL, which Helm downloads, is refused), and `--set-literal` takes everything
//! after the first `=` as one string, with no escapes and no commas splitting it.

use super::{Node, Origin, TMap};
use crate::value::Value;

/// Helm's limits: the largest list index and the deepest key nesting of one flag.
const MAX_INDEX: i64 = 65536;
const MAX_NESTED_NAME_LEVEL: usize = 30;

/// Why a `--set` flag could not be applied, with the character where parsing stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SetSyntax {
    /// What is wrong, in Helm's words where Helm has them.
    pub reason: String,
    /// 0-based character offset in the flag's text.
    pub offset: usize,
}

enum Stop {
    Eof,
    NotList,
    Error(SetSyntax),
}

/// How a flag's values are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// `--set`: typed scalars.
    Typed,
    /// `--set-string`: strings.
    String,
    /// `--set-json`: JSON values.
    Json,
    /// `--set-file`: the text of the file each value names.
    File,
    /// `--set-literal`: the rest of the flag, as it is.
    Literal,
}

struct Parser<'r> {
    chars: Vec<char>,
    pos: usize,
    mode: Mode,
    origin: Origin,
    read_file: &'r dyn Fn(&str) -> Result<String, String>,
}

/// The text of a `--set-file` value as Helm reads it (`pkg/cli/values/options.go`,
/// `readFile`): `-` (spaces around it allowed) is standard input, read to its end the first
/// time (`stdin_read` remembers it; a later `-` gets the nothing that is left, as in Helm); a
/// URL whose scheme Helm has a getter for (`http`, `https`, `oci`) is one Helm downloads and
/// valuesmith, which works offline, refuses; anything else is a local path. Bytes that are
/// not UTF-8 become U+FFFD, as Go's JSON writes them.
pub(super) fn read_set_file(
    path: &str,
    stdin_read: &std::cell::Cell<bool>,
) -> Result<String, String> {
    let lossy = |bytes: Vec<u8>| String::from_utf8_lossy(&bytes).into_owned();
    if path.trim() == "-" {
        if stdin_read.replace(true) {
            return Ok(String::new());
        }
        let mut bytes = Vec::new();
        return std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)
            .map(|_| lossy(bytes))
            .map_err(|err| {
                format!(
                    "cannot read standard input: {}",
                    crate::files::io_reason(&err)
                )
            });
    }
    if let Some(scheme) =
        url_scheme(path).filter(|s| matches!(s.as_str(), "http" | "https" | "oci"))
    {
        return Err(format!(
            "`{path}` is a{} {scheme} URL: Helm downloads it, valuesmith reads only local \
            files (download it and give its path)",
            if scheme == "oci" { "n" } else { "" }
        ));
    }
    std::fs::read(path)
        .map(lossy)
        .map_err(|err| format!("cannot read `{path}`: {}", crate::files::io_reason(&err)))
}

/// The scheme Go's `url.Parse` finds in `text`, lowercased: a letter, then letters, digits,
/// `+`, `-` or `.`, up to the first `:`.
fn url_scheme(text: &str) -> Option<String> {
    let (scheme, _) = text.split_once(':')?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then(|| scheme.to_ascii_lowercase())
}

/// Applies one flag's text to `data`; `read_file` gives a `--set-file` path's text.
pub(super) fn apply(
    text: &str,
    mode: Mode,
    origin: Origin,
    data: &mut TMap,
    read_file: &dyn Fn(&str) -> Result<String, String>,
) -> Result<(), SetSyntax> {
    let mut parser = Parser {
        chars: text.chars().collect(),
        pos: 0,
        mode,
        origin,
        read_file,
    };
    loop {
        match parser.key(data, 0) {
            Ok(()) => continue,
            Err(Stop::Eof) => return Ok(()),
            // `val_list`'s callers always handle a value that is not a list.
            Err(Stop::NotList) => {
                return Err(SetSyntax {
                    reason: "parse error".to_owned(),
                    offset: parser.pos,
                })
            }
            Err(Stop::Error(err)) => return Err(err),
        }
    }
}

impl Parser<'_> {
    fn error(&self, reason: impl Into<String>) -> Stop {
        Stop::Error(SetSyntax {
            reason: reason.into(),
            offset: self.pos.min(self.chars.len().saturating_sub(1)),
        })
    }

    fn read(&mut self) -> Option<char> {
        let c = self.chars.get(self.pos).copied();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    /// The characters up to one of `stop` (unescaping `\x`), the stop character, or `None` at
    /// the end.
    fn until(&mut self, stop: &[char]) -> (String, Option<char>) {
        let mut out = String::new();
        loop {
            match self.read() {
                None => return (out, None),
                Some(c) if stop.contains(&c) => return (out, Some(c)),
                Some('\\') if self.mode != Mode::Literal => match self.read() {
                    None => return (out, None),
                    Some(next) => out.push(next),
                },
                Some(c) => out.push(c),
            }
        }
    }

    /// A value's text as the flag reads it: typed, a string, or a file's text.
    fn typed(&self, text: String) -> Result<Node, Stop> {
        let origin = self.origin.clone();
        match self.mode {
            Mode::Typed => Ok(self.typed_scalar(text)),
            Mode::File => match (self.read_file)(&text) {
                Ok(content) => Ok(Node::Scalar(Value::String(content), origin)),
                Err(reason) => Err(self.error(reason)),
            },
            Mode::String | Mode::Json | Mode::Literal => {
                Ok(Node::Scalar(Value::String(text), origin))
            }
        }
    }

    fn typed_scalar(&self, text: String) -> Node {
        let origin = self.origin.clone();
        let lower = text.to_ascii_lowercase();
        let value = match lower.as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            "null" => return Node::Null(origin),
            "0" => Value::Int(0),
            _ if !text.is_empty() && !text.starts_with('0') => match go_parse_int(&text) {
                Some(i) => Value::Int(i),
                None => Value::String(text),
            },
            _ => Value::String(text),
        };
        Node::Scalar(value, origin)
    }

    fn key(&mut self, data: &mut TMap, level: usize) -> Result<(), Stop> {
        let stop: &[char] = if self.mode == Mode::Literal {
            &['=', '[', '.']
        } else {
            &['=', '[', ',', '.']
        };
        let (key, last) = self.until(stop);
        match last {
            None if key.is_empty() => Err(Stop::Eof),
            None => Err(self.error(format!("key {key:?} has no value"))),
            Some('[') => {
                let index = self.index()?;
                let list = match data.get(&key) {
                    None => Vec::new(),
                    Some(Node::Seq(items, _)) => items.clone(),
                    Some(other) => {
                        return Err(self.error(format!(
                            "`{key}` is {}, not a list, so `{key}[{index}]` cannot be set",
                            other.describe()
                        )))
                    }
                };
                let (list, result) = self.list_item(list, index, level);
                set(data, &key, Node::Seq(list, self.origin.clone()));
                result
            }
            Some('=') if self.mode == Mode::Literal => {
                let value = self.rest();
                set(data, &key, value);
                Ok(())
            }
            Some('=') if self.mode == Mode::Json => {
                let value = self.json_value()?;
                set(data, &key, value);
                Ok(())
            }
            Some('=') => match self.val_list() {
                Ok(list) => {
                    set(data, &key, list);
                    Ok(())
                }
                Err(Stop::Eof) => {
                    set(data, &key, self.typed_string(String::new()));
                    Err(Stop::Eof)
                }
                Err(Stop::NotList) => {
                    let (text, _) = self.until(&[',']);
                    let value = self.typed(text)?;
                    set(data, &key, value);
                    Ok(())
                }
                Err(err) => Err(err),
            },
            Some(',') => {
                set(data, &key, self.typed_string(String::new()));
                Err(self.error(format!("key {key:?} has no value (cannot end with ,)")))
            }
            Some(_) => {
                let level = level + 1;
                if level > MAX_NESTED_NAME_LEVEL {
                    return Err(self.error(format!(
                        "value name nested level is greater than maximum supported nested \
                         level of {MAX_NESTED_NAME_LEVEL}"
                    )));
                }
                let mut inner = match data.get(&key) {
                    None => TMap::default(),
                    Some(Node::Map(map, _)) => map.clone(),
                    Some(other) => {
                        return Err(self.error(format!(
                            "`{key}` is {}, not a mapping, so keys under it cannot be set",
                            other.describe()
                        )))
                    }
                };
                let result = self.key(&mut inner, level);
                if result.is_ok() && inner.is_empty() {
                    return Err(self.error(format!("key map {key:?} has no value")));
                }
                if !inner.is_empty() {
                    let origin = match data.get(&key) {
                        Some(existing) => existing.origin().clone(),
                        None => self.origin.clone(),
                    };
                    set(data, &key, Node::Map(inner, origin));
                }
                result
            }
        }
    }

    /// An empty value is the empty string for `--set` and `--set-string` alike.
    fn typed_string(&self, text: String) -> Node {
        Node::Scalar(Value::String(text), self.origin.clone())
    }

    fn index(&mut self) -> Result<i64, Stop> {
        let (text, last) = self.until(&[']']);
        if last.is_none() {
            return Err(self.error("error parsing index: the `[` has no `]`"));
        }
        go_parse_int(&text)
            .ok_or_else(|| self.error(format!("error parsing index: {text:?} is not a number")))
    }

    fn list_item(
        &mut self,
        mut list: Vec<Node>,
        index: i64,
        level: usize,
    ) -> (Vec<Node>, Result<(), Stop>) {
        if index < 0 {
            let err = self.error(format!("negative {index} index not allowed"));
            return (list, Err(err));
        }
        let (rest, last) = self.until(&['[', '.', '=']);
        if !rest.is_empty() {
            let err = self.error(format!("unexpected data at end of array index: {rest:?}"));
            return (list, Err(err));
        }
        match last {
            None => (list, Err(Stop::Eof)),
            Some('=') => {
                let value = match self.mode {
                    Mode::Literal => Ok(self.rest()),
                    Mode::Json => self.json_value(),
                    _ => match self.val_list() {
                        Ok(items) => Ok(items),
                        Err(Stop::Eof) => Ok(self.typed_string(String::new())),
                        Err(Stop::NotList) => {
                            let (text, _) = self.until(&[',']);
                            self.typed(text)
                        }
                        Err(err) => Err(err),
                    },
                };
                let value = match value {
                    Ok(value) => value,
                    Err(err) => return (list, Err(err)),
                };
                let result = self.set_index(&mut list, index, value);
                (list, result)
            }
            Some('[') => {
                let next = match self.index() {
                    Ok(next) => next,
                    Err(err) => return (list, Err(err)),
                };
                let current = match list.get(index as usize) {
                    None | Some(Node::Null(_)) => Vec::new(),
                    Some(Node::Seq(items, _)) => items.clone(),
                    Some(other) => {
                        let err = self.error(format!(
                            "item {index} is {}, not a list, so `[{index}][{next}]` cannot be set",
                            other.describe()
                        ));
                        return (list, Err(err));
                    }
                };
                let (inner, result) = self.list_item(current, next, level);
                if result.is_err() {
                    return (list, result);
                }
                let value = Node::Seq(inner, self.origin.clone());
                let result = self.set_index(&mut list, index, value);
                (list, result)
            }
            Some(_) => {
                let existed = (index as usize) < list.len();
                let mut inner = match list.get(index as usize) {
                    Some(Node::Map(map, _)) => map.clone(),
                    // Helm replaces an item that is not a mapping before it looks further.
                    _ => TMap::default(),
                };
                if let Err(err) = self.key(&mut inner, level) {
                    // Helm edits an existing item in place, so what was set before the end
                    // of the flag stays.
                    if existed {
                        list[index as usize] = Node::Map(inner, self.origin.clone());
                    }
                    return (list, Err(err));
                }
                let value = Node::Map(inner, self.origin.clone());
                let result = self.set_index(&mut list, index, value);
                (list, result)
            }
        }
    }

    fn set_index(&self, list: &mut Vec<Node>, index: i64, value: Node) -> Result<(), Stop> {
        if index > MAX_INDEX {
            return Err(self.error(format!(
                "index of {index} is greater than maximum supported index of {MAX_INDEX}"
            )));
        }
        let index = index as usize;
        while list.len() <= index {
            list.push(Node::Null(self.origin.clone()));
        }
        list[index] = value;
        Ok(())
    }

    /// `{a,b}`: a list of typed values; `NotList` when the value does not start with `{`.
    fn val_list(&mut self) -> Result<Node, Stop> {
        match self.chars.get(self.pos) {
            None => return Err(Stop::Eof),
            Some('{') => self.pos += 1,
            Some(_) => return Err(Stop::NotList),
        }
        let mut items = Vec::new();
        loop {
            let (text, last) = self.until(&[',', '}']);
            match last {
                None => return Err(self.error("list must terminate with '}'")),
                Some('}') => {
                    if self.chars.get(self.pos) == Some(&',') {
                        self.pos += 1;
                    }
                    items.push(self.typed(text)?);
                    return Ok(Node::Seq(items, self.origin.clone()));
                }
                Some(_) => items.push(self.typed(text)?),
            }
        }
    }

    /// `--set-literal`: everything left, as one string.
    fn rest(&mut self) -> Node {
        let text: String = self.chars[self.pos..].iter().collect();
        self.pos = self.chars.len();
        Node::Scalar(Value::String(text), self.origin.clone())
    }

    /// `--set-json`: one JSON value (null when empty), then blanks and a comma.
    fn json_value(&mut self) -> Result<Node, Stop> {
        if self.empty_value() {
            return Ok(Node::Null(self.origin.clone()));
        }
        let rest: String = self.chars[self.pos..].iter().collect();
        let mut stream = serde_json::Deserializer::from_str(&rest).into_iter::<serde_json::Value>();
        let value = match stream.next() {
            Some(Ok(value)) => value,
            Some(Err(err)) => return Err(self.error(format!("invalid JSON: {err}"))),
            None => return Err(self.error("invalid JSON: unexpected end of JSON input")),
        };
        let consumed = rest[..stream.byte_offset()].chars().count();
        self.pos += consumed;
        self.empty_value();
        Ok(json_node(&value, &self.origin))
    }

    /// Consumes blanks up to a comma or the end (true: the value is empty); stops before
    /// anything else.
    fn empty_value(&mut self) -> bool {
        while let Some(&c) = self.chars.get(self.pos) {
            self.pos += 1;
            if c == ',' {
                return true;
            }
            if !c.is_whitespace() {
                self.pos -= 1;
                return false;
            }
        }
        true
    }
}

/// A JSON value as Helm holds it after `encoding/json`: numbers are float64 (kept as an
/// integer where the float64 is one exactly, so that the output is the same).
pub(super) fn json_node(value: &serde_json::Value, origin: &Origin) -> Node {
    use serde_json::Value as J;
    match value {
        J::Null => Node::Null(origin.clone()),
        J::Bool(b) => Node::Scalar(Value::Bool(*b), origin.clone()),
        J::Number(n) => {
            let float = n.as_f64().unwrap_or(f64::NAN);
            let value = if float.fract() == 0.0 && float.abs() <= 9_007_199_254_740_992.0 {
                Value::Int(float as i64)
            } else {
                Value::Float(float)
            };
            Node::Scalar(value, origin.clone())
        }
        J::String(s) => Node::Scalar(Value::String(s.clone()), origin.clone()),
        J::Array(items) => Node::Seq(
            items.iter().map(|item| json_node(item, origin)).collect(),
            origin.clone(),
        ),
        J::Object(map) => {
            let mut out = TMap::default();
            for (key, item) in map {
                out.insert(key.clone(), json_node(item, origin));
            }
            Node::Map(out, origin.clone())
        }
    }
}

fn set(data: &mut TMap, key: &str, value: Node) {
    if !key.is_empty() {
        data.insert(key.to_owned(), value);
    }
}

/// Go's `strconv.ParseInt(s, 10, 64)`: an optional sign and decimal digits, in range.
fn go_parse_int(text: &str) -> Option<i64> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.strip_prefix('+').unwrap_or(text).parse().ok()
}
