//! Integration suite of the `valuesmith` command: one module per command.

mod color;
mod common;
mod diff;
mod get_set;
mod helm_reading;
mod migrate;
mod plan;
mod validate;
