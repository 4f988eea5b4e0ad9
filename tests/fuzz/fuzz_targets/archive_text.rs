//! Fuzz target `archive_text`: the checks in `properties/archive_text.rs`, on libFuzzer's inputs.
#![no_main]

#[path = "../properties/archive_text.rs"]
mod properties;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| properties::check(bytes));
