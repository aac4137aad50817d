//! Unit tests of the coalescing rules and the `--set` syntax.
