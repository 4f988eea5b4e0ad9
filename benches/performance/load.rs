//! Load generation with wrk (64 connections, 2 threads, `--latency`) and reading its summary.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

pub const CONNECTIONS: u32 = 64;
pub const THREADS: u32 = 2;

/// What one wrk run measured.
#[derive(Debug, Clone, Copy)]
pub struct LoadResult {
    pub requests_per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub requests: u64,
    /// Non-2xx/3xx answers plus socket errors (connect, read, write, timeout).
    pub errors: u64,
}

/// The header a browser sends, for the pages loaded gzipped.
pub const GZIP: &str = "Accept-Encoding: gzip";

/// A wrk script that sends every request to a new address: the page's own with `fresh=N`
/// added to its query, N unique per thread and request.
pub const EVERY_REQUEST_NEW: &str = r#"
local counter = 0
local next_thread = 0
function setup(thread)
  next_thread = next_thread + 1
  thread:set("thread_id", next_thread)
end
function request()
  counter = counter + 1
  local separator = string.find(wrk.path, "?", 1, true) and "&" or "?"
  local path = wrk.path .. separator .. "fresh=" .. thread_id .. "-" .. counter
  return wrk.format(nil, path)
end
"#;

/// How wrk asks for a page: through a Lua script, with a header.
#[derive(Clone, Copy, Default)]
pub struct Requests<'a> {
    pub script: Option<&'a Path>,
    pub header: Option<&'a str>,
}

/// Runs a short warm-up, then the measured run, against one URL; `measured` is called right
/// before and right after the measured run (to read the server's CPU time around it).
pub fn run(
    wrk: &Path,
    url: &str,
    requests: Requests,
    warm_up: Duration,
    duration: Duration,
    mut measured: impl FnMut(),
) -> LoadResult {
    if !warm_up.is_zero() {
        wrk_output(wrk, url, requests, warm_up);
    }
    measured();
    let output = wrk_output(wrk, url, requests, duration);
    measured();
    parse(&output).unwrap_or_else(|| panic!("cannot read wrk's summary for {url}:\n{output}"))
}

fn wrk_output(wrk: &Path, url: &str, requests: Requests, duration: Duration) -> String {
    let mut command = Command::new(wrk);
    if let Some(script) = requests.script {
        command.arg("--script").arg(script);
    }
    if let Some(header) = requests.header {
        command.arg("--header").arg(header);
    }
    let output = command
        .args([
            "--threads",
            &THREADS.to_string(),
            "--connections",
            &CONNECTIONS.to_string(),
            "--duration",
            &format!("{}s", duration.as_secs().max(1)),
            // Slow answers must count in the percentiles, not vanish as timeouts after 2 s.
            "--timeout",
            "60s",
            "--latency",
            url,
        ])
        .output()
        .unwrap_or_else(|error| panic!("cannot run {}: {error}", wrk.display()));
    assert!(
        output.status.success(),
        "wrk failed on {url}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Reads `Requests/sec`, the 50% and 99% lines of `Latency Distribution`, the request count
/// and the error lines from wrk's text summary.
pub fn parse(output: &str) -> Option<LoadResult> {
    let mut result = LoadResult {
        requests_per_second: f64::NAN,
        p50_ms: f64::NAN,
        p99_ms: f64::NAN,
        requests: 0,
        errors: 0,
    };
    for line in output.lines().map(str::trim) {
        let mut fields = line.split_whitespace();
        match fields.next() {
            Some("Requests/sec:") => result.requests_per_second = fields.next()?.parse().ok()?,
            Some("50%") => result.p50_ms = milliseconds(fields.next()?)?,
            Some("99%") => result.p99_ms = milliseconds(fields.next()?)?,
            Some("Non-2xx") => result.errors += line.rsplit(' ').next()?.parse::<u64>().ok()?,
            Some("Socket") => {
                // "Socket errors: connect 0, read 0, write 0, timeout 0"
                for count in line.split(',').filter_map(|part| part.rsplit(' ').next()) {
                    result.errors += count.parse::<u64>().unwrap_or(0);
                }
            }
            Some(count) if line.contains(" requests in ") => {
                result.requests = count.parse().ok()?
            }
            _ => {}
        }
    }
    let complete = [result.requests_per_second, result.p50_ms, result.p99_ms]
        .iter()
        .all(|value| value.is_finite());
    complete.then_some(result)
}

/// wrk prints durations as `652.00us`, `1.23ms`, `2.01s` or `1.50m`.
fn milliseconds(text: &str) -> Option<f64> {
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let scale = match unit {
        "us" => 0.001,
        "ms" => 1.0,
        "s" => 1_000.0,
        "m" => 60_000.0,
        "h" => 3_600_000.0,
        _ => return None,
    };
    Some(number * scale)
}
