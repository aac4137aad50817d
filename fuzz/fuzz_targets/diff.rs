//! Fuzz target `diff`: see `valuesmith_fuzz::diff`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| valuesmith_fuzz::diff(data));
