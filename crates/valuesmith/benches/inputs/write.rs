//! Writes the generated benchmark inputs (benches/inputs/mod.rs) to a folder, for bench/compare.sh:
//! the migration catalog and its values file, and the 100,000-item reordered lists.
//!
//! `cargo run --release -p valuesmith --example bench_inputs -- DIR`

#[path = "mod.rs"]
mod inputs;

fn main() {
    let dir = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .expect("usage: bench_inputs DIR (the folder to write to)"),
    );
    std::fs::create_dir_all(&dir).expect("a writable folder");
    let write = |name: &str, text: &str| {
        std::fs::write(dir.join(name), text).expect("a writable folder");
    };
    let (catalog, values) = inputs::migration();
    write("releases.yml", &catalog);
    write("values-bench-1.0.0.yml", &values);
    let (old, new) = inputs::scalar_list(100_000);
    write("scalars-old.yaml", &old);
    write("scalars-new.yaml", &new);
    let (old, new) = inputs::keyed_list(100_000);
    write("keyed-old.yaml", &old);
    write("keyed-new.yaml", &new);
}
