//! Fuzz target `read`: see `valuesmith_fuzz::read`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| valuesmith_fuzz::read(data));
