//! Integration suite of the `valuesmith` command: one module per command.

mod advise;
mod color;
mod common;
mod completions;
mod diff;
mod effective;
mod environments;
mod get_set;
mod helm_plugin;
mod helm_reading;
mod migrate;
mod one_answer;
mod plan;
mod polish;
mod render;
mod schema;
mod secrets;
mod validate;
mod validate_config;
mod validate_fix;
mod validate_formats;
