//! Release versions: CalVer and SemVer, numeric order, text kept for display and file names.
