//! trafilatura's reading of a page, a second opinion on dom_smoothie's: it replaces a short
//! article when it keeps several times more (listings, product, service, forum and documentation
//! pages, where readability keeps one block of many), and confirms an article of about its own
//! length paragraph by paragraph (what dom_smoothie kept beyond it is boilerplate).

use std::borrow::Cow;
use std::collections::HashSet;

use dom_query::Document;
use trafilatura::Options;
use url::Url;

use super::tags::{TagKind, TagScanner};

/// trafilatura's body replaces dom_smoothie's only when it is more than this many times as long
/// (in halves: 5 / 2 = 2.5). A little longer is usually the same article with a banner or a
/// cookie notice more; several times longer is content readability left out.
const LONGER_BY_HALVES: usize = 5;

/// trafilatura's body of at least this many tenths of dom_smoothie's length, and no longer, reads
/// the same article: dom_smoothie's paragraphs it lacks are share buttons, newsletter boxes and
/// the like. Far shorter, trafilatura has more likely missed part of the article.
const AGREEING_TENTHS: usize = 7;

/// Paragraphs as the plain text has them: what is kept or dropped whole. Table rows are not
/// (trafilatura's text may lack a header row the table needs).
const PARAGRAPHS: &str = "p, li, dt, dd, h1, h2, h3, h4, h5, h6, blockquote, pre, figcaption";

/// trafilatura's article: its HTML (unsanitized) and plain text, and the author it names.
pub struct SecondReading {
    pub html: String,
    pub text: String,
    pub author: String,
}

/// trafilatura's article, links and images kept. Comments are read apart from the article
/// (never part of it) rather than cut from the page first: on a forum thread or a discussion
/// page the replies are what the page is, and trafilatura then keeps them (WCXB forum pages
/// .666 -> .672, no article page changed). Its own readability and jusText fallbacks stay off:
/// on the dev sets they gained 0.005 AEB F1 and 0.008 WCXB word F1 but made the median page 1.6
/// times slower and one page take over a second.
pub fn read(html: &str, page_url: &Url) -> Option<SecondReading> {
    let mut options = Options::default()
        .with_url(page_url.clone())
        .with_fallback(false)
        .with_links(true)
        .with_images(true)
        .with_exclude_comments(false);
    // The page's `<meta>` and JSON-LD are read by our own code; trafilatura need not date it.
    options.html_date_mode = trafilatura::HtmlDateMode::Disabled;
    trafilatura::extract(&without_noscript(html), &options)
        .inspect_err(|error| tracing::debug!(%error, "trafilatura found no article"))
        .ok()
        .map(|result| SecondReading {
            html: result.content_html,
            text: result.content_text,
            author: result.metadata.author,
        })
}

/// The page without its `<noscript>` elements. trafilatura's parser reads a `<noscript>`'s
/// content as text, as a browser running scripts does, and kept it as words: a tracking
/// pixel's `<img height="1" …>` came out as the article's first paragraph. The first reading
/// has the content that only a `<noscript>` holds (see `scripted`).
fn without_noscript(html: &str) -> Cow<'_, str> {
    let mut kept = String::new();
    let (mut from, mut opened) = (0, None);
    for tag in TagScanner::new(html.as_bytes()) {
        if tag.name.as_str() != "noscript" {
            continue;
        }
        match (tag.kind, opened) {
            (TagKind::Start, None) => opened = Some(tag.opening_bracket),
            (TagKind::End, Some(start)) => {
                kept.push_str(&html[from..start]);
                from = (tag.closing_bracket + 1).min(html.len());
                opened = None;
            }
            _ => {}
        }
    }
    if from == 0 {
        return Cow::Borrowed(html);
    }
    kept.push_str(&html[from..]);
    Cow::Owned(kept)
}

/// Whether the second reading, of `second_chars` visible characters, is to replace the first.
pub fn is_better(first_chars: usize, second_chars: usize) -> bool {
    second_chars * 2 > first_chars * LONGER_BY_HALVES
}

/// Whether the two readings agree closely enough in length to check the first paragraph by
/// paragraph against the second.
pub fn agrees(first_chars: usize, second_chars: usize) -> bool {
    second_chars * 10 >= first_chars * AGREEING_TENTHS && second_chars <= first_chars
}

/// `first_html` without the paragraphs of which fewer than half the words are in `second_text`,
/// or `None` when every paragraph is confirmed.
pub fn confirmed_paragraphs(first_html: &str, second_text: &str) -> Option<String> {
    let confirmed: HashSet<String> = words(second_text).collect();
    let document = Document::fragment(first_html);
    let paragraphs = document.select(PARAGRAPHS);
    let unconfirmed: Vec<_> = paragraphs
        .nodes()
        .iter()
        .filter(|paragraph| {
            let (mut all, mut known) = (0, 0);
            for word in words(&paragraph.text()) {
                all += 1;
                known += usize::from(confirmed.contains(&word));
            }
            known * 2 < all
        })
        .collect();
    if unconfirmed.is_empty() {
        return None;
    }
    for paragraph in unconfirmed {
        paragraph.remove_from_parent();
    }
    Some(document.html().to_string())
}

/// The words of a text as the benchmarks count them: runs of letters, digits and `_`, lower-cased.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noscript_elements_are_left_out_of_the_second_reading() {
        let page = "<head><noscript><img height=\"1\" src=\"https://pixel.example/t\"></noscript>\
            </head><body><p>The ferry runs at <b>noon</b>.</p><noscript>Turn on scripts\
            </noscript><p>Tickets at the quay.</p><noscript>cut off";
        assert_eq!(
            without_noscript(page),
            "<head></head><body><p>The ferry runs at <b>noon</b>.</p><p>Tickets at the quay.</p>\
             <noscript>cut off"
        );
        let plain = "<p>No scripts here.</p>";
        assert!(matches!(without_noscript(plain), Cow::Borrowed(_)));
    }

    #[test]
    fn the_second_reading_must_be_much_longer() {
        assert!(is_better(0, 1));
        assert!(!is_better(1000, 2500));
        assert!(is_better(1000, 2501));
    }

    #[test]
    fn readings_agree_when_the_second_is_a_little_shorter() {
        assert!(agrees(1000, 1000) && agrees(1000, 700));
        assert!(!agrees(1000, 699) && !agrees(1000, 1001));
    }

    #[test]
    fn paragraphs_the_second_reading_lacks_are_dropped() {
        let first = "<h2>Harbour dredging starts</h2><p>The dredgers arrive on Monday.</p>\
            <p>Sign up for our newsletter today!</p><ul><li>Phase one: the quay</li>\
            <li>Share on social media</li></ul><blockquote>It is overdue, said the mayor.\
            </blockquote>";
        let second = "Harbour dredging starts\nThe dredgers arrive on Monday.\n\
            Phase one: the quay\nIt is overdue, said the mayor.";
        let kept = confirmed_paragraphs(first, second).expect("two paragraphs dropped");
        for text in [
            "<h2>Harbour",
            "Monday.</p>",
            "<li>Phase one",
            "<blockquote>It is",
        ] {
            assert!(kept.contains(text), "{text}: {kept}");
        }
        assert!(
            !kept.contains("newsletter") && !kept.contains("social"),
            "{kept}"
        );
        let everything =
            format!("{second}\nSign up for our newsletter today! Share on social media");
        assert_eq!(confirmed_paragraphs(first, &everything), None);
    }

    #[test]
    fn the_second_reading_keeps_every_card_of_a_listing() {
        let cards: String = (1..=8)
            .map(|n| {
                format!(
                    "<div class=card><h2>Garden chair model {n}</h2><p>A folding chair of oiled \
                     oak, number {n} in the range, with brass hinges and a canvas seat that dries \
                     quickly after rain.</p><ul><li>Weight {n} kg</li><li>Seat height 45 cm</li>\
                     </ul></div>"
                )
            })
            .collect();
        let html = format!(
            "<html><head><title>Chairs</title></head><body><nav><a href=/>Home</a></nav>\
             <main>{cards}</main><footer>Copyright Chair Shop</footer></body></html>"
        );
        let url = Url::parse("https://chairs.example/range").expect("a URL");
        let second = read(&html, &url).expect("an article");
        for n in 1..=8 {
            assert!(
                second.html.contains(&format!("Garden chair model {n}")),
                "{n}"
            );
            assert!(
                second.text.contains(&format!("number {n} in the range")),
                "{n}"
            );
        }
        assert!(
            second.html.contains("<li>") && second.html.contains("<h2>"),
            "{}",
            second.html
        );
        assert!(
            !second.text.contains("Copyright Chair Shop"),
            "{}",
            second.text
        );
    }
}
