//! Helm's `--set` syntax (`a.b=c`, `a={x,y}`, `a[0].b=c`, `a\.b=c`, `a=x\,y`), applied to a
//! values tree as Helm's `strvals` parser applies it, quirks included: `--set` reads `true`,
//! `false` and `null` in any case, and integers without a leading zero, as typed values and
//! everything else (`1.5`, `010`) as a string; `--set-string` reads every value as a string;
//! a key path that walks into a value that is not a mapping (or a list for `[i]`) is refused,
//! as Helm refuses it.

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

struct Parser {
    chars: Vec<char>,
    pos: usize,
    string: bool,
    origin: Origin,
}

/// Applies one flag's text to `data`.
pub(super) fn apply(
    text: &str,
    string: bool,
    origin: Origin,
    data: &mut TMap,
) -> Result<(), SetSyntax> {
    let mut parser = Parser {
        chars: text.chars().collect(),
        pos: 0,
        string,
        origin,
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

impl Parser {
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
                Some('\\') => match self.read() {
                    None => return (out, None),
                    Some(next) => out.push(next),
                },
                Some(c) => out.push(c),
            }
        }
    }

    fn typed(&self, text: String) -> Node {
        let origin = self.origin.clone();
        if self.string {
            return Node::Scalar(Value::String(text), origin);
        }
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
        let (key, last) = self.until(&['=', '[', ',', '.']);
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
                    let value = self.typed(text);
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
                let value = match self.val_list() {
                    Ok(items) => items,
                    Err(Stop::Eof) => self.typed_string(String::new()),
                    Err(Stop::NotList) => {
                        let (text, _) = self.until(&[',']);
                        self.typed(text)
                    }
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
                    items.push(self.typed(text));
                    return Ok(Node::Seq(items, self.origin.clone()));
                }
                Some(_) => items.push(self.typed(text)),
            }
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
