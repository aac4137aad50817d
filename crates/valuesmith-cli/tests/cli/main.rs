//! Integration tests of the `valuesmith` binary, one module per command.

mod plan;
