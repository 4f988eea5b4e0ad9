//! `--reextract`: how long `tearsheet reextract --all` takes over the dataset's pages, archived
//! as fetched articles (imported from an export folder, each text file with its page beside
//! it), one page extracted at a time (`--jobs 1`, as before) beside the default (every core),
//! alternating, in fresh copies of the same archive.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::dataset::{Page, read_gzip};

/// The release binary cargo built for this bench.
const TEARSHEET: &str = env!("CARGO_BIN_EXE_tearsheet");

/// Runs of each way; the table gives their medians (the middle one: an odd number).
const ROUNDS: usize = 3;

/// One timed `reextract --all`: its wall time and the summary it printed.
struct Run {
    elapsed: Duration,
    summary: String,
}

/// Archives the pages (those with a URL) in a scratch folder, times `reextract --all` both ways
/// and returns the table.
pub fn measure(pages: &[Page]) -> Result<String, String> {
    let scratch = tempfile::tempdir().map_err(|error| error.to_string())?;
    let export = scratch.path().join("export");
    std::fs::create_dir(&export).map_err(|error| error.to_string())?;
    let written = write_export(pages, &export)?;
    let archive = scratch.path().join("archive.db");
    let export = export.to_string_lossy();
    tearsheet(&["import", "--database-url", &database_url(&archive), &export])?;
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let mut one_at_a_time = Vec::with_capacity(ROUNDS);
    let mut every_core = Vec::with_capacity(ROUNDS);
    // Which way goes first alternates too, so neither always meets a warmer cache.
    for round in 0..ROUNDS {
        if round % 2 == 0 {
            one_at_a_time.push(reextract_copy(&archive, scratch.path(), Some(1))?);
            every_core.push(reextract_copy(&archive, scratch.path(), None)?);
        } else {
            every_core.push(reextract_copy(&archive, scratch.path(), None)?);
            one_at_a_time.push(reextract_copy(&archive, scratch.path(), Some(1))?);
        }
    }
    let (before, after) = (median(&one_at_a_time), median(&every_core));
    let articles = articles_read(&every_core[0].summary)?;
    let per_second = |elapsed: Duration| articles as f64 / elapsed.as_secs_f64();
    let mut table = String::new();
    let _ = writeln!(
        table,
        "reextract --all: {written} pages archived, {articles} read again ({}), \
         median of {ROUNDS} runs each, alternating",
        every_core[0].summary
    );
    let _ = writeln!(
        table,
        "| measure | --jobs 1 (one at a time) | default ({cores} cores) | ratio |"
    );
    let _ = writeln!(table, "|---|---|---|---|");
    let _ = writeln!(
        table,
        "| seconds | {:.1} | {:.1} | {:.2} |",
        before.as_secs_f64(),
        after.as_secs_f64(),
        after.as_secs_f64() / before.as_secs_f64()
    );
    let _ = writeln!(
        table,
        "| articles per second | {:.1} | {:.1} | {:.2} |",
        per_second(before),
        per_second(after),
        per_second(after) / per_second(before)
    );
    Ok(table)
}

/// Writes each page with a URL as an export would (`NNNNNN_<id>.txt` naming the URL, the page
/// beside it as `.html`) and returns how many.
fn write_export(pages: &[Page], export: &Path) -> Result<usize, String> {
    let mut written = 0;
    for page in pages {
        let Some(url) = &page.truth.url else {
            continue;
        };
        let stem = format!("{written:06}_{:016x}", written + 1);
        let text = format!("Page {}\n\nOriginal url:\n\n<{url}>\n", page.id);
        std::fs::write(export.join(format!("{stem}.txt")), text)
            .and_then(|()| std::fs::write(export.join(format!("{stem}.html")), read_page(page)?))
            .map_err(|error| format!("{}: {error}", export.display()))?;
        written += 1;
    }
    Ok(written)
}

fn read_page(page: &Page) -> std::io::Result<Vec<u8>> {
    read_gzip(&page.html_path).map_err(std::io::Error::other)
}

/// Times `reextract --all` (with `--jobs` when given) in a fresh copy of `archive` (with its
/// write-ahead log, if `import` left one).
fn reextract_copy(archive: &Path, scratch: &Path, jobs: Option<usize>) -> Result<Run, String> {
    let copy = scratch.join("copy.db");
    for suffix in ["", "-wal"] {
        let from = PathBuf::from(format!("{}{suffix}", archive.display()));
        if from.exists() {
            std::fs::copy(&from, format!("{}{suffix}", copy.display()))
                .map_err(|error| error.to_string())?;
        }
    }
    let url = database_url(&copy);
    let jobs = jobs.map(|jobs| jobs.to_string());
    let mut args = vec!["reextract", "--database-url", url.as_str(), "--all"];
    if let Some(jobs) = &jobs {
        args.extend(["--jobs", jobs.as_str()]);
    }
    let started = Instant::now();
    let summary = tearsheet(&args)?;
    let elapsed = started.elapsed();
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(scratch.join(format!("copy.db{suffix}")));
    }
    Ok(Run { elapsed, summary })
}

/// Runs the binary and returns the last line it printed. Exit status 1 (some files or pages
/// not read) is a result, not a failure.
fn tearsheet(args: &[&str]) -> Result<String, String> {
    let output = Command::new(TEARSHEET)
        .args(args)
        .output()
        .map_err(|error| format!("{TEARSHEET}: {error}"))?;
    if !matches!(output.status.code(), Some(0 | 1)) {
        return Err(format!(
            "tearsheet {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    Ok(stdout.lines().last().unwrap_or_default().to_owned())
}

fn database_url(path: &Path) -> String {
    format!("sqlite:{}", path.display())
}

fn median(runs: &[Run]) -> Duration {
    let mut times: Vec<Duration> = runs.iter().map(|run| run.elapsed).collect();
    times.sort();
    times[times.len() / 2]
}

/// The articles `reextract` read again, from its summary (`updated N, unchanged N, failed N,
/// skipped N ...`): all but the skipped.
fn articles_read(summary: &str) -> Result<usize, String> {
    let counts: Vec<usize> = summary
        .split(", ")
        .filter(|part| !part.starts_with("skipped"))
        .filter_map(|part| part.split_whitespace().nth(1)?.parse().ok())
        .collect();
    if counts.len() != 3 {
        return Err(format!("reextract printed {summary:?}, not its summary"));
    }
    Ok(counts.iter().sum())
}
