//! Release catalogs: the vendor's list of releases, their chart versions, rules and required values.
//!
//! A catalog is read from one YAML file (`releases.yml`) or from a folder of `*.yml` / `*.yaml`
//! files whose releases are merged ([`Catalog::load`]). It is found by `--catalog PATH`, else
//! `$VALUESMITH_CATALOG`, else `releases.yml` or `releases/` in the values file's folder or any
//! parent folder ([`Catalog::find`], [`Catalog::discover`]).
//!
//! Reading is strict: unknown fields, unknown rule kinds, rules with missing or extra fields,
//! unparsable versions, paths and `upgrade_from` requirements, and duplicate releases are all
//! errors, and every error names `file:line:col`. Positions come from serde-saphyr's spans, so
//! semantic checks made after deserialising still point at the offending text. The format is
//! described for users in `docs/catalog.md`.
//!
//! The module is split by job: `model` (the types a read catalog is made of, its errors and
//! lookups), `discovery` (finding the catalog and reading files from disk), `reading` (one
//! file's YAML to the model, with positions), `commands` (the `commands` section and the
//! data-upgrade procedure), `rules` (the `migrate` rules), `assembly`
//! (merging a folder's files and the whole-catalog checks) and `values` (reading release
//! `values` the way Helm reads a values file) and `cache` (read catalogs kept in the user's
//! cache folder, used only for exactly the same bytes).

mod assembly;
mod cache;
mod commands;
mod discovery;
mod model;
mod reading;
mod rules;
mod values;

pub use cache::NO_CACHE_ENV_VAR;
pub use discovery::{CatalogSource, FoundBy};
pub use model::*;
pub(crate) use reading::{to_location, unknown_field_hint};

/// The environment variable that names a catalog when `--catalog` is not given.
pub const CATALOG_ENV_VAR: &str = "VALUESMITH_CATALOG";

/// Where the format is documented, for hints.
const FORMAT_DOC: &str = "see docs/catalog.md for the catalog format";

#[cfg(test)]
mod tests;
