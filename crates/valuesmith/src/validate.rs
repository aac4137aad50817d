//! Validation findings for values files: syntax, Helm pitfalls, catalog, schema and chart keys.
