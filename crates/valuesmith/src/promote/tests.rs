use super::*;
use crate::diff::{diff, DiffOptions};

fn doc(text: &str) -> Document {
    Document::parse_values(text).unwrap()
}

fn patch_of(old: &str, new: &str) -> Patch {
    let options = DiffOptions {
        show_secrets: true,
        ..DiffOptions::default()
    };
    diff(&doc(old), &doc(new), &options).to_patch()
}

const DEV_A: &str = "image:\n  tag: \"1.0\"\nreplicas: 1\nhost: dev.example.com\n";
const DEV_B: &str = "image:\n  tag: \"1.1\"\nreplicas: 2\nhost: dev.example.com\nnew: 3\n";

#[test]
fn a_change_whose_old_value_differs_is_a_conflict_and_nothing_is_written() {
    let prod = "# prod\nimage:\n  tag: '1.0'   # pinned\nreplicas: 5\nhost: prod.example.com\n";
    let result = promote(
        doc(prod),
        &patch_of(DEV_A, DEV_B),
        &PromoteOptions::default(),
    )
    .unwrap();
    assert!(result.blocked);
    assert_eq!(result.document.to_text(), prod);
    let conflicts: Vec<_> = result.conflicts().collect();
    assert_eq!(conflicts.len(), 1);
    let (entry, conflict) = conflicts[0];
    assert_eq!(entry.change.path().to_string(), "replicas");
    assert_eq!(conflict.expected, Some(Value::Int(1)));
    assert_eq!(conflict.found, Some(Value::Int(5)));
    assert_eq!(conflict.line, Some(4));
    insta::assert_snapshot!(render(&result, "prod.yml", ReportFormat::Human, false), @r"
    pending   changed image.tag
    conflict  prod.yml:4: replicas: the file has another value; the patch expects 1, the file has 5
    pending   added new
    prod.yml: 0 applied, 0 already there, 0 allowed to differ, 1 conflict
    nothing was written: resolve the conflicts, or pass --skip-conflicts to apply the rest
    ");
}

#[test]
fn skip_conflicts_applies_the_rest_keeping_every_other_byte_and_a_second_apply_changes_nothing() {
    let prod = "# prod\nimage:\n  tag: '1.0'   # pinned\nreplicas: 5\nhost: prod.example.com\n";
    let options = PromoteOptions {
        skip_conflicts: true,
        ..PromoteOptions::default()
    };
    let patch = patch_of(DEV_A, DEV_B);
    let first = promote(doc(prod), &patch, &options).unwrap();
    assert!(!first.blocked);
    assert_eq!(
        first.document.to_text(),
        "# prod\nimage:\n  tag: '1.1'   # pinned\nreplicas: 5\nhost: prod.example.com\nnew: 3\n"
    );
    let second = promote(first.document.clone(), &patch, &options).unwrap();
    assert_eq!(second.document.to_text(), first.document.to_text());
    assert_eq!(second.count("applied"), 0);
    assert_eq!(second.count("already"), 2);
    assert_eq!(second.count("conflict"), 1);
}

#[test]
fn the_policy_skips_allowed_paths() {
    let options = PromoteOptions {
        policy: DriftSettings {
            allow: vec![crate::diff::PathPattern::parse("replicas").unwrap()],
        },
        ..PromoteOptions::default()
    };
    let prod = "image:\n  tag: \"1.0\"\nreplicas: 5\nhost: prod.example.com\n";
    let result = promote(doc(prod), &patch_of(DEV_A, DEV_B), &options).unwrap();
    assert!(!result.blocked);
    assert_eq!(result.entries[1].outcome, Outcome::Allowed);
    assert_eq!(
        result.document.to_text(),
        "image:\n  tag: \"1.1\"\nreplicas: 5\nhost: prod.example.com\nnew: 3\n"
    );
}

#[test]
fn removing_the_last_item_removes_the_emptied_key_unless_keep_empty() {
    let patch = patch_of(
        "vols:\n- name: a\nx: 1\n",
        "vols:\n- name: a\n- name: b\nx: 1\n",
    );
    // The reverse patch removes b; prod has only b.
    let back = patch_of(
        "vols:\n- name: a\n- name: b\nx: 1\n",
        "vols:\n- name: a\nx: 1\n",
    );
    assert_eq!(patch.len(), 1);
    let prod = "vols:\n- name: b\nx: 1\n";
    let result = promote(doc(prod), &back, &PromoteOptions::default()).unwrap();
    assert_eq!(result.document.to_text(), "x: 1\n");
    assert_eq!(
        result.entries[0].emptied,
        Some((Path::parse("vols").unwrap(), false))
    );
    let kept = PromoteOptions {
        keep_empty: true,
        ..PromoteOptions::default()
    };
    let result = promote(doc(prod), &back, &kept).unwrap();
    assert_eq!(result.document.value(), doc("vols: []\nx: 1\n").value());
}

#[test]
fn a_redacted_value_is_never_written() {
    let old = doc("db:\n  password: old\n");
    let new = doc("db:\n  password: new\n");
    let redacted = diff(&old, &new, &DiffOptions::default());
    let text = crate::diff::render::json(&redacted, "a", "b");
    let patch = Patch::from_json(&text).unwrap();
    let result = promote(
        doc("db:\n  password: old\n"),
        &patch,
        &PromoteOptions::default(),
    )
    .unwrap();
    assert!(result.blocked);
    let report = render(&result, "prod.yml", ReportFormat::Json, false);
    assert!(
        !report.contains("old\"") && !report.contains("new\""),
        "{report}"
    );
    assert!(report.contains("redacted value"), "{report}");
}

#[test]
fn the_library_example_of_docs_environments() {
    let dev_a = doc("replicas: 1\nimage: {tag: '1.0'}\n");
    let dev_b = doc("replicas: 1\nimage: {tag: '1.1'}\n");
    let prod = doc("# prod\nreplicas: 5\nimage: {tag: '1.0'}  # pinned\n");
    let patch = diff(&dev_a, &dev_b, &DiffOptions::default()).to_patch();
    let promoted = promote(prod, &patch, &PromoteOptions::default()).unwrap();
    assert_eq!(
        promoted.document.to_text(),
        "# prod\nreplicas: 5\nimage: {tag: '1.1'}  # pinned\n"
    );
    let matrix = crate::drift::drift(
        &[
            ("values-dev-1-0-0.yml".into(), dev_b.value().clone()),
            (
                "values-prod-1-0-0.yml".into(),
                promoted.document.value().clone(),
            ),
        ],
        &DriftSettings::default(),
        &[],
    );
    assert_eq!(matrix.rows.len(), 1);
}
