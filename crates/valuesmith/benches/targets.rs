//! Criterion benchmarks of issue 14's targets, each beside the baseline it is judged against:
//! the generated 50 x 40 migration against a validate of the same file, a one-value set
//! against a validate, a validate with the example catalog against one without, diffs of
//! 100,000-item reordered lists, and a validate of 1,000 corpus files on one thread against
//! all threads. docs/performance.md has the figures.
//!
//! `cargo bench -p valuesmith --bench targets [-- FILTER]`

// criterion_group! generates undocumented items.
#![allow(missing_docs)]

mod inputs;

use std::path::PathBuf;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use valuesmith::catalog::Catalog;
use valuesmith::document::Document;
use valuesmith::edit::DocumentMut;
use valuesmith::path::Path;
use valuesmith::validate::{validate_file, validate_files, FileInput, ValidateOptions};
use valuesmith::value::Value;
use valuesmith::version::Version;

fn repo(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative)
}

fn corpus_values() -> Vec<PathBuf> {
    let root = repo("../shared/corpus/charts");
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&root)
        .min_depth(3)
        .max_depth(3)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.file_name().is_some_and(|n| n == "values.yaml"))
        .collect();
    files.sort();
    files
}

fn migrate(c: &mut Criterion) {
    let (catalog_text, values) = inputs::migration();
    let catalog = Catalog::parse(&catalog_text, "catalog.yml").unwrap();
    let (from, to) = (
        Version::parse("1.0.0").unwrap(),
        Version::parse(&format!("1.{}.0", inputs::RELEASES)).unwrap(),
    );
    let document = Document::values_from_bytes(values.as_bytes()).unwrap();
    let path = valuesmith::plan::plan(&catalog, &from, &to).unwrap();
    let once = valuesmith::migrate::migrate(document.clone(), &path).unwrap();
    let changes: usize = once.steps.iter().map(|s| s.patch.len()).sum();
    assert!(
        changes >= inputs::RELEASES * inputs::RULES,
        "{changes} changes"
    );

    let mut group = c.benchmark_group("migrate");
    group.throughput(Throughput::Bytes(values.len() as u64));
    group.bench_function("generated-50x40", |b| {
        b.iter(|| valuesmith::migrate::migrate(document.clone(), &path).unwrap())
    });
    group.bench_function("validate-of-the-same-file", |b| {
        b.iter(|| {
            validate_file(
                "values.yaml",
                values.as_bytes(),
                &ValidateOptions::default(),
            )
        })
    });
    group.finish();
}

fn set(c: &mut Criterion) {
    let file = repo("../shared/corpus/charts/kube-prometheus-stack/88.5.3/values.yaml");
    let bytes = std::fs::read(file).unwrap();
    let path = Path::parse("prometheus.prometheusSpec.retention").unwrap();
    let value = Value::String("30d".into());
    let mut group = c.benchmark_group("set-vs-validate");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("set (read, edit, verify, text)", |b| {
        b.iter(|| {
            let doc = Document::values_from_bytes(&bytes).unwrap();
            let mut editor = DocumentMut::new(doc);
            editor.set(&path, &value).unwrap();
            editor.to_text()
        })
    });
    group.bench_function("validate", |b| {
        b.iter(|| validate_file("values.yaml", &bytes, &ValidateOptions::default()))
    });
    group.finish();
}

fn catalog(c: &mut Criterion) {
    let catalog_path = repo("examples/cluedin/releases.yml");
    let name = "values-dev-2024-12-02.yml";
    let bytes = std::fs::read(repo("examples/cluedin").join(name)).unwrap();
    let mut group = c.benchmark_group("validate-catalog");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("without", |b| {
        b.iter(|| validate_file(name, &bytes, &ValidateOptions::default()))
    });
    group.bench_function("with the example catalog (load + validate)", |b| {
        b.iter(|| {
            let catalog = Catalog::load(&catalog_path).unwrap();
            let options = ValidateOptions::default().with_catalog(Some(&catalog));
            validate_file(name, &bytes, &options)
        })
    });
    group.finish();
}

fn diff(c: &mut Criterion) {
    let mut group = c.benchmark_group("diff-100k");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    for (name, (old, new)) in [
        ("reordered-scalars", inputs::scalar_list(100_000)),
        ("reordered-keyed", inputs::keyed_list(100_000)),
    ] {
        let read = |text: &str| Document::values_from_bytes(text.as_bytes()).unwrap();
        let options = valuesmith::diff::DiffOptions::default();
        let (old_doc, new_doc) = (read(&old), read(&new));
        // The property the engine promises, on the bench input itself.
        let found = valuesmith::diff::diff(&old_doc, &new_doc, &options);
        let mut applied = old_doc.value().clone();
        found.to_patch().apply(&mut applied);
        assert_eq!(&applied, new_doc.value());
        group.throughput(Throughput::Bytes((old.len() + new.len()) as u64));
        group.bench_function(BenchmarkId::new("read both + diff", name), |b| {
            b.iter(|| valuesmith::diff::diff(&read(&old), &read(&new), &options))
        });
    }
    group.finish();
}

fn many(c: &mut Criterion) {
    let files: Vec<(String, Vec<u8>)> = corpus_values()
        .into_iter()
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    let inputs: Vec<FileInput<'_>> = files
        .iter()
        .cycle()
        .take(1000)
        .map(|(name, bytes)| FileInput::new(name, bytes, ValidateOptions::default()))
        .collect();
    let total: usize = inputs.iter().map(|f| f.bytes.len()).sum();
    let mut group = c.benchmark_group("validate-1000-files");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(total as u64));
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        group.bench_function(BenchmarkId::new("threads", threads), |b| {
            b.iter(|| pool.install(|| validate_files(&inputs, true)))
        });
    }
    group.finish();
}

criterion_group!(benches, migrate, set, catalog, diff, many);
criterion_main!(benches);
