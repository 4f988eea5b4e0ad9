//! `tearsheet extract [--url URL] [--json] FILE...`: the fetch pipeline's decode, guard, extract
//! and sanitize steps on saved pages, without database or network.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use flate2::read::GzDecoder;
use serde_json::json;
use url::Url;

use crate::cli::ExtractArgs;
use crate::error::Error;
use crate::ingest::ParsedArticle;
use crate::ingest::extract::{ExtractError, MAX_HTML_BYTES, UNKNOWN_PAGE_URL, extract_page};
use crate::ingest::url_key::site_of;

/// Exit status 1 when any file failed; each failure is reported and the run goes on.
pub fn run(args: ExtractArgs) -> Result<ExitCode, Error> {
    let mut out = io::stdout().lock();
    let mut failed = 0usize;
    for path in &args.files {
        let started = Instant::now();
        let result = extract_file(path, args.url.as_ref());
        tracing::debug!(
            file = %path.display(),
            elapsed_ms = started.elapsed().as_secs_f64() * 1000.0,
            "extracted"
        );
        if let Err(error) = &result.article {
            failed += 1;
            if !args.json {
                eprintln!("tearsheet: {}: {error}", path.display());
            }
        }
        if args.json {
            writeln!(out, "{}", json_line(path, &result))?;
        } else if let Ok(article) = &result.article {
            write_plain(&mut out, path, result.page_url.as_ref(), article)?;
        }
    }
    out.flush()?;
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// One file's outcome, with the page URL it was read against (`None` when it was unknown).
struct Extracted {
    page_url: Option<Url>,
    article: Result<ParsedArticle, String>,
}

fn extract_file(path: &Path, url: Option<&Url>) -> Extracted {
    match read_page(path) {
        Ok(body) => {
            let extraction = extract_page(&body, None, url);
            Extracted {
                page_url: extraction.page_url,
                article: extraction.article.map_err(|error| error.user_message()),
            }
        }
        Err(message) => Extracted {
            page_url: url.cloned(),
            article: Err(message),
        },
    }
}

/// Reads a saved page, decompressing `.gz`, capped like a fetched body.
fn read_page(path: &Path) -> Result<Vec<u8>, String> {
    let file = File::open(path).map_err(|error| format!("cannot read the file: {error}"))?;
    let is_gzip = path
        .extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("gz"));
    let reader: Box<dyn Read> = if is_gzip {
        Box::new(GzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut body = Vec::new();
    reader
        .take(MAX_HTML_BYTES as u64 + 1)
        .read_to_end(&mut body)
        .map_err(|error| format!("cannot read the file: {error}"))?;
    if body.len() > MAX_HTML_BYTES {
        return Err(ExtractError::TooLarge.user_message());
    }
    Ok(body)
}

fn json_line(path: &Path, result: &Extracted) -> serde_json::Value {
    let file = path.display().to_string();
    match &result.article {
        Ok(article) => json!({
            "file": file,
            "url": known_url(article, result.page_url.as_ref()),
            "title": article.title,
            "byline": article.byline,
            "published": article.published_at,
            "site": site(article, result.page_url.as_ref()),
            "language": article.language,
            "text": article.body_text,
            "html": article.body_html,
            "error": null,
        }),
        Err(error) => json!({
            "file": file,
            "url": result.page_url.as_ref().map(Url::as_str),
            "title": null,
            "byline": null,
            "published": null,
            "site": null,
            "language": null,
            "text": null,
            "html": null,
            "error": error,
        }),
    }
}

/// The article's URL: its canonical link, or the page URL when that was known.
fn known_url<'a>(article: &'a ParsedArticle, page_url: Option<&Url>) -> Option<&'a str> {
    article
        .original_url
        .as_deref()
        .filter(|url| page_url.is_some() || *url != UNKNOWN_PAGE_URL)
}

/// The site's own name, else its host.
fn site(article: &ParsedArticle, page_url: Option<&Url>) -> Option<String> {
    article
        .site_name
        .clone()
        .or_else(|| page_url.and_then(site_of))
}

fn write_plain(
    out: &mut impl Write,
    path: &Path,
    page_url: Option<&Url>,
    article: &ParsedArticle,
) -> io::Result<()> {
    let unknown = "-";
    writeln!(out, "==> {} <==", path.display())?;
    writeln!(out, "Title:     {}", article.title)?;
    writeln!(
        out,
        "Byline:    {}",
        article.byline.as_deref().unwrap_or(unknown)
    )?;
    writeln!(
        out,
        "Published: {}",
        article.published_at.as_deref().unwrap_or(unknown)
    )?;
    writeln!(
        out,
        "Site:      {}",
        site(article, page_url).as_deref().unwrap_or(unknown)
    )?;
    writeln!(out)?;
    writeln!(out, "{}", article.body_text)?;
    writeln!(out)
}
