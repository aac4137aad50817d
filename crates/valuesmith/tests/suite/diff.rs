//! The diff on real files: every consecutive pair of chart versions of the corpus (the apply
//! property), the re-indented ingress-nginx releases (only semantic changes), and dyff's own
//! test pairs (the same changed paths as dyff's expected reports).

use std::collections::BTreeSet;
use std::path::{Path as FsPath, PathBuf};

use valuesmith::diff::{diff, render, ChangeKind, Diff, DiffOptions};
use valuesmith::document::Document;
use valuesmith::path::{Path, Segment};

use crate::common::{corpus_dir, yaml_test_suite_cases};

pub(crate) fn read(path: &FsPath) -> Document {
    let bytes = std::fs::read(path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    Document::from_bytes(&bytes).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// Every (chart, previous version, version) of `charts/INDEX.tsv` with a previous version.
pub(crate) fn chart_pairs() -> Vec<(String, String, String)> {
    let index = std::fs::read_to_string(corpus_dir().join("charts/INDEX.tsv")).unwrap();
    let mut lines = index.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (chart, version, previous) = (
        column("chart"),
        column("version"),
        column("prev_version_in_corpus"),
    );
    lines
        .map(|line| line.split('\t').collect::<Vec<_>>())
        .filter(|row| !row[previous].is_empty())
        .map(|row| {
            (
                row[chart].to_owned(),
                row[previous].to_owned(),
                row[version].to_owned(),
            )
        })
        .collect()
}

pub(crate) fn values_file(chart: &str, version: &str) -> PathBuf {
    corpus_dir()
        .join("charts")
        .join(chart)
        .join(version)
        .join("values.yaml")
}

pub(crate) fn show_all() -> DiffOptions {
    DiffOptions::default().with_show_secrets(true)
}

#[test]
fn applying_the_diff_of_every_consecutive_chart_pair_gives_the_new_version() {
    let pairs = chart_pairs();
    assert_eq!(pairs.len(), 79, "INDEX.tsv lists 79 consecutive pairs");
    let (mut total, mut failures) = (0, Vec::new());
    for (chart, from, to) in &pairs {
        let old = read(&values_file(chart, from));
        let new = read(&values_file(chart, to));
        let d = diff(&old, &new, &show_all());
        total += d.len();
        if &d.to_patch().applied(old.value()) != new.value() {
            failures.push(format!("{chart} {from} -> {to}"));
        }
        // The reverse direction holds too, and no diff is empty unless the values are equal.
        let back = diff(&new, &old, &show_all());
        if &back.to_patch().applied(new.value()) != old.value() {
            failures.push(format!("{chart} {to} -> {from}"));
        }
        assert_eq!(
            d.is_empty(),
            old.value() == new.value(),
            "{chart} {from} -> {to}"
        );
        assert!(diff(&new, &new, &show_all()).is_empty(), "{chart} {to}");
        // Every report renders, and the JSON one reads back.
        for format in render::Format::ALL {
            let text = render::render(&d, format, from, to, Default::default());
            if format == render::Format::Json {
                let json: serde_json::Value = serde_json::from_str(&text).unwrap();
                assert_eq!(json["changes"].as_array().unwrap().len(), d.len());
            }
        }
    }
    assert!(
        failures.is_empty(),
        "apply failed:\n{}",
        failures.join("\n")
    );
    eprintln!(
        "diff: {} consecutive chart pairs, {total} changes, apply exact both ways",
        pairs.len()
    );
}

fn ingress(from: &str, to: &str) -> (String, Diff) {
    let old_path = values_file("ingress-nginx", from);
    let new_path = values_file("ingress-nginx", to);
    let (old, new) = (read(&old_path), read(&new_path));
    let d = diff(&old, &new, &DiffOptions::default());
    assert_eq!(&d.to_patch().applied(old.value()), new.value());
    // The text changed on hundreds of lines: the files were re-indented.
    let text_lines = similar::TextDiff::from_lines(old.source(), new.source())
        .iter_all_changes()
        .filter(|c| c.tag() != similar::ChangeTag::Equal)
        .count();
    assert!(
        text_lines > 1500,
        "{from} -> {to}: {text_lines} changed text lines"
    );
    (render::brief(&d, Default::default()), d)
}

fn counts(d: &Diff) -> [usize; 4] {
    let count = |kind| d.changes.iter().filter(|c| c.kind == kind).count();
    [
        count(ChangeKind::Added),
        count(ChangeKind::Removed),
        count(ChangeKind::Changed),
        count(ChangeKind::Reordered),
    ]
}

#[test]
fn any_yaml_documents_diff_and_apply() {
    // Every valid single-document case of the YAML test suite against the next one and
    // against itself: complex keys, tags, anchors, odd scalars, documents that are not
    // mappings.
    let documents: Vec<(String, Document)> = yaml_test_suite_cases()
        .into_iter()
        .filter(|case| !case.invalid)
        .filter_map(|case| {
            let bytes = std::fs::read(case.dir.join("in.yaml")).ok()?;
            Some((case.name, Document::from_bytes(&bytes).ok()?))
        })
        .collect();
    assert!(documents.len() > 200, "{} documents", documents.len());
    for pair in documents.windows(2) {
        let ((a_name, a), (b_name, b)) = (&pair[0], &pair[1]);
        let d = diff(a, b, &show_all());
        assert_eq!(
            &d.to_patch().applied(a.value()),
            b.value(),
            "{a_name} -> {b_name}\n{d:#?}"
        );
        assert!(diff(a, a, &show_all()).is_empty(), "{a_name}");
        for format in render::Format::ALL {
            render::render(&d, format, a_name, b_name, Default::default());
        }
    }
}

fn kinds_and_paths(d: &Diff) -> Vec<String> {
    d.changes
        .iter()
        .map(|c| format!("{} {}", c.kind, c.path))
        .collect()
}

#[test]
fn ingress_nginx_re_indentation_is_not_a_difference() {
    // 4.4.2 -> 4.5.0 re-indents the whole file (+787/-870 text lines): 8 changes.
    let (report, d) = ingress("4.4.2", "4.5.0");
    eprintln!("ingress-nginx 4.4.2 -> 4.5.0:\n{report}");
    assert_eq!(
        counts(&d),
        [4, 0, 4, 0],
        "[added, removed, changed, reordered]\n{report}"
    );
    assert_eq!(
        kinds_and_paths(&d),
        [
            "changed controller.image.tag",
            "changed controller.image.digest",
            "changed controller.image.digestChroot",
            "added controller.enableTopologyAwareRouting",
            "changed controller.opentelemetry.image",
            "added controller.metrics.service.labels",
            "added defaultBackend.updateStrategy",
            "added defaultBackend.minReadySeconds",
        ]
    );
    // 4.5.2 -> 4.6.0 again (+827/-824 text lines): 8 changes, one of them `dhParam:` (null)
    // becoming `dhParam: ""`, which Helm does see.
    let (report, d) = ingress("4.5.2", "4.6.0");
    eprintln!("ingress-nginx 4.5.2 -> 4.6.0:\n{report}");
    assert_eq!(
        counts(&d),
        [1, 0, 7, 0],
        "[added, removed, changed, reordered]\n{report}"
    );
    assert_eq!(
        kinds_and_paths(&d),
        [
            "changed controller.image.tag",
            "changed controller.image.digest",
            "changed controller.image.digestChroot",
            "changed controller.opentelemetry.image",
            "changed controller.admissionWebhooks.patch.image.tag",
            "changed controller.admissionWebhooks.patch.image.digest",
            "added defaultBackend.autoscaling.apiVersion",
            "changed dhParam",
        ]
    );
}

// dyff's pairs with expected reports.

/// The documents of a YAML stream, split at `---` lines (valuesmith reads one document a
/// file; dyff compares streams document by document).
fn documents(path: &FsPath) -> Vec<Document> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut parts = vec![String::new()];
    for line in text.split_inclusive('\n') {
        if line.trim_end() == "---" || line.starts_with("--- ") {
            parts.push(String::new());
        } else if let Some(last) = parts.last_mut() {
            last.push_str(line);
        }
    }
    parts
        .iter()
        .filter(|part| {
            part.lines()
                .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        })
        .map(|part| Document::parse(part).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .collect()
}

/// A Kubernetes resource's `apiVersion/kind/name`, which dyff matches documents by.
fn k8s_identity(document: &Document) -> Option<String> {
    let get = |path: &str| {
        document
            .get_value(&Path::parse(path).unwrap())
            .and_then(|v| v.scalar_text())
    };
    Some(format!(
        "{}/{}/{}",
        get("apiVersion")?,
        get("kind")?,
        get("metadata.name")?
    ))
}

/// A path in dyff's dot notation ("spruce" style): keys and identity values joined by dots,
/// positions as numbers, `(root level)` for the document.
fn dot_style(segments: &[Segment]) -> String {
    if segments.is_empty() {
        return "(root level)".to_owned();
    }
    segments
        .iter()
        .map(|segment| match segment {
            Segment::Key(key) => key.clone(),
            Segment::Identity { value, .. } => value.clone(),
            Segment::Index(i) => i.to_string(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// The paths dyff would head our changes with: dyff reports added and removed map entries
/// and list items under the collection that holds them, one block per collection.
fn dyff_paths(d: &Diff) -> BTreeSet<String> {
    d.changes
        .iter()
        .map(|change| {
            let segments = change.path.segments();
            match change.kind {
                ChangeKind::Added | ChangeKind::Removed if !segments.is_empty() => {
                    dot_style(&segments[..segments.len() - 1])
                }
                _ => dot_style(segments),
            }
        })
        .collect()
}

/// Our dyff-style paths for a pair of streams, documents matched as dyff matches them (by
/// Kubernetes identity when every document has one, else by position).
fn our_paths(from: &FsPath, to: &FsPath) -> BTreeSet<String> {
    let (old, new) = (documents(from), documents(to));
    let ids = |docs: &[Document]| docs.iter().map(k8s_identity).collect::<Option<Vec<_>>>();
    let mut paths = BTreeSet::new();
    match (ids(&old), ids(&new)) {
        (Some(old_ids), Some(new_ids)) if old.len() > 1 || new.len() > 1 => {
            for (i, id) in old_ids.iter().enumerate() {
                match new_ids.iter().position(|other| other == id) {
                    Some(j) => paths.extend(dyff_paths(&diff(&old[i], &new[j], &show_all()))),
                    None => {
                        paths.insert("(root level)".to_owned());
                    }
                }
            }
            if new_ids.iter().any(|id| !old_ids.contains(id)) {
                paths.insert("(root level)".to_owned());
            }
        }
        _ => {
            for (a, b) in old.iter().zip(&new) {
                let d = diff(a, b, &show_all());
                assert_eq!(&d.to_patch().applied(a.value()), b.value());
                paths.extend(dyff_paths(&d));
            }
            assert_eq!(old.len(), new.len(), "{}", from.display());
        }
    }
    paths
}

fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // CSI: ESC [ parameters final-byte.
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The paths heading the blocks of one of dyff's expected reports: `@@ path @@` lines in the
/// GitHub style; in the human style, the first line of each block (blocks are separated by
/// blank lines), without its `  (document)` suffix.
fn expected_paths(report: &FsPath) -> BTreeSet<String> {
    let text = strip_ansi(&std::fs::read_to_string(report).unwrap());
    let github = report.extension().is_some_and(|e| e == "github");
    let mut previous_blank = true;
    let mut paths = BTreeSet::new();
    for line in text.lines() {
        if github {
            if let Some(inner) = line.strip_prefix("@@ ").and_then(|l| l.strip_suffix(" @@")) {
                paths.insert(inner.to_owned());
            }
        } else if previous_blank && !line.is_empty() && !line.starts_with(char::is_whitespace) {
            paths.insert(line.split("  (").next().unwrap_or(line).to_owned());
        }
        previous_blank = line.trim().is_empty();
    }
    paths
}

#[test]
fn dyff_pairs_report_the_same_changed_paths_as_dyff() {
    let assets = corpus_dir().join("dyff/assets");
    // (folder, expected reports). Every pair that has an expected report; both report styles
    // where dyff has both, which must agree with each other too.
    let cases: &[(&str, &[&str])] = &[
        (
            "testbed",
            &["expected-dyff-spruce.human", "expected-dyff-spruce.github"],
        ),
        ("binary", &["dyff.expected", "expected-dyff.github"]),
        ("colors", &["dyff.expected"]),
        (
            "kubernetes/configmaps",
            &["expected-dyff-spruce.human", "expected-dyff-spruce.github"],
        ),
        (
            "multiline",
            &["expected-dyff-spruce.human", "expected-dyff-spruce.github"],
        ),
        (
            "issues/issue-225",
            &["expected-dyff-spruce.human", "expected-dyff-spruce.github"],
        ),
        (
            "issues/issue-89",
            &["expected-dyff-spruce.human", "expected-dyff-spruce.github"],
        ),
        ("kubernetes/multi-docs-file-level", &["expected-dyff.human"]),
        ("kubernetes/rename", &["expected-dyff.human"]),
    ];
    let (mut compared, mut paths) = (0, 0);
    for (folder, reports) in cases {
        let dir = assets.join(folder);
        let pick = |names: &[&str]| {
            names
                .iter()
                .map(|n| dir.join(n))
                .find(|p| p.is_file())
                .unwrap()
        };
        let from = pick(&["from.yml", "from.yaml"]);
        let to = pick(&["to.yml", "to.yaml"]);
        let ours = our_paths(&from, &to);
        for report in *reports {
            let theirs = expected_paths(&dir.join(report));
            assert!(!theirs.is_empty(), "{folder}/{report}: no paths parsed");
            assert_eq!(ours, theirs, "{folder}: ours vs {report}");
            compared += 1;
            paths += theirs.len();
        }
    }
    assert_eq!(compared, 15);
    eprintln!(
        "dyff: {} pairs, {compared} expected reports, {paths} paths, all equal",
        cases.len()
    );
}

// Snapshots of every report format on the fixture pairs.

/// Every format of one `fixtures/diff/<case>/` pair (`old.yml`, `new.yml`) against its
/// snapshots `<case>.<format>`; the diff applied to the old value gives the new one.
fn run_diff_case(case: &FsPath) -> Result<(), String> {
    let name = case.file_name().unwrap().to_string_lossy().into_owned();
    let (old, new) = (read(&case.join("old.yml")), read(&case.join("new.yml")));
    let d = diff(&old, &new, &DiffOptions::default());
    if d.is_empty() {
        return Err(format!("{name}: the pair does not differ"));
    }
    if &d.to_patch().applied(old.value()) != new.value() {
        return Err(format!("{name}: applying the diff does not give new.yml"));
    }
    for format in render::Format::ALL {
        let text = render::render(&d, format, "old.yml", "new.yml", Default::default());
        insta::assert_snapshot!(format!("{name}.{}", format.as_str()), text);
    }
    Ok(())
}

// One test per pair, named after it (`cargo test -p valuesmith --test suite reorder`).
crate::fixtures::fixture_tests!(
    "diff",
    run_diff_case,
    [
        dotted_keys,
        identity_lists,
        multiline,
        positional_lists,
        reorder,
        secrets,
        type_changes,
        values_upgrade,
    ]
);

#[test]
fn human_report_in_colour() {
    let case = FsPath::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/diff/multiline");
    let (old, new) = (read(&case.join("old.yml")), read(&case.join("new.yml")));
    let d = diff(&old, &new, &DiffOptions::default());
    let text = render::human(&d, valuesmith::diagnostic::Color::Always);
    // Escape the escapes so the snapshot stays readable text.
    insta::assert_snapshot!(text.replace('\x1b', "\\e"));
}

#[test]
fn secrets_are_shown_only_when_asked() {
    let case = FsPath::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/diff/secrets");
    let (old, new) = (read(&case.join("old.yml")), read(&case.join("new.yml")));
    let shown = diff(&old, &new, &show_all());
    insta::assert_snapshot!(render::brief(&shown, Default::default()));
}
