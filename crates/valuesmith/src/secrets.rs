//! The one redaction policy: which values are secrets, and how every output hides them
//! (docs/secrets.md: the rule, the word list and the exceptions).
//!
//! A value is secret when its own key or a key above it **names a secret** (a marker of
//! [`MARKERS`] inside the key, or a whole word of [`MARKER_WORDS`]), unless its own key only
//! **describes** a secret (the name of a Kubernetes Secret, a TTL, a path, a switch: see
//! [`is_metadata_key`]). An item whose identity names a secret (`env[name=DB_PASSWORD]`) makes
//! its `value` secret, and nothing else of the item. A string that **looks like a
//! credential** (a PEM block, a JWT, a long base64 or hex string) is secret under any key.
//!
//! This module owns the decision and every way of applying it: [`redact`] for values in
//! reports, `text` for source texts (unified diffs, `get`), caret snippets and raw lines of
//! files that may not parse, and free text such as messages. Written values files are never
//! redacted.

mod text;

#[cfg(test)]
mod tests;

use crate::path::{Path, Segment};
use crate::value::Value;

pub use text::{
    diff_texts, redact_document_findings, redact_findings, redact_line, redacted_document,
    redacted_text, snippet_line, SecretValues,
};

/// What reports print in place of a secret value.
pub const REDACTED: &str = "<redacted>";

/// What a unified diff prints, on the new side, in place of a secret value that the old side
/// does not hold: the line still shows as changed.
pub const REDACTED_CHANGED: &str = "<redacted (changed)>";

/// Parts of a key (lower-cased, with `_`, `-`, `.` and spaces taken out) that name a secret:
/// `adminPassword`, `DB_PASSWORD`, `api-key`, `clientSecret`, `hubSpotToken`.
pub const MARKERS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "apikey",
    "credential",
    "privatekey",
    "accesskey",
    "signingkey",
    "encryptionkey",
    "masterkey",
    "connectionstring",
];

/// Whole words of a key (split at camelCase, `_`, `-`, `.`) that name a secret: `db.pass`,
/// `dbPass`, `smtp_pwd`.
pub const MARKER_WORDS: &[&str] = &["pass", "pwd"];

/// First words of a key that make it a switch or a reference about a secret, not a secret:
/// `existingSecret`, `useExistingSecret`, `createSecret`, `autoGenerateToken`.
pub const METADATA_FIRST_WORDS: &[&str] = &[
    "existing", "use", "create", "generate", "auto", "enable", "disable", "mount", "skip",
];

/// Last words (or endings) of a key that make it describe a secret, not hold one:
/// `secretName`, `secretKeyRef`, `tokenTTL`, `passwordFile`, `secretsEnabled`, `tokenUrl`.
pub const METADATA_LAST_WORDS: &[&str] = &[
    "name",
    "names",
    "ref",
    "refs",
    "ttl",
    "expiry",
    "expires",
    "expiration",
    "lifetime",
    "timeout",
    "duration",
    "seconds",
    "minutes",
    "hours",
    "days",
    "period",
    "interval",
    "enabled",
    "disabled",
    "path",
    "paths",
    "dir",
    "file",
    "files",
    "readonly",
    "type",
    "kind",
    "length",
    "size",
    "policy",
    "provider",
    "class",
    "mode",
    "version",
    "format",
    "namespace",
    "url",
    "uri",
    "endpoint",
    "header",
    "annotations",
    "labels",
];

/// Words of a key that say its hex string is a digest, not a credential (`digest`,
/// `imageSha`, `checksum`, `commit`).
const DIGEST_WORDS: &[&str] = &[
    "digest",
    "sha",
    "sha1",
    "sha256",
    "sha512",
    "checksum",
    "hash",
    "commit",
    "revision",
    "fingerprint",
];

/// A key's words: split at camelCase, digits-to-letters, `_`, `-`, `.` and other
/// non-alphanumerics, lower-cased (`tokenTTL` is `token ttl`, `DB_PASSWORD` is `db password`).
pub fn key_words(key: &str) -> Vec<String> {
    let chars: Vec<char> = key.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        let boundary = c.is_uppercase()
            && prev.is_some_and(|p| {
                p.is_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_uppercase() && next.is_some_and(char::is_lowercase))
            });
        if boundary && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Whether one of `key`'s [`key_words`] is one of `words` (lower-case). A word is a run of the
/// key's letters, so an ASCII key that holds none of `words` in any case is not split: most
/// keys of a values file end there.
pub(crate) fn has_key_word(key: &str, words: &[&str]) -> bool {
    if key.is_ascii() && !words.iter().any(|word| holds(key, word)) {
        return false;
    }
    key_words(key)
        .iter()
        .any(|word| words.contains(&word.as_str()))
}

/// Whether a key's name mentions a secret at all (before the exceptions of
/// [`is_metadata_key`]).
pub fn names_secret(key: &str) -> bool {
    // Most keys are short ASCII: their letters are gathered without an allocation.
    let mut ascii = [0u8; 64];
    let owned: String;
    let joined: &str = if key.is_ascii() && key.len() <= ascii.len() {
        let mut len = 0;
        for b in key.bytes().filter(u8::is_ascii_alphanumeric) {
            ascii[len] = b.to_ascii_lowercase();
            len += 1;
        }
        std::str::from_utf8(&ascii[..len]).unwrap_or_default()
    } else {
        owned = key
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        &owned
    };
    MARKERS.iter().any(|marker| holds(joined, marker)) || has_key_word(key, MARKER_WORDS)
}

/// Whether `text` holds the lower-case ASCII `part` in any case, by a plain scan: keys are
/// short, and `str::contains` sets up a searcher per call that costs more than the scan (a
/// tenth of a catalog validate).
fn holds(text: &str, part: &str) -> bool {
    let (text, part) = (text.as_bytes(), part.as_bytes());
    let Some((&first, rest)) = part.split_first() else {
        return true;
    };
    // The first byte alone rules out most places.
    text.windows(part.len()).any(|window| {
        window[0].to_ascii_lowercase() == first && window[1..].eq_ignore_ascii_case(rest)
    })
}

/// Whether a key describes a secret rather than holding one: its first word is one of
/// [`METADATA_FIRST_WORDS`], its last word (or the ending of a one-word key such as
/// `secretname`) one of [`METADATA_LAST_WORDS`], or it names the key of a password inside a
/// Secret (`passwordKey`, `adminPasswordKey`). Such a key is never secret, even under a
/// secret key (`secretsStore.mountPath`, `auth.existingSecret`).
pub fn is_metadata_key(key: &str) -> bool {
    let words = key_words(key);
    let (Some(first), Some(last)) = (words.first(), words.last()) else {
        return false;
    };
    if words.len() > 1 && METADATA_FIRST_WORDS.contains(&first.as_str()) {
        return true;
    }
    if words.len() == 1 && first.starts_with("existing") {
        return true;
    }
    if METADATA_LAST_WORDS
        .iter()
        .any(|word| last == word || (words.len() == 1 && last.ends_with(word) && names_secret(key)))
    {
        return true;
    }
    // `passwordKey: admin-password` names the entry of a Secret that holds the password.
    words.len() > 1
        && last == "key"
        && matches!(
            words[words.len() - 2].as_str(),
            "password" | "passwd" | "token"
        )
}

/// Whether a key's name marks its value as secret: it names a secret and does not merely
/// describe one.
pub fn is_secret_key(key: &str) -> bool {
    names_secret(key) && !is_metadata_key(key)
}

/// Whether the value at `path` is secret by its keys: its own key is not a metadata key
/// (see [`is_metadata_key`]), and some key on the path is a secret key, or the path goes
/// through the `value` of an item whose identity names a secret (in
/// `env[name=DB_PASSWORD].value` the item's name says the value is a password).
pub fn is_secret_path(path: &Path) -> bool {
    let segments = path.segments();
    let own_key = segments.iter().rev().find_map(|s| match s {
        Segment::Key(key) => Some(key.as_str()),
        _ => None,
    });
    // The metadata test, the dearer one, runs only for a path that a key makes secret.
    let secret = segments
        .iter()
        .enumerate()
        .any(|(i, segment)| match segment {
            Segment::Key(key) => is_secret_key(key),
            Segment::Identity { value, .. } => {
                is_secret_key(value)
                    && matches!(segments.get(i + 1), Some(Segment::Key(next)) if next == "value")
            }
            Segment::Index(_) => false,
        });
    secret && !own_key.is_some_and(is_metadata_key)
}

/// Whether a mapping (an `env` item) holds a value named by a secret-naming identity:
/// `{name: DB_PASSWORD, value: ...}` makes its `value` secret.
pub(crate) fn names_secret_item<'a>(mut fields: impl Iterator<Item = (&'a str, &'a str)>) -> bool {
    fields.any(|(key, text)| matches!(key, "name" | "key" | "id") && is_secret_key(text))
}

/// Whether a string looks like a credential, whatever its key: it holds a PEM block
/// (`-----BEGIN ...`), or one of its words is a JWT (`eyJ...` in three dot-separated
/// base64url parts) or a long high-entropy base64 or hex string (see docs/secrets.md).
pub fn looks_like_credential(text: &str) -> bool {
    if text.contains("-----BEGIN ") {
        return true;
    }
    // Every credential word below is 24 characters or more (a JWT), so a shorter text holds
    // none: most scalars of a values file end here.
    if text.len() < 24 {
        return false;
    }
    text.split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | ';' | '`'))
        .flat_map(|word| {
            // `key=value` and `Bearer:value` hide a credential after the separator; a digest
            // after its algorithm (`@sha256:...`) is not one.
            let after = word.split_once(['=', ':']).filter(|(head, _)| {
                let head = head.to_ascii_lowercase();
                !DIGEST_WORDS.iter().any(|d| head.ends_with(d))
            });
            std::iter::once(word).chain(after.map(|(_, rest)| rest))
        })
        .any(|word| is_jwt(word) || is_base64_credential(word) || is_hex_credential(word))
}

fn is_jwt(word: &str) -> bool {
    let parts: Vec<&str> = word.split('.').collect();
    parts.len() == 3
        && word.len() >= 24
        && parts[0].starts_with("eyJ")
        && parts[..2].iter().all(|p| p.len() >= 4)
        && parts.iter().all(|p| {
            p.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
}

/// Shannon entropy in bits per character.
fn entropy(word: &str) -> f64 {
    let mut counts = std::collections::HashMap::new();
    for c in word.chars() {
        *counts.entry(c).or_insert(0usize) += 1;
    }
    let n = word.chars().count() as f64;
    counts
        .values()
        .map(|&k| {
            let p = k as f64 / n;
            -p * p.log2()
        })
        .sum()
}

fn is_base64_credential(word: &str) -> bool {
    let body = word.trim_end_matches('=');
    if body.len() < 32
        || !body
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '-' | '_'))
    {
        return false;
    }
    let classes = [
        body.chars().any(|c| c.is_ascii_uppercase()),
        body.chars().any(|c| c.is_ascii_lowercase()),
        body.chars().any(|c| c.is_ascii_digit()),
    ];
    // `-` and `_` also join the words of long names (`cluedin-connector-http-2024`), which
    // seldom mix cases; a base64url credential does.
    let needed = if body.contains(['-', '_']) { 3 } else { 2 };
    classes.iter().filter(|&&c| c).count() >= needed && entropy(body) >= 4.0
}

fn is_hex_credential(word: &str) -> bool {
    word.len() >= 32
        && word.chars().all(|c| c.is_ascii_hexdigit())
        && word.chars().any(|c| c.is_ascii_digit())
        && word.chars().any(|c| c.is_ascii_alphabetic())
        && entropy(word) >= 3.0
}

/// Whether a key says its value is a digest (a long hex string that is not a credential).
fn is_digest_key(key: &str) -> bool {
    has_key_word(key, DIGEST_WORDS)
}

/// Whether a value is a placeholder that a user still has to fill in (`<set-me>`, empty):
/// never a secret, so reports and messages show it.
pub fn is_placeholder(text: &str) -> bool {
    let text = text.trim();
    text.is_empty() || (text.starts_with('<') && text.ends_with('>'))
}

/// Whether the scalar `value` at `path` is secret: by its keys ([`is_secret_path`]), or as a
/// string that looks like a credential ([`looks_like_credential`]) under a key that is not
/// a digest's.
pub fn is_secret_scalar(path: &Path, text: &str) -> bool {
    if is_secret_path(path) {
        return true;
    }
    let own_key = path.segments().iter().rev().find_map(|s| match s {
        Segment::Key(key) => Some(key.as_str()),
        _ => None,
    });
    looks_like_credential(text) && !(own_key.is_some_and(is_digest_key) && is_hex_only(text))
}

fn is_hex_only(text: &str) -> bool {
    text.trim().chars().all(|c| c.is_ascii_hexdigit())
}

/// `value` at `path` with every secret scalar replaced by `<redacted>`: all of it when `path`
/// is secret, else each scalar the policy calls secret (see the module documentation).
pub fn redact(path: &Path, value: &Value) -> Value {
    match value {
        Value::Mapping(m) => {
            let secret_item = names_secret_item(
                m.iter()
                    .filter_map(|(k, v)| v.as_str().map(|text| (k.as_str(), text))),
            );
            Value::Mapping(
                m.iter()
                    .map(|(k, v)| {
                        let child = path.key(k.clone());
                        let v = if secret_item && k == "value" {
                            redact_all(v)
                        } else {
                            redact(&child, v)
                        };
                        (k.clone(), v)
                    })
                    .collect(),
            )
        }
        Value::Sequence(items) => Value::Sequence(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| redact(&path.index(i), item))
                .collect(),
        ),
        Value::String(text) if is_placeholder(text) => value.clone(),
        Value::String(text) if is_secret_scalar(path, text) => Value::String(REDACTED.to_owned()),
        // A switch is no credential: `automountServiceAccountToken: true` says what it is.
        Value::Bool(_) => value.clone(),
        _ if is_secret_path(path) => Value::String(REDACTED.to_owned()),
        other => other.clone(),
    }
}

/// A `--set`-style flag's text (`a.b=c,d=e`) with the value of every assignment whose key
/// path is secret, or whose value looks like a credential, replaced by `<redacted>`. Commas
/// split assignments as `--set` splits them (a backslash escapes one); a key is read up to
/// its `=`, and its segments (split at `.` and `[`) are judged as keys.
pub fn redact_set_flag(text: &str) -> String {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                current.push(c);
                if let Some(next) = chars.next() {
                    current.push(next);
                }
            }
            ',' => parts.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    parts.push(current);
    parts
        .iter()
        .map(|part| match part.split_once('=') {
            Some((key, value)) => {
                let secret_key = key
                    .split(['.', '['])
                    .map(|segment| segment.trim_end_matches(']').replace('\\', ""))
                    .any(|segment| is_secret_key(&segment));
                if (secret_key || looks_like_credential(value)) && !is_placeholder(value) {
                    format!("{key}={REDACTED}")
                } else {
                    part.clone()
                }
            }
            None => part.clone(),
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// `value` with every scalar in it replaced by `<redacted>`, keeping its shape: for values
/// that are secret whatever their keys (a Kubernetes `Secret`'s `data`).
pub fn redact_all(value: &Value) -> Value {
    match value {
        Value::Mapping(m) => {
            Value::Mapping(m.iter().map(|(k, v)| (k.clone(), redact_all(v))).collect())
        }
        Value::Sequence(items) => Value::Sequence(items.iter().map(redact_all).collect()),
        Value::String(text) if is_placeholder(text) => value.clone(),
        _ => Value::String(REDACTED.to_owned()),
    }
}

/// [`redact`], and every scalar that is one of the `known` secret values (found on the other
/// side of a change) redacted too.
pub fn redact_known(path: &Path, value: &Value, known: &SecretValues) -> Value {
    fn known_too(value: Value, known: &SecretValues) -> Value {
        match value {
            Value::Mapping(m) => Value::Mapping(
                m.into_iter()
                    .map(|(k, v)| (k, known_too(v, known)))
                    .collect(),
            ),
            Value::Sequence(items) => {
                Value::Sequence(items.into_iter().map(|v| known_too(v, known)).collect())
            }
            scalar => match scalar.scalar_text() {
                Some(text) if known.is_known(&text) => Value::String(REDACTED.to_owned()),
                _ => scalar,
            },
        }
    }
    known_too(redact(path, value), known)
}

/// A value as a report shows it: itself with `show_secrets` (`--show-secrets`), else
/// [`redact`]ed.
pub fn shown(path: &Path, value: &Value, show_secrets: bool) -> Value {
    if show_secrets {
        value.clone()
    } else {
        redact(path, value)
    }
}

/// A value that a change moved from `from` to `to`, as a report shows it: secret when it is
/// secret on either side (`db.pass` renamed to `database.password` is redacted on both).
pub fn shown_moved(from: &Path, to: &Path, value: &Value, show_secrets: bool) -> Value {
    if show_secrets {
        value.clone()
    } else {
        redact(to, &redact(from, value))
    }
}
