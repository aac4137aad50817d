use super::*;
use crate::document::Document;

fn path(text: &str) -> Path {
    Path::parse(text).unwrap()
}

#[test]
fn secret_keys() {
    for key in [
        "password",
        "adminPassword",
        "hubSpotToken",
        "API_KEY",
        "apiKey",
        "api-key",
        "ConnectionString",
        "tls-secret",
        "privateKey",
        "credentials",
        "passwd",
        "pass",
        "dbPass",
        "smtp_pwd",
        "clientSecret",
        "secretKey",
        "AWS_SECRET_ACCESS_KEY",
        "tokenizer_x",
    ] {
        assert!(is_secret_key(key), "{key}");
    }
    for key in [
        "name",
        "tag",
        "passive",
        "compass",
        "bypassCache",
        "username",
    ] {
        assert!(!is_secret_key(key), "{key}");
    }
}

#[test]
fn keys_that_describe_a_secret_are_not_secret() {
    for key in [
        "existingSecret",
        "existingsecret",
        "existingSecretPasswordKey",
        "useExistingSecret",
        "createSecret",
        "secretName",
        "secretname",
        "secretKeyRef",
        "tokenTTL",
        "tokenttl",
        "token_ttl_seconds",
        "passwordFile",
        "secretProviderClass",
        "secretsEnabled",
        "tokenUrl",
        "passwordKey",
        "adminPasswordKey",
    ] {
        assert!(names_secret(key), "{key} mentions a secret");
        assert!(!is_secret_key(key), "{key} only describes one");
    }
}

#[test]
fn paths() {
    for secret in [
        "db.password",
        "auth.credentials.username",
        "secrets.db.value",
        "env[name=DB_PASSWORD].value",
        "passwords[0]",
        "tls.privateKey",
    ] {
        assert!(is_secret_path(&path(secret)), "{secret}");
    }
    for shown in [
        "auth.existingSecret",
        "auth.tokenTTL",
        "extraVolumeMounts[name=secrets-store].mountPath",
        "extraVolumeMounts[name=secrets-store].name",
        "extraVolumeMounts[name=secrets-store].readOnly",
        "env[name=DB_PASSWORD].name",
        "secretsStore.enabled",
        "credentials.secretName",
        "image.tag",
    ] {
        assert!(!is_secret_path(&path(shown)), "{shown}");
    }
}

#[test]
fn credential_looking_values() {
    for credential in [
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----\n",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        "dGhpcyBpcyBhIHNlY3JldCBrZXkgdGhhdCBpcyBsb25n",
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "Authorization=Bearer Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdo",
    ] {
        assert!(looks_like_credential(credential), "{credential}");
    }
    for innocent in [
        "2024.12.02",
        "CluedIn.Connector.Http",
        "cluedin-connector-http-something-else-1234",
        "123e4567-e89b-12d3-a456-426614174000",
        "registry.example.com/app@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "/mnt/secrets-store",
        "a perfectly ordinary sentence about tokens and passwords",
    ] {
        assert!(!looks_like_credential(innocent), "{innocent}");
    }
    // A digest's key says a bare hex string is not a credential.
    let hex = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    assert!(!is_secret_scalar(&path("image.digest"), hex));
    assert!(is_secret_scalar(&path("annotations.note"), hex));
}

#[test]
fn redaction_keeps_shape() {
    let value = Value::from_json(&serde_json::json!({
        "user": "u", "password": "p", "db": {"connectionString": "x", "port": 1},
        "env": [{"name": "DB_PASSWORD", "value": "v"}, {"name": "MODE", "value": "m"}],
        "mounts": [{"name": "secrets-store", "mountPath": "/mnt", "readOnly": true}],
        "auth": {"existingSecret": "my-secret", "tokenTTL": 3600, "token": "t"},
    }));
    assert_eq!(
        redact(&Path::root(), &value),
        Value::from_json(&serde_json::json!({
            "user": "u", "password": "<redacted>",
            "db": {"connectionString": "<redacted>", "port": 1},
            "env": [{"name": "DB_PASSWORD", "value": "<redacted>"}, {"name": "MODE", "value": "m"}],
            "mounts": [{"name": "secrets-store", "mountPath": "/mnt", "readOnly": true}],
            "auth": {"existingSecret": "my-secret", "tokenTTL": 3600, "token": "<redacted>"},
        }))
    );
}

#[test]
fn a_move_is_secret_on_either_side() {
    let value = Value::String("s3cret".into());
    let shown = shown_moved(&path("db.pass2"), &path("database.password"), &value, false);
    assert_eq!(shown, Value::String(REDACTED.into()));
    let shown = shown_moved(&path("db.password"), &path("database.x"), &value, false);
    assert_eq!(shown, Value::String(REDACTED.into()));
    assert_eq!(
        shown_moved(&path("db.password"), &path("x"), &value, true),
        value
    );
}

#[test]
fn redacted_text_keeps_lines_and_reads_again() {
    let text = "\
# password: old-one
db:
  password: \"hunter2\"   # rotated
  port: 5432
cert: |
  -----BEGIN CERTIFICATE-----
  MIIBszCCAVmgAwIBAgIUQ2
  -----END CERTIFICATE-----
flow: {user: u, token: abc123}
env:
- name: DB_PASSWORD
  value: envpass
- {name: API_KEY, value: k}
";
    let doc = Document::parse(text).unwrap();
    let redacted = redacted_text(&doc);
    assert_eq!(
        redacted,
        "\
# password: <redacted>
db:
  password: <redacted>   # rotated
  port: 5432
cert: <redacted>
  <redacted>
  <redacted>
  <redacted>
flow: {user: u, token: <redacted>}
env:
- name: DB_PASSWORD
  value: <redacted>
- {name: API_KEY, value: <redacted>}
"
    );
    let again = redacted_document(&doc).unwrap();
    assert_eq!(
        again.get_value(&path("db.password")),
        Some(Value::String(REDACTED.into()))
    );
    assert_eq!(
        again.get_value(&path("db.port")),
        doc.get_value(&path("db.port"))
    );
}

#[test]
fn diff_texts_redact_both_sides_and_mark_changes() {
    let old = Document::parse("db:\n  pass2: s3cretValue\nkeep:\n  token: same-token\n").unwrap();
    let new = Document::parse("database:\n  password: s3cretValue\nkeep:\n  token: other-token\n")
        .unwrap();
    let (a, b) = diff_texts(&old, &new, false);
    // `pass2` says nothing, but its value is a password on the new side.
    assert_eq!(a, "db:\n  pass2: <redacted>\nkeep:\n  token: <redacted>\n");
    assert_eq!(
        b,
        "database:\n  password: <redacted>\nkeep:\n  token: <redacted (changed)>\n"
    );
    let (a, b) = diff_texts(&old, &new, true);
    assert_eq!((a.as_str(), b.as_str()), (old.source(), new.source()));
}

#[test]
fn raw_lines_are_redacted_by_the_keys_above_them() {
    let source = "\
auth:
  credentials:
    user: admin
  plain: visible
env:
- name: DB_PASSWORD
  value: \"unterminated
- name: MODE
  value: shown
key: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U
";
    let line = |n| snippet_line(source, n).unwrap();
    assert_eq!(line(2), "    user: <redacted>");
    assert_eq!(line(3), "  plain: visible");
    assert_eq!(line(6), "  value: <redacted>");
    assert_eq!(line(8), "  value: shown");
    assert_eq!(line(9), "key: <redacted>");
    assert_eq!(
        redact_line("  password: Hunter2: x"),
        "  password: <redacted>"
    );
    assert_eq!(
        redact_line("    token: pat-123        # where 2024.07 wanted it"),
        "    token: <redacted>        # where 2024.07 wanted it"
    );
    assert_eq!(
        redact_line("db: {user: u, password: p, }}"),
        "db: {user: u, password: <redacted>, }}"
    );
}

#[test]
fn scrubbing_free_text() {
    let doc =
        Document::parse("db:\n  password: LongSecret99\n  pass: \"ab\"\n  token: 1\n").unwrap();
    let mut values = SecretValues::of_document(&doc);
    values.extend(&SecretValues::default());
    assert_eq!(values.len(), 2, "a number is no value to look for");
    assert_eq!(
        values.scrub("`db.password` is \"LongSecret99\", not LongSecret99x; pass \"ab\", 1 token, cut LongSecr…"),
        "`db.password` is \"<redacted>\", not LongSecret99x; pass \"<redacted>\", 1 token, cut <redacted>…"
    );
}

#[test]
fn switches_under_secret_keys_are_shown() {
    let doc = Document::parse_values(
        "serviceAccount:\n  automountServiceAccountToken: true\nauth:\n  password: hunter2hunter2\n",
    )
    .unwrap();
    let expected = Document::parse_values(
        "serviceAccount:\n  automountServiceAccountToken: true\nauth:\n  password: <redacted>\n",
    )
    .unwrap();
    assert_eq!(&redact(&Path::root(), doc.value()), expected.value());
    let text = redacted_text(&doc);
    assert!(
        text.contains("automountServiceAccountToken: true"),
        "{text}"
    );
    assert!(!text.contains("hunter2"), "{text}");
}

#[test]
fn a_set_flag_hides_only_its_secret_assignments() {
    use super::redact_set_flag;
    assert_eq!(
        redact_set_flag("auth.password=TopSecret1,auth.user=admin"),
        "auth.password=<redacted>,auth.user=admin"
    );
    assert_eq!(
        redact_set_flag(r"csv=a\,b,db.tokens[0]=tok-999"),
        r"csv=a\,b,db.tokens[0]=<redacted>"
    );
    assert_eq!(redact_set_flag("image.tag=1.2"), "image.tag=1.2");
    assert_eq!(
        redact_set_flag("auth.existingSecret=my-secret"),
        "auth.existingSecret=my-secret"
    );
}

/// The secret scalars of a document as the policy's path functions judge them, walking with
/// whole paths: what the one-pass walk of [`SecretValues::of_document`] must agree with.
fn secret_spans_by_path(document: &Document) -> Vec<std::ops::Range<usize>> {
    use crate::document::{NodeId, NodeKind};
    fn walk(
        document: &Document,
        id: NodeId,
        path: &Path,
        forced: bool,
        out: &mut Vec<std::ops::Range<usize>>,
    ) {
        let node = document.node(id);
        match &node.kind {
            NodeKind::Scalar { text, .. } => {
                let switch = matches!(document.value_of(id), Value::Bool(_));
                if !switch && !is_placeholder(text) && (forced || is_secret_scalar(path, text)) {
                    out.push(node.span.clone());
                }
            }
            NodeKind::Alias { .. } => {}
            NodeKind::Mapping { entries, .. } => {
                let secret_item = names_secret_item(entries.iter().filter_map(|e| {
                    match &document.node(document.resolve(e.value)).kind {
                        NodeKind::Scalar { text, .. } => Some((e.key_text.as_str(), text.as_str())),
                        _ => None,
                    }
                }));
                for entry in entries {
                    let forced = forced || (secret_item && entry.key_text == "value");
                    walk(
                        document,
                        entry.value,
                        &path.key(entry.key_text.clone()),
                        forced,
                        out,
                    );
                }
            }
            NodeKind::Sequence { items, .. } => {
                for (i, item) in items.iter().enumerate() {
                    walk(document, *item, &path.index(i), forced, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    if let Some(root) = document.root() {
        walk(document, root, &Path::root(), false, &mut out);
    }
    out
}

#[test]
fn the_one_pass_walk_judges_every_corpus_scalar_as_the_path_rules_do() {
    let Some(files) = crate::test_corpus::yaml_files("charts") else {
        return;
    };
    let mut sources: Vec<String> = files
        .into_iter()
        .map(|(_, bytes)| String::from_utf8(bytes).unwrap())
        .collect();
    assert!(sources.len() >= 88, "{} corpus files", sources.len());
    // The cases the corpus may lack: an identity that names a secret, a digest, a credential
    // under a plain key, a metadata key under a secret key, a secret list.
    sources.push(
        concat!(
            "env:\n",
            "- name: DB_PASSWORD\n",
            "  value: hunter2hunter2\n",
            "- name: MODE\n",
            "  value: fast\n",
            "image:\n",
            "  digest: 0123456789abcdef0123456789abcdef01234567\n",
            "  note: 0123456789abcdef0123456789abcdef01234567\n",
            "auth:\n",
            "  existingSecret: mine\n",
            "  password: swordfish\n",
            "  tokens: [alpha1, beta22]\n",
            "  enabled: true\n",
            "secretsStore:\n",
            "  mountPath: /etc/secrets\n",
            "  apiKey: abc123xyz\n",
        )
        .to_owned(),
    );
    let mut secrets = 0;
    for source in &sources {
        let document = Document::parse(source).unwrap();
        let expected = secret_spans_by_path(&document);
        let mut found: Vec<_> = {
            let mut walk = text::tests_walk(&document);
            walk.sort_by_key(|s| s.start);
            walk
        };
        found.dedup();
        assert_eq!(found, expected, "in:\n{}", &source[..source.len().min(300)]);
        secrets += found.len();
    }
    assert!(secrets >= 5, "{secrets} secrets found");
}

#[test]
fn long_and_non_ascii_keys_are_judged_like_short_ones() {
    let long = format!("{}AdminPassword", "x".repeat(70));
    assert!(names_secret(&long));
    assert!(names_secret("ÜberPass"));
    assert!(!names_secret("ÜberPassage"));
    assert!(names_secret("überToken"));
    assert!(names_secret(&format!("{}_pwd", "y".repeat(70))));
    assert!(!names_secret(&format!("{}_pwdx", "y".repeat(70))));
    assert!(!names_secret("compass"));
    assert!(names_secret("db.pass"));
}

#[test]
fn key_words_split_at_case_digits_and_separators() {
    assert_eq!(key_words("tokenTTL"), ["token", "ttl"]);
    assert_eq!(key_words("DB_PASSWORD"), ["db", "password"]);
    assert_eq!(key_words("HTTPServer2Port"), ["http", "server2", "port"]);
    assert_eq!(key_words("äBC"), ["ä", "bc"]);
}
