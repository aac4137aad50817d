//! Effective values and schema verdicts against real Helm 3 and Helm 4.
//!
//! Each chart is copied to a temporary folder whose templates are replaced by one that renders
//! `{{ toJson .Values }}`; `helm template` then prints what the chart's templates would see.
//! Coalescing cases compare that line with [`Effective::to_helm_json`] byte for byte (or both
//! refuse); schema cases compare `helm template`'s pass/fail with `validate --chart`'s. Helm
//! is found through `VALUESMITH_HELM4`/`VALUESMITH_HELM3`, else `helm` on PATH; without one the
//! tests say so in one line and pass.
//!
//! Reproduce the figures with
//! `VALUESMITH_HELM4=... VALUESMITH_HELM3=... cargo test -p valuesmith --test suite helm_coalesce -- --nocapture`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use valuesmith::chart::Chart;
use valuesmith::document::Document;
use valuesmith::effective::{effective, HelmVersion, Inputs, SetFlag, SetKind};
use valuesmith::validate::{validate_file, Code, ValidateOptions};
use valuesmith::value::Value;

use crate::common::corpus_dir;

/// Corpus cases that disagree with Helm only because of how the values files are read (YAML
/// 1.1 booleans, octal integers, merge keys, duplicate keys, float64), not how they coalesce.
/// Each entry is `chart/version:case`. Empty once the Helm reading of issue 11 is merged.
const AWAITS_HELM_READING: &[&str] = &[];

struct Helm {
    label: &'static str,
    binary: PathBuf,
    version: HelmVersion,
}

fn helms() -> Vec<Helm> {
    let mut found = Vec::new();
    for (var, label, version) in [
        ("VALUESMITH_HELM3", "helm3", HelmVersion::V3),
        ("VALUESMITH_HELM4", "helm4", HelmVersion::V4),
    ] {
        if let Some(path) = std::env::var_os(var).map(PathBuf::from) {
            if path.is_file() {
                found.push(Helm {
                    label,
                    binary: path,
                    version,
                });
            }
        }
    }
    if found.is_empty() {
        if let Ok(output) = Command::new("helm").arg("version").arg("--short").output() {
            let text = String::from_utf8_lossy(&output.stdout);
            let version = if text.starts_with("v3") {
                HelmVersion::V3
            } else {
                HelmVersion::V4
            };
            found.push(Helm {
                label: "helm",
                binary: PathBuf::from("helm"),
                version,
            });
        }
    }
    if found.is_empty() {
        println!("skipped: no helm binary (set VALUESMITH_HELM4/VALUESMITH_HELM3)");
    }
    found
}

/// A temporary copy of a chart whose only template renders `toJson .Values`.
struct TempChart {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        let target = to.join(&name);
        if entry.path().is_dir() {
            if name == "templates" {
                continue;
            }
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Packs the chart folder `dir` as `helm package` does: `name/...` inside a gzip tar.
fn package(dir: &Path, name: &str) -> Vec<u8> {
    let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::fast(),
    ));
    builder.append_dir_all(name, dir).unwrap();
    builder.into_inner().unwrap().finish().unwrap()
}

impl TempChart {
    fn from_folder(chart: &Path) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("chart");
        copy_dir(chart, &path);
        std::fs::create_dir_all(path.join("templates")).unwrap();
        std::fs::write(path.join("templates/values.json"), "{{ toJson .Values }}\n").unwrap();
        Self { _dir: dir, path }
    }

    /// A chart made of a corpus version's `values.yaml` and `values.schema.json`.
    fn from_values(folder: &Path, name: &str, version: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("chart");
        std::fs::create_dir_all(path.join("templates")).unwrap();
        std::fs::write(
            path.join("Chart.yaml"),
            format!("apiVersion: v2\nname: {name}\nversion: {version}\n"),
        )
        .unwrap();
        for file in ["values.yaml", "values.schema.json"] {
            if folder.join(file).is_file() {
                std::fs::copy(folder.join(file), path.join(file)).unwrap();
            }
        }
        std::fs::write(path.join("templates/values.json"), "{{ toJson .Values }}\n").unwrap();
        Self { _dir: dir, path }
    }

    /// Replaces the folder subchart `name` by its `.tgz`, as `helm dependency build` leaves it.
    fn pack_subchart(&self, name: &str, version: &str) {
        let folder = self.path.join("charts").join(name);
        let bytes = package(&folder, name);
        std::fs::remove_dir_all(&folder).unwrap();
        std::fs::write(
            self.path
                .join("charts")
                .join(format!("{name}-{version}.tgz")),
            bytes,
        )
        .unwrap();
    }
}

/// One `helm template` run: the JSON line, or Helm's error.
fn helm_template(
    helm: &Helm,
    chart: &Path,
    files: &[PathBuf],
    sets: &[SetFlag],
    skip_schema: bool,
) -> Result<String, String> {
    let mut command = Command::new(&helm.binary);
    command.arg("template").arg("x").arg(chart);
    for file in files {
        command.arg("-f").arg(file);
    }
    for flag in sets {
        command.arg(flag.kind.flag()).arg(&flag.text);
    }
    if skip_schema {
        command.arg("--skip-schema-validation");
    }
    let output = command.output().expect("helm runs");
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut lines = stdout.lines();
    while let Some(line) = lines.next() {
        if line.starts_with("# Source:") && line.ends_with("templates/values.json") {
            return Ok(lines.next().unwrap_or_default().to_owned());
        }
    }
    Err(format!("no values.json in the output:\n{stdout}"))
}

fn ours(
    chart: &Chart,
    files: &[PathBuf],
    sets: &[SetFlag],
    version: HelmVersion,
) -> Result<String, String> {
    let mut documents = Vec::new();
    for file in files {
        let bytes = std::fs::read(file).unwrap();
        let document = Document::values_from_bytes(&bytes).map_err(|e| e.to_string())?;
        documents.push((file.display().to_string(), document));
    }
    effective(
        Inputs::default()
            .with_chart(Some(chart))
            .with_files(&documents)
            .with_sets(sets)
            .with_helm(version),
    )
    .map(|result| result.to_helm_json())
    .map_err(|e| e.to_string())
}

/// `f` over `items` on a few threads, results in order: each `helm template` is a process of
/// its own, and running them one by one would take minutes.
fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(usize, &T) -> R + Sync) -> Vec<R> {
    let threads = 4;
    let chunk = items.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .enumerate()
            .map(|(c, part)| {
                let f = &f;
                scope.spawn(move || {
                    part.iter()
                        .enumerate()
                        .map(|(i, item)| f(c * chunk + i, item))
                        .collect::<Vec<R>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    })
}

/// One coalescing case.
struct Case {
    name: String,
    files: Vec<String>,
    sets: Vec<SetFlag>,
}

fn set(text: &str) -> SetFlag {
    SetFlag {
        kind: SetKind::Set,
        text: text.to_owned(),
    }
}

fn set_string(text: &str) -> SetFlag {
    SetFlag {
        kind: SetKind::SetString,
        text: text.to_owned(),
    }
}

fn flag(kind: SetKind, text: &str) -> SetFlag {
    SetFlag {
        kind,
        text: text.to_owned(),
    }
}

/// A file under `fixtures/effective/set-file/`, by absolute path (Helm and valuesmith both
/// read it from the test's folder).
fn set_file_path(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/effective/set-file")
        .join(name)
        .canonicalize()
        .unwrap()
        .display()
        .to_string()
}

fn case(name: &str, files: &[&str], sets: Vec<SetFlag>) -> Case {
    Case {
        name: name.to_owned(),
        files: files.iter().map(|f| (*f).to_owned()).collect(),
        sets,
    }
}

/// The hand-made cases on `fixtures/effective/parent` (subcharts `sub`, `other` = `sub` by
/// alias, and `lib`).
fn parent_cases() -> Vec<Case> {
    vec![
        case("defaults", &[], vec![]),
        case("maps merge", &["image:\n  tag: \"2.0\"\n"], vec![]),
        case("lists replace", &["list: [z]\n"], vec![]),
        case(
            "null deletes a default",
            &["remove: null\nimage:\n  pullPolicy: null\n"],
            vec![],
        ),
        case(
            "null for a key the defaults lack",
            &["extra: null\nimage:\n  newKey: null\nnewMap:\n  a: null\n"],
            vec![],
        ),
        case("null for a null default", &["nullDefault: null\n"], vec![]),
        case(
            "nested null deletes",
            &["nested:\n  drop: null\n  deep: null\n"],
            vec![],
        ),
        case("type clash: scalar over map", &["image: plain\n"], vec![]),
        case(
            "type clash: map over scalar",
            &["scalar:\n  a: 1\n"],
            vec![],
        ),
        case(
            "type clash nested",
            &["nested:\n  keep:\n    x: 1\n  deep: 5\n"],
            vec![],
        ),
        case("list over map", &["table: [1, 2]\n"], vec![]),
        case(
            "several files",
            &[
                "nested:\n  keep: 10\n  new: a\n",
                "nested:\n  keep: null\n",
                "list: [q]\n",
            ],
            vec![],
        ),
        case(
            "a later map replaces an earlier scalar",
            &["scalar: x\n", "scalar:\n  yy: 1\n"],
            vec![],
        ),
        case(
            "nested null over a null default",
            &["nested:\n  nothing: null\n"],
            vec![],
        ),
        case(
            "a later null then a map",
            &["nested: null\n", "nested:\n  keep: 3\n"],
            vec![],
        ),
        case(
            "set typed values",
            &[],
            vec![
                set("image.tag=3"),
                set("replicas=5"),
                set("flag=TRUE"),
                set("n=010"),
                set("f=1.5"),
                set("neg=-7"),
                set("zero=0"),
            ],
        ),
        case(
            "set lists",
            &[],
            vec![
                set("list={x,y}"),
                set("items[1].name=b"),
                set("arr[0]=a,arr[2]=c"),
            ],
        ),
        case(
            "set escapes",
            &[],
            vec![
                set(r"annotations.prometheus\.io/port=9090"),
                set(r"csv=a\,b"),
                set("empty="),
            ],
        ),
        case(
            "set null deletes",
            &[],
            vec![set("remove=null"), set("image.pullPolicy=null")],
        ),
        case(
            "set over a file's list",
            &["list: [a, b, c]\n"],
            vec![set("list[1]=B")],
        ),
        case(
            "set-string after set",
            &[],
            vec![
                set_string("replicas=5"),
                set("replicas=7"),
                set_string("b=true"),
            ],
        ),
        case(
            "set into a scalar is refused",
            &["scalar: x\n"],
            vec![set("scalar.a=1")],
        ),
        case(
            "set-json values",
            &["image:\n  tag: old\n"],
            vec![
                flag(
                    SetKind::SetJson,
                    r#"image={"tag":"new","n":1.5},list=[1,"two",null]"#,
                ),
                flag(
                    SetKind::SetJson,
                    "empty=,big=12345678901234567890, spaced = 3",
                ),
                flag(SetKind::SetJson, r#"items[1]={"a":true}"#),
            ],
        ),
        case(
            "set-json applied before set",
            &[],
            vec![
                set("a=from-set"),
                flag(SetKind::SetJson, r#"a="from-json",b={"c":1}"#),
            ],
        ),
        case(
            "set-json whole object",
            &["image:\n  tag: old\n  keep: 1\n"],
            vec![flag(
                SetKind::SetJson,
                r#" {"image":{"tag":"new"},"x":[1]}"#,
            )],
        ),
        case(
            "bad set-json",
            &[],
            vec![flag(SetKind::SetJson, "a={not json}")],
        ),
        case(
            "set-literal keeps commas and backslashes",
            &[],
            vec![
                flag(SetKind::SetLiteral, r"csv=a,b\c,d=e"),
                flag(SetKind::SetLiteral, "list[1].name={x,y}"),
                set("csv=set"),
            ],
        ),
        case(
            "set-file reads the file",
            &[],
            vec![
                flag(
                    SetKind::SetFile,
                    &format!(
                        "ca={},two={}",
                        set_file_path("ca.pem"),
                        set_file_path("two.txt")
                    ),
                ),
                flag(
                    SetKind::SetFile,
                    &format!("list={{{}}}", set_file_path("two.txt")),
                ),
                set_string("ca=overridden-before"),
            ],
        ),
        case(
            "bad set-file: missing file",
            &[],
            vec![flag(SetKind::SetFile, "ca=/nonexistent/valuesmith/ca.pem")],
        ),
        case("bad set: no value", &[], vec![set("a")]),
        case("bad set: bad index", &[], vec![set("a[x]=1")]),
        case("bad set: unterminated list", &[], vec![set("a={x,y")]),
        case(
            "subchart values",
            &["sub:\n  subDefault: mine\n  subMap:\n    num: 2\n"],
            vec![],
        ),
        case(
            "subchart null deletes its default",
            &["sub:\n  subDefault: null\n  subMap:\n    k: null\n"],
            vec![],
        ),
        case(
            "global copied down",
            &["global:\n  region: ap\n  shared:\n    c: 3\n  new: 1\n"],
            vec![],
        ),
        case(
            "subchart global does not win",
            &["sub:\n  global:\n    region: local\n"],
            vec![],
        ),
        case("condition disables", &["sub:\n  enabled: false\n"], vec![]),
        case(
            "condition enables the alias",
            &["other:\n  enabled: true\n"],
            vec![],
        ),
        case(
            "tags enable the alias",
            &["other:\n  enabled: null\ntags:\n  extra: true\n"],
            vec![],
        ),
        case("tags disable", &["tags:\n  base: false\n"], vec![]),
        case(
            "condition that is no boolean",
            &["sub:\n  enabled: \"no\"\n"],
            vec![],
        ),
        case(
            "set a subchart switch",
            &[],
            vec![set("other.enabled=true"), set("other.subMap.num=9")],
        ),
        case("subchart values not a mapping", &["sub: 5\n"], vec![]),
    ]
}

/// Generated cases for a corpus chart's defaults: the defaults alone, and a file that
/// overrides a nested scalar, nulls a top-level key, replaces a list, plus a --set.
fn corpus_cases(defaults: &Value) -> Vec<Case> {
    let mut cases = vec![case("defaults", &[], vec![])];
    let Some(map) = defaults.as_mapping() else {
        return cases;
    };
    let mut lines = Vec::new();
    if let Some((key, child)) = map.iter().find_map(|(k, v)| {
        let child = v.as_mapping()?.iter().find(|(_, c)| c.is_scalar())?.0;
        Some((k, child))
    }) {
        lines.push(format!(
            "{}:\n  {}: valuesmith-override\n  valuesmithNew: 1\n",
            json(key),
            json(child)
        ));
    }
    if let Some((key, _)) = map
        .iter()
        .find(|(_, v)| v.is_scalar() && **v != Value::Null)
    {
        lines.push(format!("{}: null\n", json(key)));
    }
    if let Some((key, _)) = map.iter().find(|(_, v)| v.as_sequence().is_some()) {
        lines.push(format!("{}: [valuesmith]\n", json(key)));
    }
    lines.push("valuesmithExtra: null\n".to_owned());
    let file = lines.concat();
    cases.push(Case {
        name: "override".to_owned(),
        files: vec![file],
        sets: vec![set("valuesmith.set=1,valuesmith.list={a,b}")],
    });
    cases
}

fn json(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

/// Runs every case against one chart folder; returns (agreeing, total, disagreements).
fn run_cases(
    helm: &Helm,
    chart_dir: &Path,
    chart: &Chart,
    label: &str,
    cases: &[Case],
    tmp: &Path,
) -> (usize, usize, Vec<String>) {
    let results = par_map(cases, |n, case| {
        let files: Vec<PathBuf> = case
            .files
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let path = tmp.join(format!("case-{n}-{i}.yaml"));
                std::fs::write(&path, text).unwrap();
                path
            })
            .collect();
        let theirs = helm_template(helm, chart_dir, &files, &case.sets, true);
        let mine = ours(chart, &files, &case.sets, helm.version);
        (theirs, mine)
    });
    let mut agree = 0;
    let mut bad = Vec::new();
    for (case, (theirs, mine)) in cases.iter().zip(results) {
        let same = match (&theirs, &mine) {
            (Ok(a), Ok(b)) => a == b,
            (Err(_), Err(_)) => true,
            _ => false,
        };
        let key = format!("{label}:{}", case.name);
        if same || AWAITS_HELM_READING.contains(&key.as_str()) {
            agree += 1;
        } else {
            bad.push(format!(
                "{} {key}\n  helm: {}\n  ours: {}",
                helm.label,
                shorten(&theirs),
                shorten(&mine)
            ));
        }
    }
    (agree, cases.len(), bad)
}

/// `fixtures/effective/parent`: subcharts `sub`, `other` (`sub` by alias) and `lib`.
fn parent_fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/effective/parent")
}

fn shorten(result: &Result<String, String>) -> String {
    let text = match result {
        Ok(t) => t.clone(),
        Err(e) => format!("ERROR {e}"),
    };
    text.chars().take(600).collect()
}

#[test]
fn effective_values_agree_with_helm_template() {
    let helms = helms();
    if helms.is_empty() {
        return;
    }
    let fixture = parent_fixture();
    let mut report = Vec::new();
    let mut failures = Vec::new();
    for helm in &helms {
        let (mut agree, mut total) = (0, 0);
        // The fixture chart as a folder with `lib` packed as a .tgz, and the whole chart as
        // the .tgz `helm package` writes.
        let temp = TempChart::from_folder(&fixture);
        temp.pack_subchart("lib", "0.1.0");
        let chart = Chart::load(&temp.path).unwrap();
        let cases = parent_cases();
        let (a, t, bad) = run_cases(helm, &temp.path, &chart, "parent", &cases, temp._dir.path());
        agree += a;
        total += t;
        failures.extend(bad);
        let archive = temp._dir.path().join("parent-1.0.0.tgz");
        std::fs::write(&archive, package(&temp.path, "parent")).unwrap();
        let packed = Chart::load(&archive).unwrap();
        let (a, t, bad) = run_cases(
            helm,
            &archive,
            &packed,
            "parent.tgz",
            &cases[..6],
            temp._dir.path(),
        );
        agree += a;
        total += t;
        failures.extend(bad);

        // Whole charts.
        for entry in walk_versions(&corpus_dir().join("charts-full")) {
            let temp = TempChart::from_folder(&entry);
            let chart = Chart::load(&temp.path).unwrap();
            let label = label_of(&entry);
            let cases = corpus_cases(chart.values());
            let (a, t, bad) = run_cases(helm, &temp.path, &chart, &label, &cases, temp._dir.path());
            agree += a;
            total += t;
            failures.extend(bad);
        }
        // Values files with schemas.
        for entry in walk_versions(&corpus_dir().join("charts")) {
            let (name, version) = name_version(&entry);
            let temp = TempChart::from_values(&entry, &name, &version);
            let chart = match Chart::load(&temp.path) {
                Ok(chart) => chart,
                Err(err) => {
                    failures.push(format!("{} {}: {err}", helm.label, label_of(&entry)));
                    total += 1;
                    continue;
                }
            };
            let cases = corpus_cases(chart.values());
            let (a, t, bad) = run_cases(
                helm,
                &temp.path,
                &chart,
                &label_of(&entry),
                &cases,
                temp._dir.path(),
            );
            agree += a;
            total += t;
            failures.extend(bad);
        }
        report.push(format!("{}: coalescing {agree}/{total} agree", helm.label));
    }
    println!("{}", report.join("\n"));
    assert!(
        failures.is_empty(),
        "{}\n\n{}",
        report.join("\n"),
        failures.join("\n")
    );
}

/// `fixtures/effective/importer`: `import-values` of both forms, a subchart's own import
/// from its subchart (Helm imports bottom-up), a missing and a scalar child, and a parent that
/// overrides what it imports.
#[test]
fn import_values_agree_with_helm_template() {
    let helms = helms();
    if helms.is_empty() {
        return;
    }
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/effective/importer");
    let cases = vec![
        case("imports", &[], vec![]),
        case(
            "the user overrides an import",
            &["port: 9\nhost: user\nfromSub:\n  level: 4\n"],
            vec![],
        ),
        case(
            "a null deletes an import",
            &["host: null\nfromSub:\n  level: null\n"],
            vec![],
        ),
        case(
            "a set flag over an import",
            &[],
            vec![set("nested.here.x=2")],
        ),
        case("the subchart disabled", &[], vec![set("sub.enabled=false")]),
        case(
            "the subchart's own values changed",
            &["sub:\n  config:\n    mode: user\n  exports:\n    data:\n      port: 1\n"],
            vec![],
        ),
    ];
    // `fixtures/effective/import-into-sub`: imports whose `parent` is a key under a subchart
    // (the exporting one's, another's, nested), and an export whose keys name subcharts; the
    // subcharts' own defaults there win over the import, as the parent's values do.
    let into_sub =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/effective/import-into-sub");
    let into_sub_cases = vec![
        case("imports under subcharts", &[], vec![]),
        case(
            "the user overrides an import under a subchart",
            &["other:\n  fromSub:\n    level: 1\n  a:\n    b:\n      z: null\n"],
            vec![],
        ),
        case(
            "a set flag under an imported key",
            &[],
            vec![set("sub.imported.mode=flag")],
        ),
    ];
    let mut report = Vec::new();
    let mut failures = Vec::new();
    for helm in &helms {
        let (mut agree, mut total) = (0, 0);
        for (folder, label, cases) in [
            (&fixture, "importer", &cases),
            (&into_sub, "import-into-sub", &into_sub_cases),
        ] {
            let temp = TempChart::from_folder(folder);
            let chart = Chart::load(&temp.path).unwrap();
            let (a, t, bad) = run_cases(helm, &temp.path, &chart, label, cases, temp._dir.path());
            agree += a;
            total += t;
            failures.extend(bad);
        }
        report.push(format!(
            "{}: import-values {agree}/{total} agree",
            helm.label
        ));
    }
    println!("{}", report.join("\n"));
    assert!(
        failures.is_empty(),
        "{}\n\n{}",
        report.join("\n"),
        failures.join("\n")
    );
}

/// `charts/<chart>/<version>` folders under `root`, in order.
fn walk_versions(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(charts) = std::fs::read_dir(root) else {
        return out;
    };
    for chart in charts.flatten().filter(|e| e.path().is_dir()) {
        for version in std::fs::read_dir(chart.path()).unwrap().flatten() {
            if version.path().join("values.yaml").is_file() {
                out.push(version.path());
            }
        }
    }
    out.sort();
    out
}

fn name_version(folder: &Path) -> (String, String) {
    let version = folder.file_name().unwrap().to_string_lossy().into_owned();
    let name = folder
        .parent()
        .unwrap()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    (name, version)
}

fn label_of(folder: &Path) -> String {
    let (name, version) = name_version(folder);
    format!("{name}/{version}")
}

/// Small user files for one schema: values of the right and the wrong type, outside an
/// `enum`, unknown properties, and `null`s for required ones. Written as JSON, so that no
/// YAML 1.1 reading is involved.
fn schema_cases(schema: &serde_json::Value, defaults: &Value) -> Vec<(String, String)> {
    let mut out = vec![("empty".to_owned(), "{}\n".to_owned())];
    // Probes of the first properties first, a few each, so that a cap keeps variety.
    let mut add = |name: String, value: serde_json::Value| {
        out.push((name, format!("{value}\n")));
    };
    add(
        "unknown top-level key".to_owned(),
        serde_json::json!({"valuesmithUnknown": 1}),
    );
    if let Some(required) = schema.get("required").and_then(|r| r.as_array()) {
        for key in required.iter().filter_map(|k| k.as_str()).take(2) {
            add(
                format!("required {key} nulled"),
                serde_json::json!({ key: null }),
            );
        }
    }
    let Some(properties) = schema.get("properties").and_then(|p| p.as_object()) else {
        return out;
    };
    for (key, property) in properties.iter().take(5) {
        let wrap = |value: serde_json::Value| serde_json::json!({ key.clone(): value });
        for (label, value) in probes(property) {
            add(format!("{key}: {label}"), wrap(value));
        }
        if let Some(inner) = property.get("properties").and_then(|p| p.as_object()) {
            for (child, child_schema) in inner.iter().take(2) {
                for (label, value) in probes(child_schema).into_iter().take(2) {
                    add(
                        format!("{key}.{child}: {label}"),
                        wrap(serde_json::json!({ child.clone(): value })),
                    );
                }
            }
            if property.get("additionalProperties") == Some(&serde_json::Value::Bool(false)) {
                add(
                    format!("{key}: unknown key"),
                    wrap(serde_json::json!({"valuesmithUnknown": 1})),
                );
            }
        }
        if defaults.as_mapping().and_then(|m| m.get(key)).is_some() {
            add(format!("{key}: null"), wrap(serde_json::Value::Null));
        }
    }
    out
}

/// Values that a property's `type` or `enum` accepts and rejects.
fn probes(schema: &serde_json::Value) -> Vec<(String, serde_json::Value)> {
    let mut out = Vec::new();
    if let Some(values) = schema.get("enum").and_then(|e| e.as_array()) {
        if let Some(first) = values.first() {
            out.push(("first enum value".to_owned(), first.clone()));
        }
        out.push((
            "outside the enum".to_owned(),
            serde_json::json!("valuesmith-not-listed"),
        ));
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(serde_json::Value::String(t)) => vec![t.as_str()],
        Some(serde_json::Value::Array(ts)) => ts.iter().filter_map(|t| t.as_str()).collect(),
        _ => Vec::new(),
    };
    for t in types.into_iter().take(1) {
        let (good, bad) = match t {
            "string" => (serde_json::json!("valuesmith"), serde_json::json!(12345)),
            "integer" => (serde_json::json!(7), serde_json::json!("seven")),
            "number" => (serde_json::json!(1.5), serde_json::json!("one")),
            "boolean" => (serde_json::json!(true), serde_json::json!("notabool")),
            "object" => (serde_json::json!({}), serde_json::json!("notamap")),
            "array" => (serde_json::json!([]), serde_json::json!({"a": 1})),
            _ => continue,
        };
        out.push((format!("a {t}"), good));
        out.push((format!("not a {t}"), bad));
    }
    out
}

#[test]
fn schema_verdicts_agree_with_helm_template() {
    let helms = helms();
    if helms.is_empty() {
        return;
    }
    let fixture = parent_fixture();
    let mut charts: Vec<(String, PathBuf, bool)> = vec![("parent".to_owned(), fixture, true)];
    for entry in walk_versions(&corpus_dir().join("charts-full")) {
        if entry.join("values.schema.json").is_file() {
            charts.push((label_of(&entry), entry, true));
        }
    }
    for entry in walk_versions(&corpus_dir().join("charts")) {
        if entry.join("values.schema.json").is_file() {
            charts.push((label_of(&entry), entry, false));
        }
    }
    let mut report = Vec::new();
    let mut failures = Vec::new();
    for helm in &helms {
        let (mut agree, mut total, mut schemas) = (0, 0, 0);
        for (label, folder, whole) in &charts {
            let temp = if *whole {
                TempChart::from_folder(folder)
            } else {
                let (name, version) = name_version(folder);
                TempChart::from_values(folder, &name, &version)
            };
            let chart = Chart::load(&temp.path).unwrap();
            let schema: serde_json::Value = serde_json::from_str(
                &std::fs::read_to_string(temp.path.join("values.schema.json")).unwrap(),
            )
            .unwrap();
            schemas += 1;
            let mut cases = schema_cases(&schema, chart.values());
            if label == "parent" {
                cases.extend(
                    [
                        (
                            "sub schema: not an integer",
                            "sub:\n  subMap:\n    num: x\n",
                        ),
                        (
                            "sub schema: required nulled",
                            "sub:\n  subMap:\n    k: null\n",
                        ),
                        (
                            "disabled sub is not checked",
                            "sub:\n  enabled: false\n  subMap:\n    num: x\n",
                        ),
                        (
                            "alias checked when enabled",
                            "other:\n  enabled: true\n  subMap:\n    num: x\n",
                        ),
                        (
                            "alias not checked when disabled",
                            "other:\n  subMap:\n    num: x\n",
                        ),
                    ]
                    .map(|(n, t)| (n.to_owned(), t.to_owned())),
                );
            }
            cases.truncate(16);
            let verdicts: BTreeMap<String, (bool, bool)> = par_map(&cases, |n, (name, text)| {
                let path = temp._dir.path().join(format!("schema-{n}.yaml"));
                std::fs::write(&path, text).unwrap();
                let theirs = match helm_template(helm, &temp.path, &[path], &[], false) {
                    Ok(_) => true,
                    Err(e) if e.contains("don't meet the specifications") => false,
                    Err(e) => panic!("{label} {name}: helm failed otherwise: {e}"),
                };
                let options = ValidateOptions::default()
                    .with_chart(Some(&chart))
                    .with_helm(helm.version);
                let findings = validate_file("user.yaml", text.as_bytes(), &options);
                let mine = !findings.iter().any(|f| f.code == Code::Schema);
                (name.clone(), (theirs, mine))
            })
            .into_iter()
            .collect();
            for (name, (theirs, mine)) in verdicts {
                total += 1;
                if theirs == mine {
                    agree += 1;
                } else {
                    failures.push(format!(
                        "{} {label} `{name}`: helm {}, valuesmith {}",
                        helm.label,
                        if theirs { "passes" } else { "fails" },
                        if mine { "passes" } else { "fails" }
                    ));
                }
            }
        }
        report.push(format!(
            "{}: schema verdicts {agree}/{total} agree on {schemas} chart schemas",
            helm.label
        ));
    }
    println!("{}", report.join("\n"));
    assert!(
        failures.is_empty(),
        "{}\n\n{}",
        report.join("\n"),
        failures.join("\n")
    );
}
