//! Release catalogs: the vendor's list of releases, their chart versions, rules and required values.
