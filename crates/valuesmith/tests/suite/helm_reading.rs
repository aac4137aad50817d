//! valuesmith's Helm reading against real Helm: `helm template` of a chart whose only template
//! is `{{ toJson .Values }}` must print exactly the JSON valuesmith gives
//! (`valuesmith::value::helm_json` of the document's value), or both must refuse the file.
//!
//! Checked for Helm 3 and Helm 4 (`VALUESMITH_HELM3`, `VALUESMITH_HELM4`, else `helm` on
//! PATH), on a table of scalar, key, tag, anchor, merge and structure forms (many forms a
//! file, one form a key), every corpus values file (as `-f` and as the chart's own
//! `values.yaml`) and every single-document mapping case of the YAML test suite. One line per
//! Helm version reports the agreement; any disagreement fails the test with both readings.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use valuesmith::document::{Document, DocumentKind, Limits, Reading};
use valuesmith::value::{helm_json, Value};

use crate::common::{chart_values_files, yaml_test_suite_cases};

/// A Helm binary and its version (`v3.17.3`).
struct Helm {
    path: PathBuf,
    version: String,
}

fn helm_binaries() -> Vec<Helm> {
    let mut paths: Vec<PathBuf> = ["VALUESMITH_HELM3", "VALUESMITH_HELM4"]
        .iter()
        .filter_map(std::env::var_os)
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .collect();
    if paths.is_empty() {
        paths.push(PathBuf::from("helm"));
    }
    paths
        .into_iter()
        .filter_map(|path| {
            let out = Command::new(&path)
                .args(["version", "--short"])
                .output()
                .ok()?;
            let version = String::from_utf8_lossy(&out.stdout)
                .trim()
                .split('+')
                .next()?
                .to_owned();
            out.status.success().then_some(Helm { path, version })
        })
        .collect()
}

/// What a reader makes of a values file: the JSON of `.Values`, or a refusal.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Json(String),
    Refused(String),
}

impl Outcome {
    fn agrees(&self, other: &Outcome) -> bool {
        match (self, other) {
            (Outcome::Json(a), Outcome::Json(b)) => a == b,
            (Outcome::Refused(_), Outcome::Refused(_)) => true,
            _ => false,
        }
    }
}

impl Helm {
    /// valuesmith's reading for this Helm version (they differ on several documents).
    fn reading(&self) -> Reading {
        if self.version.starts_with("v3") {
            Reading::Helm3
        } else {
            Reading::Helm
        }
    }
}

/// valuesmith's reading of a values file as Helm would print it.
fn ours(bytes: &[u8], reading: Reading) -> Outcome {
    match Document::from_bytes_with(bytes, DocumentKind::Values, Limits::default(), reading) {
        Ok(doc) => match helm_json(doc.value()) {
            Some(json) => Outcome::Json(json),
            None => Outcome::Refused("a value JSON cannot hold".into()),
        },
        Err(err) => Outcome::Refused(err.to_string()),
    }
}

/// A chart in a temporary folder whose only template prints `.Values` as JSON.
struct Chart {
    dir: tempfile::TempDir,
}

impl Chart {
    fn new(values: &[u8]) -> Chart {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("c");
        std::fs::create_dir_all(root.join("templates")).unwrap();
        std::fs::write(
            root.join("Chart.yaml"),
            "apiVersion: v2\nname: c\nversion: 0.1.0\n",
        )
        .unwrap();
        std::fs::write(root.join("templates/v.yaml"), "{{ toJson .Values }}\n").unwrap();
        std::fs::write(root.join("values.yaml"), values).unwrap();
        Chart { dir }
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("c")
    }

    /// `helm template` of the chart, with `user` as a `-f` file.
    fn template(&self, helm: &Helm, user: Option<&[u8]>) -> Outcome {
        let mut command = Command::new(&helm.path);
        command.arg("template").arg(self.root());
        if let Some(bytes) = user {
            let file = self.dir.path().join("user.yaml");
            std::fs::write(&file, bytes).unwrap();
            command.arg("-f").arg(file);
        }
        let out = command.output().unwrap();
        if !out.status.success() {
            return Outcome::Refused(String::from_utf8_lossy(&out.stderr).trim().to_owned());
        }
        let stdout = String::from_utf8_lossy(&out.stdout);
        let mut lines = stdout.lines().skip_while(|l| !l.starts_with("# Source:"));
        lines.next();
        Outcome::Json(lines.next().unwrap_or_default().to_owned())
    }
}

/// `helm template` with `bytes` as `-f` over an empty chart.
fn as_user_file(helm: &Helm, bytes: &[u8]) -> Outcome {
    Chart::new(b"").template(helm, Some(bytes))
}

/// `helm template` with `bytes` as the chart's own `values.yaml`.
fn as_chart_values(helm: &Helm, bytes: &[u8]) -> Outcome {
    Chart::new(bytes).template(helm, None)
}

/// Runs `job` on every item on a few threads, keeping the order of the results.
fn parallel<T: Sync, R: Send>(items: &[T], job: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                let result = job(item);
                results.lock().unwrap()[i] = Some(result);
            });
        }
    });
    results
        .into_inner()
        .unwrap()
        .into_iter()
        .map(Option::unwrap)
        .collect()
}

/// Inputs on which valuesmith knowingly differs from Helm (the Helm major version, or `None`
/// for both; the input's name; why). The test fails if one of them starts to agree, so the
/// list stays true; docs/helm-semantics.md describes them.
const KNOWN: &[(Option<&str>, &str, &str)] = &[(
    None,
    "file: helm header",
    "refused on purpose: `helm get values` without `-o yaml`",
)];

fn is_known(version: &str, name: &str) -> bool {
    KNOWN.iter().any(|(major, known, _)| {
        *known == name && major.is_none_or(|major| version.starts_with(major))
    })
}

/// The tally of one kind of input against one Helm version.
#[derive(Default)]
struct Tally {
    total: usize,
    agree: usize,
    known: usize,
    disagreements: Vec<String>,
}

impl Tally {
    fn record(&mut self, version: &str, name: &str, ours: &Outcome, helm: &Outcome) {
        self.total += 1;
        let known = is_known(version, name);
        match (ours.agrees(helm), known) {
            (true, false) => self.agree += 1,
            (false, true) => self.known += 1,
            (true, true) => self
                .disagreements
                .push(format!("{name}: listed in KNOWN but agrees with Helm")),
            (false, false) => self.disagreements.push(format!(
                "{name}:\n  valuesmith: {ours:?}\n  helm:       {helm:?}"
            )),
        }
    }

    fn summary(&self) -> String {
        format!("{}/{} ({} known)", self.agree, self.total, self.known)
    }
}

/// One form of the table: a mapping body at column 0.
struct Form {
    name: String,
    text: String,
}

/// The forms batched under the key `fNNNN`, indented.
fn batch(forms: &[&Form]) -> String {
    let mut out = String::new();
    for (i, form) in forms.iter().enumerate() {
        out.push_str(&format!("f{i:04}:\n"));
        for line in form.text.lines() {
            out.push_str("  ");
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The value under `fNNNN` of a batch's JSON, written again as Go writes it.
fn form_json(json: &str, index: usize) -> Option<String> {
    let parsed: serde_json::Value = serde_json::from_str(json).ok()?;
    let value = Value::from_json(parsed.get(format!("f{index:04}"))?);
    helm_json(&value)
}

/// Scalars as users write them, and as YAML 1.1 and 1.2 disagree on them.
const ATOMS: &[&str] = &[
    "y",
    "Y",
    "yes",
    "Yes",
    "YES",
    "n",
    "N",
    "no",
    "No",
    "NO",
    "on",
    "On",
    "ON",
    "off",
    "Off",
    "OFF",
    "true",
    "True",
    "TRUE",
    "false",
    "False",
    "FALSE",
    "yEs",
    "tRUE",
    "oN",
    "nO",
    "~",
    "null",
    "Null",
    "NULL",
    "nUll",
    "0",
    "-0",
    "+0",
    "00",
    "007",
    "0755",
    "0644",
    "08",
    "09",
    "0o17",
    "0O17",
    "0o8",
    "0x1F",
    "0X1F",
    "0x1f",
    "0xG",
    "0x",
    "0b101",
    "0B101",
    "-0b101",
    "0b2",
    "0b",
    "+0x10",
    "-0x10",
    "1_000",
    "1__0",
    "_1",
    "1_",
    "0x_1F",
    "1_0.5",
    "12",
    "-12",
    "+12",
    "1e3",
    "1E3",
    "1e+3",
    "1e-3",
    "1e",
    "e3",
    "1.",
    ".5",
    "+.5",
    "-.5",
    "1.10",
    "1.0",
    "-1.0",
    "0.0",
    "-0.0",
    "0.1",
    "3.14159",
    "6.02e23",
    "1.5e400",
    "1e-400",
    "1e21",
    "1e20",
    "1e-7",
    "0.000001",
    "100000000000000000000.0",
    "123456789.123456789",
    "2024.12",
    "2025.05.00",
    "1.2.3",
    "v1.2.3",
    "1.2.3-beta",
    "1:30",
    "190:20:30",
    "2001-12-14",
    "2001-12-14t21:59:43.10-05:00",
    "2001-12-14 21:59:43.10",
    "2002-14-14",
    "=",
    "<<",
    "+",
    "-",
    ".",
    "..",
    "-.",
    ".e3",
    ".5e3",
    ".5_0",
    ".Inf",
    "-.Inf",
    ".NaN",
    "9007199254740992",
    "9007199254740993",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "0x7FFFFFFFFFFFFFFF",
    "0x8000000000000000",
    "0xFFFFFFFFFFFFFFFF",
    "0x10000000000000000",
    "123456789012345678901234567890",
    "0.30000000000000004",
    "1e-5",
    "5e-324",
    "1.7976931348623157e308",
    "abc",
    "hello world",
    "x:y",
    "a#b",
    "café",
    "<tag>",
    "a&b",
    "\\n",
    "%x",
];

/// Scalars Helm refuses as plain values (JSON has no infinity or NaN).
const NON_FINITE: &[&str] = &[
    ".inf", "+.inf", "-.inf", ".nan", ".INF", "+.Inf", "-.INF", ".NAN",
];

/// Hand-written forms: tags, anchors, merges, duplicates, block scalars, flow collections.
const STRUCTURES: &[(&str, &str)] = &[
    ("binary", "v: !!binary aGVsbG8gd29ybGQ=\n"),
    ("binary block", "v: !!binary |\n  aGVsbG8g\n  d29ybGQ=\n"),
    ("binary bad", "v: !!binary '%%%'\n"),
    ("binary unpadded", "v: !!binary aGk\n"),
    ("binary not utf8", "v: !!binary /w==\n"),
    ("binary key", "!!binary aGk=: v\n"),
    ("tag str int", "v: !!str 12\n"),
    ("tag int quoted", "v: !!int '12'\n"),
    ("tag int bad", "v: !!int abc\n"),
    ("tag int float", "v: !!int 1.5\n"),
    ("tag float int", "v: !!float 3\n"),
    ("tag float big uint", "v: !!float 18446744073709551615\n"),
    ("tag bool yes", "v: !!bool yes\n"),
    ("tag bool bad", "v: !!bool 1\n"),
    ("tag null", "v: !!null ''\n"),
    ("tag null bad", "v: !!null x\n"),
    ("tag timestamp", "v: !!timestamp 2001-12-14\n"),
    ("tag timestamp bad", "v: !!timestamp abc\n"),
    ("tag nonspecific", "v: ! 12\n"),
    ("tag nonspecific on", "v: ! on\n"),
    ("tag custom", "v: !foo 12\n"),
    ("tag custom mapping", "v: !foo {a: 1}\n"),
    ("tag set", "v: !!set {a, b}\n"),
    ("tag omap", "v: !!omap [a: 1, b: 2]\n"),
    ("tag verbatim", "v: !<tag:yaml.org,2002:str> 12\n"),
    ("tag merge value", "v: !!merge x\n"),
    ("tag str on mapping", "v: !!str {a: 1}\n"),
    ("anchor alias", "a: &x 1\nb: *x\n"),
    ("anchor mapping", "a: &x {k: on}\nb: *x\n"),
    ("anchor redefined", "a: &x 1\nb: *x\nc: &x 2\nd: *x\n"),
    ("alias key", "a: &k key\n*k : v\n"),
    ("merge single", "b: &b {x: 1, z: 2}\nm:\n  <<: *b\n  w: 3\n"),
    (
        "merge after explicit",
        "b: &b {x: 1, z: 2}\nm:\n  x: 9\n  <<: *b\n",
    ),
    (
        "merge before explicit",
        "b: &b {x: 1, z: 2}\nm:\n  <<: *b\n  x: 9\n",
    ),
    (
        "merge list",
        "a: &a {x: 1}\nb: &b {x: 2, z: 3}\nm:\n  <<: [*a, *b]\n",
    ),
    (
        "merge list reversed",
        "a: &a {x: 1}\nb: &b {x: 2, z: 3}\nm:\n  <<: [*b, *a]\n",
    ),
    (
        "merge nested",
        "a: &a {x: 1}\nb: &b\n  <<: *a\n  z: 2\nm:\n  <<: [*b]\n  q: 3\n",
    ),
    ("merge inline", "m:\n  <<: {x: 1, z: 2}\n  z: 3\n"),
    ("merge inline list", "m:\n  <<: [{x: 1}, {x: 2, z: 3}]\n"),
    (
        "merge twice",
        "a: &a {x: 1}\nb: &b {x: 2}\nm:\n  <<: *a\n  <<: *b\n",
    ),
    ("merge quoted", "m:\n  \"<<\": 1\n"),
    ("merge tagged", "a: &a {x: 1}\nm:\n  !!merge <<: *a\n"),
    ("merge scalar", "m:\n  <<: 1\n"),
    ("merge null", "m:\n  <<:\n"),
    ("merge alias scalar", "a: &a 1\nm:\n  <<: *a\n"),
    ("merge list scalar", "a: &a {x: 1}\nm:\n  <<: [*a, 1]\n"),
    (
        "merge deep not merged",
        "a: &a {x: {p: 1, q: 2}}\nm:\n  <<: *a\n  x: {p: 3}\n",
    ),
    ("merge key as value", "v: <<\n"),
    ("merge flow", "a: &a {x: 1}\nm: {<<: *a, z: 2}\n"),
    ("duplicate", "a: 1\na: 2\n"),
    ("duplicate nested", "m:\n  x: 1\n  x: {y: 2}\n"),
    ("duplicate bool spellings", "m:\n  yes: 1\n  on: 2\n"),
    ("duplicate int spellings", "m:\n  0x10: a\n  16: b\n"),
    ("null key", "~: 1\n"),
    ("empty key", ": 1\n"),
    ("complex key seq", "? [a, b]\n: 1\n"),
    ("complex key map", "? {a: 1}\n: 1\n"),
    ("float key", "1.5: a\n"),
    ("float key big", "1e10: a\n"),
    ("float key precise", "3.14159265358979: a\n"),
    ("float key tiny", "0.00001: a\n"),
    ("inf key", ".inf: a\n"),
    ("nan key", ".nan: a\n"),
    ("uint key", "18446744073709551615: a\n"),
    ("big int key", "9007199254740993: a\n"),
    ("negative key", "-5: a\n"),
    ("octal key", "0755: a\n"),
    ("bool key false", "off: a\n"),
    ("timestamp key", "2001-12-14: a\n"),
    ("literal", "v: |\n  a\n  b\n"),
    ("literal strip", "v: |-\n  a\n"),
    ("literal keep", "v: |+\n  a\n\n"),
    ("folded", "v: >\n  a\n  b\n\n  c\n"),
    ("folded more indented", "v: >\n  a\n    b\n  c\n"),
    ("indent indicator", "v: |2\n   a\n"),
    ("double quoted escapes", "v: \"a\\tb\\u00e9\\x41\\n\"\n"),
    ("double quoted multi-line", "v: \"a\n  b\"\n"),
    ("single quoted escape", "v: 'it''s'\n"),
    ("plain multi-line", "v: a\n  b\n  c\n"),
    ("html chars", "v: \"<a href='x'>&amp;</a>\"\n"),
    ("control chars", "v: \"\\x01\\x1f\\b\\f\"\n"),
    ("line separators", "v: \"\\u2028\\u2029\"\n"),
    ("empty value", "v:\n"),
    ("empty quoted", "v: ''\n"),
    ("flow seq", "v: [a, 1, on, ~, 0x10]\n"),
    ("flow map", "v: {a: 1, b: on}\n"),
    ("flow empty", "v: {}\nw: []\n"),
    ("flow nested", "v: [{a: [1, {b: 2}]}]\n"),
    ("flow at key column", "v: [a,\nb]\n"),
    ("flow map at key column", "v: {a: 1,\n}\n"),
    ("flow trailing comma", "v: [a, b, ]\n"),
    ("flow single pair", "v: [a: 1]\n"),
    ("indentless seq", "v:\n- a\n- b\n"),
    ("nested seq", "v:\n  - - a\n    - b\n  - c\n"),
    ("seq of maps", "v:\n  - name: a\n    on: 1\n  - name: b\n"),
    ("comment", "v: 1 # c\n# only\nw: 2\n"),
    ("hash in value", "v: a#b\nw: 'a #b'\n"),
    ("colon in value", "v: http://x:80/y\n"),
    (
        "long key",
        "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk: 1\n",
    ),
    ("unicode key", "é: 1\n\"\\u00e9x\": 2\n"),
    ("quoted key", "\"on\": 1\n'0755': 2\n"),
    ("dotted key", "a.b: 1\n"),
    ("empty mapping value", "v: {}\n"),
    ("null in seq", "v: [~, null, ]\n"),
    ("deep", "a:\n  b:\n    c:\n      d: [1, [2, [3]]]\n"),
    // Where go-yaml v2's scanner parts from YAML 1.2 (docs/helm-semantics.md).
    ("tab after colon", "v:\t1\n"),
    ("tab after dash", "v:\n- \ta\n"),
    ("tab before comment line", "v: 1\n\t# c\n"),
    ("tab line after comment", "v: 1 # c\n\t\nw: 2\n"),
    ("tab line deeper than key", "v: 1\n \t\nw: 2\n"),
    ("tab line nested", "v:\n  w: 1\n \t\nx: 2\n"),
    ("tab in value", "v: a\tb\n"),
    ("tab after value", "v: a\t# c\n"),
    ("tab in brackets", "v: [a,\n\tb]\n"),
    ("tab in block scalar content", "v: |\n  a\tb\n  \tc\n"),
    ("tab in block scalar indent", "v: |\n  a\n\t\nw: 1\n"),
    ("tab in single quotes", "v: 'a\tb'\n"),
    ("escaped slash", "v: \"a\\/b\"\n"),
    ("anchor with colon", "v: &x:y 1\n"),
    ("anchor with colon space", "v: &x: 1\n"),
    ("anchor with dot", "v: &x.y 1\nw: *x.y\n"),
    ("alias with colon", "v: &x 1\nw: *x:\n"),
    ("tag before comma", "v: [!!str, b]\n"),
    ("tag before bracket", "v: [a, !!str]\n"),
    ("flow colon first", "v: [:x]\n"),
    ("flow question inside", "v: [a?b]\n"),
    ("flow question in map value", "v: {a: b?c}\n"),
    ("flow key indicator", "v: {?a: 1}\n"),
    ("flow key indicator in a list", "v: [?a]\n"),
    ("flow colon on next line", "v: {a\n  : 1}\n"),
    ("flow quoted key colon on next line", "v: {\"a\"\n  : 1}\n"),
    ("flow pair colon on next line", "v: [a\n  : 1]\n"),
    ("flow colon after comment", "v: {a # c\n  : 1}\n"),
    ("flow url", "v: [http://x:80/y]\n"),
    // Forms go-yaml v2 reads and YAML 1.2 refuses: read again rewritten the YAML 1.2 way.
    ("flow dash last", "v: [a, -]\n"),
    ("flow dash first", "v: [-, b]\n"),
    ("flow dashes", "v: [-,-]\n"),
    ("flow dash map value", "v: {k: -}\n"),
    ("flow dash nested", "v: {k: [-]}\n"),
    ("flow dash key", "v: {-: a}\n"),
    ("flow dash space", "v: [- ]\n"),
    ("flow dash line end", "v: [-\n  ]\n"),
    ("flow key indicator then item", "v: [?a, b]\n"),
    ("flow key indicator last", "v: [b, ?a]\n"),
    ("flow key indicator spaced", "v: [ ?a ]\n"),
    ("flow key indicator words", "v: [?a b]\n"),
    ("flow key indicator colon", "v: [?a:1]\n"),
    ("flow key indicator value", "v: [?a: 1]\n"),
    ("flow key indicator dash", "v: [?-]\n"),
    ("flow key indicator quoted", "v: [?\"a\"]\n"),
    ("flow key indicator next line", "v: [?a\n  , b]\n"),
    ("flow key indicator alone", "v: [?]\n"),
    ("flow key indicator before comma", "v: [?, a]\n"),
    ("flow key indicator twice", "v: [??a]\n"),
    ("flow key indicator list", "v: [?[a]]\n"),
    ("flow key indicator and dash", "v: [?a, -]\n"),
    ("tag before comma int", "v: [!!int, 1]\n"),
    ("tag before comma later", "v: [a, !!str, b]\n"),
    ("tag before comma glued", "v: [!!str,b]\n"),
    ("tag before comma glued then item", "v: [!!str,b, c]\n"),
    ("tag before comma bracket", "v: [!!str,]\n"),
    ("tag before comma items", "v: [!!str, b, c]\n"),
    ("tag before comma list", "v: [!!str, [b]]\n"),
    ("tag before comma tagged", "v: [!!str, !!int 2]\n"),
    ("tag before comma empty", "v: [!!str, ]\n"),
    ("tag before comma local", "v: [!foo, b]\n"),
    ("tag before comma pair", "v: [!!str, b: 1]\n"),
    ("tag before comma line end", "v: [!!str,\n  b]\n"),
    ("tag before comma binary", "v: [!!binary, aGk=]\n"),
    ("tag before comma in map", "v: {a: !!str, b: c}\n"),
    // A quoted value's continuation line that starts with a tab, or sits left of its key.
    ("double quotes tab line", "v: \"x\n\ty\"\n"),
    ("double quotes tab only line", "v: \"x\n\t\n  y\"\n"),
    ("double quotes tab last line", "v: \"x\n\t\"\n"),
    ("double quotes tab escaped break", "v: \"x\\\n\ty\"\n"),
    ("double quotes tab nested", "v:\n  w: \"x\n\ty\"\n"),
    ("double quotes tabs in a list", "v:\n  - \"x\n\t\ty\"\n"),
    (
        "double quotes tab lines",
        "v:\n  w:\n    - \"x\n\ty\n\tz\"\n",
    ),
    (
        "double quotes tab then comment sign",
        "v:\n  w: \"a\n\t#c\n\"\n",
    ),
    ("double quotes tab space tab", "v:\n  w: \"x\n\t  \ty\"\n"),
    ("double quotes left of key", "v:\n  w: \"x\ny\"\n"),
    (
        "double quotes left of key then key",
        "v:\n  w: \"x\n y\"\n  u: 1\n",
    ),
    ("double quotes document marker", "v:\n  w: \"a\n---\n\"\n"),
    ("single quotes tab line", "v: 'x\n\ty'\n"),
    ("single quotes tab nested", "v:\n  w: 'x\n\ty'\n"),
    ("quotes tab line in flow", "v: [\"x\n\ty\"]\n"),
    ("single quotes tab line in flow", "v: ['x\n\ty', b]\n"),
    ("quotes tab line in flow map", "v: {a: \"x\n\ty\"}\n"),
    ("plain tab line", "v: x\n\ty\n"),
];

/// Whole files: what happens at the top level.
const FILES: &[(&str, &str)] = &[
    ("empty file", ""),
    ("comment-only file", "# nothing here\n"),
    ("blank lines", "\n\n"),
    ("null document", "~\n"),
    ("explicit start", "---\na: 1\n"),
    ("explicit end", "a: 1\n...\n"),
    ("directive", "%YAML 1.1\n---\na: 1\n"),
    (
        "tag directive",
        "%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n",
    ),
    ("two documents", "a: 1\n---\nb: 2\n"),
    (
        "two documents overlapping",
        "a: {x: 1, y: 2}\n---\na: {x: 3}\nb: 2\n",
    ),
    ("empty second document", "a: 1\n---\n"),
    ("empty first document", "---\n---\na: 1\n"),
    (
        "three documents merged",
        "a: {x: {y: 1, z: 2}, l: [1, 2]}\n---\n# only a comment\n---\na: {x: {y: ~}, l: [3]}\nb: 1\n",
    ),
    ("later document replaces a mapping", "a: {x: 1}\n---\na: 5\n"),
    ("later document is a list", "a: 1\n---\n- x\n"),
    ("later document does not parse", "a: 1\n---\nb: [\n"),
    ("alias to an earlier document", "a: &x 1\n---\nb: *x\n"),
    ("duplicate key in a later document", "a: 1\n---\nb: 1\nb: 2\n"),
    ("top-level flow", "{a: 1, b: [on]}\n"),
    ("top-level sequence", "- a\n- b\n"),
    ("top-level scalar", "hello\n"),
    ("top-level number", "12\n"),
    ("bom", "\u{feff}a: 1\n"),
    ("crlf", "a: 1\r\nb: on\r\n"),
    ("helm header", "USER-SUPPLIED VALUES:\na: 1\n"),
    ("tab indent", "a:\n\tb: 1\n"),
    ("tab after colon", "a:\t1\n"),
    ("document end then more", "a: 1\n...\nb: 2\n"),
    ("separator with text", "a: 1\n---x\n"),
    ("separator with comment", "a: 1\n--- # next\nb: 2\n"),
    ("separator with block scalar", "a: 1\n--- |\n  x\n"),
    ("block scalar at the end without line break", "a: |\n  x"),
    ("block scalar last line of spaces", "a: |\n  x\n   "),
    ("block scalar keep at the end", "a: |+\n  x"),
    ("block scalar strip at the end", "a: |-\n  x"),
    ("crlf documents", "a: 1\r\n---\r\nb: \"x\r\n  y\"\r\n"),
    ("directive only", "%YAML 1.1\n---\n"),
];

fn forms() -> Vec<Form> {
    let mut forms = Vec::new();
    let mut add = |name: String, text: String| forms.push(Form { name, text });
    for atom in ATOMS {
        add(format!("value {atom}"), format!("v: {atom}\n"));
        add(format!("key {atom}"), format!("{atom}: v\n"));
        add(format!("flow item {atom}"), format!("v: [{atom}]\n"));
        add(
            format!("quoted {atom}"),
            format!("v: '{}'\n", atom.replace('\'', "''")),
        );
        add(format!("!!str {atom}"), format!("v: !!str {atom}\n"));
    }
    for atom in ATOMS.iter().step_by(3) {
        for tag in ["!!int", "!!float", "!!bool"] {
            add(format!("{tag} {atom}"), format!("v: {tag} {atom}\n"));
        }
    }
    for atom in NON_FINITE {
        add(format!("value {atom}"), format!("v: {atom}\n"));
        add(format!("key {atom}"), format!("{atom}: v\n"));
    }
    for (name, text) in STRUCTURES {
        add((*name).to_owned(), (*text).to_owned());
    }
    forms
}

/// The form table against one Helm: forms valuesmith reads go in batches (a batch Helm refuses
/// is checked form by form), the others are checked alone.
fn check_forms(helm: &Helm, forms: &[Form], tally: &mut Tally) {
    let (read, refused): (Vec<&Form>, Vec<&Form>) = forms.iter().partition(|form| {
        matches!(
            ours(batch(&[form]).as_bytes(), helm.reading()),
            Outcome::Json(_)
        )
    });
    let batches: Vec<&[&Form]> = read.chunks(60).collect();
    let batch_results = parallel(&batches, |forms| {
        let text = batch(forms);
        (
            ours(text.as_bytes(), helm.reading()),
            as_user_file(helm, text.as_bytes()),
        )
    });
    let mut alone: Vec<&Form> = refused;
    for (forms, (mine, theirs)) in batches.iter().zip(batch_results) {
        let (Outcome::Json(mine), Outcome::Json(theirs)) = (&mine, &theirs) else {
            alone.extend(forms.iter());
            continue;
        };
        for (i, form) in forms.iter().enumerate() {
            let a = form_json(mine, i).map_or(Outcome::Refused("?".into()), Outcome::Json);
            let b = form_json(theirs, i).map_or(Outcome::Refused("?".into()), Outcome::Json);
            tally.record(&helm.version, &form.name, &a, &b);
        }
    }
    let alone_results = parallel(&alone, |form| {
        let text = batch(&[form]);
        (
            ours(text.as_bytes(), helm.reading()),
            as_user_file(helm, text.as_bytes()),
        )
    });
    for (form, (mine, theirs)) in alone.iter().zip(alone_results) {
        tally.record(&helm.version, &form.name, &mine, &theirs);
    }
}

fn check_files(helm: &Helm, files: &[(String, Vec<u8>)], user: &mut Tally, chart: &mut Tally) {
    let results = parallel(files, |(_, bytes)| {
        (
            ours(bytes, helm.reading()),
            as_user_file(helm, bytes),
            as_chart_values(helm, bytes),
        )
    });
    for ((name, _), (mine, as_user, as_chart)) in files.iter().zip(results) {
        user.record(&helm.version, name, &mine, &as_user);
        chart.record(&helm.version, name, &mine, &as_chart);
    }
}

#[test]
fn helm_reading_agrees_with_helm() {
    let helms = helm_binaries();
    if helms.is_empty() {
        println!("skipped: no helm binary (set VALUESMITH_HELM4/VALUESMITH_HELM3)");
        return;
    }
    let forms = forms();
    assert!(forms.len() >= 600, "{} forms", forms.len());
    let whole_files: Vec<(String, Vec<u8>)> = FILES
        .iter()
        .map(|(name, text)| (format!("file: {name}"), text.as_bytes().to_vec()))
        .collect();
    let corpus: Vec<(String, Vec<u8>)> = chart_values_files()
        .into_iter()
        .map(|path| (relative(&path), std::fs::read(&path).unwrap()))
        .collect();
    let suite: Vec<(String, Vec<u8>)> = yaml_test_suite_cases()
        .into_iter()
        .filter(|case| !case.invalid && is_single_mapping(&case.dir))
        .map(|case| {
            (
                case.name.clone(),
                std::fs::read(case.dir.join("in.yaml")).unwrap(),
            )
        })
        .collect();
    let mut failures = Vec::new();
    for helm in &helms {
        let mut form_tally = Tally::default();
        check_forms(helm, &forms, &mut form_tally);
        let (mut file_tally, mut file_chart) = (Tally::default(), Tally::default());
        check_files(helm, &whole_files, &mut file_tally, &mut file_chart);
        let (mut corpus_user, mut corpus_chart) = (Tally::default(), Tally::default());
        check_files(helm, &corpus, &mut corpus_user, &mut corpus_chart);
        let (mut suite_user, mut suite_chart) = (Tally::default(), Tally::default());
        check_files(helm, &suite, &mut suite_user, &mut suite_chart);
        println!(
            "helm {}: forms {}, whole files {} (-f) {} (values.yaml), corpus {} (-f) {} \
             (values.yaml), yaml-test-suite {} (-f) {} (values.yaml)",
            helm.version,
            form_tally.summary(),
            file_tally.summary(),
            file_chart.summary(),
            corpus_user.summary(),
            corpus_chart.summary(),
            suite_user.summary(),
            suite_chart.summary(),
        );
        for (what, tally) in [
            ("form", form_tally),
            ("whole file -f", file_tally),
            ("whole file values.yaml", file_chart),
            ("corpus -f", corpus_user),
            ("corpus values.yaml", corpus_chart),
            ("yaml-test-suite -f", suite_user),
            ("yaml-test-suite values.yaml", suite_chart),
        ] {
            for d in tally.disagreements {
                failures.push(format!("helm {} {what} {d}", helm.version));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} disagreements with Helm:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn relative(path: &Path) -> String {
    let text = path.to_string_lossy();
    text.split("corpus/").last().unwrap_or(&text).to_owned()
}

/// Whether a suite case holds one document whose value (`in.json`) is a mapping.
fn is_single_mapping(dir: &Path) -> bool {
    let events = std::fs::read_to_string(dir.join("test.event")).unwrap_or_default();
    if events.lines().filter(|l| l.starts_with("+DOC")).count() != 1 {
        return false;
    }
    let json = std::fs::read_to_string(dir.join("in.json")).unwrap_or_default();
    json.trim_start().starts_with('{')
}
