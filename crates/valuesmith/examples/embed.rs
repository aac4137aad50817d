//! How a Rust tool embeds valuesmith: read a values file, set a value, diff two files, write
//! the diff's patch into a third file keeping its format, migrate through the shipped example
//! catalog, and validate, printing each result as serde JSON.
//!
//! `cargo run -p valuesmith --example embed` (run from anywhere: the paths are the crate's).

use std::error::Error;
use std::path::PathBuf;

use serde_json::json;
use valuesmith::catalog::Catalog;
use valuesmith::diff::{diff, DiffOptions};
use valuesmith::document::Document;
use valuesmith::edit::DocumentMut;
use valuesmith::migrate::migrate;
use valuesmith::path::Path;
use valuesmith::plan::plan;
use valuesmith::validate::{validate_file, ValidateOptions};
use valuesmith::value::Value;

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/cluedin")
        .join(name)
}

fn run() -> Result<serde_json::Value, Box<dyn Error>> {
    // Read, and set one value: everything else keeps its bytes.
    let old = Document::parse_values("image:\n  tag: \"1.0\"   # pinned\nreplicas: 1\n")?;
    let mut editor = DocumentMut::new(old.clone());
    editor.set(&Path::parse("image.tag")?, &Value::String("1.1".into()))?;
    let new = editor.into_document();

    // Diff the two, and write the diff's patch into a third file that has the same keys.
    let changes = diff(&old, &new, &DiffOptions::default());
    let patch = changes.to_patch();
    let third = Document::parse_values("# prod\nimage:\n  tag: '1.0'\nreplicas: 3 # more\n")?;
    let mut editor = DocumentMut::new(third);
    editor.apply(&patch)?;

    // Migrate the shipped example to the newest release of its catalog.
    let catalog = Catalog::load(&example("releases.yml"))?;
    let newest = catalog
        .releases()
        .last()
        .ok_or("an empty catalog")?
        .version
        .clone();
    let bytes = std::fs::read(example("values-dev-2024-12-02.yml"))?;
    let input = Document::values_from_bytes(&bytes)?;
    let path = plan(&catalog, &"2024.12.02".parse()?, &newest)?;
    let migration = migrate(input, &path)?;
    let last = migration.steps.last().ok_or("no step")?;

    // Validate the result as the file it would be written to.
    let name = format!("values-dev-{}.yml", newest.to_string().replace('.', "-"));
    let findings = validate_file(
        &name,
        &last.document.to_bytes(),
        &ValidateOptions::default().with_catalog(Some(&catalog)),
    );
    Ok(json!({
        "set": new.value(),
        "patch": patch,
        "patched": editor.to_text(),
        "migration": migration.steps.iter().map(|s| json!({
            "to": s.to.to_string(),
            "changes": &s.patch,
        })).collect::<Vec<_>>(),
        "findings": findings.iter().map(|f| f.to_json()).collect::<Vec<_>>(),
    }))
}

fn main() -> Result<(), Box<dyn Error>> {
    println!("{}", serde_json::to_string_pretty(&run()?)?);
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_example_runs_and_keeps_the_third_files_format() {
        let out = super::run().unwrap();
        assert_eq!(out["set"]["image"]["tag"], "1.1");
        assert_eq!(
            out["patch"],
            serde_json::json!([{"op": "set", "path": "image.tag", "old": "1.0", "new": "1.1"}])
        );
        assert_eq!(
            out["patched"],
            "# prod\nimage:\n  tag: '1.1'\nreplicas: 3 # more\n"
        );
        let steps = out["migration"].as_array().unwrap();
        assert_eq!(steps.last().unwrap()["to"], "2026.02.00");
        assert!(steps.iter().all(|s| s["changes"].as_array().is_some()));
        // The example's secrets are scrubbed to `<set-me>`: validate says so, and nothing else.
        let errors: Vec<_> = out["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] == "error")
            .map(|f| f["code"].as_str().unwrap())
            .collect();
        assert_eq!(errors, ["required-input", "required-input"]);
    }
}
