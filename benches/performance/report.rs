//! The one table a run prints, with the targets from README.md and the machine it ran on.

use std::time::Duration;

use crate::corpus::Corpus;
use crate::load::{CONNECTIONS, LoadResult, THREADS};
use crate::pages::{Page, Target};
use crate::search::QueryLatency;

/// Everything one run measured.
pub struct Measurements {
    pub machine: Machine,
    /// What followed `--` on the command line (without `--keep`).
    pub arguments: String,
    pub articles: usize,
    pub duration: Duration,
    pub corpus: Corpus,
    pub import: Import,
    pub server: Server,
    pub pages: Vec<PageResult>,
    pub searches: Vec<QueryLatency>,
    /// Pages that came back emptier than a real archive would make them.
    pub warnings: Vec<String>,
}

pub struct Import {
    pub seconds: f64,
    pub peak_rss_kb: u64,
    pub database_bytes: u64,
    pub wal_bytes: u64,
    /// The importer's own summary line.
    pub summary: String,
}

pub struct Server {
    /// From spawning `tearsheet serve` to the first 200 on `GET /`.
    pub startup: Duration,
    pub idle_rss_kb: u64,
    /// `VmHWM` after every load run.
    pub peak_rss_kb: u64,
}

pub struct PageResult {
    pub page: Page,
    pub bytes: usize,
    /// The server's `VmHWM` right after its run on this page.
    pub rss_after_kb: u64,
    /// How long the server kept working after wrk stopped (abandoned requests).
    pub busy_after: Duration,
    /// The server's user + system CPU time over the measured run, per request answered.
    pub cpu_ms_per_request: f64,
    pub tearsheet: LoadResult,
    pub nginx: LoadResult,
}

/// The machine, and how busy it was (other builds make the figures noisy).
pub struct Machine {
    cpus: usize,
    model: String,
    load_before: String,
}

impl Machine {
    pub fn read() -> Self {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let model = cpuinfo
            .lines()
            .find_map(|line| line.strip_prefix("model name")?.split_once(':'))
            .map_or_else(
                || "unknown CPU".to_owned(),
                |(_, name)| name.trim().to_owned(),
            );
        Self {
            cpus: std::thread::available_parallelism().map_or(0, usize::from),
            model,
            load_before: load_average(),
        }
    }
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn print(m: &Measurements) {
    let mut command = "cargo bench --bench performance".to_owned();
    if !m.arguments.is_empty() {
        command = format!("{command} -- {}", m.arguments);
    }
    println!();
    println!(
        "## Tearsheet performance, {} (`{command}`)",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC")
    );
    println!();
    println!(
        "Machine: {} CPUs, {}; load average {} before, {} after.",
        m.machine.cpus,
        m.machine.model,
        m.machine.load_before,
        load_average()
    );
    println!(
        "Corpus: {} articles, {:.1} MiB of text, {} sites. wrk: {THREADS} threads, {CONNECTIONS} \
         connections, {} s per run; nginx serves the same bytes.",
        thousands(m.articles as f64),
        m.corpus.bytes as f64 / MIB,
        m.corpus.sites,
        m.duration.as_secs()
    );
    println!();
    println!(
        "| measure | Tearsheet | p50 ms | p99 ms | CPU ms/req | nginx | nginx p50 ms | \
         nginx p99 ms | × nginx req/s | × nginx p50 | × nginx p99 | target | met |"
    );
    println!("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|---|");
    for result in &m.pages {
        print_page(result);
    }
    print_figures(m);
    print_searches(&m.searches);
    println!();
    println!("Import said: {}", m.import.summary);
    let peaks: Vec<String> = m
        .pages
        .iter()
        .map(|r| format!("{} {:.1}", r.page.label, r.rss_after_kb as f64 / 1_024.0))
        .collect();
    println!("Server VmHWM (MiB) after each page: {}.", peaks.join(", "));
    for result in &m.pages {
        if result.busy_after > Duration::from_secs(1) {
            println!(
                "NOTE: the server kept working {:.1} s after wrk stopped on {} (requests wrk \
                 abandoned still ran to the end); nginx's run waited for that.",
                result.busy_after.as_secs_f64(),
                result.page.path
            );
        }
    }
    for warning in &m.warnings {
        println!("WARNING: {warning}.");
    }
    for result in &m.pages {
        for (side, load) in [("Tearsheet", &result.tearsheet), ("nginx", &result.nginx)] {
            if load.errors > 0 {
                println!(
                    "WARNING: {side} answered {} of {} requests for {} with an error",
                    load.errors, load.requests, result.page.path
                );
            }
        }
    }
}

fn print_page(result: &PageResult) {
    let (t, n) = (&result.tearsheet, &result.nginx);
    let throughput = t.requests_per_second / n.requests_per_second;
    // A run in which no request completed has no latencies: it meets nothing.
    let answered = t.requests > 0;
    let (target, met) = match result.page.target {
        Target::Reading => (
            "≥ 0.5× nginx req/s, p99 ≤ 10 ms",
            Some(answered && throughput >= 0.5 && t.p99_ms <= 10.0),
        ),
        Target::Search => (
            "p50 ≤ 10 ms, p99 ≤ 50 ms",
            Some(answered && t.p50_ms <= 10.0 && t.p99_ms <= 50.0),
        ),
        Target::None => ("", None),
    };
    println!(
        "| {} `{}` ({:.1} kB) | {} req/s | {:.2} | {:.2} | {:.2} | {} req/s | {:.2} | {:.2} | {:.2}× | {:.1}× | {:.1}× | {target} | {} |",
        result.page.label,
        shorten(&result.page.path, 40),
        result.bytes as f64 / 1_000.0,
        thousands(t.requests_per_second),
        t.p50_ms,
        t.p99_ms,
        result.cpu_ms_per_request,
        thousands(n.requests_per_second),
        n.p50_ms,
        n.p99_ms,
        throughput,
        t.p50_ms / n.p50_ms,
        t.p99_ms / n.p99_ms,
        verdict(met),
    );
}

/// Search latency with one request at a time (the table above loads 64 at once).
fn print_searches(searches: &[QueryLatency]) {
    println!();
    println!("Search, one request at a time (`GET /search?q=...`, 40 in a row after 3 warm-ups):");
    println!();
    println!("| query | results on page 1 | p50 ms | p99 ms | max ms | target p50 ≤ 10 ms |");
    println!("|---|--:|--:|--:|--:|---|");
    for search in searches {
        println!(
            "| {} `{}` | {} | {:.2} | {:.2} | {:.2} | {} |",
            search.label,
            search.query,
            search.hits,
            search.p50_ms,
            search.p99_ms,
            search.max_ms,
            verdict(Some(search.p50_ms <= 10.0)),
        );
    }
}

/// The rows that have no nginx counterpart: import, size, memory, start-up.
fn print_figures(m: &Measurements) {
    let files_per_second = m.corpus.files as f64 / m.import.seconds;
    let database = (m.import.database_bytes + m.import.wal_bytes) as f64;
    let ratio = database / m.corpus.bytes as f64;
    let startup_ms = m.server.startup.as_secs_f64() * 1_000.0;
    let mib = |kb: u64| kb as f64 / 1_024.0;
    let rows = [
        (
            format!(
                "import ({} files in {:.1} s)",
                thousands(m.corpus.files as f64),
                m.import.seconds
            ),
            format!("{} files/s", thousands(files_per_second)),
            "≥ 5,000 files/s",
            Some(files_per_second >= 5_000.0),
        ),
        (
            format!(
                "database per article (db {:.1} MiB + wal {:.1} MiB)",
                m.import.database_bytes as f64 / MIB,
                m.import.wal_bytes as f64 / MIB
            ),
            format!("{} B", thousands(database / m.corpus.files as f64)),
            "",
            None,
        ),
        (
            "database ÷ corpus text".to_owned(),
            format!("{ratio:.2}×"),
            "≤ 1.3×",
            Some(ratio <= 1.3),
        ),
        (
            "RSS idle (VmRSS after start)".to_owned(),
            format!("{:.1} MiB", mib(m.server.idle_rss_kb)),
            "≤ 20 MiB",
            Some(mib(m.server.idle_rss_kb) <= 20.0),
        ),
        (
            "RSS of the import (its VmHWM)".to_owned(),
            format!("{:.1} MiB", mib(m.import.peak_rss_kb)),
            "",
            None,
        ),
        (
            "RSS peak under load (server VmHWM)".to_owned(),
            format!("{:.1} MiB", mib(m.server.peak_rss_kb)),
            "≤ 64 MiB",
            Some(mib(m.server.peak_rss_kb) <= 64.0),
        ),
        (
            "start to first response (GET /)".to_owned(),
            format!("{startup_ms:.0} ms"),
            "≤ 200 ms",
            Some(startup_ms <= 200.0),
        ),
    ];
    for (measure, value, target, met) in rows {
        println!(
            "| {measure} | {value} | | | | | | | | | | {target} | {} |",
            verdict(met)
        );
    }
}

const MIB: f64 = 1_024.0 * 1_024.0;

fn verdict(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "yes",
        Some(false) => "**no**",
        None => "",
    }
}

fn shorten(path: &str, max: usize) -> String {
    if path.chars().count() <= max {
        return path.to_owned();
    }
    let head: String = path.chars().take(max - 1).collect();
    format!("{head}…")
}

/// `12345.6` as `12,346`.
pub fn thousands(value: f64) -> String {
    let digits = format!("{:.0}", value.max(0.0));
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}
