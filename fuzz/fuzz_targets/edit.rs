//! Fuzz target `edit`: see `valuesmith_fuzz::edit`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| valuesmith_fuzz::edit(data));
