//! Integration suite of the `valuesmith` command: one module per command.

mod color;
mod common;
mod diff;
mod get_set;
mod migrate;
mod plan;
mod secrets;
mod validate;
