//! # valuesmith
//!
//! Read, diff, migrate and validate Helm values files without changing a byte that no rule
//! asked to change.
//!
//! People who upgrade a vendor's Helm release by hand export their values
//! (`helm get values <release> -o yaml > values-dev-2024-12-02.yml`), copy the file for the
//! next release, bump the image tag and package versions, add new keys, drop retired ones,
//! and hope their comments survived. This crate does that work from a release catalog, and
//! keeps every comment, blank line, quote and indent of the file.
//!
//! ## Reading and editing a values file
//!
//! [`document::Document`] reads YAML and remembers exactly how it was written;
//! [`edit::DocumentMut`] changes it with minimal splices, each verified by re-reading the
//! result:
//!
//! ```
//! use valuesmith::document::Document;
//! use valuesmith::edit::DocumentMut;
//! use valuesmith::path::Path;
//! use valuesmith::value::Value;
//!
//! let text = "\
//! global:
//!   image:
//!     tag: \"2024.12.02\"   # the platform tag
//!
//! packages:
//! - name: CluedIn.Connector.Http
//!   version: 4.4.0
//! ";
//! let doc = Document::parse_values(text)?;
//! let tag = Path::parse("global.image.tag")?;
//! assert_eq!(doc.get_value(&tag), Some(Value::String("2024.12.02".into())));
//!
//! let mut editor = DocumentMut::new(doc);
//! editor.set(&tag, &Value::String("2025.05.00".into()))?;
//! editor.set(
//!     &Path::parse("packages[name=CluedIn.Connector.Http].version")?,
//!     &Value::String("4.5.0".into()),
//! )?;
//! editor.set(&Path::parse("global.strategy.type")?, &Value::String("Recreate".into()))?;
//!
//! assert_eq!(editor.to_text(), "\
//! global:
//!   image:
//!     tag: \"2025.05.00\"   # the platform tag
//!   strategy:
//!     type: Recreate
//!
//! packages:
//! - name: CluedIn.Connector.Http
//!   version: 4.5.0
//! ");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## The parts
//!
//! - [`document`]: the read model (spans, lines, comments, anchors) and read errors.
//! - [`edit`]: format-preserving edits ([`edit::DocumentMut`] is the editor; it writes a
//!   whole [`patch::Patch`] with [`edit::DocumentMut::apply`]).
//! - [`patch`]: the change vocabulary (`Set`, `Remove`, `Move`, `Insert`, with origins) and
//!   what applying it to a value means.
//! - [`path`]: the path syntax shared by the CLI, catalogs and reports, and identity keys.
//! - [`value`]: semantic values (what a document means).
//! - [`diff`](mod@diff): structural diff of two documents and its reports.
//! - [`version`], [`catalog`], [`plan`](mod@plan): release versions, catalogs and upgrade paths.
//! - [`migrate`](mod@migrate): moving a values file through an upgrade path.
//! - [`promote`]: applying a diff made on one environment's file to another (conflicts,
//!   drift policy); [`drift`]: how the environments of one release differ.
//! - [`validate`]: findings for pre-commit and CI; [`config`]: the `.valuesmith.yml` file.
//! - [`render`]: pre-checks with the user's `helm template`: does it render, what changes.
//! - [`values_file`]: which release and env a values file is at, as every command reads it.
//! - [`files`]: writing output files all or nothing, and the wording of file errors.
//! - [`chart`], [`effective`]: charts as folders or archives, and the values Helm computes
//!   from a chart, `-f` files and `--set` flags, with where each value came from.
//! - [`diagnostic`], [`secrets`]: positions and rendering of messages; secret redaction.
//! - [`formats`]: JSON Schemas of valuesmith's own files (the catalog).
//! - [`shell`]: quoting a word for a bash or PowerShell command line.
//!
//! The main types are re-exported at the root: [`Document`], [`DocumentMut`], [`Patch`],
//! [`Change`], [`Path`], [`Value`], [`Catalog`], [`Version`], [`UpgradePath`], [`Migration`],
//! [`Diff`], [`Finding`], [`Code`], [`Fix`], [`ValidateOptions`], [`Diagnostic`],
//! [`Location`], with the one-call entry points [`diff()`], [`plan()`], [`migrate()`] and
//! [`validate_file`].
//!
//! The library never prints and never touches a cluster (it runs `helm template` only when
//! asked, offline); the `valuesmith` command is a thin front end over it.
#![warn(missing_docs)]

pub mod advise;
pub mod catalog;
pub mod chart;
pub mod config;
pub mod diagnostic;
pub mod diff;
pub mod document;
pub mod drift;
pub mod edit;
pub mod effective;
pub mod files;
pub mod formats;
pub mod migrate;
pub mod patch;
pub mod path;
pub mod plan;
pub mod promote;
pub mod render;
pub mod secrets;
pub mod shell;
#[cfg(test)]
mod test_corpus;
pub mod validate;
pub mod value;
pub mod values_file;
pub mod version;

// The main types at the root, so an embedding tool writes `valuesmith::Document`.
pub use catalog::Catalog;
pub use diagnostic::{Diagnostic, Location, Severity, ToDiagnostic};
pub use diff::{diff, Diff, DiffOptions};
pub use document::Document;
pub use edit::DocumentMut;
pub use migrate::{migrate, Migration};
pub use patch::{Change, Patch};
pub use path::Path;
pub use plan::{plan, UpgradePath};
pub use validate::{
    validate_file, validate_file_redacted, Code, Finding, Fix, FixEdit, ValidateOptions,
};
pub use value::Value;
pub use version::Version;
