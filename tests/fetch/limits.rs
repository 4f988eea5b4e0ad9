//! SECURITY.md #8 and #9: the size limit (after decompression) and the deadline.

use std::io::Write;
use std::time::{Duration, Instant};

use flate2::{Compress, Compression, Crc, FlushCompress};

use crate::fixture_site::{Answer, FixtureSite, LOOPBACK, chunked, html_page, redirect, response};
use crate::{fetch_error, fetcher, local_fetcher};
use tearsheet::ingest::fetch::{FetchError, FetchPolicy, Fetcher};

const LIMIT: usize = 10 * 1024 * 1024;

/// `mebibytes` MiB of one repeated byte as gzip, built by repeating one compressed MiB
/// (compressing 50 MiB takes seconds in a debug build). Deflate blocks ended by a sync flush are
/// byte-aligned, and their back-references only ever reach that same byte, so copies of them
/// can follow one another.
fn gzipped_repeats(byte: u8, mebibytes: usize) -> Vec<u8> {
    let mebibyte = vec![byte; 1024 * 1024];
    let mut deflate = Compress::new(Compression::best(), false);
    let mut one_mebibyte = Vec::with_capacity(64 * 1024);
    deflate
        .compress_vec(&mebibyte, &mut one_mebibyte, FlushCompress::Sync)
        .expect("compress");
    assert_eq!(deflate.total_in(), mebibyte.len() as u64);
    let mut last_block = Vec::with_capacity(64);
    deflate
        .compress_vec(&[], &mut last_block, FlushCompress::Finish)
        .expect("compress");
    let mut one_crc = Crc::new();
    one_crc.update(&mebibyte);
    let mut crc = Crc::new();
    let mut gzip = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    for _ in 0..mebibytes {
        gzip.extend_from_slice(&one_mebibyte);
        crc.combine(&one_crc);
    }
    gzip.extend_from_slice(&last_block);
    gzip.extend_from_slice(&crc.sum().to_le_bytes());
    gzip.extend_from_slice(&crc.amount().to_le_bytes());
    gzip
}

/// `total` bytes of zeros, brotli-compressed. Kept smaller than the gzip bomb because brotli
/// compresses slowly in a debug build; 16 MiB is still well over the limit.
fn brotli_zeros(total: usize) -> Vec<u8> {
    let mut compressed = Vec::new();
    {
        let mut encoder = brotli::CompressorWriter::new(&mut compressed, 64 * 1024, 0, 22);
        let block = vec![0u8; 1024 * 1024];
        for _ in 0..total / block.len() {
            encoder.write_all(&block).expect("compress");
        }
    }
    compressed
}

/// A page of text just over the limit.
fn oversize_page() -> Vec<u8> {
    let mut page = b"<html><body>".to_vec();
    page.resize(LIMIT + 1024, b'a');
    page
}

fn short_deadline(timeout: Duration) -> Fetcher {
    fetcher(FetchPolicy {
        allow_private_addresses: true,
        timeout,
        ..FetchPolicy::default()
    })
}

#[tokio::test]
async fn an_oversize_chunked_body_is_too_large() {
    let mut bytes = response(
        "200 OK",
        &[
            ("Content-Type", "text/html"),
            ("Transfer-Encoding", "chunked"),
        ],
        b"",
    );
    bytes.extend(chunked(&oversize_page()));
    let site = FixtureSite::answering(Answer::Now(bytes)).await;
    let error = fetch_error(&local_fetcher(), &site.url("/")).await;
    assert_eq!(error, FetchError::TooLarge);
    assert_eq!(
        error.user_message(),
        "The page is larger than the size limit for fetched pages."
    );
}

/// A declared length over the limit is refused from the headers alone: the site sends only
/// the head and waits, and the answer comes long before the deadline.
#[tokio::test]
async fn a_declared_length_over_the_limit_is_refused_before_reading() {
    let head = response(
        "200 OK",
        &[
            ("Content-Type", "text/html"),
            ("Content-Length", &(LIMIT + 1).to_string()),
        ],
        b"",
    );
    let site = FixtureSite::answering(Answer::Trickle {
        head,
        body: b"<html>".to_vec(),
        every: Duration::from_secs(10),
    })
    .await;
    let started = Instant::now();
    let error = fetch_error(&local_fetcher(), &site.url("/")).await;
    assert_eq!(error, FetchError::TooLarge);
    assert!(started.elapsed() < Duration::from_secs(2));
}

/// The Content-Length counts compressed bytes, well under the limit; the page inside is over it.
#[tokio::test]
async fn a_small_content_length_does_not_hide_a_large_page() {
    let compressed = gzipped_repeats(b'a', 11);
    assert!(compressed.len() < LIMIT / 100);
    let site = FixtureSite::answering(Answer::Now(response(
        "200 OK",
        &[("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
        &compressed,
    )))
    .await;
    let error = fetch_error(&local_fetcher(), &site.url("/")).await;
    assert_eq!(error, FetchError::TooLarge);
}

/// 50 MiB of zeros in about 50 KiB: stopped at the limit, quickly, without inflating it all.
#[tokio::test]
async fn a_gzip_bomb_is_stopped_at_the_limit() {
    let bomb = gzipped_repeats(0, 50);
    assert!(bomb.len() < 64 * 1024);
    let mut bytes = response(
        "200 OK",
        &[
            ("Content-Type", "text/html"),
            ("Content-Encoding", "gzip"),
            ("Transfer-Encoding", "chunked"),
        ],
        b"",
    );
    bytes.extend(chunked(&bomb));
    let site = FixtureSite::answering(Answer::Now(bytes)).await;
    let started = Instant::now();
    let error = fetch_error(&local_fetcher(), &site.url("/")).await;
    assert_eq!(error, FetchError::TooLarge);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn a_brotli_bomb_is_stopped_at_the_limit() {
    let bomb = brotli_zeros(16 * 1024 * 1024);
    assert!(bomb.len() < 16 * 1024);
    let site = FixtureSite::answering(Answer::Now(response(
        "200 OK",
        &[("Content-Type", "text/html"), ("Content-Encoding", "br")],
        &bomb,
    )))
    .await;
    let started = Instant::now();
    let error = fetch_error(&local_fetcher(), &site.url("/")).await;
    assert_eq!(error, FetchError::TooLarge);
    assert!(started.elapsed() < Duration::from_secs(5));
}

/// One byte every 50 ms would take a minute; the 1.5 s deadline ends it.
#[tokio::test]
async fn a_trickling_page_hits_the_deadline() {
    let head = response(
        "200 OK",
        &[("Content-Type", "text/html"), ("Content-Length", "1200")],
        b"",
    );
    let site = FixtureSite::answering(Answer::Trickle {
        head,
        body: vec![b'a'; 1200],
        every: Duration::from_millis(50),
    })
    .await;
    let started = Instant::now();
    let error = fetch_error(&short_deadline(Duration::from_millis(1500)), &site.url("/")).await;
    assert_eq!(error, FetchError::TimedOut);
    assert_eq!(error.user_message(), "The site took too long to answer.");
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(1400) && elapsed < Duration::from_secs(3));
}

#[tokio::test]
async fn a_silent_site_hits_the_deadline() {
    let site = FixtureSite::answering(Answer::Silence).await;
    let started = Instant::now();
    let error = fetch_error(&short_deadline(Duration::from_secs(1)), &site.url("/")).await;
    assert_eq!(error, FetchError::TimedOut);
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(site.connections(), 1);
}

/// Each hop answers within the deadline; together they do not.
#[tokio::test]
async fn the_deadline_covers_every_hop() {
    let site = FixtureSite::start(LOOPBACK, |request| {
        let later = match request.path.as_str() {
            "/1" => redirect("302 Found", "/2"),
            "/2" => redirect("302 Found", "/3"),
            _ => html_page("<p>late</p>"),
        };
        Answer::After(Duration::from_millis(600), Box::new(later))
    })
    .await;
    let error = fetch_error(
        &short_deadline(Duration::from_millis(1500)),
        &site.url("/1"),
    )
    .await;
    assert_eq!(error, FetchError::TimedOut);
    assert_eq!(site.requests().len(), 3);
}
