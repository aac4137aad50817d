//! Reads one file many times: a profiling target (`perf record`, `valgrind --tool=callgrind`).
//!
//! `cargo run --release -p valuesmith --example read_loop -- FILE [N]`

fn main() {
    let mut args = std::env::args().skip(1);
    let file = args.next().expect("usage: read_loop FILE [N]");
    let n: usize = args
        .next()
        .map_or(50, |n| n.parse().expect("N is a number"));
    let bytes = std::fs::read(&file).expect("readable file");
    let mut nodes = 0;
    for _ in 0..n {
        let doc = valuesmith::document::Document::values_from_bytes(&bytes).expect("a values file");
        nodes += doc.comments().len();
    }
    println!("{nodes}");
}
