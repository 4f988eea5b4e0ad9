//! Fuzz target `url`: the checks in `properties/url.rs`, on libFuzzer's inputs.
#![no_main]

#[path = "../properties/url.rs"]
mod properties;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| properties::check(bytes));
