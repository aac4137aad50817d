//! Which values are secrets, so reports can show `<redacted>` instead (PRODUCT.md §5).
//!
//! A value is secret when the key it sits under (or any key above it) names a secret:
//! `password`, `secret`, `token`, `apikey`/`api_key`, `credential`, `privatekey`/`private_key`
//! or `connectionstring`, in any case. Written values files are never redacted.

use crate::path::{Path, Segment};
use crate::value::Value;

/// What reports print in place of a secret value.
pub const REDACTED: &str = "<redacted>";

const MARKERS: &[&str] = &[
    "password",
    "secret",
    "token",
    "apikey",
    "api_key",
    "credential",
    "privatekey",
    "private_key",
    "connectionstring",
];

/// Whether a key's name marks its value as secret.
pub fn is_secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    MARKERS.iter().any(|marker| key.contains(marker))
}

/// Whether the value at `path` is secret: some key on the path names a secret, or an item's
/// identity does (in `env[name=DB_PASSWORD].value` the item's name is what says the value is
/// a password).
pub fn is_secret_path(path: &Path) -> bool {
    path.segments().iter().any(|segment| match segment {
        Segment::Key(key) => is_secret_key(key),
        Segment::Identity { value, .. } => is_secret_key(value),
        Segment::Index(_) => false,
    })
}

/// `value` with every scalar under a secret key replaced by `<redacted>`; the whole value
/// when `path` itself is secret.
pub fn redact(path: &Path, value: &Value) -> Value {
    if is_secret_path(path) {
        return redact_all(value);
    }
    match value {
        Value::Mapping(m) => Value::Mapping(
            m.iter()
                .map(|(k, v)| {
                    let v = if is_secret_key(k) {
                        redact_all(v)
                    } else {
                        redact(&path.key(k.clone()), v)
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Sequence(items) => Value::Sequence(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| redact(&path.index(i), item))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// `value` with every scalar in it replaced by `<redacted>`, keeping its shape: for values
/// that are secret whatever their keys (a Kubernetes `Secret`'s `data`).
pub fn redact_all(value: &Value) -> Value {
    match value {
        Value::Mapping(m) => {
            Value::Mapping(m.iter().map(|(k, v)| (k.clone(), redact_all(v))).collect())
        }
        Value::Sequence(items) => Value::Sequence(items.iter().map(redact_all).collect()),
        _ => Value::String(REDACTED.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_keys() {
        for key in [
            "password",
            "adminPassword",
            "hubSpotToken",
            "API_KEY",
            "apiKey",
            "ConnectionString",
            "tls-secret",
            "privateKey",
            "credentials",
        ] {
            assert!(is_secret_key(key), "{key}");
        }
        for key in ["name", "tag", "passwd", "tokenizer_x"] {
            assert_eq!(is_secret_key(key), key == "tokenizer_x", "{key}");
        }
    }

    #[test]
    fn redaction_keeps_shape() {
        let value = Value::from_json(
            &serde_json::json!({"user": "u", "password": "p", "db": {"connectionString": "x", "port": 1}}),
        );
        assert_eq!(
            redact(&Path::root(), &value),
            Value::from_json(
                &serde_json::json!({"user": "u", "password": "<redacted>", "db": {"connectionString": "<redacted>", "port": 1}})
            )
        );
    }
}
