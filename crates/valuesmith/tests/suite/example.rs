//! The shipped CluedIn example: a values file walked through the whole catalog, from the
//! oldest release to the newest, one step file at a time.

use std::path::PathBuf;

use valuesmith::catalog::Catalog;
use valuesmith::document::Document;
use valuesmith::edit::DocumentMut;
use valuesmith::migrate::{migrate, step_patch};
use valuesmith::path::{identity_key, identity_of, Path, Segment};
use valuesmith::plan::plan;
use valuesmith::value::Value;

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/cluedin")
        .join(name)
}

/// Every required value of `required` is in `document` (sequences of mappings by identity).
fn assert_has(document: &Document, path: &Path, required: &Value, step: &str) {
    match required {
        Value::Mapping(m) => {
            for (key, value) in m.iter() {
                assert_has(document, &path.key(key.clone()), value, step);
            }
        }
        Value::Sequence(items) if identity_key(items, &["name".to_owned()]).is_some() => {
            let key = identity_key(items, &["name".to_owned()])
                .unwrap()
                .to_owned();
            for item in items {
                let id = identity_of(item, &key).unwrap();
                let item_path = path.child(Segment::Identity {
                    key: key.clone(),
                    value: id,
                });
                assert_has(document, &item_path, item, step);
            }
        }
        _ => assert_eq!(
            document.get_value(path).as_ref(),
            Some(required),
            "{step}: {path}"
        ),
    }
}

/// Writes each step's patch with the editor, asserting that it reads the document back at
/// most twice per step (issue 14: it used to be once per change); returns the last document,
/// the number of changes and the number of re-reads.
fn walk(
    start: Document,
    path: &valuesmith::plan::UpgradePath<'_>,
    catalog: &Catalog,
) -> (Document, usize, usize) {
    let mut current = start;
    let (mut changes, mut reparses) = (0, 0);
    for step in &path.steps {
        let (patch, _, _) = step_patch(current.value(), step, catalog);
        let mut editor = DocumentMut::new(current);
        editor.apply(&patch).unwrap();
        assert!(
            editor.reparses() <= 2,
            "{} -> {}: {} changes read back {} times",
            step.from.version,
            step.to.version,
            patch.len(),
            editor.reparses()
        );
        changes += patch.len();
        reparses += editor.reparses();
        current = editor.into_document();
    }
    (current, changes, reparses)
}

#[test]
fn the_example_walks_from_the_oldest_release_to_the_newest() {
    let catalog = Catalog::load(&example("releases.yml")).unwrap();
    let releases = catalog.releases();
    let (oldest, newest) = (&releases[0], &releases[releases.len() - 1]);
    let text = std::fs::read_to_string(example("values-dev-2024-12-02.yml")).unwrap();
    // The example is on 2024.12.02; wind its tag back to the oldest release, and supply the
    // inputs the early releases require (the example scrubs them to <set-me>).
    let mut start = DocumentMut::new(Document::parse_values(&text).unwrap());
    let tag = catalog.version_path.clone().unwrap();
    let oldest_tag = oldest.values.get("global").cloned().unwrap();
    start
        .set(
            &Path::parse("global").unwrap().key("image").key("tag"),
            &Value::String(
                oldest_tag
                    .as_mapping()
                    .unwrap()
                    .get("image")
                    .unwrap()
                    .as_mapping()
                    .unwrap()
                    .get("tag")
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_owned(),
            ),
        )
        .unwrap();
    for release in releases {
        for rule in &release.migrate {
            if let valuesmith::catalog::RuleKind::Require { path } = &rule.kind {
                start
                    .set(path, &Value::String("supplied-for-the-test".into()))
                    .unwrap();
            }
        }
    }
    let path = plan(&catalog, &oldest.version, &newest.version).unwrap();
    assert!(path.steps.len() >= 8, "{} steps", path.steps.len());
    let start = start.into_document();
    // Each step's edits are written together and read back once (issue 14: the walk used to
    // parse the file once per change).
    let (current, changes, reparses) = walk(start.clone(), &path, &catalog);
    eprintln!("CluedIn example walk: {changes} changes, {reparses} re-reads");
    let migration = migrate(start, &path).unwrap();
    assert!(migration.is_complete());
    assert_eq!(
        &migration.steps.last().unwrap().document.to_bytes(),
        &current.to_bytes()
    );
    for step in &migration.steps {
        let name = format!("{} -> {}", step.from, step.to);
        let bytes = step.document.to_bytes();
        let reread = Document::values_from_bytes(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        let release = catalog.release(&step.to).unwrap();
        assert_has(
            &reread,
            &Path::root(),
            &Value::Mapping(release.values.clone()),
            &name,
        );
        assert!(reread.get(&tag).is_some(), "{name}: no {tag}");
        // The customer's own package survives every step.
        assert_eq!(
            reread.get_value(
                &Path::parse(
                    "application.cluedin.components.packages[name=Contoso.Connector.Sap].version"
                )
                .unwrap()
            ),
            Some(Value::String("1.3.0".into())),
            "{name}"
        );
    }
    let steps: Vec<String> = migration.steps.iter().map(|s| s.to.to_string()).collect();
    eprintln!(
        "CluedIn example path: {} -> {}",
        oldest.version,
        steps.join(" -> ")
    );
}

#[test]
fn the_example_file_migrates_to_the_newest_release_as_shipped() {
    let catalog = Catalog::load(&example("releases.yml")).unwrap();
    let newest = &catalog.releases()[catalog.releases().len() - 1];
    let bytes = std::fs::read(example("values-dev-2024-12-02.yml")).unwrap();
    let document = Document::values_from_bytes(&bytes).unwrap();
    let from = "2024.12.02".parse().unwrap();
    let path = plan(&catalog, &from, &newest.version).unwrap();
    let steps: Vec<String> = path
        .steps
        .iter()
        .map(|s| s.to.version.to_string())
        .collect();
    assert_eq!(
        steps,
        [
            "2025.05.01",
            "2025.05.02",
            "2025.09.00",
            "2026.01.00",
            "2026.02.00"
        ]
    );
    let migration = migrate(document, &path).unwrap();
    assert!(migration.is_complete());
    let last = &migration.steps.last().unwrap().document;
    assert_eq!(
        last.get_value(&Path::parse("global.image.tag").unwrap()),
        Some(Value::String("2026.02.00".into()))
    );
    // Nothing outside what the rules and values touch changed: the header comment block is
    // byte for byte the input's.
    let header_end = bytes.iter().position(|&b| b == b'\n').unwrap();
    assert_eq!(last.to_bytes()[..header_end], bytes[..header_end]);
}

/// Issue 14's generated case: 50 releases of 40 rules each on one file. Every step's edits
/// are written together: at most two re-reads of the document per step, whatever the number
/// of changes (it used to be one per change, 2,000 in all).
#[test]
fn a_generated_catalog_of_50_releases_of_40_rules_reads_each_step_back_at_most_twice() {
    let (releases, rules, keys) = (50, 40, 400);
    let mut catalog = String::from(
        "product: gen\nchart: gen/gen\nversion_path: image.tag\npolicy:\n  sequential: minor\nreleases:\n",
    );
    for r in 0..=releases {
        catalog.push_str(&format!(
            "  - version: 1.{r}.0\n    chart_version: 1.{r}.0\n    values:\n      image: {{tag: 1.{r}.0}}\n"
        ));
        if r == 0 {
            continue;
        }
        catalog.push_str("    migrate:\n");
        for j in 0..rules {
            let key = (r * rules + j) % keys;
            let rule = match j % 4 {
                0 => format!("      - set: settings.k{key}\n        value: r{r}\n"),
                1 => format!("      - add: extra.r{r}.k{j}\n        value: {j}\n"),
                2 => format!(
                    "      - replace: settings.k{key}\n        from: v0\n        value: r{r}\n"
                ),
                _ => {
                    format!("      - set: packages[name=p{key}].version\n        value: {r}.0.0\n")
                }
            };
            catalog.push_str(&rule);
        }
    }
    let catalog = Catalog::parse(&catalog, "generated.yml").unwrap();
    let mut text = String::from("# generated\nimage:\n  tag: 1.0.0\nsettings:\n");
    for k in 0..keys {
        text.push_str(&format!("  k{k}: v0   # setting {k}\n"));
    }
    text.push_str("packages:\n");
    for k in 0..keys {
        text.push_str(&format!("- name: p{k}\n  version: 0.0.1\n"));
    }
    let path = plan(
        &catalog,
        &"1.0.0".parse().unwrap(),
        &format!("1.{releases}.0").parse().unwrap(),
    )
    .unwrap();
    assert_eq!(path.steps.len(), releases);
    let (_, changes, reparses) = walk(Document::parse_values(&text).unwrap(), &path, &catalog);
    eprintln!(
        "generated {releases} x {rules}: {changes} changes on {} bytes, {reparses} re-reads",
        text.len()
    );
    assert!(changes >= releases * rules / 2, "{changes} changes");
}
