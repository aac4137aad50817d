//! Criterion benchmarks of the library on the largest corpus files: reading (parse, spans,
//! comments, value), one-value edits, and diffs of consecutive chart versions. Throughput is in bytes of input.
//!
//! `cargo bench -p valuesmith --bench core`

// criterion_group! generates undocumented items.
#![allow(missing_docs)]

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use valuesmith::document::{Document, DocumentKind, Limits, Reading};
use valuesmith::edit::DocumentMut;
use valuesmith::path::Path;
use valuesmith::value::Value;

fn corpus(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/charts")
        .join(relative)
}

const LARGEST: &[&str] = &[
    "kube-prometheus-stack/88.5.3/values.yaml",
    "argo-cd/10.0.0/values.yaml",
    "bitnami-redis/23.1.1/values.yaml",
];

fn read(c: &mut Criterion) {
    let mut group = c.benchmark_group("read");
    for name in LARGEST {
        let bytes = std::fs::read(corpus(name)).unwrap();
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), &bytes, |b, bytes| {
            b.iter(|| Document::values_from_bytes(bytes).unwrap())
        });
    }
    // The Helm reading against the YAML 1.2 reading of the same file (issue: the Helm policy
    // costs at most 10% more).
    let bytes = std::fs::read(corpus(LARGEST[0])).unwrap();
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_with_input("yaml-1.2/kube-prometheus-stack", &bytes, |b, bytes| {
        b.iter(|| {
            Document::from_bytes_with(
                bytes,
                DocumentKind::Values,
                Limits::default(),
                Reading::Yaml12,
            )
            .unwrap()
        })
    });
    group.finish();
}

fn edit(c: &mut Criterion) {
    let mut group = c.benchmark_group("set-one-value");
    let bytes = std::fs::read(corpus(LARGEST[0])).unwrap();
    let doc = Document::values_from_bytes(&bytes).unwrap();
    let path = Path::parse("prometheus.prometheusSpec.retention").unwrap();
    let value = Value::String("30d".into());
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("kube-prometheus-stack", |b| {
        b.iter(|| {
            let mut editor = DocumentMut::new(doc.clone());
            editor.set(&path, &value).unwrap();
            editor.to_text()
        })
    });
    group.finish();
}

fn diff(c: &mut Criterion) {
    let mut group = c.benchmark_group("diff");
    for (old, new) in [
        (
            "kube-prometheus-stack/88.0.0/values.yaml",
            "kube-prometheus-stack/88.5.3/values.yaml",
        ),
        (
            "ingress-nginx/4.4.2/values.yaml",
            "ingress-nginx/4.5.0/values.yaml",
        ),
    ] {
        let (Ok(old_bytes), Ok(new_bytes)) =
            (std::fs::read(corpus(old)), std::fs::read(corpus(new)))
        else {
            continue;
        };
        let old_doc = Document::values_from_bytes(&old_bytes).unwrap();
        let new_doc = Document::values_from_bytes(&new_bytes).unwrap();
        let options = valuesmith::diff::DiffOptions::default();
        group.throughput(Throughput::Bytes(
            (old_bytes.len() + new_bytes.len()) as u64,
        ));
        group.bench_function(BenchmarkId::from_parameter(new), |b| {
            b.iter(|| valuesmith::diff::diff(&old_doc, &new_doc, &options))
        });
    }
    group.finish();
}

criterion_group!(benches, read, edit, diff);
criterion_main!(benches);
