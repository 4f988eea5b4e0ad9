//! A fetched web page to an article: decode the bytes, refuse pathological pages, find the
//! article with dom_smoothie checked against rs-trafilatura, sanitize it and read the page's
//! metadata.
//!
//! Every function here is blocking and CPU-bound; callers on the async runtime run
//! [`extract_article`] in `spawn_blocking` with a deadline.

mod charset;
mod dates;
mod fallback;
mod fields;
mod guard;
mod headline;
mod hidden;
mod metadata;
mod published;
mod scripted;
mod second_reading;
pub(crate) mod tags;
mod text;
mod title_choice;

use std::iter;

use dom_query::{Document, NodeRef};
use dom_smoothie::{Config, Readability};
use url::Url;

use super::ParsedArticle;
use super::sanitize::sanitize_html;

pub use charset::{check_is_html, decode_html};
pub use dates::normalize_date;
pub use fields::{canonical_url, declared_url};
pub use guard::MAX_HTML_BYTES;
use second_reading::SecondReading;
use text::plain_text;

/// A page's `<title>` longer than this is a list of keywords for search engines, not the name
/// of the page (see `extract_article`'s whole title).
const MAX_WHOLE_TITLE_CHARS: usize = 150;

/// Fewer visible characters than this is a stub, an error page or a paywall notice, not an
/// article (Readability's own threshold for "probably readable").
const MIN_ARTICLE_CHARS: usize = 140;

/// Why a page gave no article. The messages are meant for the person who submitted it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    #[error("This page is too large to read (over {} MiB).", MAX_HTML_BYTES >> 20)]
    TooLarge,
    #[error("This page is nested too deeply to be read safely.")]
    TooDeep,
    #[error("This page has too many elements to be read safely.")]
    TooManyNodes,
    #[error("This is {0}, not a web page.")]
    NotHtml(&'static str),
    #[error("No article was found in this page.")]
    NoArticle,
}

impl ExtractError {
    /// The message to show the person who submitted the page.
    pub fn user_message(&self) -> String {
        self.to_string()
    }
}

/// What the extractor guessed about the page besides its article; nothing when the fallback
/// gave the text.
#[derive(Default)]
struct Guesses {
    title: String,
    byline: Option<String>,
    published_time: Option<String>,
    site_name: Option<String>,
    lang: Option<String>,
    image: Option<String>,
}

impl From<dom_smoothie::Article> for Guesses {
    fn from(article: dom_smoothie::Article) -> Self {
        Self {
            title: article.title,
            byline: article.byline,
            published_time: article.published_time,
            site_name: article.site_name,
            lang: article.lang,
            image: article.image,
        }
    }
}

/// The sanitized HTML and plain text of an article's content.
fn sanitized(content: &str, page_url: &Url) -> Result<(String, String), ExtractError> {
    guard::check_extracted(content)?;
    let body_html = sanitize_html(content, Some(page_url));
    let body_text = plain_text(&body_html);
    Ok((body_html, body_text))
}

fn visible_chars(body_text: &str) -> usize {
    body_text.chars().filter(|c| !c.is_whitespace()).count()
}

fn is_article_length(body_text: &str) -> bool {
    visible_chars(body_text) >= MIN_ARTICLE_CHARS
}

/// A `<title>` shorter than this (in visible characters) is not taken out of a reading: said
/// three times it could not make a stub look like an article, and a short one ("Home", "News")
/// is inside the words of real text.
const MIN_DISCOUNTED_TITLE_CHARS: usize = 20;

/// Whether a reading is of article length without the text of the page's `<title>`
/// (`title_element`) wherever it says it: that is not the page's content. rs-trafilatura's last
/// resort, on a page whose body holds no paragraph, is the text of every element of the
/// document one after the other, so it says the title once for each element that holds it
/// (run together when the page has no whitespace between them): on an app shell whose scripts
/// bring the content, that is all it says.
fn is_article_length_without_title(body_text: &str, title_element: Option<&str>) -> bool {
    match title_element.filter(|title| visible_chars(title) >= MIN_DISCOUNTED_TITLE_CHARS) {
        // Whitespace collapsed as the title's was.
        Some(title) => is_article_length(&metadata::clean(body_text).replace(title, " ")),
        None => is_article_length(body_text),
    }
}

/// dom_smoothie's article (`first`, sanitized) checked against rs-trafilatura's reading. On a
/// page it takes for something other than an article, its reading is the body unless it keeps
/// far less (see `second_reading::misses_most`). On an article, where it kept the page's markup,
/// it replaces the first when much longer (see `SecondReading::replaces`), and trims the first
/// to the paragraphs it also kept when the two are about as long. (Its text without
/// markup, a listing's items joined, replaced whole news stories on AEB.) A second reading that
/// cannot be sanitized, or is too short to be an article (not counting the page's title, see
/// `is_article_length_without_title`), is ignored, not an error.
fn better_body(
    first: Option<(String, String)>,
    second: Option<&SecondReading>,
    title_element: Option<&str>,
    page_url: &Url,
) -> Option<(String, String)> {
    let Some(second) = second else {
        return first;
    };
    let first_chars = first.as_ref().map_or(0, |(_, text)| visible_chars(text));
    let replacement = if second.is_article() {
        let second_chars = visible_chars(&second.text);
        match &second.html {
            Some(second_html) if second.replaces(first_chars) => {
                sanitized(second_html, page_url).ok()
            }
            Some(_) if second_reading::agrees(first_chars, second_chars) => first
                .as_ref()
                .and_then(|(first_html, _)| {
                    second_reading::confirmed_paragraphs(first_html, &second.text)
                })
                .and_then(|trimmed| sanitized(&trimmed, page_url).ok()),
            _ => None,
        }
    } else {
        sanitized(&second.body_html(), page_url)
            .ok()
            .filter(|(_, text)| !second_reading::misses_most(first_chars, visible_chars(text)))
    };
    replacement
        .filter(|(_, text)| is_article_length_without_title(text, title_element))
        .or(first)
}

/// `body_html` without its `<h1>` elements that say `title` (as a reader sees their words), to
/// be sanitized again, or `None` when it has none. The article page shows the title above the
/// body; rs-trafilatura's reading keeps the page's `<h1>` where the page had it.
fn without_repeated_title(body_html: &str, title: &str) -> Option<String> {
    if !body_html.contains("<h1") {
        return None;
    }
    let title = metadata::clean(title);
    without_elements(body_html, "h1", |heading| {
        metadata::heading_text(heading) == title
    })
}

/// An HTML fragment without the elements `selector` finds that are `unwanted`, re-serialized
/// (to be sanitized again), or `None` when none is.
fn without_elements(
    html: &str,
    selector: &str,
    unwanted: impl Fn(&NodeRef) -> bool,
) -> Option<String> {
    let document = Document::fragment(html);
    let found = document.select(selector);
    let unwanted: Vec<_> = found.nodes().iter().filter(|node| unwanted(node)).collect();
    if unwanted.is_empty() {
        return None;
    }
    for node in unwanted {
        node.remove_from_parent();
    }
    Some(document.html().to_string())
}

/// The page URL when neither the caller nor the page itself gives one. Relative links then point
/// to a host that cannot exist (`.invalid` is reserved), rather than being guessed.
pub const UNKNOWN_PAGE_URL: &str = "https://unknown.invalid/";

/// A saved page read as `tearsheet extract`, `tearsheet reextract` and the extraction benchmark
/// read it: the URL it was read against (`None` when unknown) and the article or why there is
/// none.
pub struct PageExtraction {
    pub page_url: Option<Url>,
    pub article: Result<ParsedArticle, ExtractError>,
}

/// Refuses what is not HTML, decodes the bytes (`content_type` as the server sent it, if known)
/// and extracts the article, read against `page_url` or else the URL the page declares.
pub fn extract_page(
    body: &[u8],
    content_type: Option<&str>,
    page_url: Option<&Url>,
) -> PageExtraction {
    match decode_page(body, content_type, page_url) {
        Ok((html, page_url)) => PageExtraction {
            article: read_against(page_url.as_ref()).and_then(|url| extract_article(&html, &url)),
            page_url,
        },
        Err(error) => PageExtraction {
            page_url: page_url.cloned(),
            article: Err(error),
        },
    }
}

/// The plain texts `extract_page` chooses between on a page, for the extraction benchmark's
/// ceiling (what a perfect choice would score): the first reading, rs-trafilatura's, and the
/// first trimmed to the paragraphs the second confirms; none when the page cannot be read.
pub fn reading_candidates(
    body: &[u8],
    content_type: Option<&str>,
    page_url: Option<&Url>,
) -> Vec<String> {
    let Ok((html, page_url)) = decode_page(body, content_type, page_url) else {
        return Vec::new();
    };
    let Ok(page_url) = read_against(page_url.as_ref()) else {
        return Vec::new();
    };
    let Ok(Readings { first, second, .. }) = read_both_ways(&html, &page_url) else {
        return Vec::new();
    };
    let trimmed = first
        .as_ref()
        .zip(second.as_ref())
        .and_then(|((html, _), second)| second_reading::confirmed_paragraphs(html, &second.text));
    let second_html = second
        .as_ref()
        .map(|second| second.body_html().into_owned());
    let sanitized_texts = [trimmed, second_html]
        .into_iter()
        .flatten()
        .filter_map(|html| sanitized(&html, &page_url).ok())
        .map(|(_, text)| text);
    first
        .map(|(_, text)| text)
        .into_iter()
        .chain(sanitized_texts)
        .collect()
}

/// The page's bytes decoded, and the URL to read them against: `page_url`, else the one the
/// page declares.
fn decode_page(
    body: &[u8],
    content_type: Option<&str>,
    page_url: Option<&Url>,
) -> Result<(String, Option<Url>), ExtractError> {
    check_is_html(body)?;
    let html = decode_html(body, content_type, page_url);
    let page_url = page_url.cloned().or_else(|| declared_url(&html));
    Ok((html, page_url))
}

/// `page_url`, or `UNKNOWN_PAGE_URL` when there is none.
fn read_against(page_url: Option<&Url>) -> Result<Url, ExtractError> {
    match page_url {
        Some(url) => Ok(url.clone()),
        None => Url::parse(UNKNOWN_PAGE_URL).map_err(|_| ExtractError::NoArticle),
    }
}

/// A page read both ways, before one reading is chosen: its own metadata, dom_smoothie's
/// article, the first reading (dom_smoothie's, else the main region; sanitized) and
/// rs-trafilatura's.
struct Readings {
    page: metadata::PageMetadata,
    found: Option<dom_smoothie::Article>,
    first: Option<(String, String)>,
    second: Option<SecondReading>,
}

fn read_both_ways(html: &str, page_url: &Url) -> Result<Readings, ExtractError> {
    guard::check_source(html)?;
    let document = Document::from(html);
    guard::check_document(&document)?;
    // Links resolve against the page's own address, never a `<base>` the page names (which
    // could point anywhere).
    document.select("base").remove();
    scripted::show_content(&document);
    let page = metadata::read(&document);
    // After the metadata, which a page may keep in hidden markup for machines to read.
    hidden::remove_hidden(&document);
    let config = Config {
        // The guard has already counted; the extractor need not count again.
        max_elements_to_parse: 0,
        ..Config::default()
    };
    let found = Readability::with_document(document, Some(page_url.as_str()), Some(config))
        .and_then(|mut readability| readability.parse())
        .inspect_err(|error| tracing::debug!(%error, "extractor found no article"))
        .ok();
    // The extractor's article, else (none, or too short to be one) the page's main region; either
    // checked against rs-trafilatura's (see `better_body`).
    let readable = found
        .as_ref()
        .map(|found| sanitized(&found.content, page_url))
        .transpose()?
        .filter(|(_, body_text)| is_article_length(body_text));
    let first = match readable {
        Some(readable) => Some(readable),
        None => fallback::main_region(html)
            .map(|region| sanitized(&region, page_url))
            .transpose()?
            .filter(|(_, body_text)| is_article_length(body_text)),
    };
    let second = second_reading::read(html, page_url);
    Ok(Readings {
        page,
        found,
        first,
        second,
    })
}

/// Finds the article in a decoded page. `page_url` is the page's final URL (after redirects):
/// relative links and images are made absolute against it.
#[tracing::instrument(skip_all, fields(url = %page_url))]
pub fn extract_article(html: &str, page_url: &Url) -> Result<ParsedArticle, ExtractError> {
    let Readings {
        page,
        found,
        first,
        second,
    } = read_both_ways(html, page_url)?;
    // A dateline trimmed from the body still dates it.
    let first_html = first.as_ref().map(|(first_html, _)| first_html.clone());
    let (body_html, body_text) = better_body(
        first,
        second.as_ref(),
        page.title_element.as_deref(),
        page_url,
    )
    .ok_or(ExtractError::NoArticle)?;
    let found = found.map(Guesses::from).unwrap_or_default();
    let site_name = fields::text_field(page.site_name.or(found.site_name));
    // What the page declares, then what the article's `<time>`, the URL, the scripts and the
    // page's other `<time>` elements say, then a date line printed by the headline (named by its
    // class, else found next to the `<h1>`): the first that reads as a date.
    // Lazily: searching the scripts reads the whole page, and most pages declare a date.
    let date_candidates = [page.published, found.published_time]
        .into_iter()
        // A `<time>` in the article gives the hour and zone a URL's day lacks.
        .chain(iter::once_with(|| {
            fields::first_time(first_html.as_deref().unwrap_or(&body_html))
        }))
        .chain(iter::once_with(|| published::from_url(page_url)))
        .chain(iter::once_with(|| published::from_scripts(html)))
        .chain([page.time_element, page.date_line, page.headline_date]);
    let (published_raw, published_at) = date_candidates
        .filter_map(fields::text_field)
        .find_map(|raw| normalize_date(&raw).map(|at| (raw, at)))
        .unzip();
    let page_title = page.title.as_deref().unwrap_or(&found.title);
    // A page that calls itself a website and has no date is a landing page (a service, a
    // product range): its `<h1>` is a slogan more often than its name, which its title gives.
    let landing_page = page.is_website && published_at.is_none() && !page_title.trim().is_empty();
    // The headline the reader sees, unless it is only the site's name or a slogan; the page's
    // address naming it vouches for it on a landing page or beside a title of other words.
    let headline = page.headline.as_deref().filter(|headline| {
        !fields::is_site_name(headline, site_name.as_deref(), page_url)
            && ((!landing_page
                && fields::headline_fits_title(
                    headline,
                    page_title,
                    site_name.as_deref(),
                    page_url,
                ))
                || title_choice::address_names_headline(headline, page_title, page_url))
    });
    // The page's markup, the extractor's guess, then a byline by the headline; a name that is
    // only the site's ("USA TODAY" on usatoday.com) is a publisher, kept for when no person is
    // named; rs-trafilatura's guess only when none of ours finds anyone.
    let bylines = [
        fields::byline(page.byline),
        fields::byline(found.byline),
        fields::byline(page.byline_element),
        page.headline_byline,
    ];
    let title = |raw: &str| {
        fields::title(
            raw,
            site_name.as_deref(),
            &page.headings,
            page_url,
            &body_text,
        )
    };
    // A service page, a manual or a listing is named by its `<title>` whole, the site's name
    // with it (see `SecondReading::is_named_by_its_title`), unless it is dated and signed as an
    // article is (a guide the site files with its manuals), or the title is only the site's
    // name, or a list of keywords rather than a name.
    let dated_and_signed = published_at.is_some()
        && bylines
            .iter()
            .flatten()
            .any(|name| !fields::names_site(name, site_name.as_deref(), page_url));
    let whole_title = second
        .as_ref()
        .filter(|second| second.is_named_by_its_title() && !dated_and_signed)
        .and(page.title_element.as_deref())
        .map(metadata::clean_decoded)
        .filter(|whole| {
            !whole.is_empty()
                && whole.chars().count() <= MAX_WHOLE_TITLE_CHARS
                && !fields::is_site_name(whole, site_name.as_deref(), page_url)
        });
    let page_title = title(page_title);
    let title = match (whole_title, headline) {
        (Some(whole_title), _) => whole_title,
        (None, Some(headline)) => {
            let headline = title(headline);
            let titles: Vec<String> = iter::once(page_title)
                .chain(page.other_titles.iter().map(|other| title(other)))
                .collect();
            titles
                .iter()
                .find(|fuller| {
                    *fuller != &headline && fields::fuller_title(&headline, fuller) == *fuller
                })
                .cloned()
                .or_else(|| {
                    title_choice::part_extending(&headline, titles.iter().map(String::as_str))
                        .map(str::to_owned)
                })
                .unwrap_or(headline)
        }
        (None, None) => page_title,
    };
    let (body_html, body_text) = without_repeated_title(&body_html, &title)
        .and_then(|trimmed| sanitized(&trimmed, page_url).ok())
        .unwrap_or((body_html, body_text));
    Ok(ParsedArticle {
        title,
        published_at,
        published_raw,
        byline: bylines
            .iter()
            .flatten()
            .find(|name| !fields::names_site(name, site_name.as_deref(), page_url))
            .or(bylines.iter().flatten().next())
            .cloned()
            .or(page.organization_author)
            .or_else(|| fields::byline(second.map(|second| second.author))),
        credits: Vec::new(),
        body_html,
        body_text,
        related: Vec::new(),
        original_url: Some(
            canonical_url(html, page_url)
                .unwrap_or_else(|| page_url.clone())
                .into(),
        ),
        site_name,
        language: fields::language(page.language.or(found.lang)),
        lead_image: fields::web_url(page.lead_image.or(found.image), page_url),
        warnings: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use rs_trafilatura::page_type::PageType;

    use super::*;

    const PAGE: &str = "https://harbourside.example/forum/t/winch-rope/4471";

    fn first_reading(html: &str) -> Option<(String, String)> {
        let page_url = Url::parse(PAGE).expect("a URL");
        Some(sanitized(html, &page_url).expect("sanitized"))
    }

    fn reading(html: Option<&str>, text: &str, is_article: bool) -> SecondReading {
        SecondReading {
            html: html.map(str::to_owned),
            text: text.to_owned(),
            author: String::new(),
            kind: Some(if is_article {
                PageType::Article
            } else {
                PageType::Forum
            }),
        }
    }

    const QUESTION: &str = "Is synthetic rope strong enough for a trailer winch pulling a \
        dinghy of about three hundred kilos, or should I stay with the old steel cable?";
    const REPLIES: [&str; 3] = [
        "Synthetic is fine at that weight; six millimetres is far stronger than the winch.",
        "Put a chafe sleeve where the rope runs over the bow roller and check it each spring.",
        "Tape the first turns on the drum so the rope cannot slip on the bare metal.",
    ];

    fn better(second: &SecondReading) -> String {
        let page_url = Url::parse(PAGE).expect("a URL");
        let first = first_reading(&format!("<p>{QUESTION}</p>"));
        better_body(first, Some(second), None, &page_url)
            .expect("a body")
            .1
    }

    #[test]
    fn a_page_that_is_not_an_article_is_the_second_reading() {
        let thread = format!("{QUESTION}\n{}", REPLIES.join("\n"));
        // Given as text only, on a page that is not an article: still the body of a forum thread.
        let forum = reading(None, &thread, false);
        assert_eq!(better(&forum), thread.replace('\n', "\n\n"));
        let html = format!("<h2>Replies</h2><p>{}</p>", thread.replace('\n', "</p><p>"));
        let marked = reading(Some(&html), &thread, false);
        assert_eq!(
            better(&marked),
            format!("Replies\n\n{}", thread.replace('\n', "\n\n"))
        );
        // Too short to be an article: the first reading stays.
        let stub = reading(None, "Log in to reply", false);
        assert_eq!(better(&stub), QUESTION);
    }

    #[test]
    fn a_reading_that_misses_most_of_a_page_is_not_used() {
        let page_url = Url::parse(PAGE).expect("a URL");
        let posts: Vec<String> = (1..=8)
            .map(|n| format!("Post {n}: {}", REPLIES[n % REPLIES.len()]))
            .collect();
        let thread = || {
            first_reading(&format!(
                "<p>{QUESTION}</p><p>{}</p>",
                posts.join("</p><p>")
            ))
        };
        let whole_thread = better_body(thread(), None, None, &page_url)
            .expect("a body")
            .1;
        let first_post = reading(None, &format!("{QUESTION}\n{}", posts[0]), false);
        let body = better_body(thread(), Some(&first_post), None, &page_url).expect("a body");
        assert_eq!(body.1, whole_thread);
        let half = format!("{QUESTION}\n{}", posts[..4].join("\n"));
        let body = better_body(
            thread(),
            Some(&reading(None, &half, false)),
            None,
            &page_url,
        );
        assert_eq!(body.expect("a body").1, half.replace('\n', "\n\n"));
    }

    #[test]
    fn the_page_title_does_not_count_towards_an_articles_length() {
        let title = "Synthetic rope or steel cable on a trailer winch? - Gear - Winch Owners";
        for shell in [
            format!("{title}\n   \n{title}\n\n  {title}"),
            format!("{title}{title}{title}"),
        ] {
            assert!(is_article_length(&shell));
            assert!(!is_article_length_without_title(&shell, Some(title)));
        }
        let thread = format!("{title}\n\n{QUESTION}\n\n{}", REPLIES[0]);
        assert!(is_article_length_without_title(&thread, Some(title)));
        // A short title is left in: it is inside real text's words.
        let homes = "Homes at Home Farm, Homemade. ".repeat(6);
        assert!(is_article_length_without_title(&homes, Some("Home")));
    }

    #[test]
    fn an_articles_second_reading_without_markup_is_not_used() {
        let thread = [QUESTION, REPLIES[0], REPLIES[1], REPLIES[2]];
        let joined = thread.join("\n");
        let text_only = reading(None, &joined, true);
        assert_eq!(better(&text_only), QUESTION);
        let html = format!("<p>{}</p>", thread.join("</p><p>"));
        let marked = reading(Some(&html), &joined, true);
        assert_eq!(better(&marked), thread.join("\n\n"));
    }

    #[test]
    fn an_articles_second_reading_that_repeats_it_is_not_used() {
        let html = format!("<p>{}</p>", [QUESTION; 4].join("</p><p>"));
        let repeated = reading(Some(&html), &[QUESTION; 4].join("\n"), true);
        assert_eq!(better(&repeated), QUESTION);
    }

    #[test]
    fn a_body_does_not_repeat_the_title_as_its_heading() {
        let body = "<h1> Winch<br>rope </h1><p>Replies follow.</p><h1>Winch rope, part two</h1>\
            <div><h1>Winch\n rope</h1></div>";
        let kept = without_repeated_title(body, "Winch  rope").expect("two headings removed");
        assert_eq!(kept.matches("<h1>").count(), 1, "{kept}");
        assert!(kept.contains("<h1>Winch rope, part two</h1>"), "{kept}");
        assert!(kept.contains("<p>Replies follow.</p>"), "{kept}");
        assert_eq!(without_repeated_title(body, "Tide tables"), None);
        assert_eq!(
            without_repeated_title("<p>Winch rope</p>", "Winch rope"),
            None
        );
    }

    #[test]
    fn the_readings_chosen_between_are_offered_to_the_benchmark() {
        let page_url = Url::parse(PAGE).expect("a URL");
        let replies: String = REPLIES
            .iter()
            .map(|reply| format!("<p>{reply}</p>"))
            .collect();
        let page = format!(
            "<html><head><title>Winch rope</title></head><body><nav><a href=/>Home</a></nav>\
             <article><h1>Winch rope</h1><p>{QUESTION}</p>{replies}</article>\
             <aside><p>Want more stories like this? Sign up for our weekly letter today.</p>\
             </aside></body></html>"
        );
        let candidates = reading_candidates(page.as_bytes(), None, Some(&page_url));
        assert!(candidates.len() >= 2, "{candidates:?}");
        for text in &candidates {
            assert!(
                text.contains(QUESTION) && text.contains(REPLIES[2]),
                "{text}"
            );
        }
        let chosen = extract_page(page.as_bytes(), None, Some(&page_url)).article;
        let chosen = chosen.expect("an article").body_text;
        assert!(candidates.contains(&chosen), "{chosen}");
        assert!(reading_candidates(b"%PDF-1.7", None, Some(&page_url)).is_empty());
    }
}
