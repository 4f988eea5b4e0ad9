//! The performance benchmark: import a synthetic archive, serve it, load it with wrk beside nginx
//! serving the same bytes, and print one table. See README.md, "Performance".
#![allow(clippy::print_stdout)]

mod corpus;
mod http;
mod load;
mod nginx;
mod pages;
mod processes;
mod report;
mod search;
mod words;

use std::fs::File;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::processes::{ChildProcess, find_program, free_port};
use crate::report::{Import, Measurements, PageResult, Server};

/// The longest wait for the server to finish requests wrk abandoned before the next run.
const IDLE_WAIT: Duration = Duration::from_secs(300);

/// The release binary cargo built for this bench.
const TEARSHEET: &str = env!("CARGO_BIN_EXE_tearsheet");

/// How big and how long a run is.
struct Options {
    articles: usize,
    duration: Duration,
    warm_up: Duration,
    keep: bool,
    quick: bool,
    /// The arguments that shape the figures, to print how to run this again.
    shape: Vec<String>,
    /// cargo passes `--bench` under `cargo bench`; without it (`cargo test --benches`) we skip.
    benchmarking: bool,
}

impl Options {
    fn parse(mut args: impl Iterator<Item = String>) -> Result<Self, String> {
        let mut options = Self {
            articles: 100_000,
            duration: Duration::from_secs(10),
            warm_up: Duration::from_secs(2),
            keep: false,
            quick: false,
            shape: Vec::new(),
            benchmarking: false,
        };
        let mut articles = None;
        let mut duration = None;
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--bench" => options.benchmarking = true,
                "--quick" => {
                    options.quick = true;
                    options.shape.push(arg);
                }
                "--keep" => options.keep = true,
                "--articles" => {
                    let value = number(args.next(), "--articles")?;
                    articles = Some(value);
                    options.shape.push(format!("--articles {value}"));
                }
                "--duration" => {
                    let value = number(args.next(), "--duration")?;
                    duration = Some(value);
                    options.shape.push(format!("--duration {value}"));
                }
                "--help" | "-h" => return Err(USAGE.to_owned()),
                other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
            }
        }
        if options.quick {
            options.articles = 5_000;
            options.duration = Duration::from_secs(3);
            options.warm_up = Duration::from_secs(1);
        }
        if let Some(articles) = articles {
            options.articles = articles.max(1);
        }
        if let Some(seconds) = duration {
            options.duration = Duration::from_secs(seconds.max(1) as u64);
        }
        Ok(options)
    }
}

const USAGE: &str = "usage: cargo bench --bench performance -- [--quick] [--articles N] \
[--duration SECONDS] [--keep]
  --quick       5,000 articles and 3 s wrk runs (about a minute and a half)
  --articles N  corpus size (default 100,000)
  --duration S  seconds per wrk run (default 10, quick 3)
  --keep        keep the temp folder (corpus, database, nginx files) and print its path";

fn number(value: Option<String>, flag: &str) -> Result<usize, String> {
    value
        .and_then(|value| value.replace(['_', ','], "").parse().ok())
        .ok_or_else(|| format!("{flag} needs a number\n{USAGE}"))
}

fn main() -> ExitCode {
    let options = match Options::parse(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    if !options.benchmarking {
        println!("performance: skipped (a benchmark; run `cargo bench --bench performance`)");
        return ExitCode::SUCCESS;
    }
    let (Some(wrk), Some(nginx)) = (find_program("wrk"), find_program("nginx")) else {
        eprintln!(
            "performance: this benchmark needs `wrk` and `nginx` on PATH (or in /usr/sbin).\n\
             On Debian or Ubuntu: sudo apt-get install -y wrk nginx"
        );
        return ExitCode::FAILURE;
    };
    // Removed when dropped, also on a panic; `run` has stopped every child process by then.
    let work = tempfile::Builder::new()
        .prefix("tearsheet-bench-")
        .tempdir()
        .expect("temp folder");
    let measurements = run(&options, &wrk, &nginx, work.path());
    report::print(&measurements);
    if options.keep {
        println!("kept {}", work.keep().display());
    } else {
        // Deleting 100,000 files can take minutes where the file system discards freed blocks.
        progress("removing the temp folder");
    }
    ExitCode::SUCCESS
}

/// One whole run in `work`. Children are stopped when their guards drop, also when something
/// panics on the way.
fn run(options: &Options, wrk: &Path, nginx: &Path, work: &Path) -> Measurements {
    let machine = report::Machine::read();
    let dirs = Dirs::create(work);

    progress(&format!(
        "writing {} synthetic articles",
        report::thousands(options.articles as f64)
    ));
    let corpus = corpus::write(&dirs.corpus, options.articles).expect("write the corpus");

    progress("importing them with `tearsheet import`");
    let import = import(&dirs);

    progress("starting `tearsheet serve`");
    let (server_process, address, startup) = start_server(&dirs);
    // Let the runtime settle after the first request before calling it idle.
    std::thread::sleep(Duration::from_millis(500));
    let idle_rss_kb = server_process.memory_kb("VmRSS").unwrap_or(0);

    progress("finding the pages to load, starting nginx with their bytes");
    let pages = pages::discover(address, &corpus);
    let mut sizes = Vec::new();
    let mut warnings = Vec::new();
    for page in &pages {
        // Fetched once as wrk will ask: the very bytes it will get from Tearsheet.
        if page.gzipped {
            let body = http::get_ok_gzipped(address, &page.path).body;
            assert!(
                body.starts_with(&[0x1f, 0x8b]),
                "{} came back without gzip",
                page.path
            );
            sizes.push(body.len());
            let file = dirs.www.join(format!("{}.gz", page.file));
            std::fs::write(file, body).expect("write a gzipped page for nginx");
            continue;
        }
        let body = http::get_ok(address, &page.path).body;
        sizes.push(body.len());
        warnings.extend(pages::emptiness(page, &body));
        std::fs::write(dirs.www.join(page.file), body).expect("write a page for nginx");
    }
    progress("timing searches one request at a time");
    let article = &pages
        .iter()
        .find(|p| p.file == "article.html")
        .expect("article")
        .path;
    let searches = search::measure(address, &corpus, article);

    let probe = format!("/{}", pages[0].file);
    let (nginx_process, nginx_address) = nginx::start(nginx, &dirs.nginx, &dirs.www, &probe);

    let mut results = Vec::new();
    for (page, bytes) in pages.into_iter().zip(sizes) {
        progress(&format!("loading {} ({})", page.label, page.path));
        server_process.wait_until_idle(IDLE_WAIT);
        // Tearsheet and nginx back to back per page, so that load from other work on the
        // machine hits both sides of each ratio alike.
        let mut ticks = Vec::new();
        let requests = load::Requests {
            script: page
                .rendered_each_time
                .then_some(dirs.every_request_new.as_path()),
            header: page.gzipped.then_some(load::GZIP),
        };
        let tearsheet = load::run(
            wrk,
            &format!("http://{address}{}", page.path),
            requests,
            options.warm_up,
            options.duration,
            || ticks.extend(server_process.cpu_ticks()),
        );
        // CPU time is far less sensitive than req/s to whatever else the machine is doing.
        let cpu_ms_per_request = match ticks[..] {
            [before, after] if tearsheet.requests > 0 => {
                (after - before) as f64 * 10.0 / tearsheet.requests as f64
            }
            _ => f64::NAN,
        };
        let rss_after_kb = server_process.memory_kb("VmHWM").unwrap_or(0);
        // wrk's connections are closed, but the requests it abandoned may still be running.
        let busy_after = server_process.wait_until_idle(IDLE_WAIT);
        let baseline = load::run(
            wrk,
            &format!("http://{nginx_address}/{}", page.file),
            requests,
            options.warm_up,
            options.duration,
            || {},
        );
        results.push(PageResult {
            page,
            bytes,
            rss_after_kb,
            busy_after,
            cpu_ms_per_request,
            tearsheet,
            nginx: baseline,
        });
    }
    let peak_rss_kb = server_process.memory_kb("VmHWM").unwrap_or(0);
    progress("stopping the servers");
    drop(nginx_process);
    drop(server_process);

    Measurements {
        machine,
        arguments: options.shape.join(" "),
        articles: options.articles,
        duration: options.duration,
        corpus,
        import,
        server: Server {
            startup,
            idle_rss_kb,
            peak_rss_kb,
        },
        pages: results,
        searches,
        warnings,
    }
}

/// The temp folder's layout.
struct Dirs {
    corpus: PathBuf,
    database: PathBuf,
    www: PathBuf,
    nginx: PathBuf,
    logs: PathBuf,
    /// The wrk script of [`load::EVERY_REQUEST_NEW`].
    every_request_new: PathBuf,
}

impl Dirs {
    fn create(root: &Path) -> Self {
        let dirs = Self {
            corpus: root.join("corpus"),
            database: root.join("tearsheet.db"),
            www: root.join("www"),
            nginx: root.join("nginx"),
            logs: root.join("logs"),
            every_request_new: root.join("every-request-new.lua"),
        };
        for dir in [&dirs.corpus, &dirs.www, &dirs.nginx, &dirs.logs] {
            std::fs::create_dir_all(dir).expect("create a temp folder");
        }
        std::fs::write(&dirs.every_request_new, load::EVERY_REQUEST_NEW)
            .expect("write the wrk script");
        dirs
    }

    fn database_url(&self) -> String {
        format!("sqlite:{}", self.database.display())
    }

    fn log(&self, name: &str) -> File {
        File::create(self.logs.join(name)).expect("create a log file")
    }
}

fn import(dirs: &Dirs) -> Import {
    let started = Instant::now();
    let child = ChildProcess::spawn(
        "tearsheet import",
        Command::new(TEARSHEET)
            .arg("import")
            .arg("--database-url")
            .arg(dirs.database_url())
            .arg(&dirs.corpus)
            .env_remove("RUST_LOG")
            .stdout(dirs.log("import.out"))
            .stderr(dirs.log("import.err")),
    );
    let (status, peak_rss_kb) = child.wait_with_peak_rss();
    let seconds = started.elapsed().as_secs_f64();
    let summary = std::fs::read_to_string(dirs.logs.join("import.out")).unwrap_or_default();
    if !status.success() {
        let errors = std::fs::read_to_string(dirs.logs.join("import.err")).unwrap_or_default();
        panic!(
            "tearsheet import failed ({status}):\n{summary}\n{}",
            tail(&errors, 20)
        );
    }
    let size = |path: PathBuf| std::fs::metadata(path).map_or(0, |m| m.len());
    let mut wal = dirs.database.clone().into_os_string();
    wal.push("-wal");
    Import {
        seconds,
        peak_rss_kb,
        database_bytes: size(dirs.database.clone()),
        wal_bytes: size(PathBuf::from(wal)),
        summary: summary.trim().to_owned(),
    }
}

/// Starts the server on a free port; returns it with the time from spawn to the first 200 on `/`.
fn start_server(dirs: &Dirs) -> (ChildProcess, SocketAddr, Duration) {
    let address = SocketAddr::from(([127, 0, 0, 1], free_port()));
    let started = Instant::now();
    let process = ChildProcess::spawn(
        "tearsheet serve",
        Command::new(TEARSHEET)
            .arg("serve")
            .arg("--listen")
            .arg(address.to_string())
            .arg("--database-url")
            .arg(dirs.database_url())
            .env_remove("RUST_LOG")
            .stdin(Stdio::null())
            .stdout(dirs.log("serve.out"))
            .stderr(dirs.log("serve.err")),
    );
    let Some(startup) = http::wait_until_ok(address, "/", started, Duration::from_secs(60)) else {
        let errors = std::fs::read_to_string(dirs.logs.join("serve.err")).unwrap_or_default();
        panic!(
            "tearsheet serve did not answer GET / within 60 s:\n{}",
            tail(&errors, 20)
        );
    };
    (process, address, startup)
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// A step on stderr, with the seconds since the run began.
fn progress(step: &str) {
    static START: OnceLock<Instant> = OnceLock::new();
    let seconds = START.get_or_init(Instant::now).elapsed().as_secs_f64();
    eprintln!("performance [{seconds:5.1} s]: {step}…");
}
