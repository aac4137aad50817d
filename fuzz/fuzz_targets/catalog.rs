//! Fuzz target `catalog`: see `valuesmith_fuzz::catalog`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| valuesmith_fuzz::catalog(data));
