//! The Helm reading of scalars and keys: what go-yaml v2 resolves a scalar to, and what
//! `sigs.k8s.io/yaml`'s conversion to JSON (and back, into Helm's `map[string]interface{}`)
//! makes of it.
//!
//! Helm reads a values file with `sigs.k8s.io/yaml.Unmarshal`: go-yaml v2 decodes it into Go
//! values (YAML 1.1 resolution: `yes` and `on` are booleans, `0755` is octal, `1_000` is 1000),
//! every key is turned into a string, the result is marshalled to JSON and unmarshalled again,
//! so every number becomes a float64. This module holds that resolution as rules (the facts of
//! go-yaml v2's `resolve.go` and `decode.go` and of `sigs.k8s.io/yaml`'s `yaml.go`), and
//! [`helm_json`] writes a value exactly as Helm's `toJson` (Go's `encoding/json`) prints it.

use super::Value;
use crate::document::ScalarStyle;

/// The largest integer a float64 holds exactly, and every integer below it: 2^53.
pub const MAX_EXACT_INT: i64 = 1 << 53;

/// A scalar as go-yaml v2 decodes it into an `interface{}`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum GoScalar {
    Null,
    Bool(bool),
    /// `int` / `int64`.
    Int(i64),
    /// `uint64`: a decimal or prefixed integer above `i64::MAX`.
    Uint(u64),
    Float(f64),
    Str(String),
}

/// go-yaml v2's tags, by their long name's last part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    /// No tag (a plain scalar).
    None,
    Str,
    Bool,
    Int,
    Float,
    Null,
    Timestamp,
    Binary,
    Merge,
    /// Any other tag, the non-specific `!` too: not resolvable, so the scalar stays a string.
    Other,
}

impl Tag {
    fn parse(tag: &str) -> Tag {
        let long = if let Some(rest) = tag.strip_prefix("!!") {
            rest
        } else if let Some(rest) = tag
            .strip_prefix("!<tag:yaml.org,2002:")
            .and_then(|r| r.strip_suffix('>'))
        {
            rest
        } else if let Some(rest) = tag.strip_prefix("tag:yaml.org,2002:") {
            rest
        } else {
            return Tag::Other;
        };
        match long {
            "str" => Tag::Str,
            "bool" => Tag::Bool,
            "int" => Tag::Int,
            "float" => Tag::Float,
            "null" => Tag::Null,
            "timestamp" => Tag::Timestamp,
            "binary" => Tag::Binary,
            "merge" => Tag::Merge,
            _ => Tag::Other,
        }
    }

    fn short(self) -> &'static str {
        match self {
            Tag::None | Tag::Other => "!",
            Tag::Str => "!!str",
            Tag::Bool => "!!bool",
            Tag::Int => "!!int",
            Tag::Float => "!!float",
            Tag::Null => "!!null",
            Tag::Timestamp => "!!timestamp",
            Tag::Binary => "!!binary",
            Tag::Merge => "!!merge",
        }
    }

    fn resolvable(self) -> bool {
        matches!(
            self,
            Tag::None | Tag::Str | Tag::Bool | Tag::Int | Tag::Float | Tag::Null | Tag::Timestamp
        )
    }
}

/// Whether a mapping key is go-yaml v2's merge key: a plain `<<` (or one tagged `!` or
/// `!!merge`). A quoted `"<<"` is an ordinary key.
pub(crate) fn is_merge_key(text: &str, style: ScalarStyle, tag: Option<&str>) -> bool {
    text == "<<"
        && match tag {
            None => style == ScalarStyle::Plain,
            Some(tag) => tag == "!" || Tag::parse(tag) == Tag::Merge,
        }
}

/// Whether Helm reads `text`, written plain, as the string `text`.
pub(crate) fn reads_as_string(text: &str) -> bool {
    matches!(go_scalar(text, ScalarStyle::Plain, None), Ok(GoScalar::Str(s)) if s == text)
}

/// What go-yaml v2 decodes a scalar to, or the error with which Helm refuses it.
pub(crate) fn go_scalar(
    text: &str,
    style: ScalarStyle,
    tag: Option<&str>,
) -> Result<GoScalar, String> {
    let tag = match tag {
        // A scalar without a tag is resolved only when plain ("implicit").
        None if style != ScalarStyle::Plain => return Ok(GoScalar::Str(text.to_owned())),
        None => Tag::None,
        Some(tag) => Tag::parse(tag),
    };
    if tag == Tag::Binary {
        return decode_base64(text)
            .map(|bytes| GoScalar::Str(go_string(&bytes)))
            .ok_or_else(|| "!!binary value contains invalid base64 data".to_owned());
    }
    if !tag.resolvable() {
        return Ok(GoScalar::Str(text.to_owned()));
    }
    let (resolved_tag, value) = resolve(tag, text);
    if matches!(tag, Tag::None | Tag::Str) || tag == resolved_tag {
        return Ok(value);
    }
    if tag == Tag::Timestamp && resolved_tag == Tag::Timestamp {
        return Ok(value);
    }
    if let (Tag::Float, Tag::Int, GoScalar::Int(i)) = (tag, resolved_tag, &value) {
        return Ok(GoScalar::Float(*i as f64));
    }
    Err(format!(
        "cannot decode {} `{text}` as a {}",
        resolved_tag.short(),
        tag.short()
    ))
}

/// go-yaml v2's `resolve` for a resolvable tag: the tag the text resolves to and its value.
/// A timestamp stays its text, as go-yaml v2 gives it to an `interface{}`.
fn resolve(tag: Tag, text: &str) -> (Tag, GoScalar) {
    let string = || (Tag::Str, GoScalar::Str(text.to_owned()));
    let Some(hint) = resolve_hint(text) else {
        return string();
    };
    if tag == Tag::Str {
        return string();
    }
    match text {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return (Tag::Bool, GoScalar::Bool(true))
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return (Tag::Bool, GoScalar::Bool(false))
        }
        "" | "~" | "null" | "Null" | "NULL" => return (Tag::Null, GoScalar::Null),
        ".nan" | ".NaN" | ".NAN" => return (Tag::Float, GoScalar::Float(f64::NAN)),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return (Tag::Float, GoScalar::Float(f64::INFINITY))
        }
        "-.inf" | "-.Inf" | "-.INF" => return (Tag::Float, GoScalar::Float(f64::NEG_INFINITY)),
        _ => {}
    }
    match hint {
        // Go's ParseFloat of the text as written, which allows `_` between digits.
        b'.' if underscores_ok(text) => {
            let plain = text.replace('_', "");
            if is_dot_float(&plain) {
                if let Some(f) = finite(&plain) {
                    return (Tag::Float, GoScalar::Float(f));
                }
            }
        }
        b'D' | b'S' => {
            if matches!(tag, Tag::None | Tag::Timestamp) && is_timestamp(text) {
                return (Tag::Timestamp, GoScalar::Str(text.to_owned()));
            }
            let plain = text.replace('_', "");
            if let Some(i) = go_parse_int(&plain) {
                return (Tag::Int, GoScalar::Int(i));
            }
            if let Some(u) = go_parse_uint(&plain) {
                return (Tag::Int, GoScalar::Uint(u));
            }
            if is_yaml_style_float(&plain) {
                if let Some(f) = finite(&plain) {
                    return (Tag::Float, GoScalar::Float(f));
                }
            }
            // `0b` and `-0b` are handled by ParseInt's base prefix already.
        }
        _ => {}
    }
    string()
}

/// go-yaml v2's resolve table: which rules a plain text may match, by its first byte (`N`
/// empty, `S` a sign, `D` a digit, `M` a word or `~`, `.` a dot); `None`: it stays a string.
fn resolve_hint(text: &str) -> Option<u8> {
    match text.as_bytes().first() {
        None => Some(b'N'),
        Some(b'+' | b'-') => Some(b'S'),
        Some(b'0'..=b'9') => Some(b'D'),
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => {
            Some(b'M')
        }
        Some(b'.') => Some(b'.'),
        Some(_) => None,
    }
}

/// Whether go-yaml v2 reads the untagged plain scalar `text` as the string `text` by its first
/// byte alone (no resolution rule applies to a text that starts so).
pub(crate) fn plain_stays_string(text: &str) -> bool {
    resolve_hint(text).is_none()
}

/// Go's `underscoreOK` (strconv): every `_` stands between two digits.
fn underscores_ok(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().all(|(i, &b)| {
        b != b'_'
            || (i > 0
                && (bytes[i - 1].is_ascii_digit() || bytes[i - 1] == b'_')
                && bytes
                    .get(i + 1)
                    .is_some_and(|n| n.is_ascii_digit() || *n == b'_'))
    }) && !text.ends_with('_')
}

fn finite(text: &str) -> Option<f64> {
    // Go's ParseFloat reports an overflow as an error, and go-yaml then keeps the text.
    text.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// `\.[0-9]+([eE][-+]?[0-9]+)?`: what Go's ParseFloat accepts of a text starting with `.`.
fn is_dot_float(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('.') else {
        return false;
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && is_exponent(&rest[digits..])
}

/// Empty, or `[eE][-+]?[0-9]+`.
fn is_exponent(text: &str) -> bool {
    if text.is_empty() {
        return true;
    }
    let Some(rest) = text.strip_prefix(['e', 'E']) else {
        return false;
    };
    let rest = rest.strip_prefix(['-', '+']).unwrap_or(rest);
    !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit())
}

/// go-yaml v2's `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_style_float(text: &str) -> bool {
    let rest = text.strip_prefix(['-', '+']).unwrap_or(text);
    let int_digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &rest[int_digits..];
    let rest = match rest.strip_prefix('.') {
        Some(frac) => {
            let frac_digits = frac.bytes().take_while(u8::is_ascii_digit).count();
            if int_digits == 0 && frac_digits == 0 {
                return false;
            }
            &frac[frac_digits..]
        }
        None if int_digits == 0 => return false,
        None => rest,
    };
    is_exponent(rest)
}

/// Go's `strconv.ParseInt(s, 0, 64)` (the text has no `_` left).
pub(crate) fn go_parse_int(text: &str) -> Option<i64> {
    let (negative, body) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let magnitude = go_parse_magnitude(body)?;
    if negative {
        if magnitude <= 1u64 << 63 {
            Some((magnitude as i64).wrapping_neg())
        } else {
            None
        }
    } else {
        i64::try_from(magnitude).ok()
    }
}

/// Go's `strconv.ParseUint(s, 0, 64)`: no sign.
fn go_parse_uint(text: &str) -> Option<u64> {
    go_parse_magnitude(text)
}

/// Digits with Go's base-0 prefixes: `0x`/`0X`, `0o`/`0O`, `0b`/`0B`, a leading `0` for
/// octal, else decimal.
fn go_parse_magnitude(body: &str) -> Option<u64> {
    let bytes = body.as_bytes();
    let (radix, digits) = match bytes {
        [b'0', b'x' | b'X', ..] => (16, &body[2..]),
        [b'0', b'o' | b'O', ..] => (8, &body[2..]),
        [b'0', b'b' | b'B', ..] => (2, &body[2..]),
        [b'0', _, ..] => (8, &body[1..]),
        _ => (10, body),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u64::from_str_radix(digits, radix).ok()
}

/// Whether go-yaml v2 takes the text for a timestamp (`2001-12-14`, `2001-12-14 21:59:43.10`,
/// `2001-12-14T21:59:43.10-05:00`): Go's time.Parse with go-yaml's four layouts.
fn is_timestamp(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let mut i = 5;
    let number = |i: &mut usize, max_digits: usize| -> Option<u32> {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() && *i - start < max_digits {
            *i += 1;
        }
        (*i > start).then(|| text[start..*i].parse().ok()).flatten()
    };
    let year: u32 = text[..4].parse().unwrap_or(0);
    let Some(month) = number(&mut i, 2) else {
        return false;
    };
    if i >= b.len() || b[i] != b'-' {
        return false;
    }
    i += 1;
    let Some(day) = number(&mut i, 2) else {
        return false;
    };
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if day == 0 || day > days {
        return false;
    }
    if i == b.len() {
        return true;
    }
    let separator = b[i];
    if !matches!(separator, b'T' | b't' | b' ') {
        return false;
    }
    i += 1;
    for (max, sep) in [(23, Some(b':')), (59, Some(b':')), (59, None)] {
        match number(&mut i, 2) {
            Some(n) if n <= max => {}
            _ => return false,
        }
        if let Some(sep) = sep {
            if i >= b.len() || b[i] != sep {
                return false;
            }
            i += 1;
        }
    }
    if i < b.len() && b[i] == b'.' {
        let start = i + 1;
        i = start;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    let zone = &text[i..];
    if separator == b' ' {
        return zone.is_empty();
    }
    if zone == "Z" {
        return true;
    }
    let zb = zone.as_bytes();
    zb.len() == 6
        && matches!(zb[0], b'+' | b'-')
        && zb[1..3].iter().all(u8::is_ascii_digit)
        && zb[3] == b':'
        && zb[4..6].iter().all(u8::is_ascii_digit)
}

/// Go's `base64.StdEncoding.DecodeString`: padded, line breaks ignored.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let symbols: Vec<u8> = text
        .bytes()
        .filter(|b| !matches!(b, b'\r' | b'\n'))
        .collect();
    if !symbols.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(symbols.len() / 4 * 3);
    for (index, chunk) in symbols.chunks(4).enumerate() {
        let last = index == symbols.len() / 4 - 1;
        let mut sextets = [0u8; 4];
        let mut count = 4;
        for (i, &c) in chunk.iter().enumerate() {
            sextets[i] = match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'+' => 62,
                b'/' => 63,
                b'=' if last && i >= 2 => {
                    count = count.min(i);
                    0
                }
                _ => return None,
            };
            if count < 4 && c != b'=' {
                return None;
            }
        }
        let n = (u32::from(sextets[0]) << 18)
            | (u32::from(sextets[1]) << 12)
            | (u32::from(sextets[2]) << 6)
            | u32::from(sextets[3]);
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..count - 1]);
    }
    Some(out)
}

/// Bytes as Go's JSON encoder writes a string holding them: every byte that is not part of
/// valid UTF-8 becomes U+FFFD.
fn go_string(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(text) => {
                out.push_str(text);
                return out;
            }
            Err(err) => {
                let valid = err.valid_up_to();
                out.push_str(std::str::from_utf8(&rest[..valid]).unwrap_or_default());
                let bad = err.error_len().unwrap_or(rest.len() - valid);
                for _ in 0..bad {
                    out.push('\u{fffd}');
                }
                rest = &rest[valid + bad..];
            }
        }
    }
}

/// A decoded scalar as Helm holds it after the JSON round trip (every number a float64, kept
/// as [`Value::Int`] where the float64 is a whole number of at most 2^53), or why Helm refuses
/// it (JSON has no infinity or NaN).
pub(crate) fn helm_value(scalar: GoScalar) -> Result<Value, String> {
    Ok(match scalar {
        GoScalar::Null => Value::Null,
        GoScalar::Bool(b) => Value::Bool(b),
        GoScalar::Int(i) if (-MAX_EXACT_INT..=MAX_EXACT_INT).contains(&i) => Value::Int(i),
        GoScalar::Int(i) => Value::Float(i as f64),
        GoScalar::Uint(u) => Value::Float(u as f64),
        GoScalar::Float(f) if !f.is_finite() => {
            return Err(format!(
                "JSON has no {}: \"json: unsupported value: {}\"",
                if f.is_nan() { "NaN" } else { "infinity" },
                go_float_name(f)
            ))
        }
        GoScalar::Float(f) => float_value(f),
        GoScalar::Str(s) => Value::String(s),
    })
}

/// A float64 as Helm holds it: a whole number of at most 2^53 compares and prints as an
/// integer, so it is kept as one (`-0` stays a float: JSON prints it `-0`).
pub(crate) fn float_value(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() <= MAX_EXACT_INT as f64 && !(f == 0.0 && f.is_sign_negative()) {
        Value::Int(f as i64)
    } else {
        Value::Float(f)
    }
}

fn go_float_name(f: f64) -> &'static str {
    if f.is_nan() {
        "NaN"
    } else if f > 0.0 {
        "+Inf"
    } else {
        "-Inf"
    }
}

/// The string `sigs.k8s.io/yaml` makes of a decoded key, or why it refuses the key.
pub(crate) fn helm_key(scalar: GoScalar) -> Result<String, String> {
    Ok(match scalar {
        GoScalar::Str(s) => s,
        GoScalar::Int(i) => i.to_string(),
        GoScalar::Bool(b) => b.to_string(),
        GoScalar::Float(f) if f.is_nan() => ".nan".to_owned(),
        GoScalar::Float(f) if f.is_infinite() => if f > 0.0 { ".inf" } else { "-.inf" }.to_owned(),
        // FormatFloat(f, 'g', -1, 32): the shortest text of the float32 nearest to it (which
        // is infinite beyond the float32 range).
        GoScalar::Float(f) if (f as f32).is_infinite() => {
            if f > 0.0 { ".inf" } else { "-.inf" }.to_owned()
        }
        GoScalar::Float(f) => go_format_g32(f as f32),
        GoScalar::Null => {
            return Err("a null mapping key (`unsupported map key of type: <nil>`)".to_owned())
        }
        GoScalar::Uint(u) => {
            return Err(format!(
            "the mapping key {u} is above the int64 range (`unsupported map key of type: uint64`)"
        ))
        }
    })
}

/// The shortest decimal digits and the exponent of the first: `1.5` is ("15", 0).
fn shortest_digits(text_e: &str) -> (String, i32) {
    // Rust's `{:e}` gives the shortest digits that read back: `1.5e0`, `-1e21`.
    let (mantissa, exponent) = text_e.split_once('e').unwrap_or((text_e, "0"));
    let digits: String = mantissa
        .chars()
        .filter(char::is_ascii_digit)
        .collect::<String>();
    (digits, exponent.parse().unwrap_or(0))
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 32)`.
fn go_format_g32(f: f32) -> String {
    go_format_g(f64::from(f), format!("{:e}", f.abs()))
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)`, which is also how a Go template prints a
/// float64 (`%v`): plain decimals for exponents from -4 to 5, else `d.ddde+XX`.
pub(crate) fn go_format_g64(f: f64) -> String {
    go_format_g(f, format!("{:e}", f.abs()))
}

/// `%g` with the shortest digits, given them (as Rust's `{:e}` of the float's size writes
/// them) and the float for its sign.
fn go_format_g(f: f64, shortest_e: String) -> String {
    if f == 0.0 {
        return if f.is_sign_negative() { "-0" } else { "0" }.to_owned();
    }
    let sign = if f < 0.0 { "-" } else { "" };
    let (digits, exponent) = shortest_digits(&shortest_e);
    // strconv/ftoa.go: with the shortest precision, %e is used when the exponent is below -4
    // or at least 6.
    if !(-4..6).contains(&exponent) {
        format!("{sign}{}", go_e(&digits, exponent))
    } else {
        format!("{sign}{}", positional(&digits, exponent))
    }
}

/// Digits in Go's `%e` form: `1.5e+06`, `1e-07`.
fn go_e(digits: &str, exponent: i32) -> String {
    let mut out = String::new();
    out.push_str(&digits[..1]);
    if digits.len() > 1 {
        out.push('.');
        out.push_str(&digits[1..]);
    }
    out.push('e');
    out.push(if exponent < 0 { '-' } else { '+' });
    let magnitude = exponent.unsigned_abs();
    if magnitude < 10 {
        out.push('0');
    }
    out.push_str(&magnitude.to_string());
    out
}

/// Digits in positional notation: ("15", 0) is `1.5`, ("1", 3) is `1000`, ("5", -2) `0.05`.
fn positional(digits: &str, exponent: i32) -> String {
    let point = exponent + 1;
    if point <= 0 {
        format!("0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
    } else if point as usize >= digits.len() {
        format!("{digits}{}", "0".repeat(point as usize - digits.len()))
    } else {
        format!(
            "{}.{}",
            &digits[..point as usize],
            &digits[point as usize..]
        )
    }
}

/// A float64 as Go's `encoding/json` writes it: positional between 1e-6 and 1e21, else
/// `%e` with the exponent's leading zero dropped (`1e-7`, `1e+21`).
pub(crate) fn go_json_float(f: f64) -> String {
    if f == 0.0 {
        return if f.is_sign_negative() { "-0" } else { "0" }.to_owned();
    }
    let sign = if f < 0.0 { "-" } else { "" };
    let (digits, exponent) = shortest_digits(&format!("{:e}", f.abs()));
    let abs = f.abs();
    if !(1e-6..1e21).contains(&abs) {
        let e = go_e(&digits, exponent);
        // Go cleans `e-07` to `e-7` (and only negative exponents).
        let e = match e.rsplit_once("e-0") {
            Some((head, tail)) if tail.len() == 1 => format!("{head}e-{tail}"),
            _ => e,
        };
        format!("{sign}{e}")
    } else {
        format!("{sign}{}", positional(&digits, exponent))
    }
}

/// A string as Go's `encoding/json` writes it (HTML-safe: `<`, `>` and `&` escaped, as
/// `json.Marshal` and so Helm's `toJson` do).
pub(crate) fn go_json_string(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The JSON that Helm's `toJson` prints for this value: Go's `encoding/json` (keys sorted,
/// compact, HTML-safe escapes, float64 formatting). `None` when the value holds an infinity or
/// NaN, which JSON cannot hold (Helm refuses such a file).
pub fn helm_json(value: &Value) -> Option<String> {
    let mut out = String::new();
    write_json(value, &mut out).then_some(out)
}

fn write_json(value: &Value, out: &mut String) -> bool {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) if (-MAX_EXACT_INT..=MAX_EXACT_INT).contains(i) => {
            out.push_str(&i.to_string())
        }
        Value::Int(i) => out.push_str(&go_json_float(*i as f64)),
        Value::Float(f) if !f.is_finite() => return false,
        Value::Float(f) => out.push_str(&go_json_float(*f)),
        Value::String(s) => go_json_string(s, out),
        Value::Sequence(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if !write_json(item, out) {
                    return false;
                }
            }
            out.push(']');
        }
        Value::Mapping(mapping) => {
            let mut entries: Vec<_> = mapping.iter().collect();
            entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                go_json_string(key, out);
                out.push(':');
                if !write_json(item, out) {
                    return false;
                }
            }
            out.push('}');
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> Result<Value, String> {
        go_scalar(text, ScalarStyle::Plain, None).and_then(helm_value)
    }

    #[test]
    fn go_yaml_v2_resolution() {
        let int = |i| Ok(Value::Int(i));
        assert_eq!(plain("on"), Ok(Value::Bool(true)));
        assert_eq!(plain("NO"), Ok(Value::Bool(false)));
        assert_eq!(plain("y"), Ok(Value::Bool(true)));
        assert_eq!(plain("yEs"), Ok(Value::String("yEs".into())));
        assert_eq!(plain("0755"), int(493));
        assert_eq!(plain("0b101"), int(5));
        assert_eq!(plain("-0b101"), int(-5));
        assert_eq!(plain("0x1F"), int(31));
        assert_eq!(plain("0X1F"), int(31));
        assert_eq!(plain("0o17"), int(15));
        assert_eq!(plain("1_000"), int(1000));
        assert_eq!(plain("08"), int(8));
        assert_eq!(plain("1.10"), Ok(Value::Float(1.1)));
        assert_eq!(plain("1e3"), int(1000));
        assert_eq!(plain("1.0"), int(1));
        assert_eq!(plain(".5"), Ok(Value::Float(0.5)));
        assert_eq!(plain("1e400"), Ok(Value::String("1e400".into())));
        assert_eq!(plain("1:30"), Ok(Value::String("1:30".into())));
        assert_eq!(plain("2025.05.00"), Ok(Value::String("2025.05.00".into())));
        assert_eq!(plain("2001-12-14"), Ok(Value::String("2001-12-14".into())));
        assert_eq!(plain("<<"), Ok(Value::String("<<".into())));
        assert_eq!(
            plain("9007199254740993"),
            Ok(Value::Float(9007199254740992.0))
        );
        assert_eq!(
            plain("18446744073709551615"),
            Ok(Value::Float(18446744073709551615.0))
        );
        assert!(plain(".inf").unwrap_err().contains("+Inf"));
        assert!(plain(".nan").is_err());
        let tagged = |tag: &str, text: &str| {
            go_scalar(text, ScalarStyle::DoubleQuoted, Some(tag)).and_then(helm_value)
        };
        assert_eq!(tagged("!!int", "12"), int(12));
        assert_eq!(tagged("!!float", "12"), int(12));
        assert_eq!(tagged("!!str", "on"), Ok(Value::String("on".into())));
        assert_eq!(tagged("!", "on"), Ok(Value::String("on".into())));
        assert_eq!(
            tagged("!!binary", "aGVsbG8="),
            Ok(Value::String("hello".into()))
        );
        assert_eq!(
            tagged("!!int", "abc"),
            Err("cannot decode !!str `abc` as a !!int".into())
        );
        assert_eq!(
            tagged("!!timestamp", "2001-12-14"),
            Ok(Value::String("2001-12-14".into()))
        );
        assert_eq!(
            go_scalar("on", ScalarStyle::SingleQuoted, None),
            Ok(GoScalar::Str("on".into()))
        );
    }

    #[test]
    fn keys_as_sigs_yaml_converts_them() {
        let key = |text: &str| go_scalar(text, ScalarStyle::Plain, None).and_then(helm_key);
        assert_eq!(key("y"), Ok("true".into()));
        assert_eq!(key("0x10"), Ok("16".into()));
        assert_eq!(key("1.5"), Ok("1.5".into()));
        assert_eq!(key("1000000.0"), Ok("1e+06".into()));
        assert_eq!(key("123456.0"), Ok("123456".into()));
        assert_eq!(key("3.14159265358979"), Ok("3.1415927".into()));
        assert_eq!(key("0.0001"), Ok("0.0001".into()));
        assert_eq!(key("0.00001"), Ok("1e-05".into()));
        assert_eq!(key(".inf"), Ok(".inf".into()));
        assert_eq!(key("1.7976931348623157e308"), Ok(".inf".into()));
        assert_eq!(key(".5_0"), Ok("0.5".into()));
        assert!(key("~").is_err());
        assert!(key("18446744073709551615").is_err());
    }

    #[test]
    fn json_as_go_writes_it() {
        let json = |v: Value| helm_json(&v).unwrap();
        assert_eq!(json(Value::Float(1e21)), "1e+21");
        assert_eq!(json(Value::Float(1e20)), "100000000000000000000");
        assert_eq!(json(Value::Float(1e-7)), "1e-7");
        assert_eq!(json(Value::Float(1.5e-7)), "1.5e-7");
        assert_eq!(json(Value::Float(0.000001)), "0.000001");
        assert_eq!(
            json(Value::Float(1.2345678901234568e22)),
            "1.2345678901234568e+22"
        );
        assert_eq!(json(Value::Float(1e100)), "1e+100");
        assert_eq!(json(Value::Float(-0.0)), "-0");
        assert_eq!(json(Value::Float(1.1)), "1.1");
        assert_eq!(
            json(Value::String("<&>\u{1}\n\"".into())),
            r#""\u003c\u0026\u003e\u0001\n\"""#
        );
        let mapping: super::super::Mapping = [
            ("b".to_owned(), Value::Int(1)),
            (
                "a".to_owned(),
                Value::Sequence(vec![Value::Null, Value::Bool(true)]),
            ),
        ]
        .into_iter()
        .collect();
        assert_eq!(json(Value::Mapping(mapping)), r#"{"a":[null,true],"b":1}"#);
        assert_eq!(helm_json(&Value::Float(f64::INFINITY)), None);
    }
}
