//! Upgrade paths through a catalog and the helm commands that deploy each step.
