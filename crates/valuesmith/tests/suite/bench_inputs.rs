//! The generated benchmark inputs (benches/inputs/mod.rs) keep their promises: the diff of
//! each reordered list applies back to the new list exactly (the full 100k-item inputs are
//! checked the same way when `cargo bench --bench targets` starts), and the generated
//! migration makes one change per rule in one step, written with at most two reads of the
//! document (issue 14: it used to be one read per rename).

#[path = "../../benches/inputs/mod.rs"]
mod inputs;

use valuesmith::catalog::Catalog;
use valuesmith::diff::{diff, DiffOptions};
use valuesmith::document::Document;
use valuesmith::edit::DocumentMut;
use valuesmith::version::Version;

fn read(text: &str) -> Document {
    Document::values_from_bytes(text.as_bytes()).unwrap()
}

fn assert_applies(old: &str, new: &str) -> usize {
    let (old, new) = (read(old), read(new));
    let found = diff(&old, &new, &DiffOptions::default());
    let mut applied = old.value().clone();
    found.to_patch().apply(&mut applied);
    assert_eq!(&applied, new.value());
    found.len()
}

#[test]
fn a_reordered_scalar_list_past_the_exact_limit_applies_back() {
    let (old, new) = inputs::scalar_list(20_000);
    let changes = assert_applies(&old, &new);
    // A shuffle keeps a longest increasing run of about 2 sqrt(n) items in place.
    assert!(changes > 30_000 && changes < 40_000, "{changes} changes");
}

#[test]
fn a_reordered_keyed_list_is_one_reorder_and_the_changed_values() {
    let (old, new) = inputs::keyed_list(20_000);
    assert_eq!(assert_applies(&old, &new), 1 + 200);
}

#[test]
fn the_generated_migration_is_one_step_with_a_change_per_rule() {
    // Five releases: the full 50 x 40 catalog is checked when the bench starts.
    let (catalog, values) = inputs::migration_of(5, inputs::RULES);
    let catalog = Catalog::parse(&catalog, "releases.yml").unwrap();
    let (from, to) = (
        Version::parse("1.0.0").unwrap(),
        Version::parse("1.5.0").unwrap(),
    );
    let path = valuesmith::plan::plan(&catalog, &from, &to).unwrap();
    let migration = valuesmith::migrate::migrate(read(&values), &path).unwrap();
    assert_eq!(migration.steps.len(), 1);
    assert_eq!(migration.steps[0].patch.len(), 5 * inputs::RULES);
}

#[test]
fn the_generated_migration_step_reads_the_document_back_at_most_twice() {
    let (catalog, values) = inputs::migration_of(5, inputs::RULES);
    let catalog = Catalog::parse(&catalog, "releases.yml").unwrap();
    let (from, to) = (
        Version::parse("1.0.0").unwrap(),
        Version::parse("1.5.0").unwrap(),
    );
    let path = valuesmith::plan::plan(&catalog, &from, &to).unwrap();
    let document = read(&values);
    let (patch, _, _) = valuesmith::migrate::step_patch(document.value(), &path.steps[0], &catalog);
    let mut expected = document.value().clone();
    patch.apply(&mut expected);
    let mut editor = DocumentMut::new(document);
    editor.apply(&patch).unwrap();
    assert_eq!(patch.len(), 5 * inputs::RULES);
    assert!(editor.reparses() <= 2, "{} reads", editor.reparses());
    assert_eq!(editor.document().value(), &expected);
    // Comments stay, except those of removed keys (every fifth rule, from the fourth).
    let text = editor.to_text();
    for r in 1..=5 {
        for k in (0..inputs::RULES).filter(|k| k % 5 != 3) {
            assert!(
                text.contains(&format!("  # key {k} of section {r}\n")),
                "{r} {k}"
            );
        }
        assert!(
            !text.contains(&format!("  # key 3 of section {r}\n")),
            "{r}"
        );
    }
}
