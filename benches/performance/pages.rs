//! The pages under load, found the way a reader finds them: following links from the listing.

use std::net::SocketAddr;

use dom_query::Document;

use crate::corpus::Corpus;
use crate::http;
use crate::words::SEARCH_WORDS;

/// How many `rel=next` links to follow for the deep listing page.
const DEEP_PAGES: usize = 20;

/// What a page's figures are held to (README, "Performance").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A reading page: at least half nginx's req/s, p99 at most 10 ms.
    Reading,
    /// Search: p50 at most 10 ms, p99 at most 50 ms.
    Search,
    None,
}

/// One URL to load, and the file nginx serves its bytes from.
#[derive(Debug, Clone)]
pub struct Page {
    pub label: String,
    pub path: String,
    pub file: &'static str,
    pub target: Target,
    /// Every request names the page under a new address (`fresh=N` added to the query), so
    /// Tearsheet renders it each time instead of sending the copy it keeps in memory. nginx
    /// ignores the query and sends the same file.
    pub rendered_each_time: bool,
    /// Asked for gzipped, as a browser asks (`Accept-Encoding: gzip`); nginx sends the same
    /// gzipped bytes, saved beside the page (`gzip_static`).
    pub gzipped: bool,
}

/// The pages loaded a second time, rendered for every request.
const RENDERED_EACH_TIME: [&str; 3] = ["listing.html", "article.html", "search.html"];
/// The pages loaded once more gzipped, as browsers ask for them.
const GZIPPED: [&str; 2] = ["listing.html", "article.html"];

/// Listing (first and deep), an article, one site, a two-word search and the feed, as a reader
/// asks for them again and again; the first listing page and the article gzipped; then the
/// first listing page, the article and the search rendered for every request.
pub fn discover(address: SocketAddr, corpus: &Corpus) -> Vec<Page> {
    let first = http::get_ok(address, "/").text();
    let (mut deep_path, mut deep_html, mut depth) = ("/".to_owned(), first.clone(), 1);
    while depth <= DEEP_PAGES {
        let Some(next) = link(&deep_html, "a[rel=next]") else {
            break;
        };
        deep_html = http::get_ok(address, &next).text();
        deep_path = next;
        depth += 1;
    }
    let article = link(&deep_html, "ol.articles h2 a")
        .or_else(|| link(&first, "ol.articles h2 a"))
        .expect("an article link on the listing");
    let [one, two] = SEARCH_WORDS;
    let pages = vec![
        Page {
            label: "listing, first page".to_owned(),
            path: "/".to_owned(),
            file: "listing.html",
            target: Target::Reading,
            rendered_each_time: false,
            gzipped: false,
        },
        Page {
            label: format!("listing, page {depth}"),
            path: deep_path,
            file: "listing-deep.html",
            target: Target::Reading,
            rendered_each_time: false,
            gzipped: false,
        },
        Page {
            label: "article".to_owned(),
            path: article,
            file: "article.html",
            target: Target::Reading,
            rendered_each_time: false,
            gzipped: false,
        },
        Page {
            label: format!(
                "one site ({} articles)",
                crate::report::thousands(corpus.busiest_site_articles as f64)
            ),
            path: format!("/?site={}", corpus.busiest_site),
            file: "site.html",
            target: Target::Reading,
            rendered_each_time: false,
            gzipped: false,
        },
        Page {
            label: format!(
                "search, 2 words ({} matches)",
                crate::report::thousands(corpus.search_matches as f64)
            ),
            path: format!("/search?q={one}+{two}"),
            file: "search.html",
            target: Target::Search,
            rendered_each_time: false,
            gzipped: false,
        },
        Page {
            label: "Atom feed".to_owned(),
            path: "/feed.atom".to_owned(),
            file: "feed.atom",
            target: Target::None,
            rendered_each_time: false,
            gzipped: false,
        },
    ];
    let gzipped = again(&pages, &GZIPPED, "gzipped", |page| page.gzipped = true);
    let rendered = again(&pages, &RENDERED_EACH_TIME, "rendered each time", |page| {
        page.rendered_each_time = true;
    });
    pages.into_iter().chain(gzipped).chain(rendered).collect()
}

/// The pages of `files` once more, asked for another way (`change`), named with `how`.
fn again(pages: &[Page], files: &[&str], how: &str, change: impl Fn(&mut Page)) -> Vec<Page> {
    pages
        .iter()
        .filter(|page| files.contains(&page.file))
        .map(|page| {
            let mut other = Page {
                label: format!("{}, {how}", page.label),
                ..page.clone()
            };
            change(&mut other);
            other
        })
        .collect()
}

/// A warning when a page came back without what it is meant to show (an archive parser that
/// stores no site or no body makes those pages cheap, and the figures flattering).
pub fn emptiness(page: &Page, html: &[u8]) -> Option<String> {
    let html = String::from_utf8_lossy(html);
    let document = Document::from(html.as_ref());
    match page.file {
        "site.html" if document.select("ol.articles li").is_empty() => Some(format!(
            "{} lists no articles: the import stored no site for them",
            page.path
        )),
        "article.html" if document.select(".body").text().trim().len() < 200 => Some(format!(
            "{} has (almost) no body text: the import stored no body HTML",
            page.path
        )),
        _ => None,
    }
}

/// The `href` of the first element matching `selector`.
fn link(html: &str, selector: &str) -> Option<String> {
    let document = Document::from(html);
    let href = document.select(selector).attr("href");
    href.map(|href| href.to_string())
}
