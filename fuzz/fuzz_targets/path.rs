//! Fuzz target `path`: see `valuesmith_fuzz::path`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| valuesmith_fuzz::path(data));
