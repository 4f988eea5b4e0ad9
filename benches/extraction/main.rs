//! The extraction benchmark: runs `tearsheet extract`'s pipeline over a benchmark dataset (AEB or
//! WCXB layout) and prints one table of its scores and timings. See README.md, "Extraction".
//!
//! `cargo bench --bench extraction -- DATASET_DIR [--limit N] [--json] [--pages FILE]
//! [--recode LABEL [--undeclared]] [--ceiling] [--reextract]`
#![allow(clippy::print_stdout)]

mod dataset;
mod metrics;
mod reextract;
mod report;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use encoding_rs::Encoding;
use serde_json::json;
use tearsheet::ingest::extract::{extract_page, reading_candidates};
use url::Url;

use crate::dataset::{Layout, Page, read_gzip};
use crate::report::{Outcome, Report, page_score};

struct Options {
    dataset: PathBuf,
    limit: Option<usize>,
    json: bool,
    pages: Option<PathBuf>,
    /// Re-encode every page into this legacy encoding, declared in the Content-Type header...
    recode: Option<&'static Encoding>,
    /// ...or not declared at all (the page's own `<meta charset>` disabled too).
    undeclared: bool,
    /// Also score the best of the readings the pipeline chooses between on each page.
    ceiling: bool,
    /// Instead of scoring, time `tearsheet reextract --all` over the pages (see `reextract`).
    reextract: bool,
}

fn parse_options(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut dataset = None;
    let mut options = Options {
        dataset: PathBuf::new(),
        limit: None,
        json: false,
        pages: None,
        recode: None,
        undeclared: false,
        ceiling: false,
        reextract: false,
    };
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--bench" => {}
            "--json" => options.json = true,
            "--undeclared" => options.undeclared = true,
            "--ceiling" => options.ceiling = true,
            "--reextract" => options.reextract = true,
            "--limit" => {
                let limit = value("--limit")?;
                options.limit = Some(limit.parse().map_err(|_| format!("--limit {limit}?"))?);
            }
            "--pages" => options.pages = Some(PathBuf::from(value("--pages")?)),
            "--recode" => {
                let label = value("--recode")?;
                options.recode = Some(
                    Encoding::for_label(label.as_bytes())
                        .ok_or(format!("--recode {label}: unknown encoding"))?,
                );
            }
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            path => dataset = Some(PathBuf::from(path)),
        }
    }
    options.dataset = dataset.ok_or("usage: cargo bench --bench extraction -- DATASET_DIR")?;
    let scoring = options.json || options.pages.is_some() || options.recode.is_some();
    if options.reextract && (scoring || options.ceiling) {
        return Err("--reextract times re-extraction; it takes only --limit".to_owned());
    }
    Ok(options)
}

fn main() -> ExitCode {
    let options = match parse_options(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("extraction bench: {message}");
            return ExitCode::from(2);
        }
    };
    match run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("extraction bench: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(options: &Options) -> Result<(), String> {
    let mut dataset = dataset::load(&options.dataset)?;
    if let Some(limit) = options.limit {
        dataset.pages.truncate(limit);
    }
    if options.reextract {
        print!("{}", reextract::measure(&dataset.pages)?);
        return Ok(());
    }
    let mut page_log = match &options.pages {
        Some(path) => Some(BufWriter::new(
            File::create(path).map_err(|error| format!("{}: {error}", path.display()))?,
        )),
        None => None,
    };
    let mut report = Report::new(dataset.layout);
    let mut ceiling = options.ceiling.then(|| Report::new(dataset.layout));
    for page in &dataset.pages {
        let input = input(page, options)?;
        let outcome = measure(&input);
        if let Some(log) = &mut page_log {
            writeln!(log, "{}", page_line(page, &outcome)).map_err(|error| error.to_string())?;
        }
        if let Some(ceiling) = &mut ceiling {
            ceiling.add(
                &page.truth,
                best_reading(page, &input, &outcome, dataset.layout),
            );
        }
        report.add(&page.truth, outcome);
    }
    if let Some(mut log) = page_log {
        log.flush().map_err(|error| error.to_string())?;
    }
    let name = options.dataset.display().to_string();
    if options.json {
        let mut json = report.json(&name);
        if let Some(ceiling) = &ceiling {
            json["ceiling"] = ceiling.text_json();
        }
        println!("{json}");
    } else {
        print!("{}", report.table(&name));
        if let Some(ceiling) = &ceiling {
            print!("\n{}", ceiling.text_table(CEILING_HEADING));
        }
    }
    Ok(())
}

const CEILING_HEADING: &str = "ceiling: on each page, the best by the truth of the pipeline's \
    readings (dom_smoothie's or the main region, rs-trafilatura's, the first trimmed to the \
    second's paragraphs) and its own result";

/// A page as `tearsheet extract --url URL FILE` gets it: its bytes (re-encoded if asked), the
/// Content-Type header that goes with them, and its URL.
struct Input {
    bytes: Vec<u8>,
    content_type: Option<String>,
    url: Option<Url>,
}

fn input(page: &Page, options: &Options) -> Result<Input, String> {
    let bytes = read_gzip(&page.html_path)?;
    let (bytes, content_type) = match options.recode {
        Some(encoding) => recode(&bytes, encoding, options.undeclared),
        None => (bytes, None),
    };
    let url = page
        .truth
        .url
        .as_deref()
        .and_then(|url| Url::parse(url).ok());
    Ok(Input {
        bytes,
        content_type,
        url,
    })
}

/// Extracts one page as `tearsheet extract --url URL FILE` would, timing only the extraction
/// (decode, guard, parse, extract, sanitize), not reading the file.
fn measure(input: &Input) -> Outcome {
    let started = Instant::now();
    let extracted = catch_unwind(AssertUnwindSafe(|| {
        extract_page(
            &input.bytes,
            input.content_type.as_deref(),
            input.url.as_ref(),
        )
        .article
    }));
    let elapsed = started.elapsed();
    match extracted {
        Ok(Ok(article)) => Outcome::extracted(article, elapsed),
        Ok(Err(error)) => Outcome::failed(error.to_string(), elapsed),
        Err(_) => Outcome::failed("panicked".to_owned(), elapsed),
    }
}

/// The outcome with the text, of the pipeline's readings and its own result, that scores best
/// against the truth: what a perfect choice between the readings would give. No rule can make
/// that choice (it reads the truth); it bounds what rules choosing between them can reach.
fn best_reading(page: &Page, input: &Input, outcome: &Outcome, layout: Layout) -> Outcome {
    let candidates = catch_unwind(AssertUnwindSafe(|| {
        reading_candidates(
            &input.bytes,
            input.content_type.as_deref(),
            input.url.as_ref(),
        )
    }))
    .unwrap_or_default();
    let best = candidates
        .into_iter()
        .chain([outcome.text.clone()])
        .map(|text| (page_score(layout, &page.truth, &text), text))
        .max_by(|(a, _), (b, _)| a.total_cmp(b))
        .map(|(_, text)| text)
        .unwrap_or_default();
    outcome.with_text(best)
}

/// The page in a legacy encoding (characters it lacks as numeric references), with the
/// Content-Type header that declares it, or with every `charset` declaration disabled.
fn recode(
    bytes: &[u8],
    encoding: &'static Encoding,
    undeclared: bool,
) -> (Vec<u8>, Option<String>) {
    let text = String::from_utf8_lossy(bytes);
    if undeclared {
        let text = text
            .replace("charset", "charsex")
            .replace("CHARSET", "CHARSEX");
        return (encoding.encode(&text).0.into_owned(), None);
    }
    (
        encoding.encode(&text).0.into_owned(),
        Some(format!("text/html; charset={}", encoding.name())),
    )
}

fn page_line(page: &Page, outcome: &Outcome) -> serde_json::Value {
    json!({
        "id": page.id,
        "type": page.truth.page_type,
        "score": outcome.score(&page.truth),
        "ms": outcome.elapsed.as_secs_f64() * 1000.0,
        "error": outcome.error,
        "title": [page.truth.title, outcome.title],
        "author": [page.truth.author, outcome.author],
        "date": [page.truth.date, outcome.date],
    })
}
