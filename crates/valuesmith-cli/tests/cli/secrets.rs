//! Planted secrets (docs/secrets.md): values files generated from a seed, with random
//! high-entropy values under every secret-like key shape, run through every command and
//! format that prints values. Without `--show-secrets` no planted value may appear anywhere
//! in standard output or standard error; with it, each appears where the command prints it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::valuesmith;

/// splitmix64: a seeded generator, so a failure names a case that can be run again.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn from(&mut self, alphabet: &[u8], len: usize) -> String {
        (0..len)
            .map(|_| alphabet[self.below(alphabet.len())] as char)
            .collect()
    }

    /// A random high-entropy value: a letter, then letters and digits.
    fn secret(&mut self) -> String {
        const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        let len = 14 + self.below(12);
        format!("{}{}", self.from(LETTERS, 1), self.from(ALNUM, len))
    }

    fn base64(&mut self, len: usize) -> String {
        const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        self.from(B64, len)
    }

    fn hex(&mut self, len: usize) -> String {
        self.from(b"0123456789abcdef", len)
    }

    fn base64url(&mut self, len: usize) -> String {
        const URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        self.from(URL, len)
    }
}

const SECRET_KEYS: &[&str] = &[
    "password",
    "adminPassword",
    "DB_PASSWORD",
    "apiKey",
    "api_key",
    "clientSecret",
    "hubSpotToken",
    "connectionString",
    "privateKey",
    "secretKey",
    "accessToken",
    "passphrase",
    "smtpPass",
    "rootPwd",
];
const SECRET_ANCESTORS: &[&str] = &[
    "credentials",
    "secrets",
    "authSecret",
    "tokens",
    "passwords",
];
const INNOCENT_LEAVES: &[&str] = &["user", "primary", "main", "blob", "data", "extra"];
const ENV_NAMES: &[&str] = &[
    "DB_PASSWORD",
    "API_TOKEN",
    "SMTP_SECRET",
    "REDIS_PASSWORD",
    "GITHUB_TOKEN",
    "STRIPE_API_KEY",
];
// Not `digest`, `sha` or `checksum`: a hex string under those is a digest (docs/secrets.md).
const INNOCENT_KEYS: &[&str] = &["note", "blob", "data", "extra", "config", "annotation"];

/// One planted value.
#[derive(Debug, Clone)]
struct Plant {
    /// The value (each line of a multi-line value is planted on its own).
    value: String,
    /// Where `get` finds it in the file that holds it; `None` when only a change makes it
    /// secret (an innocent key renamed to a secret one).
    path: Option<String>,
    /// Whether the diff of the two files reports it (changed, added or removed).
    in_diff: bool,
    /// Whether the value is short enough for `validate`'s schema message to quote it.
    quoted_by_schema: bool,
}

/// A generated case: the old file, the new file (other values, renames done by hand, as the
/// catalog's rules do them), and the old file with a syntax error on a planted line.
struct Case {
    old: String,
    new: String,
    broken: String,
    /// Planted in the old file.
    old_plants: Vec<Plant>,
    /// Planted in the new file only.
    new_plants: Vec<Plant>,
    /// Planted on the broken line.
    broken_plant: String,
}

fn quoted(rng: &mut Rng, value: &str) -> String {
    match rng.below(3) {
        0 => value.to_owned(),
        1 => format!("\"{value}\""),
        _ => format!("'{value}'"),
    }
}

/// Writes one block of planted values under `top`, and says which ones the diff reports.
fn block(rng: &mut Rng, top: &str, plants: &mut Vec<Plant>, changed: bool) -> String {
    let mut out = String::new();
    let mut plant = |value: &str, path: String, short: bool| {
        plants.push(Plant {
            value: value.to_owned(),
            path: Some(path),
            in_diff: changed,
            quoted_by_schema: short,
        });
    };
    let _ = writeln!(out, "{top}:");
    let _ = writeln!(out, "  image:\n    tag: \"1.0.0\"");
    // A secret key.
    let key = rng.pick(SECRET_KEYS);
    let s = rng.secret();
    let _ = writeln!(out, "  {key}: {}", quoted(rng, &s));
    plant(&s, format!("{top}.{key}"), true);
    // Nested under a secret ancestor, two levels down, under innocent keys.
    let ancestor = rng.pick(SECRET_ANCESTORS);
    let leaf = rng.pick(INNOCENT_LEAVES);
    let (a, b) = (rng.secret(), rng.secret());
    let _ = writeln!(
        out,
        "  {ancestor}:\n    {leaf}: {a}\n    nested:\n      deeper: {}",
        quoted(rng, &b)
    );
    plant(&a, format!("{top}.{ancestor}.{leaf}"), true);
    plant(&b, format!("{top}.{ancestor}.nested.deeper"), true);
    // A list item whose identity names a secret.
    let env = rng.pick(ENV_NAMES);
    let e = rng.secret();
    let _ = writeln!(
        out,
        "  env:\n  - name: LOG_LEVEL\n    value: info\n  - name: {env}\n    value: {}",
        quoted(rng, &e)
    );
    plant(&e, format!("{top}.env[name={env}].value"), true);
    // Flow style: a mapping and a sequence under a secret key.
    let key = rng.pick(SECRET_KEYS);
    let (f, g, h) = (rng.secret(), rng.secret(), rng.secret());
    let _ = writeln!(out, "  flowMap: {{user: admin, {key}: {f}}}");
    plant(&f, format!("{top}.flowMap.{key}"), true);
    let ancestor = rng.pick(SECRET_ANCESTORS);
    let _ = writeln!(out, "  {ancestor}List: [{g}, \"{h}\"]");
    plant(&g, format!("{top}.{ancestor}List[0]"), true);
    plant(&h, format!("{top}.{ancestor}List[1]"), true);
    // A multi-line block scalar under a secret key: every line is planted.
    let key = rng.pick(SECRET_KEYS);
    let lines: Vec<String> = (0..2 + rng.below(3)).map(|_| rng.secret()).collect();
    let _ = writeln!(out, "  {key}Block: |");
    for line in &lines {
        let _ = writeln!(out, "    {line}");
    }
    for line in &lines {
        // `get` prints the whole text; every line must be in it.
        plant(line, format!("{top}.{key}Block"), false);
    }
    // Credential-looking values under innocent keys.
    let jwt = format!(
        "eyJ{}.eyJ{}.{}",
        rng.base64url(20),
        rng.base64url(30),
        rng.base64url(43)
    );
    let b64 = format!("{}=", rng.base64(43));
    let hex = rng.hex(64);
    let keys: Vec<&str> = (0..3).map(|_| rng.pick(INNOCENT_KEYS)).collect();
    let _ = writeln!(out, "  looks:");
    for (i, (key, value)) in keys.iter().zip([&jwt, &b64, &hex]).enumerate() {
        let _ = writeln!(out, "    {key}{i}: {value}");
        plant(value, format!("{top}.looks.{key}{i}"), false);
    }
    // A PEM block under an innocent key.
    let body: Vec<String> = vec![rng.base64(64), rng.base64(64), rng.secret()];
    let _ = writeln!(out, "  caBundle: |\n    -----BEGIN CERTIFICATE-----");
    for line in &body {
        let _ = writeln!(out, "    {line}");
    }
    let _ = writeln!(out, "    -----END CERTIFICATE-----");
    for line in &body {
        plant(line, format!("{top}.caBundle"), false);
    }
    out
}

fn generate(seed: u64) -> Case {
    let mut rng = Rng(seed);
    let mut old_plants = Vec::new();
    let mut new_plants = Vec::new();
    let mut shared = Vec::new();
    // `kept` is the same in both files (the diff does not print it); `changed` differs.
    let kept = block(&mut rng, "kept", &mut shared, false);
    let changed_old = block(&mut rng, "changed", &mut old_plants, true);
    let changed_new = block(&mut rng, "changed", &mut new_plants, true);
    // Renamed and moved by the catalog's rules: innocent on the old side, secret on the new.
    let (r, m1, m2) = (rng.secret(), rng.secret(), rng.secret());
    let legacy = format!("legacy:\n  dbp: {r}\n  creds:\n    user: {m1}\n    key: {m2}\n");
    let moved = format!(
        "database:\n  password: {r}\nsecurity:\n  credentials:\n    user: {m1}\n    key: {m2}\n"
    );
    for value in [&r, &m1, &m2] {
        old_plants.push(Plant {
            value: value.clone(),
            path: None,
            in_diff: true,
            quoted_by_schema: false,
        });
    }
    let old = format!("{kept}{changed_old}{legacy}");
    let new = format!("{kept}{changed_new}{moved}");
    old_plants.extend(shared.iter().cloned());
    // A syntax error on a planted line.
    let key = rng.pick(SECRET_KEYS);
    let bad = rng.secret();
    let env = rng.pick(ENV_NAMES);
    let broken_line = match rng.below(3) {
        0 => format!("  {key}: {bad}: oops\n"),
        1 => format!("  env:\n  - name: {env}\n    value: {bad}: oops\n"),
        _ => format!("  flowMap: {{user: admin, {key}: {bad}, }}}}\n"),
    };
    let broken = format!("broken:\n  image: {{tag: x}}\n{broken_line}{}", old);
    Case {
        old,
        new,
        broken,
        old_plants,
        new_plants,
        broken_plant: bad,
    }
}

const CATALOG: &str = "\
product: demo
chart: demo/demo
identity_keys: [name]
policy:
  sequential: none
releases:
  - version: \"1.0.0\"
    chart_version: \"1.0.0\"
  - version: \"1.1.0\"
    chart_version: \"1.1.0\"
    migrate:
      - rename: legacy.dbp
        to: database.password
      - rename: legacy.creds
        to: security.credentials
";

/// Every string fails it, so `validate` quotes every string value in a message.
const SCHEMA: &str = r##"{
  "$defs": {"n": {"type": ["object", "array", "integer", "boolean", "null"],
                  "additionalProperties": {"$ref": "#/$defs/n"},
                  "items": {"$ref": "#/$defs/n"}}},
  "$ref": "#/$defs/n"
}"##;

struct Run {
    label: String,
    out: String,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let output = valuesmith().current_dir(dir).args(args).output().unwrap();
    let code = output.status.code().unwrap_or(-1);
    assert!(
        (0..=2).contains(&code),
        "{args:?} exited with {code} (a panic?): {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Run {
        label: args.join(" "),
        out: format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    }
}

/// The command lines that print values, each without `--show-secrets` (append it to show).
fn commands(get_paths: &[String], helm: Option<&Path>) -> Vec<Vec<String>> {
    let mut commands: Vec<Vec<String>> = Vec::new();
    let words = |text: &str| text.split(' ').map(str::to_owned).collect::<Vec<_>>();
    for format in ["human", "brief", "json", "github"] {
        commands.push(words(&format!("diff old.yml new.yml --format {format}")));
    }
    for format in ["human", "json"] {
        commands.push(words(&format!(
            "migrate old.yml --from 1.0.0 --env dev --to 1.1.0 --dry-run --format {format}"
        )));
    }
    for format in ["human", "json", "github"] {
        commands.push(words(&format!(
            "validate old.yml new.yml --schema schema.json --format {format}"
        )));
    }
    for path in get_paths {
        commands.push(vec!["get".into(), "old.yml".into(), path.clone()]);
    }
    for top in ["kept", "changed"] {
        commands.push(vec!["get".into(), "old.yml".into(), top.into()]);
    }
    for format in ["human", "json", "markdown"] {
        commands.push(words(&format!("drift old.yml new.yml --format {format}")));
    }
    // patch.json is the diff of OLD and NEW with its secrets (written by the test).
    commands.push(words("apply patch.json old.yml --dry-run"));
    if let Some(path) = get_paths.first() {
        commands.push(vec![
            "set".into(),
            "old.yml".into(),
            path.clone(),
            "replaced".into(),
            "--diff".into(),
        ]);
    }
    commands.push(words("effective -f old.yml"));
    commands.push(words("effective -f old.yml -f new.yml --format json"));
    commands.push(words("effective -f old.yml --explain"));
    for format in ["human", "json", "markdown", "github"] {
        commands.push(words(&format!(
            "advise old.yml --from-chart chart-a --to-chart chart-b --format {format}"
        )));
    }
    commands.push(words(
        "advise old.yml --from-chart chart-a --to-chart chart-b --rules",
    ));
    if let Some(helm) = helm {
        let helm = helm.to_string_lossy();
        for format in ["human", "brief", "json", "github"] {
            commands.push(words(&format!(
                "render-diff old.yml new.yml --chart chart --format {format} --helm {helm}"
            )));
        }
        for format in ["human", "json", "github"] {
            commands.push(words(&format!(
                "render-check old.yml --chart strict --format {format} --helm {helm}"
            )));
        }
    }
    commands
}

/// The helm binary the render commands run: `VALUESMITH_HELM4`, `VALUESMITH_HELM3`, else
/// `helm` on PATH; `None` (with one line saying so) when there is none.
fn helm_binary() -> Option<PathBuf> {
    for var in ["VALUESMITH_HELM4", "VALUESMITH_HELM3"] {
        if let Some(path) = std::env::var_os(var).filter(|p| !p.is_empty()) {
            return Some(PathBuf::from(path));
        }
    }
    if Command::new("helm")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        return Some(PathBuf::from("helm"));
    }
    println!("skipped render-diff and render-check: no helm binary (set VALUESMITH_HELM4)");
    None
}

/// A chart whose templates put every value in a ConfigMap and a Secret, so a render shows
/// each value the user sets.
const TEMPLATE: &str = "\
apiVersion: v1
kind: ConfigMap
metadata:
  name: demo-config
data:
  {{- toYaml .Values | nindent 2 }}
---
apiVersion: v1
kind: Secret
metadata:
  name: demo-secret
stringData:
  {{- toYaml .Values | nindent 2 }}
";

/// Writes a chart `name` of version `version` into `dir`, with these defaults and schema.
fn write_chart(dir: &Path, name: &str, version: &str, values: &str, schema: Option<&str>) {
    let chart = dir.join(name);
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    let meta = format!("apiVersion: v2\nname: demo\nversion: {version}\n");
    std::fs::write(chart.join("Chart.yaml"), meta).unwrap();
    std::fs::write(chart.join("values.yaml"), values).unwrap();
    std::fs::write(chart.join("templates/all.yaml"), TEMPLATE).unwrap();
    if let Some(schema) = schema {
        std::fs::write(chart.join("values.schema.json"), schema).unwrap();
    }
}

/// Whether `value` sits on a line of `text` after a key (not on a block scalar's own line):
/// the line a caret snippet shows for that value.
fn on_key_line(text: &str, value: &str) -> bool {
    text.lines()
        .find_map(|line| {
            line.split_once(value)
                .map(|(before, _)| before.contains(':'))
        })
        .unwrap_or(false)
}

/// Commands on the broken file: every one must fail without showing the planted line.
fn broken_commands() -> Vec<Vec<String>> {
    let words = |text: &str| text.split(' ').map(str::to_owned).collect::<Vec<_>>();
    let mut commands = vec![
        words("get broken.yml broken"),
        words("set broken.yml broken.image.tag y"),
        words("diff broken.yml new.yml"),
        words("migrate broken.yml --from 1.0.0 --env dev --to 1.1.0 --dry-run"),
    ];
    for format in ["human", "json", "github"] {
        commands.push(words(&format!("validate broken.yml --format {format}")));
    }
    commands
}

/// Counts (and describes) a planted value that `run` shows.
fn leaked(leaks: &mut usize, report: &mut String, seed: u64, run: &Run, value: &str) {
    if run.out.contains(value) {
        *leaks += 1;
        let _ = writeln!(report, "seed {seed}: `{}` shows {value}", run.label);
    }
}

fn show(mut args: Vec<String>) -> Vec<String> {
    args.push("--show-secrets".into());
    args
}

#[test]
fn planted_secrets_never_leak() {
    const CASES: u64 = 6;
    let (mut files, mut planted, mut runs, mut leaks, mut shown, mut missing) = (0, 0, 0, 0, 0, 0);
    let mut report = String::new();
    let helm = helm_binary();
    for seed in 0..CASES {
        let case = generate(0x005e_c2e7 + seed);
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in [
            ("old.yml", &case.old),
            ("new.yml", &case.new),
            ("broken.yml", &case.broken),
            ("releases.yml", &CATALOG.to_owned()),
            ("schema.json", &SCHEMA.to_owned()),
        ] {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        // advise moves from a chart whose defaults are OLD to one whose defaults are NEW;
        // render-check renders with a schema every string fails, so it quotes each line.
        write_chart(dir.path(), "chart-a", "1.0.0", &case.old, None);
        write_chart(dir.path(), "chart-b", "1.1.0", &case.new, None);
        write_chart(dir.path(), "chart", "1.0.0", "{}\n", None);
        write_chart(dir.path(), "strict", "1.0.0", "{}\n", Some(SCHEMA));
        let patch = valuesmith()
            .current_dir(dir.path())
            .args([
                "diff",
                "old.yml",
                "new.yml",
                "--format",
                "json",
                "--show-secrets",
            ])
            .output()
            .unwrap();
        std::fs::write(dir.path().join("patch.json"), &patch.stdout).unwrap();
        files += 3;
        let all: Vec<&Plant> = case.old_plants.iter().chain(&case.new_plants).collect();
        planted += all.len() + 1;
        let mut get_paths: Vec<String> = case
            .old_plants
            .iter()
            .filter_map(|p| p.path.clone())
            .collect();
        get_paths.dedup();
        for args in commands(&get_paths, helm.as_deref()) {
            let args_ref: Vec<&str> = args.iter().map(String::as_str).collect();
            let hidden = run(dir.path(), &args_ref);
            runs += 1;
            for plant in &all {
                // A value secret only through a rename is secret where both sides are seen.
                let relational = plant.path.is_none();
                let both_sides = ["diff", "migrate", "advise", "render-diff"];
                if relational && !both_sides.contains(&args[0].as_str()) {
                    continue;
                }
                leaked(&mut leaks, &mut report, seed, &hidden, &plant.value);
            }
            // With --show-secrets, what the command prints at all appears as written.
            let revealed = run(
                dir.path(),
                &show(args.clone())
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>(),
            );
            runs += 1;
            let expected: Vec<&Plant> = match args[0].as_str() {
                "get" => case
                    .old_plants
                    .iter()
                    .filter(|p| {
                        p.path.as_deref().is_some_and(|path| {
                            path == args[2] || path.starts_with(&format!("{}.", args[2]))
                        })
                    })
                    .collect(),
                // The one-line formats shorten long values; these two print them whole (a
                // multi-line text as a line diff or a JSON string: each line appears).
                "diff" | "render-diff" if args.iter().any(|a| a == "human" || a == "json") => {
                    all.iter().copied().filter(|p| p.in_diff).collect()
                }
                "migrate" if args.iter().any(|a| a == "human") => {
                    all.iter().copied().filter(|p| p.path.is_none()).collect()
                }
                "validate" if args.iter().any(|a| a == "json") => {
                    all.iter().copied().filter(|p| p.quoted_by_schema).collect()
                }
                // Every value of OLD, where no quoting or escaping changes how it is written.
                "effective" if !args.iter().any(|a| a == "json") => case
                    .old_plants
                    .iter()
                    .filter(|p| {
                        p.path.is_some()
                            && p.value
                                .chars()
                                .all(|c| c.is_ascii_alphanumeric() || "-_".contains(c))
                    })
                    .collect(),
                // Each of the user's values is stale, frozen or redundant (the user's file is
                // A's defaults), and JSON prints it whole.
                "advise" if args.iter().any(|a| a == "json") => case
                    .old_plants
                    .iter()
                    .filter(|p| p.path.is_some())
                    .collect(),
                // Every string fails the schema, and the snippet shows the value's line.
                "render-check" if args.iter().any(|a| a == "human") => case
                    .old_plants
                    .iter()
                    .filter(|p| p.path.is_some() && on_key_line(&case.old, &p.value))
                    .collect(),
                _ => Vec::new(),
            };
            for plant in expected {
                if revealed.out.contains(&plant.value) {
                    shown += 1;
                } else {
                    missing += 1;
                    let _ = writeln!(
                        report,
                        "seed {seed}: `{} --show-secrets` does not show {}",
                        revealed.label, plant.value
                    );
                }
            }
        }
        for args in broken_commands() {
            let args_ref: Vec<&str> = args.iter().map(String::as_str).collect();
            let hidden = run(dir.path(), &args_ref);
            runs += 1;
            assert!(
                hidden.out.contains("broken.yml"),
                "the error names the file: {}",
                hidden.out
            );
            leaked(&mut leaks, &mut report, seed, &hidden, &case.broken_plant);
            for plant in &case.old_plants {
                if plant.path.is_some() {
                    leaked(&mut leaks, &mut report, seed, &hidden, &plant.value);
                }
            }
        }
        // validate's finding and the parse errors (exit 2) of diff, get and migrate show the
        // line as written when asked to: --show-secrets turns redaction off in snippets too.
        for args in [
            &["validate", "broken.yml", "--show-secrets"][..],
            &["diff", "broken.yml", "new.yml", "--show-secrets"],
            &["get", "broken.yml", "broken", "--show-secrets"],
            &[
                "migrate",
                "broken.yml",
                "--from",
                "1.0.0",
                "--env",
                "dev",
                "--to",
                "1.1.0",
                "--dry-run",
                "--show-secrets",
            ],
        ] {
            let revealed = run(dir.path(), args);
            runs += 1;
            if revealed.out.contains(&case.broken_plant) {
                shown += 1;
            } else {
                missing += 1;
                let _ = writeln!(
                    report,
                    "seed {seed}: `{}` hides the broken line",
                    revealed.label
                );
            }
        }
    }
    println!(
        "planted secrets: {files} files generated, {planted} values planted, {runs} runs, \
         {leaks} leaks found; --show-secrets showed {shown} expected values, missed {missing}"
    );
    assert!(planted > 0 && shown > 0);
    assert_eq!((leaks, missing), (0, 0), "\n{report}");
}

/// The README's first command shows the mounts of a volume named `secrets-store...` as they
/// are: only values are secret, and a name that mentions a secret is not one.
#[test]
fn the_readme_example_shows_what_only_mentions_a_secret() {
    let output = valuesmith()
        .current_dir(crate::common::repo_root())
        .args([
            "migrate",
            "examples/cluedin/values-dev-2024-12-02.yml",
            "--to",
            "2026.02.00",
            "--dry-run",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains(
            "  - infrastructure.elasticsearch.extraVolumeMounts: \
             [{mountPath: /mnt/secrets-store, name: secrets-store01-inline, readOnly: true}]"
        ),
        "{stdout}"
    );
    assert!(!stdout.contains("<redacted>"), "{stdout}");
}

/// A rename from an innocent key to a secret one, a move of a subtree under a secret key,
/// `existingSecret`, a TTL, an `env` item and a syntax error: the outputs as a user sees them.
#[test]
fn redaction_as_a_user_sees_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("releases.yml"), CATALOG).unwrap();
    std::fs::write(
        dir.path().join("values-dev-1-0-0.yml"),
        "\
legacy:
  dbp: s3cretRenamed   # the old key
  creds:
    user: admin
    key: K3yMoved
auth:
  existingSecret: my-app-credentials
  tokenTTL: 3600
  token: TopSecret1
env:
- name: DB_PASSWORD
  value: envSecret9
- name: LOG_LEVEL
  value: info
",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("broken.yml"),
        "db:\n  user: admin\n  password: Hunter2Secret: oops # rotated\n",
    )
    .unwrap();
    let out = |args: &[&str]| {
        let output = valuesmith()
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap();
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    };
    let migrate = [
        "migrate",
        "values-dev-1-0-0.yml",
        "--to",
        "1.1.0",
        "--dry-run",
    ];
    insta::assert_snapshot!("redacted_dry_run", out(&migrate));
    let json = [&migrate[..], &["--format", "json"]].concat();
    insta::assert_snapshot!("redacted_migrate_json", out(&json));
    insta::assert_snapshot!(
        "redacted_get",
        out(&["get", "values-dev-1-0-0.yml", "auth"])
    );
    insta::assert_snapshot!("redacted_error_snippet", out(&["get", "broken.yml", "db"]));
    let shown = [&json[..], &["--show-secrets"]].concat();
    assert!(out(&shown).contains("\"old\": \"s3cretRenamed\""));
}

/// A `--set` that clashes with a chart default is named in a warning on standard error: its
/// secret value is redacted there as in the values, and shown with `--show-secrets`.
#[test]
fn a_type_clash_warning_redacts_the_set_flag() {
    let dir = tempfile::tempdir().unwrap();
    write_chart(
        dir.path(),
        "chart",
        "1.0.0",
        "db:\n  password:\n    file: /run/pw\n",
        None,
    );
    let run = |show: bool| {
        let mut command = valuesmith();
        command.current_dir(dir.path()).args([
            "effective",
            "--chart",
            "chart",
            "--set",
            "db.password=Tk9xq2Lm",
        ]);
        if show {
            command.arg("--show-secrets");
        }
        let output = command.output().unwrap();
        assert!(output.status.success());
        (
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    let (stdout, stderr) = run(false);
    assert_eq!(stdout, "db:\n  password: <redacted>\n");
    insta::assert_snapshot!(stderr, @r"
    warning: db.password: a string replaces the chart's default, which is a mapping
    hint: the value comes from --set db.password=<redacted>
    ");
    let (stdout, stderr) = run(true);
    assert_eq!(stdout, "db:\n  password: Tk9xq2Lm\n");
    assert!(stderr.contains("--set db.password=Tk9xq2Lm"), "{stderr}");
}
