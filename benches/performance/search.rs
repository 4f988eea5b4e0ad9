//! Search latency one request at a time: what a person waits for after pressing Enter, for the
//! shapes of query the search box takes (README, "Search").

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use dom_query::Document;

use crate::corpus::Corpus;
use crate::http;
use crate::words::SEARCH_WORDS;

/// Requests per query after the warm-up ones; enough for a stable median and a rough p99.
const REQUESTS: usize = 40;
const WARM_UP: usize = 3;

/// One query's latencies.
pub struct QueryLatency {
    pub label: &'static str,
    pub query: String,
    /// Results on the first page (a query that finds nothing is cheap and would flatter).
    pub hits: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

/// Every query shape, each `GET /search?q=...` sent [`REQUESTS`] times in a row, each time under
/// a new address (`&fresh=N`) so the search runs and is not answered from the pages Tearsheet
/// keeps in memory; `article` is the path of an article whose title gives a rarer word.
pub fn measure(address: SocketAddr, corpus: &Corpus, article: &str) -> Vec<QueryLatency> {
    let title_word = title_word(&http::get_ok(address, article).text());
    let [one, two] = SEARCH_WORDS;
    let queries = [
        ("two common words", format!("{one} {two}")),
        (
            "one word, one site",
            format!("{one} site:{}", corpus.busiest_site),
        ),
        ("a word from a title", title_word),
        ("a prefix", format!("{}*", &two[..4])),
        ("a phrase", format!("\"{one} {two}\"")),
        ("a word, another excluded", format!("{one} -{two}")),
        ("a word before a date", format!("{two} before:2010-01-01")),
    ];
    queries
        .into_iter()
        .map(|(label, query)| {
            let encoded: String = url::form_urlencoded::byte_serialize(query.as_bytes()).collect();
            let path = format!("/search?q={encoded}");
            let hits = http::get_ok(address, &path)
                .text()
                .matches("<article")
                .count();
            for n in 0..WARM_UP {
                http::get_ok(address, &format!("{path}&fresh=w{n}"));
            }
            let mut times: Vec<Duration> = (0..REQUESTS)
                .map(|n| {
                    let fresh = format!("{path}&fresh={n}");
                    let started = Instant::now();
                    http::get_ok(address, &fresh);
                    started.elapsed()
                })
                .collect();
            times.sort();
            let ms = |at: f64| {
                let index = ((times.len() - 1) as f64 * at).round() as usize;
                times[index].as_secs_f64() * 1_000.0
            };
            QueryLatency {
                label,
                query,
                hits,
                p50_ms: ms(0.5),
                p99_ms: ms(0.99),
                max_ms: ms(1.0),
            }
        })
        .collect()
}

/// The longest word of the page's `<h1>`.
fn title_word(html: &str) -> String {
    let title = Document::from(html).select("h1").text();
    title
        .split(|c: char| !c.is_alphanumeric())
        .max_by_key(|word| word.chars().count())
        .unwrap_or_default()
        .to_lowercase()
}
