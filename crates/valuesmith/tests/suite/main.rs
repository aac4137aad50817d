//! Integration suite of the valuesmith library, run against the shared corpus in place.

mod common;
mod corpus;
mod diff;
mod example;
mod fixtures;
mod leaf_sweep;
mod validate;
