//! Hostile inputs end with a document or a clear error: no panic, no stack overflow, no
//! runaway memory or time. Each input is generated here (see `tests/hostile_inputs`).
//!
//! Every read runs on a thread with a small stack ([`SMALL_STACK`]): recursion in the reader
//! is bounded by the nesting limit, so what passes here cannot overflow a larger one.
//! Peak memory of the same inputs: `tests/peak_memory.rs`.

use valuesmith::document::{Document, DocumentKind, Limits, ReadError};
use valuesmith::edit::DocumentMut;
use valuesmith::path::Path;
use valuesmith::value::Value;

use crate::hostile_inputs as inputs;

/// 512 KiB: a quarter of the default test thread's stack.
const SMALL_STACK: usize = 512 << 10;

/// Runs `f` on a thread with [`SMALL_STACK`]; a stack overflow aborts the whole test binary,
/// which fails the run as loudly as an assertion.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(SMALL_STACK)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

fn read_values(bytes: Vec<u8>) -> Result<Document, ReadError> {
    on_small_stack(move || Document::values_from_bytes(&bytes))
}

fn read_any(bytes: Vec<u8>) -> Result<Document, ReadError> {
    on_small_stack(move || Document::from_bytes(&bytes))
}

#[test]
fn billion_laughs_runs_out_of_alias_budget() {
    let err = read_values(inputs::billion_laughs(9)).unwrap_err();
    let ReadError::AliasBudget { limit, location } = err else {
        panic!("{err:?}");
    };
    assert_eq!(limit, 1_000_000);
    // Copies through aliases count, aliases included: `b` to `e` make 135,740 and each `*e` of
    // `f` 122,221 more, so the eighth `*e` goes over.
    assert_eq!((location.line, location.column), (6, 36), "{location:?}");
    assert!(err.hint().is_some());
}

#[test]
fn deep_flow_nesting_is_too_deep() {
    for (bytes, column) in [
        (inputs::deep_flow_sequences(200_000), 201),
        (inputs::deep_flow_mappings(200_000), 4 * 200 + 1),
    ] {
        let err = read_any(bytes).unwrap_err();
        assert!(
            matches!(err, ReadError::TooDeep { limit: 200, location } if location.line == 1 && location.column == column),
            "{err:?}"
        );
    }
}

#[test]
fn deep_block_nesting_is_too_deep() {
    let err = read_any(inputs::deep_block_sequences(5_000)).unwrap_err();
    assert!(
        matches!(err, ReadError::TooDeep { limit: 200, location } if location.line == 1),
        "{err:?}"
    );
    let err = read_values(inputs::deep_block_mappings(5_000)).unwrap_err();
    assert!(
        matches!(err, ReadError::TooDeep { limit: 200, location } if location.line == 201),
        "{err:?}"
    );
    // Just within the limit, both read.
    assert!(read_any(inputs::deep_block_sequences(200)).is_ok());
    assert!(read_values(inputs::deep_block_mappings(199)).is_ok());
}

#[test]
fn alias_nesting_is_too_deep() {
    // The nesting hides in complex keys, which Helm refuses outright.
    let err = read_values(inputs::alias_nesting(5_000)).unwrap_err();
    assert!(matches!(err, ReadError::HelmRefuses { .. }), "{err:?}");
    let bytes = inputs::alias_nesting(5_000);
    let err = on_small_stack(move || {
        Document::from_bytes_with(
            &bytes,
            valuesmith::document::DocumentKind::Values,
            valuesmith::document::Limits::default(),
            valuesmith::document::Reading::Yaml12,
        )
    })
    .unwrap_err();
    assert!(
        matches!(err, ReadError::TooDeep { limit: 200, location } if location.line == 10_001),
        "{err:?}"
    );
}

/// A line of `size` bytes holding one scalar, and one holding a flow mapping of short entries.
fn long_lines_read(size: usize) {
    let bytes = inputs::long_scalar_line(size);
    let document = read_values(bytes.clone()).unwrap();
    let value = document.value().as_mapping().unwrap().get("key").unwrap();
    assert_eq!(
        value.as_str().map(str::len),
        Some(bytes.len() - "key: ".len())
    );
    assert!(document.to_bytes() == bytes);

    let bytes = inputs::long_flow_line(size);
    let document = read_values(bytes.clone()).unwrap();
    let mapping = document.value().as_mapping().unwrap();
    // `kN: N, ` is at most 18 bytes for the sizes used here.
    assert!(mapping.len() > size / 18, "{}", mapping.len());
    assert_eq!(mapping.get("end"), Some(&Value::Bool(true)));
    assert!(document.to_bytes() == bytes);
}

#[test]
fn half_megabyte_lines_read() {
    long_lines_read(512 << 10);
}

#[test]
#[ignore = "about 10 s in a debug build: cargo test -p valuesmith --release --test suite hostile -- --include-ignored"]
fn five_megabyte_lines_read() {
    long_lines_read(5 << 20);
}

/// A values file of `size` bytes reads, and an edit at its end is planned, applied, read
/// again and verified, changing nothing else.
fn large_values_file_reads_and_edits(size: usize) {
    let bytes = inputs::large_values_file(size);
    assert!(bytes.len() >= size);
    let services = inputs::services_for(size);
    let document = read_values(bytes.clone()).unwrap();
    assert!(document.to_bytes() == bytes);
    let all = document
        .value()
        .as_mapping()
        .unwrap()
        .get("services")
        .unwrap();
    assert_eq!(all.as_mapping().unwrap().len(), services);
    let last = format!("services.service-{:06}", services - 1);
    let sidecar = Path::parse(&format!("{last}.sidecarResources.limits.cpu")).unwrap();
    assert_eq!(
        document.get_value(&sidecar),
        Some(Value::String("500m".into()))
    );

    let tag = Path::parse(&format!("{last}.image.tag")).unwrap();
    let mut doc = DocumentMut::new(document);
    assert_eq!(doc.set(&tag, &Value::String("2025.06.00".into())), Ok(true));
    // Exactly the last service's tag changed, keeping its quotes and comment.
    let mut expected = String::from_utf8(bytes).unwrap();
    let at = expected.rfind("tag: \"2025.05.00\"   # pinned").unwrap();
    expected.replace_range(at..at + 17, "tag: \"2025.06.00\"");
    assert!(doc.to_text() == expected);
}

#[test]
fn one_megabyte_values_file_reads_and_edits() {
    large_values_file_reads_and_edits(1 << 20);
}

#[test]
#[ignore = "about 45 s in a debug build: cargo test -p valuesmith --release --test suite hostile -- --include-ignored"]
fn twenty_megabyte_values_file_reads_and_edits() {
    large_values_file_reads_and_edits(20 << 20);
}

#[test]
fn dense_input_runs_out_of_nodes() {
    // Two bytes a node: the default of 4 million nodes stops 64 MB of this at 8 MB. Here a
    // lower limit shows the same at a size a debug build reads quickly.
    let limits = Limits {
        max_nodes: 100_000,
        ..Limits::default()
    };
    let bytes = inputs::dense_flow_line(1 << 20);
    let err = on_small_stack(move || Document::from_bytes_as(&bytes, DocumentKind::Any, limits))
        .unwrap_err();
    // The 100,001st node: the sequence, then 99,999 zeros at columns 2, 4, ...
    assert!(
        matches!(err, ReadError::TooManyNodes { limit: 100_000, location } if location.line == 1 && location.column == 200_000),
        "{err:?}"
    );
}

#[test]
fn binary_bytes_are_refused() {
    let err = read_any(inputs::binary(16 << 10)).unwrap_err();
    assert_eq!(err.code(), "encoding", "{err:?}");
    // The same bytes with every byte made ASCII: control characters, no encoding problem.
    let ascii: Vec<u8> = inputs::binary(16 << 10).iter().map(|b| b & 0x7f).collect();
    let err = read_any(ascii).unwrap_err();
    assert!(err.location().is_some(), "{err:?}");
}

#[test]
fn invalid_utf8_mid_file_is_refused_where_it_is() {
    let (offset, line, column) = inputs::INVALID_UTF8_AT;
    let err = read_values(inputs::invalid_utf8_mid_file()).unwrap_err();
    let ReadError::InvalidUtf8 {
        offset: at,
        location,
    } = err
    else {
        panic!("{err:?}");
    };
    assert_eq!((at, location.line, location.column), (offset, line, column));
}
