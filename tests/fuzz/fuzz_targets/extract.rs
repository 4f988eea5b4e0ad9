//! Fuzz target `extract`: the checks in `properties/extract.rs`, on libFuzzer's inputs.
#![no_main]

#[path = "../properties/extract.rs"]
mod properties;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| properties::check(bytes));
