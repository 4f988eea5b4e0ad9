//! The fuzz targets' checks (`tests/fuzz/properties/`) on stable, in every `cargo test`: on the
//! inputs a target once failed on, kept under `tests/fixtures/fuzz/<target>/`, and on the
//! golden fixtures that seed the targets.

#[path = "fuzz/properties/archive_text.rs"]
mod archive_text;
#[path = "fuzz/properties/extract.rs"]
mod extract;
#[path = "fuzz/properties/url.rs"]
mod url_properties;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

/// A target's checks: they panic on an input that breaks a property.
type Check = fn(&[u8]);

/// Each target's checks, and the fixture folders that seed it.
const TARGETS: [(&str, Check, &[&str]); 3] = [
    ("archive_text", archive_text::check, &["archive"]),
    ("url", url_properties::check, &[]),
    ("extract", extract::check, &["extract", "pages"]),
];

/// Runs `check` on every file in `folder` (if it exists), naming the file that fails, and
/// returns how many there were.
fn check_files(folder: &Path, target: &str, check: Check) -> usize {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return 0;
    };
    let mut inputs: Vec<_> = entries
        .map(|entry| entry.expect("folder entry").path())
        .filter(|path| path.is_file())
        .collect();
    inputs.sort();
    for input in &inputs {
        let bytes = std::fs::read(input).expect("read input");
        if catch_unwind(AssertUnwindSafe(|| check(&bytes))).is_err() {
            panic!("{} fails the {target} checks", input.display());
        }
    }
    inputs.len()
}

#[test]
fn inputs_that_once_failed_pass_now() {
    let kept = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let checked: usize = TARGETS
        .iter()
        .map(|(target, check, _)| check_files(&kept.join(target), target, *check))
        .sum();
    assert!(checked > 0, "no inputs under {}", kept.display());
}

#[test]
fn the_fixtures_pass_the_fuzz_checks() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for (target, check, seeds) in TARGETS {
        for seed in seeds {
            let checked = check_files(&fixtures.join(seed), target, check);
            assert!(checked > 0, "no fixtures in {seed}");
        }
    }
}
