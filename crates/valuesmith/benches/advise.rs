//! Criterion benchmark of the chart upgrade advisor on kube-prometheus-stack 88.0.0 -> 88.5.3
//! (5,981-line defaults) with a 200-line user file (`fixtures/advise/kps-200.yaml`): the
//! library call alone, and with both charts read as the command reads them.
//!
//! `cargo bench -p valuesmith --bench advise`

// criterion_group! generates undocumented items.
#![allow(missing_docs)]

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use valuesmith::advise::{advise, AdviseInputs};
use valuesmith::chart::Chart;
use valuesmith::document::Document;
use valuesmith::effective::HelmVersion;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn chart(version: &str) -> PathBuf {
    root()
        .join("../shared/corpus/charts/kube-prometheus-stack")
        .join(version)
}

fn bench(c: &mut Criterion) {
    let user = std::fs::read(root().join("fixtures/advise/kps-200.yaml")).unwrap();
    let files = vec![(
        "kps-200.yaml".to_owned(),
        Document::values_from_bytes(&user).unwrap(),
    )];
    let a = Chart::load(&chart("88.0.0")).unwrap();
    let b = Chart::load(&chart("88.5.3")).unwrap();
    let inputs = AdviseInputs::new(&a, &b)
        .with_files(&files)
        .with_helm(HelmVersion::V4);
    let mut group = c.benchmark_group("advise");
    group.sample_size(20);
    group.bench_function(
        "kube-prometheus-stack 88.0.0 -> 88.5.3, 200-line file",
        |bench| bench.iter(|| advise(inputs).unwrap()),
    );
    group.bench_function("with both charts read", |bench| {
        bench.iter(|| {
            let a = Chart::load(&chart("88.0.0")).unwrap();
            let b = Chart::load(&chart("88.5.3")).unwrap();
            let report = advise(AdviseInputs::new(&a, &b).with_files(&files)).unwrap();
            report.redundant.len()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
