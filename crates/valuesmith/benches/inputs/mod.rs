//! Generated benchmark inputs, the same bytes on every run (a fixed-seed generator, no
//! randomness from the system): the migration catalog of 50 releases with 40 rules each and
//! its values file, and the 100,000-item reordered lists for `diff`. The criterion benches
//! use them in memory; `cargo run --release -p valuesmith --example bench_inputs -- DIR`
//! writes them to DIR for `bench/compare.sh`.

#![allow(dead_code)]

use std::fmt::Write as _;

/// A small deterministic generator (SplitMix64), so the inputs never change.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A Fisher-Yates shuffle.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// Releases after the first in the generated catalog.
pub const RELEASES: usize = 50;
/// Rules per release.
pub const RULES: usize = 40;

/// The generated migration: (catalog text, values file text). Release `1.R.0` migrates the
/// section `sR` of the values file with 40 rules cycling through `set`, `rename`, `replace`,
/// `remove` and `add`, each of which changes the file, so one step from 1.0.0 to 1.50.0
/// makes 2,000 changes (plus the sections' comments and untouched keys kept byte for byte).
pub fn migration() -> (String, String) {
    migration_of(RELEASES, RULES)
}

/// [`migration`] with `releases` releases of `rules` rules each.
pub fn migration_of(releases: usize, rules: usize) -> (String, String) {
    let mut catalog = String::from(
        "product: bench\nchart: bench/bench\nidentity_keys: [name]\npolicy:\n  sequential: none\nreleases:\n  - version: \"1.0.0\"\n    chart_version: \"1.0.0\"\n",
    );
    let mut values = String::from("# Generated values file for the migration benchmark.\n");
    for r in 1..=releases {
        let _ = write!(
            catalog,
            "  - version: \"1.{r}.0\"\n    chart_version: \"1.{r}.0\"\n    migrate:\n"
        );
        let _ = writeln!(values, "# Section {r}: migrated by release 1.{r}.0.");
        let _ = writeln!(values, "s{r:02}:");
        for k in 0..rules {
            let key = format!("s{r:02}.k{k:02}");
            match k % 5 {
                0 => {
                    let _ = write!(
                        catalog,
                        "      - set: {key}\n        value: \"set-{r}-{k}\"\n        reason: the chart reads a new value\n"
                    );
                }
                1 => {
                    let _ = write!(
                        catalog,
                        "      - rename: {key}\n        to: s{r:02}.renamed{k:02}\n"
                    );
                }
                2 => {
                    let _ = write!(
                        catalog,
                        "      - replace: {key}\n        from: \"default-{r}-{k}\"\n        value: \"replaced-{r}-{k}\"\n"
                    );
                }
                3 => {
                    let _ = writeln!(catalog, "      - remove: {key}");
                }
                _ => {
                    let _ = write!(
                        catalog,
                        "      - add: s{r:02}.added{k:02}\n        value: {k}\n"
                    );
                }
            }
            let _ = writeln!(values, "  # key {k} of section {r}");
            let _ = writeln!(values, "  k{k:02}: \"default-{r}-{k}\"  # the old default");
        }
    }
    (catalog, values)
}

/// A YAML document holding one list under `items`.
fn document(items: &[String]) -> String {
    let mut text = String::with_capacity(items.iter().map(|i| i.len() + 4).sum::<usize>() + 8);
    text.push_str("items:\n");
    for item in items {
        text.push_str(item);
    }
    text
}

/// A list of `n` unique plain scalars and the same list shuffled: (old, new).
pub fn scalar_list(n: usize) -> (String, String) {
    let mut items: Vec<String> = (0..n).map(|i| format!("  - item-{i:06}\n")).collect();
    let old = document(&items);
    Rng::new(14).shuffle(&mut items);
    (old, document(&items))
}

/// A list of `n` mappings identified by `name`, shuffled, with every 100th value changed:
/// (old, new).
pub fn keyed_list(n: usize) -> (String, String) {
    let item = |i: usize, v: usize| format!("  - name: item-{i:06}\n    value: {v}\n");
    let mut order: Vec<usize> = (0..n).collect();
    let old: Vec<String> = order.iter().map(|&i| item(i, i)).collect();
    Rng::new(15).shuffle(&mut order);
    let new: Vec<String> = order
        .iter()
        .map(|&i| item(i, if i % 100 == 0 { i + 1 } else { i }))
        .collect();
    (document(&old), document(&new))
}
