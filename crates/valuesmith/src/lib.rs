//! valuesmith (guide written below, once the modules exist).
#![warn(missing_docs)]

pub mod catalog;
pub mod diagnostic;
pub mod diff;
pub mod document;
pub mod edit;
pub mod migrate;
pub mod path;
pub mod plan;
pub mod secrets;
pub mod validate;
pub mod value;
pub mod version;
