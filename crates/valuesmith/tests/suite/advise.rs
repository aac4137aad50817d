//! The chart upgrade advisor on the corpus: every consecutive chart pair with a user file
//! generated from A's defaults (the ground truth follows from how each key was chosen), the
//! known restructurings' renames, precision and recall of rename guesses, the full charts
//! as folders and archives, and the `--write` / `--rules` round trip through `migrate`.

use std::collections::BTreeSet;
use std::path::PathBuf;

use valuesmith::advise::{advise, AdviseInputs, Report};
use valuesmith::chart::Chart;
use valuesmith::document::Document;
use valuesmith::edit::Layout;
use valuesmith::effective::HelmVersion;
use valuesmith::path::{Path, Segment};
use valuesmith::validate::is_free_form_key;
use valuesmith::value::{Mapping, Value};

use crate::common::corpus_dir;

/// Every chart's versions in the corpus, in version order.
fn chart_versions() -> Vec<(String, Vec<PathBuf>)> {
    let root = corpus_dir().join("charts");
    let mut charts: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    charts.sort();
    charts
        .into_iter()
        .map(|chart| {
            let mut versions: Vec<(semver::Version, PathBuf)> =
                std::fs::read_dir(root.join(&chart))
                    .unwrap()
                    .filter_map(Result::ok)
                    .map(|e| {
                        let name = e.file_name().to_string_lossy().into_owned();
                        (semver::Version::parse(&name).unwrap(), e.path())
                    })
                    .collect();
            versions.sort();
            (chart, versions.into_iter().map(|(_, p)| p).collect())
        })
        .collect()
}

/// The 79 consecutive pairs.
fn pairs() -> Vec<(String, PathBuf, PathBuf)> {
    let mut out = Vec::new();
    for (chart, versions) in chart_versions() {
        for w in versions.windows(2) {
            out.push((chart.clone(), w[0].clone(), w[1].clone()));
        }
    }
    out
}

/// Loads a corpus chart version; a version kept without its `Chart.yaml` is given one (in a
/// temporary folder) naming the chart and version of its folder.
fn load(dir: &std::path::Path) -> Chart {
    if dir.join("Chart.yaml").is_file() {
        return Chart::load(dir).unwrap();
    }
    let tmp = tempfile::tempdir().unwrap();
    let name = dir.parent().unwrap().file_name().unwrap().to_string_lossy();
    let version = dir.file_name().unwrap().to_string_lossy();
    std::fs::write(
        tmp.path().join("Chart.yaml"),
        format!("apiVersion: v2\nname: {name}\nversion: {version}\n"),
    )
    .unwrap();
    for file in ["values.yaml", "values.schema.json"] {
        if dir.join(file).is_file() {
            std::fs::copy(dir.join(file), tmp.path().join(file)).unwrap();
        }
    }
    Chart::load(tmp.path()).unwrap()
}

/// A small deterministic generator (xorshift64*), so every run builds the same files.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<T: Clone>(&mut self, items: &[T], count: usize) -> Vec<T> {
        let mut pool: Vec<T> = items.to_vec();
        let mut out = Vec::new();
        while out.len() < count && !pool.is_empty() {
            let i = self.below(pool.len());
            out.push(pool.swap_remove(i));
        }
        out
    }
}

/// Leaves of a values tree by keys: scalars, lists (Helm replaces them whole), empty
/// mappings.
fn leaves(value: &Value, path: &Path, out: &mut Vec<(Path, Value)>) {
    match value {
        Value::Mapping(m) if !m.is_empty() => {
            for (k, v) in m.iter() {
                leaves(v, &path.key(k.clone()), out);
            }
        }
        _ => {
            if !path.is_root() {
                out.push((path.clone(), value.clone()));
            }
        }
    }
}

/// Where B stands on a key of A, read off B's defaults directly.
#[derive(Debug, Clone, Copy, PartialEq)]
enum InB {
    Present,
    Removed,
    /// B's defaults lack it but B's schema declares it, in a mapping B's defaults have (a
    /// commented-out default): B knows it, so it is in no group.
    SchemaOnly,
    /// B takes any key there (under an empty mapping, a `null`, a scalar): left out of the
    /// generated files, since whether it is stale is a documented judgement, not a fact.
    Unclear,
}

/// The subschemas that apply at `node`: itself, its `$ref` and its `allOf`/`anyOf`/`oneOf`
/// branches.
fn applying<'s>(
    root: &'s serde_json::Value,
    node: &'s serde_json::Value,
    out: &mut Vec<&'s serde_json::Value>,
) {
    if out.len() > 64 || !node.is_object() {
        return;
    }
    out.push(node);
    if let Some(target) = node["$ref"]
        .as_str()
        .and_then(|r| root.pointer(r.trim_start_matches('#')))
    {
        applying(root, target, out);
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        for branch in node[key].as_array().into_iter().flatten() {
            applying(root, branch, out);
        }
    }
}

/// Whether a schema names every key of `path` in `properties`.
fn schema_declares(schema: &serde_json::Value, path: &Path) -> bool {
    let mut nodes = vec![schema];
    for segment in path.segments() {
        let Segment::Key(k) = segment else {
            return false;
        };
        let mut all = Vec::new();
        for node in nodes {
            applying(schema, node, &mut all);
        }
        nodes = all
            .into_iter()
            .filter_map(|n| n["properties"].get(k.as_str()))
            .collect();
        if nodes.is_empty() {
            return false;
        }
    }
    true
}

fn in_b(b: &Value, schema: Option<&serde_json::Value>, path: &Path) -> InB {
    if b.at(path).is_some() {
        return InB::Present;
    }
    let parent_in_b = path
        .split_last()
        .is_some_and(|(parent, _)| b.at(&parent).is_some());
    if parent_in_b && schema.is_some_and(|s| schema_declares(s, path)) {
        return InB::SchemaOnly;
    }
    let mut node = b;
    for segment in path.segments() {
        let Segment::Key(k) = segment else {
            return InB::Unclear;
        };
        match node {
            Value::Mapping(m) if !m.is_empty() => match m.get(k) {
                Some(child) => node = child,
                None => return InB::Removed,
            },
            _ => return InB::Unclear,
        }
    }
    InB::Unclear
}

fn usable(path: &Path) -> bool {
    path.segments().iter().enumerate().all(|(i, s)| match s {
        Segment::Key(k) => !(is_free_form_key(k) || (i == 0 && k == "global")),
        _ => false,
    })
}

fn set(root: &mut Value, path: &Path, value: Value) {
    valuesmith::patch::Change::Set {
        path: path.clone(),
        old: None,
        new: value,
    }
    .apply(root);
}

/// A different value of the same kind.
fn overridden(value: &Value, n: usize) -> Option<Value> {
    Some(match value {
        Value::Bool(b) => Value::Bool(!b),
        Value::Int(i) => Value::Int(i + 7),
        Value::Float(f) => Value::Float(f + 0.5),
        Value::String(_) | Value::Null => Value::String(format!("vs-override-{n}")),
        Value::Sequence(_) => Value::Sequence(vec![Value::String(format!("vs-item-{n}"))]),
        Value::Mapping(_) => return None,
    })
}

/// The user file for one pair and what each of its keys must be reported as.
struct Case {
    text: String,
    stale: BTreeSet<String>,
    ignored: BTreeSet<String>,
    frozen: BTreeSet<String>,
    redundant: BTreeSet<String>,
    user_paths: Vec<Path>,
    /// How many keys B knows through its schema only (expected in no group).
    schema_only: usize,
}

fn generate(a: &Value, b: &Value, b_schema: Option<&serde_json::Value>, seed: u64) -> Case {
    let mut rng = Rng(seed | 1);
    let mut all = Vec::new();
    leaves(a, &Path::root(), &mut all);
    let all: Vec<(Path, Value, InB)> = all
        .into_iter()
        .filter(|(p, v)| usable(p) && !matches!(v, Value::Mapping(_)))
        .map(|(p, v)| {
            let status = in_b(b, b_schema, &p);
            (p, v, status)
        })
        .filter(|(_, _, s)| *s != InB::Unclear)
        .collect();
    let removed: Vec<_> = all
        .iter()
        .filter(|x| x.2 == InB::Removed)
        .cloned()
        .collect();
    let present: Vec<_> = all
        .iter()
        .filter(|x| x.2 == InB::Present)
        .cloned()
        .collect();
    let mut user = Value::Mapping(Mapping::new());
    let mut chosen: Vec<(Path, Value)> = Vec::new();
    for (i, (p, v, _)) in rng.pick(&removed, 5).into_iter().enumerate() {
        let value = if i % 2 == 0 {
            v
        } else {
            overridden(&v, i).unwrap_or(v)
        };
        chosen.push((p, value));
    }
    let schema_only: Vec<_> = all
        .iter()
        .filter(|x| x.2 == InB::SchemaOnly)
        .cloned()
        .collect();
    for (i, (p, v, _)) in rng.pick(&schema_only, 3).into_iter().enumerate() {
        chosen.push((p, overridden(&v, i).unwrap_or(v)));
    }
    for (p, v, _) in rng.pick(&present, 20) {
        chosen.push((p, v));
    }
    for (i, (p, v, _)) in rng.pick(&present, 15).into_iter().enumerate() {
        if chosen.iter().any(|(q, _)| *q == p) {
            continue;
        }
        if let Some(value) = overridden(&v, i) {
            chosen.push((p, value));
        }
    }
    for (p, v) in &chosen {
        set(&mut user, p, v.clone());
    }
    let mut ignored = BTreeSet::new();
    for n in 0..2 {
        let path = Path::root()
            .key(format!("zzAdviseUnknown{n}"))
            .key("setting");
        set(&mut user, &path, Value::Int(n));
        ignored.insert(path.to_string());
    }
    let text = format!("{}\n", Layout::default().mapping_lines(&user, 0));
    // The values as read back (numbers and strings as Helm reads them).
    let back = Document::values_from_bytes(text.as_bytes()).unwrap();
    let mut case = Case {
        text,
        stale: BTreeSet::new(),
        ignored,
        frozen: BTreeSet::new(),
        redundant: BTreeSet::new(),
        user_paths: chosen.iter().map(|(p, _)| p.clone()).collect(),
        schema_only: 0,
    };
    let mut schema_only = 0;
    for (p, _) in &chosen {
        let v = back.value().at(p).unwrap();
        let shown = p.to_string();
        match (a.at(p), b.at(p)) {
            (_, None) if in_b(b, b_schema, p) == InB::SchemaOnly => {
                schema_only += 1;
            }
            (_, None) => {
                case.stale.insert(shown);
            }
            (_, Some(new)) if new == v => {
                case.redundant.insert(shown);
            }
            (Some(old), Some(_)) if old == v => {
                case.frozen.insert(shown);
            }
            _ => {}
        }
    }
    case.schema_only = schema_only;
    case
}

fn run(a: &Chart, b: &Chart, name: &str, text: &str) -> (Report, Document) {
    let document = Document::values_from_bytes(text.as_bytes()).unwrap();
    let files = vec![(name.to_owned(), document.clone())];
    let report = advise(
        AdviseInputs::new(a, b)
            .with_files(&files)
            .with_helm(HelmVersion::V4)
            .with_show_secrets(true),
    )
    .unwrap();
    (report, document)
}

fn key_prefix(path: &Path) -> Path {
    let s = path.segments();
    let n = s
        .iter()
        .position(|x| !matches!(x, Segment::Key(_)))
        .unwrap_or(s.len());
    Path::from_segments(s[..n].to_vec())
}

fn related(x: &Path, y: &Path) -> bool {
    x.starts_with(y) || y.starts_with(x)
}

#[test]
fn every_corpus_pair_finds_every_generated_finding_and_invents_none() {
    let pairs = pairs();
    assert_eq!(pairs.len(), 79, "the corpus has 79 consecutive chart pairs");
    let mut failures = Vec::new();
    let mut totals = [0usize; 5];
    let mut schema_only = 0;
    for (index, (chart, dir_a, dir_b)) in pairs.iter().enumerate() {
        let a = load(dir_a);
        let b = load(dir_b);
        let case = generate(
            a.values(),
            b.values(),
            b.schema().map(|s| s.json()),
            0x5eed + index as u64,
        );
        schema_only += case.schema_only;
        let (report, _) = run(&a, &b, "user.yaml", &case.text);
        let label = format!("{chart} {} -> {}", a.version(), b.version());
        let got = |items: Vec<String>| items.into_iter().collect::<BTreeSet<String>>();
        let checks = [
            (
                "stale",
                &case.stale,
                got(report.stale.iter().map(|s| s.path.to_string()).collect()),
            ),
            (
                "already ignored",
                &case.ignored,
                got(report
                    .already_ignored
                    .iter()
                    .map(|s| s.path.to_string())
                    .collect()),
            ),
            (
                "frozen",
                &case.frozen,
                got(report.frozen.iter().map(|s| s.path.to_string()).collect()),
            ),
            (
                "redundant",
                &case.redundant,
                got(report
                    .redundant
                    .iter()
                    .map(|s| s.path.to_string())
                    .collect()),
            ),
        ];
        for (i, (group, expected, found)) in checks.iter().enumerate() {
            totals[i] += expected.len();
            if expected != &found {
                failures.push(format!(
                    "{label} {group}: missed {:?}, invented {:?}",
                    expected.difference(found).collect::<Vec<_>>(),
                    found.difference(expected).collect::<Vec<_>>()
                ));
            }
        }
        // Inherited: every default leaf that changes outside the user's keys.
        let mut la = Vec::new();
        let mut lb = Vec::new();
        leaves(a.values(), &Path::root(), &mut la);
        leaves(b.values(), &Path::root(), &mut lb);
        let mut expected: Vec<Path> = Vec::new();
        for (p, _) in la.iter().chain(lb.iter()) {
            if a.values().at(p) != b.values().at(p)
                && !case.user_paths.iter().any(|u| related(u, p))
                && !expected.contains(p)
            {
                expected.push(p.clone());
            }
        }
        totals[4] += expected.len();
        let reported: Vec<Path> = report
            .inherited
            .iter()
            .map(|c| key_prefix(&c.path))
            .collect();
        let missed: Vec<String> = expected
            .iter()
            .filter(|e| !reported.iter().any(|r| related(r, e)))
            .map(|p| p.to_string())
            .collect();
        let invented: Vec<String> = reported
            .iter()
            .filter(|r| !expected.iter().any(|e| related(r, e)))
            .map(|p| p.to_string())
            .collect();
        if !missed.is_empty() || !invented.is_empty() {
            failures.push(format!(
                "{label} inherited: missed {missed:?}, invented {invented:?}"
            ));
        }
    }
    println!(
        "ground truth over 79 pairs: {} stale, {} already ignored, {} frozen, {} redundant, {} \
         inherited leaves, {schema_only} keys B knows through its schema only",
        totals[0], totals[1], totals[2], totals[3], totals[4]
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        totals.iter().all(|t| *t > 0) && schema_only > 0,
        "every group is exercised"
    );
}

/// A user file that sets every key of A that B removed, to A's default.
fn all_removed(a: &Value, b: &Chart) -> String {
    let schema = b.schema().map(|s| s.json());
    let b = b.values();
    let mut all = Vec::new();
    leaves(a, &Path::root(), &mut all);
    let mut user = Value::Mapping(Mapping::new());
    let mut any = false;
    for (p, v) in all {
        if usable(&p) && in_b(b, schema, &p) == InB::Removed {
            set(&mut user, &p, v);
            any = true;
        }
    }
    if !any {
        return String::new();
    }
    format!("{}\n", Layout::default().mapping_lines(&user, 0))
}

/// The renames the corpus's charts really made, as moves of a subtree (or of one key),
/// read from the charts' values and changelogs: `(chart, A, B, from, to)`.
const TRUE_MOVES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "prometheus",
        "15.17.0",
        "16.0.0",
        "nodeExporter",
        "prometheus-node-exporter",
    ),
    (
        "prometheus",
        "15.17.0",
        "16.0.0",
        "serviceAccounts.nodeExporter",
        "prometheus-node-exporter.serviceAccount",
    ),
    (
        "prometheus",
        "16.0.0",
        "17.0.0",
        "pushgateway",
        "prometheus-pushgateway",
    ),
    (
        "prometheus",
        "16.0.0",
        "17.0.0",
        "serviceAccounts.pushgateway",
        "prometheus-pushgateway.serviceAccount",
    ),
    (
        "prometheus",
        "17.0.0",
        "18.0.0",
        "alertmanager.persistentVolume",
        "alertmanager.persistence",
    ),
    (
        "prometheus",
        "17.0.0",
        "18.0.0",
        "configmapReload.alertmanager",
        "alertmanager.configmapReload",
    ),
    (
        "prometheus",
        "17.0.0",
        "18.0.0",
        "serviceAccounts.alertmanager",
        "alertmanager.serviceAccount",
    ),
    (
        "prometheus",
        "18.0.0",
        "19.0.0",
        "kubeStateMetrics",
        "kube-state-metrics",
    ),
    (
        "traefik",
        "32.1.0",
        "33.0.0",
        "certResolvers",
        "certificatesResolvers",
    ),
    (
        "traefik",
        "38.0.2",
        "39.0.0",
        "ports.web.redirections",
        "ports.web.http.redirections",
    ),
    (
        "traefik",
        "38.0.2",
        "39.0.0",
        "ports.websecure.tls",
        "ports.websecure.http.tls",
    ),
    (
        "traefik",
        "39.0.0",
        "40.3.0",
        "providers.kubernetesIngressNginx",
        "providers.kubernetesIngressNGINX",
    ),
    ("traefik", "40.3.0", "41.0.0", "logs.general", "log"),
    ("traefik", "40.3.0", "41.0.0", "logs.access", "accessLog"),
    (
        "traefik",
        "40.3.0",
        "41.0.0",
        "logs.access.fields.general",
        "accessLog.fields",
    ),
    (
        "bitnami-postgresql",
        "10.16.3",
        "11.0.0",
        "persistence",
        "primary.persistence",
    ),
    (
        "bitnami-postgresql",
        "10.16.3",
        "11.0.0",
        "primaryAsStandBy",
        "primary.standby",
    ),
    (
        "bitnami-postgresql",
        "10.16.3",
        "11.0.0",
        "initdbUser",
        "primary.initdb.user",
    ),
    (
        "bitnami-postgresql",
        "10.16.3",
        "11.0.0",
        "initdbPassword",
        "primary.initdb.password",
    ),
    (
        "bitnami-postgresql",
        "11.0.0",
        "16.7.26",
        "ldap.baseDN",
        "ldap.basedn",
    ),
    (
        "bitnami-postgresql",
        "11.0.0",
        "16.7.26",
        "ldap.bindDN",
        "ldap.binddn",
    ),
    (
        "bitnami-postgresql",
        "11.0.0",
        "16.7.26",
        "ldap.search_filter",
        "ldap.searchFilter",
    ),
    (
        "argo-cd",
        "5.0.0",
        "5.54.0",
        "redis.metrics.image",
        "redis.exporter.image",
    ),
    ("argo-cd", "5.0.0", "5.54.0", "server.config", "configs.cm"),
    (
        "argo-cd",
        "5.54.0",
        "6.0.0",
        "applicationSet.webhook.ingress",
        "applicationSet.ingress",
    ),
    (
        "argo-cd",
        "5.54.0",
        "6.0.0",
        "server.ingressGrpc.awsALB",
        "server.ingress.aws",
    ),
];

/// Follows `rest` from `node` through keys of the same letters (case and `-` aside).
fn follow_loosely(mut node: &Value, rest: &[Segment]) -> Option<Vec<Segment>> {
    let norm = |k: &str| -> String {
        k.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let mut out = Vec::new();
    for s in rest {
        let Segment::Key(k) = s else { return None };
        let map = node.as_mapping()?;
        let key = map.keys().find(|x| *x == k || norm(x) == norm(k))?.clone();
        node = map.get(&key)?;
        out.push(Segment::Key(key));
    }
    Some(out)
}

/// The true target of a stale key: the longest true move it lies under, followed in B.
fn true_target(chart: &str, a: &str, b: &str, path: &Path, defaults_b: &Value) -> Option<Path> {
    let mut best: Option<(usize, Path)> = None;
    for (c, va, vb, from, to) in TRUE_MOVES {
        if *c != chart || *va != a || *vb != b {
            continue;
        }
        let from = Path::parse(from).unwrap();
        if !path.starts_with(&from) || best.as_ref().is_some_and(|(n, _)| *n >= from.len()) {
            continue;
        }
        let to = Path::parse(to).unwrap();
        let node = defaults_b.at(&to)?;
        if let Some(rest) = follow_loosely(node, &path.segments()[from.len()..]) {
            let mut target = to.clone();
            for s in rest {
                target = target.child(s);
            }
            best = Some((from.len(), target));
        }
    }
    best.map(|(_, p)| p)
}

#[test]
fn rename_guesses_precision_and_recall_over_all_pairs() {
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    let mut wrong = Vec::new();
    let mut missed = Vec::new();
    let mut shown = 0usize;
    for (chart, dir_a, dir_b) in pairs() {
        let a = load(&dir_a);
        let b = load(&dir_b);
        let text = all_removed(a.values(), &b);
        if text.is_empty() {
            continue;
        }
        let (report, _) = run(&a, &b, "user.yaml", &text);
        for stale in &report.stale {
            shown += stale.guesses.len();
            let truth = true_target(&chart, a.version(), b.version(), &stale.path, b.values());
            let guess = stale.guesses.first().filter(|g| g.confident);
            match (guess, &truth) {
                (Some(g), Some(t)) if g.to == *t => tp += 1,
                (Some(g), _) => {
                    fp += 1;
                    wrong.push(format!(
                        "{chart} {} -> {}: {} -> {}",
                        a.version(),
                        b.version(),
                        stale.path,
                        g.to
                    ));
                    if truth.is_some() {
                        fn_ += 1;
                    }
                }
                (None, Some(t)) => {
                    fn_ += 1;
                    missed.push(format!(
                        "{chart} {} -> {}: {} -> {t}",
                        a.version(),
                        b.version(),
                        stale.path
                    ));
                }
                (None, None) => {}
            }
        }
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fn_).max(1) as f64;
    println!(
        "rename guesses over all 79 pairs (every key B removed set): {tp} right, {fp} wrong, \
         {fn_} missed; precision {precision:.3}, recall {recall:.3}; {shown} guesses shown"
    );
    println!("wrong: {wrong:#?}");
    println!("missed: {missed:#?}");
    assert!(precision >= 0.95, "precision {precision:.3}: {wrong:#?}");
    assert!(recall >= 0.85, "recall {recall:.3}: {missed:#?}");
}

/// A user file with the given keys set to A's defaults.
fn user_with(a: &Value, keys: &[&str]) -> String {
    let mut user = Value::Mapping(Mapping::new());
    for key in keys {
        let path = Path::parse(key).unwrap();
        set(
            &mut user,
            &path,
            a.at(&path).cloned().unwrap_or(Value::Bool(true)),
        );
    }
    format!("{}\n", Layout::default().mapping_lines(&user, 0))
}

fn chart_dir(chart: &str, version: &str) -> PathBuf {
    corpus_dir().join("charts").join(chart).join(version)
}

#[test]
fn known_restructurings_find_each_rename_and_no_wrong_one() {
    type Case<'a> = (&'a str, &'a str, &'a str, &'a [(&'a str, &'a str)]);
    let cases: &[Case<'_>] = &[
        (
            "prometheus",
            "18.0.0",
            "19.0.0",
            &[("kubeStateMetrics.enabled", "kube-state-metrics.enabled")],
        ),
        (
            "traefik",
            "40.3.0",
            "41.0.0",
            &[
                ("logs.general.level", "log.level"),
                ("logs.general.format", "log.format"),
                ("logs.access.enabled", "accessLog.enabled"),
                (
                    "logs.access.filters.statuscodes",
                    "accessLog.filters.statusCodes",
                ),
            ],
        ),
        (
            "bitnami-postgresql",
            "10.16.3",
            "11.0.0",
            &[
                ("persistence.size", "primary.persistence.size"),
                ("primaryAsStandBy.enabled", "primary.standby.enabled"),
                ("initdbUser", "primary.initdb.user"),
            ],
        ),
        (
            "argo-cd",
            "5.54.0",
            "6.0.0",
            &[
                (
                    "applicationSet.webhook.ingress.enabled",
                    "applicationSet.ingress.enabled",
                ),
                (
                    "server.ingressGrpc.awsALB.serviceType",
                    "server.ingress.aws.serviceType",
                ),
            ],
        ),
    ];
    for (chart, va, vb, renames) in cases {
        let a = load(&chart_dir(chart, va));
        let b = load(&chart_dir(chart, vb));
        let keys: Vec<&str> = renames.iter().map(|(from, _)| *from).collect();
        let (report, _) = run(&a, &b, "user.yaml", &user_with(a.values(), &keys));
        let found: BTreeSet<(String, String)> = report
            .confident_renames()
            .into_iter()
            .map(|(f, t)| (f.to_string(), t.to_string()))
            .collect();
        let expected: BTreeSet<(String, String)> = renames
            .iter()
            .map(|(f, t)| (f.to_string(), t.to_string()))
            .collect();
        assert_eq!(found, expected, "{chart} {va} -> {vb}");
    }
    // argo-cd 3 -> 4 merged two subcharts into the chart and removed no key: no rename.
    let a = load(&chart_dir("argo-cd", "3.35.4"));
    let b = load(&chart_dir("argo-cd", "4.0.0"));
    assert!(all_removed(a.values(), &b).is_empty());
    let (report, _) = run(
        &a,
        &b,
        "user.yaml",
        &user_with(a.values(), &["controller.replicas", "server.replicas"]),
    );
    assert!(report.stale.is_empty() && report.confident_renames().is_empty());
}

/// `tar czf` of a chart folder (as `helm package` lays it out: the chart's folder first).
fn tar_chart(dir: &std::path::Path, out: &std::path::Path) {
    let parent = dir.parent().unwrap();
    let name = dir.file_name().unwrap();
    let staged = out.with_extension("d");
    std::fs::create_dir_all(&staged).unwrap();
    let status = std::process::Command::new("cp")
        .arg("-r")
        .arg(parent.join(name))
        .arg(staged.join("chart"))
        .status()
        .unwrap();
    assert!(status.success());
    let status = std::process::Command::new("tar")
        .arg("czf")
        .arg(out)
        .arg("-C")
        .arg(&staged)
        .arg("chart")
        .status()
        .unwrap();
    assert!(status.success());
}

/// The report as JSON without the charts' `shown` names and the schema hints, which say
/// where the charts were read.
fn comparable(report: &Report) -> serde_json::Value {
    let mut json = serde_json::to_value(report).unwrap();
    json["from"]["shown"] = serde_json::Value::Null;
    json["to"]["shown"] = serde_json::Value::Null;
    for failure in json["schema"].as_array_mut().unwrap() {
        failure["hint"] = serde_json::Value::Null;
    }
    json
}

#[test]
fn full_charts_as_folders_and_archives_give_the_same_report() {
    let full = corpus_dir().join("charts-full");
    let cases = [
        (
            "traefik",
            "40.3.0",
            "41.0.0",
            "logs:\n  general:\n    level: DEBUG\n",
        ),
        (
            "bitnami-postgresql",
            "16.7.27",
            "17.1.0",
            "auth:\n  username: app\nglobal:\n  postgresql:\n    auth:\n      username: app\n",
        ),
    ];
    let tmp = tempfile::tempdir().unwrap();
    for (chart, va, vb, user) in cases {
        let (dir_a, dir_b) = (full.join(chart).join(va), full.join(chart).join(vb));
        let a = Chart::load(&dir_a).unwrap();
        let b = Chart::load(&dir_b).unwrap();
        if chart == "bitnami-postgresql" {
            assert_eq!(a.subcharts().len(), 1, "the `common` subchart is read");
        }
        let (folder, _) = run(&a, &b, "user.yaml", user);
        if chart == "traefik" {
            assert_eq!(folder.confident_renames().len(), 1);
            assert!(
                !folder.schema.is_empty(),
                "41.0.0's strict schema refuses `logs`"
            );
        }
        let (ta, tb) = (
            tmp.path().join(format!("{chart}-{va}.tgz")),
            tmp.path().join(format!("{chart}-{vb}.tgz")),
        );
        tar_chart(&dir_a, &ta);
        tar_chart(&dir_b, &tb);
        let (archive, _) = run(
            &Chart::load(&ta).unwrap(),
            &Chart::load(&tb).unwrap(),
            "user.yaml",
            user,
        );
        assert_eq!(comparable(&archive), comparable(&folder), "{chart} as .tgz");
        if let Some(helm) = std::env::var_os("VALUESMITH_HELM4") {
            let out = tmp.path().join(format!("helm-{chart}"));
            for dir in [&dir_a, &dir_b] {
                let status = std::process::Command::new(&helm)
                    .args(["package", "--destination"])
                    .arg(&out)
                    .arg(dir)
                    .status()
                    .unwrap();
                assert!(status.success(), "helm package {}", dir.display());
            }
            let packaged =
                |v: &str| Chart::load(&out.join(format!("{}-{v}.tgz", a.name()))).unwrap();
            let (helm_report, _) = run(&packaged(va), &packaged(vb), "user.yaml", user);
            assert_eq!(
                comparable(&helm_report),
                comparable(&folder),
                "{chart} from helm package"
            );
        }
    }
}

/// A chart made of `values.yaml` text and, optionally, a schema.
fn made(values: &str, schema: Option<&str>) -> Chart {
    let document = Document::values_from_bytes(values.as_bytes()).unwrap();
    let schema =
        schema.map(|s| valuesmith::validate::Schema::from_json("values.schema.json", s).unwrap());
    Chart::from_parts(
        "made",
        document.value().clone(),
        "values.yaml",
        Some(document),
        schema,
    )
}

#[test]
fn a_key_b_declares_only_in_its_schema_is_known_unless_the_upgrade_moved_its_place() {
    // B leaves `image.digest` commented out but its schema declares it (as cert-manager's
    // does); B moved `persistence` under `primary` while its schema still declares the old
    // top-level `persistence` (as bitnami-postgresql 11's does).
    let schema = r##"{
        "$defs": {"image": {"type": "object", "properties": {
            "tag": {"type": "string"}, "digest": {"type": "string"}}}},
        "properties": {
            "image": {"$ref": "#/$defs/image"},
            "persistence": {"properties": {"size": {"type": "string"}}},
            "extraEnvVars": {"type": "object"}
        }
    }"##;
    let a = made(
        "image:\n  tag: v1\n  # digest: sha256:...\npersistence:\n  size: 8Gi\n",
        Some(schema),
    );
    let b = made(
        "image:\n  tag: v2\n  # digest: sha256:...\nprimary:\n  persistence:\n    size: 8Gi\n",
        Some(schema),
    );
    let user = "image:\n  digest: sha256:abc\npersistence:\n  size: 20Gi\nextraEnvVars:\n  x: 1\n";
    let (report, _) = run(&a, &b, "user.yaml", user);
    let paths = |items: &[valuesmith::advise::Stale]| -> Vec<String> {
        items.iter().map(|s| s.path.to_string()).collect()
    };
    assert_eq!(paths(&report.stale), ["persistence.size"]);
    assert_eq!(
        report.stale[0].guesses.first().map(|g| g.to.to_string()),
        Some("primary.persistence.size".to_owned())
    );
    // `extraEnvVars` is declared, but nothing under it is: `x` is neither chart's key.
    assert_eq!(paths(&report.already_ignored), ["extraEnvVars.x"]);

    // A without a schema did not know `image.digest`; B does, so it is not "already ignored".
    let a = made("image:\n  tag: v1\npersistence:\n  size: 8Gi\n", None);
    let (report, _) = run(&a, &b, "user.yaml", user);
    assert_eq!(paths(&report.stale), ["persistence.size"]);
    assert_eq!(paths(&report.already_ignored), ["extraEnvVars.x"]);
}

#[test]
fn the_effective_diff_is_the_diff_of_the_whole_effective_values() {
    // The advisor diffs only the parts that differ; over every corpus pair (with a user
    // file), that gives the changes the diff of the whole effective values gives (in an
    // order of their own: a sibling added and one removed may come the other way round).
    use valuesmith::diff::{diff, DiffOptions};
    use valuesmith::effective::{effective, render, Format, Inputs};
    for (index, (chart, dir_a, dir_b)) in pairs().iter().enumerate() {
        let a = load(dir_a);
        let b = load(dir_b);
        let case = generate(
            a.values(),
            b.values(),
            b.schema().map(|s| s.json()),
            0x5eed + index as u64,
        );
        let (report, document) = run(&a, &b, "user.yaml", &case.text);
        let files = vec![("user.yaml".to_owned(), document)];
        let whole = |chart: &Chart| {
            let e = effective(
                Inputs::default()
                    .with_chart(Some(chart))
                    .with_files(&files)
                    .with_helm(HelmVersion::V4),
            )
            .unwrap();
            Document::parse_values(&render(&e, Format::Yaml, true)).unwrap()
        };
        let result = diff(
            &whole(&a),
            &whole(&b),
            &DiffOptions::default().with_show_secrets(true),
        );
        let mut expected: Vec<(String, String, Option<Value>, Option<Value>)> = result
            .changes
            .iter()
            .map(|c| {
                (
                    c.kind.as_str().to_owned(),
                    c.path.to_string(),
                    result.shown_old(c),
                    result.shown_new(c),
                )
            })
            .collect();
        let mut got: Vec<(String, String, Option<Value>, Option<Value>)> = report
            .effective_diff
            .iter()
            .map(|c| {
                (
                    c.kind.to_owned(),
                    c.path.to_string(),
                    c.old.clone(),
                    c.new.clone(),
                )
            })
            .collect();
        let key = |c: &(String, String, Option<Value>, Option<Value>)| (c.1.clone(), c.0.clone());
        expected.sort_by_key(key);
        got.sort_by_key(key);
        assert!(!expected.is_empty() || a.values() == b.values());
        assert_eq!(got, expected, "{chart} {} -> {}", a.version(), b.version());
    }
}
