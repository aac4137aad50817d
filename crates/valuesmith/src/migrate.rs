//! Migration of a values file through an upgrade path, rule by rule, recording every change.
