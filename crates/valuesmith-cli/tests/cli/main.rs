//! Integration suite of the `valuesmith` command: one module per command.

mod common;
mod get_set;
mod plan;
mod validate;
