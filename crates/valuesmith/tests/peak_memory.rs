//! Peak memory of reading each hostile input (`tests/hostile_inputs`), one child process per
//! input so that no input inherits another's heap. Linux only: it reads the peak resident set
//! (`VmHWM`) from `/proc/self/status`, reset after the input is generated.
//!
//! Ignored by default (it is a report, and takes a while in debug builds). Run it with
//!
//! ```sh
//! cargo test -p valuesmith --release --test peak_memory -- --ignored --nocapture
//! ```

mod hostile_inputs;

use std::time::Instant;

use valuesmith::document::Document;
use valuesmith::value::Value;

/// The environment variable that makes [`child`] measure one input (its index in
/// [`hostile_inputs::all`]).
const INPUT_VAR: &str = "VALUESMITH_PEAK_MEMORY_INPUT";

/// The most memory reading any input may take: what the default node limit (4 million)
/// promises, about 700 MB, with a margin.
const ALLOWED: u64 = 1 << 30;

/// A field of `/proc/self/status` in bytes (`VmHWM:   1234 kB`).
fn status_bytes(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: u64 = line[field.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb * 1024)
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / f64::from(1 << 20)
}

#[test]
#[ignore = "a report: cargo test -p valuesmith --release --test peak_memory -- --ignored --nocapture"]
fn peak_memory_of_hostile_inputs() {
    let inputs = hostile_inputs::all();
    println!(
        "{:<34} {:>10} {:>10} {:>10} {:>9}  outcome",
        "input", "size MiB", "peak MiB", "read MiB", "seconds"
    );
    let mut over = Vec::new();
    for (index, input) in inputs.iter().enumerate() {
        let output = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["child", "--exact", "--ignored", "--nocapture"])
            .env(INPUT_VAR, index.to_string())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let Some(report) = stdout.lines().find_map(|l| l.strip_prefix("PEAK ")) else {
            panic!(
                "{}: the child reported nothing ({}):\n{stdout}\n{}",
                input.name,
                output.status,
                String::from_utf8_lossy(&output.stderr)
            );
        };
        let fields: Vec<&str> = report.splitn(4, ' ').collect();
        let [size, peak, base, rest] = fields[..] else {
            panic!("{}: bad report `{report}`", input.name);
        };
        let (size, peak, base): (u64, u64, u64) = (
            size.parse().unwrap(),
            peak.parse().unwrap(),
            base.parse().unwrap(),
        );
        let (seconds, outcome) = rest.split_once(' ').unwrap_or((rest, ""));
        let read = peak.saturating_sub(base);
        println!(
            "{:<34} {:>10.1} {:>10.1} {:>10.1} {:>9}  {outcome}",
            input.name,
            mib(size),
            mib(peak),
            mib(read),
            seconds
        );
        if read > ALLOWED {
            over.push(input.name);
        }
    }
    assert!(over.is_empty(), "more memory than allowed: {over:?}");
}

/// Measures one input: prints `PEAK <size> <peak> <base> <seconds> <outcome>`.
#[test]
#[ignore = "run by peak_memory_of_hostile_inputs in a child process"]
fn child() {
    let Some(index) = std::env::var(INPUT_VAR)
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    else {
        return;
    };
    let input = hostile_inputs::all().swap_remove(index);
    // Forget the peak of generating every input; without the reset the figure is an upper bound.
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let base = status_bytes("VmRSS:").unwrap_or(0);
    let started = Instant::now();
    let outcome = match Document::from_bytes(&input.bytes) {
        Ok(document) => {
            let value = document.value();
            let len = match value {
                Value::Mapping(m) => m.len(),
                Value::Sequence(s) => s.len(),
                _ => 1,
            };
            format!("ok: a {} of {len}", value.type_name())
        }
        Err(err) => format!("{} error: {err}", err.code()),
    };
    let seconds = started.elapsed().as_secs_f64();
    let peak = status_bytes("VmHWM:").unwrap_or(0);
    let note = if reset {
        ""
    } else {
        " (peak not reset: includes generating the inputs)"
    };
    println!(
        "PEAK {} {peak} {base} {seconds:.2} {outcome}{note}",
        input.bytes.len()
    );
}
