//! Integration suite of the valuesmith library, run against the shared corpus in place.

mod advise;
mod bench_inputs;
mod common;
mod conformance;
mod corpus;
mod diff;
mod example;
mod fixtures;
mod fuzz_regressions;
mod helm_coalesce;
mod helm_reading;
mod hostile;
#[path = "../hostile_inputs/mod.rs"]
mod hostile_inputs;
mod leaf_sweep;
mod one_answer;
mod options;
mod plan;
mod promote;
mod render_commands;
mod validate;
