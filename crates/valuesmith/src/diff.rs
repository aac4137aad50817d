//! Structural diff of two YAML documents and its reports.
