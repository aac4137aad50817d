//! Integration suite of the `valuesmith` command: one module per command.

mod color;
mod common;
mod completions;
mod diff;
mod get_set;
mod helm_plugin;
mod migrate;
mod plan;
mod polish;
mod schema;
mod validate;
mod validate_config;
mod validate_fix;
mod validate_formats;
