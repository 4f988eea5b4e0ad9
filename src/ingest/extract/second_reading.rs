//! rs-trafilatura's reading of a page, a second opinion on dom_smoothie's. It first tells what
//! kind of page it is. A page that is not an article (a listing, a collection, a product, a
//! forum thread, a service page) is its reading as it is, unless it kept far less than
//! dom_smoothie: it reads each kind with rules of its own, where readability keeps one block of
//! many. On an article it replaces a short reading when it keeps much more (its repeats counted
//! once, and not when it is mostly links), and confirms a reading of about its own length
//! paragraph by paragraph (what dom_smoothie kept beyond it is boilerplate).

use std::borrow::Cow;
use std::collections::HashSet;
use std::panic::{self, AssertUnwindSafe};

use dom_query::{Document, NodeRef};
use rs_trafilatura::Options;
use rs_trafilatura::page_type::PageType;
use url::Url;

use super::tags::{TagKind, TagScanner};

/// rs-trafilatura's body replaces dom_smoothie's only when it is more than this many times as
/// long (in tenths: 1.7). A little longer is usually the same article with a banner or a cookie
/// notice more; much longer is content readability left out: a listing's other items, a
/// manual's other sections. 2.5 suited the engine before; with rs-trafilatura, 1.7 took WCXB
/// from 0.854 to 0.856 (16 pages changed, 11 for the better; AEB the same; 1.5 and 2.0 did
/// less well).
const LONGER_BY_TENTHS: usize = 17;

/// rs-trafilatura's body of at least this many tenths of dom_smoothie's length, and no longer,
/// reads the same article: dom_smoothie's paragraphs it lacks are share buttons, newsletter
/// boxes and the like. Far shorter, rs-trafilatura has more likely missed part of the article.
const AGREEING_TENTHS: usize = 7;

/// A reading of a page that is not an article keeping less than this many tenths of the first
/// reading has likely missed most of the page (a collection read as one of its products, a
/// thread as its first post); the first reading then stays. On WCXB, 3 made 14 pages better and
/// 4 worse (word F1 .857 -> .858, listing .671 -> .691). Replaying both readings of those pages
/// at other values: 2.5 gained less, 3.5 about the same (16 better, 5 worse), 4 less; 7 lost.
const FAR_SHORTER_TENTHS: usize = 3;

/// A reading with more than this many tenths of its text in links is mostly links: what a
/// navigation or a list of other stories is, not an article. Over the readings long enough to
/// replace the first, on both dev sets, two were above 0.62 (0.78 on AEB: a short news item
/// followed by a list of other headlines; 1.0 on WCXB), and those two scored better unreplaced;
/// of those at 0.46 to 0.62 (a collection, a listing, a manual's page), replacing did better.
const MOSTLY_LINKS_TENTHS: usize = 7;

/// Runs of this many words that a reading has more than once are text it repeats (see
/// `SecondReading::replaces`). Runs of 6 recur in a comparison's templated product notes, where
/// runs of 12 are 99 % distinct; an article body read four times is 27 % distinct either way.
const REPEAT_WORDS: usize = 12;

/// A paragraph of the first reading is confirmed by the second one run of this many words at a
/// time (a shorter paragraph whole). Single words confirmed "Want more stories like this?" and
/// gallery captions, whose words the article has elsewhere: with runs of 3, AEB 0.958 -> 0.964
/// (45 pages better, 3 worse) and WCXB 0.858 -> 0.859 (128 better, 46 worse, where the second
/// reading had missed a section the first one's common words used to keep). Runs of 2 and 4
/// did a little less well on AEB (0.963).
const CONFIRMING_WORDS: usize = 3;

/// Paragraphs as the plain text has them: what is kept or dropped whole. Table rows are not
/// (the second reading's text may lack a header row the table needs).
const PARAGRAPHS: &str = "p, li, dt, dd, h1, h2, h3, h4, h5, h6, blockquote, pre, figcaption";

/// The labels of the links and buttons a forum puts on every post, which rs-trafilatura's
/// reading of a thread keeps as if they were its text.
const POST_ACTIONS: [&str; 6] = [
    "reply",
    "quote",
    "share",
    "report",
    "permalink",
    "print view",
];

/// The elements that hold such a label alone, to be left out with it (a list item left empty
/// would still show its bullet).
const POST_ACTION_HOLDERS: &str = "a, button, li, p, div, span";

/// Whether a text is only a post's action label, such as "Reply" or "Print view".
fn is_post_action(text: &str) -> bool {
    let label = words(text).collect::<Vec<_>>().join(" ");
    POST_ACTIONS.contains(&label.as_str())
}

/// rs-trafilatura's article: its HTML (unsanitized) when it kept the page's markup, its plain
/// text, the author it names, and the kind of page it takes the page for (`None` when it names
/// none).
pub struct SecondReading {
    pub html: Option<String>,
    pub text: String,
    pub author: String,
    pub kind: Option<PageType>,
}

impl SecondReading {
    /// Whether the page reads as an article. Documentation does: dom_smoothie keeps its figures,
    /// keyboard keys and table heads, which rs-trafilatura drops. A page of no kind it names is
    /// read as an article, the rules that held before it named kinds.
    pub fn is_article(&self) -> bool {
        matches!(
            self.kind,
            Some(PageType::Article | PageType::Documentation) | None
        )
    }

    /// Whether the page is named by its whole `<title>`, as a browser's tab names it, rather than
    /// by its `<h1>`: a service page's `<h1>` is more often a slogan ("We're really good at
    /// email"), and a manual's or a listing's names a section that means nothing without the
    /// site's name ("Functions", "Technology"), which the `<title>` gives ("Functions -
    /// JavaScript | MDN").
    pub fn is_named_by_its_title(&self) -> bool {
        matches!(
            self.kind,
            Some(PageType::Service | PageType::Documentation | PageType::Listing)
        )
    }

    /// The article as HTML: the page's own markup, else (where rs-trafilatura joined a
    /// listing's items or took a product's description from its JSON-LD, as text) a paragraph
    /// per line of the text; either way without a forum's post actions (see `POST_ACTIONS`).
    pub fn body_html(&self) -> Cow<'_, str> {
        match &self.html {
            Some(html) => super::without_elements(html, POST_ACTION_HOLDERS, |element| {
                is_post_action(&element.text())
            })
            .map_or(Cow::Borrowed(html), Cow::Owned),
            None => Cow::Owned(
                self.text
                    .lines()
                    .map(str::trim)
                    .filter(|line| !line.is_empty() && !is_post_action(line))
                    // Escaped: a line is only ever a paragraph's text.
                    .map(|line| format!("<p>{}</p>", ammonia::clean_text(line)))
                    .collect(),
            ),
        }
    }

    /// Whether this reading is to replace a first one of `first_chars` visible characters:
    /// when it is much longer (see `LONGER_BY_TENTHS`) with the text it repeats counted once,
    /// and is not mostly links. A reading that holds a page's article body two or more times
    /// over (from its markup and its scripts) holds no more of the article than once; one that
    /// is mostly links adds the headlines of other stories to a short article.
    pub fn replaces(&self, first_chars: usize) -> bool {
        let is_longer = |chars: usize| chars * 10 > first_chars * LONGER_BY_TENTHS;
        let chars = super::visible_chars(&self.text);
        // Its length first: repeats and links are counted only for a reading that may replace.
        is_longer(chars) && is_longer(self.distinct_share_of(chars)) && !self.is_mostly_links()
    }

    /// Whether more than `MOSTLY_LINKS_TENTHS` of the reading's visible text is in links.
    fn is_mostly_links(&self) -> bool {
        let Some(html) = &self.html else {
            return false;
        };
        let reading = Document::fragment(html.as_str());
        let links = super::visible_chars(&reading.select("a").text());
        links * 10 > super::visible_chars(&reading.root().text()) * MOSTLY_LINKS_TENTHS
    }

    /// The share of `chars` (its visible characters) that its distinct runs of words are of
    /// all its runs.
    fn distinct_share_of(&self, chars: usize) -> usize {
        let words: Vec<String> = words(&self.text).collect();
        let runs = (words.len() + 1).saturating_sub(REPEAT_WORDS);
        if runs == 0 {
            return chars;
        }
        let distinct: HashSet<&[String]> = words.windows(REPEAT_WORDS).collect();
        chars * distinct.len() / runs
    }
}

/// rs-trafilatura's article, links kept, figures too (it writes no `<img>`, but then keeps
/// their captions, which confirm dom_smoothie's); comments left out (on a forum thread its forum
/// rules keep the replies). Its own fallbacks stay on: without them it scored 0.002 more on both
/// dev sets (dom_smoothie's reading took over where its first pass found too little), but kept
/// only the first reply of a discussion thread and found no article on 8 WCXB forum threads. A
/// panic inside it (it cuts some texts at a byte count) is no reading, not a crash of the
/// command that asked.
pub fn read(html: &str, page_url: &Url) -> Option<SecondReading> {
    let options = Options {
        include_links: true,
        include_images: true,
        url: Some(page_url.to_string()),
        ..Options::default()
    };
    let page = without_unread_elements(html);
    panic::catch_unwind(AssertUnwindSafe(|| {
        rs_trafilatura::extract_with_options(&page, &options)
    }))
    .inspect_err(|_| tracing::warn!("rs-trafilatura panicked on the page"))
    .ok()?
    .inspect_err(|error| tracing::debug!(%error, "rs-trafilatura found no article"))
    .ok()
    .map(|result| SecondReading {
        html: result.content_html.filter(|html| !html.trim().is_empty()),
        text: result.content_text,
        author: result.metadata.author.unwrap_or_default(),
        kind: result
            .metadata
            .page_type
            .as_deref()
            .and_then(|kind| kind.parse().ok()),
    })
}

/// The elements whose content is text a parser reads as such but a reader never sees as the
/// page's words. A `<noscript>`'s markup, as a browser running scripts reads it: a tracking
/// pixel's `<img height="1" …>` had come out as the article's first paragraph (the first reading
/// has the content that only a `<noscript>` holds, see `scripted`). A `<textarea>`'s text, a
/// form's field: a "Republish this article" box holding the article's HTML source had made a
/// reading twice as long, with the source's tags as words, and replace the article.
const UNREAD_ELEMENTS: [&str; 2] = ["noscript", "textarea"];

/// The page without its `UNREAD_ELEMENTS`.
fn without_unread_elements(html: &str) -> Cow<'_, str> {
    let mut kept = String::new();
    let (mut from, mut opened) = (0, None);
    for tag in TagScanner::new(html.as_bytes()) {
        if !UNREAD_ELEMENTS.contains(&tag.name.as_str()) {
            continue;
        }
        match (tag.kind, opened) {
            (TagKind::Start, None) => opened = Some((tag.opening_bracket, tag.name)),
            // Only the element's own end tag closes it.
            (TagKind::End, Some((start, opener))) if opener == tag.name => {
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

/// Whether a reading of a page that is not an article, of `second_chars` visible characters,
/// has likely missed most of what the page holds: when it keeps less than `FAR_SHORTER_TENTHS`
/// of the first reading's `first_chars`.
pub fn misses_most(first_chars: usize, second_chars: usize) -> bool {
    second_chars * 10 < first_chars * FAR_SHORTER_TENTHS
}

/// Whether the two readings agree closely enough in length to check the first paragraph by
/// paragraph against the second.
pub fn agrees(first_chars: usize, second_chars: usize) -> bool {
    second_chars * 10 >= first_chars * AGREEING_TENTHS && second_chars <= first_chars
}

/// `first_html` without the paragraphs of which no more than half the runs of words (see
/// `CONFIRMING_WORDS`) are in `second_text`, or `None` when every paragraph is confirmed.
pub fn confirmed_paragraphs(first_html: &str, second_text: &str) -> Option<String> {
    let second_words: Vec<String> = words(second_text).collect();
    let confirmed: Vec<HashSet<&[String]>> = (1..=CONFIRMING_WORDS)
        .map(|length| second_words.windows(length).collect())
        .collect();
    super::without_elements(first_html, PARAGRAPHS, |paragraph| {
        let paragraph_words = words_apart(paragraph);
        let length = CONFIRMING_WORDS.min(paragraph_words.len()).max(1);
        let (mut all, mut known) = (0, 0);
        for run in paragraph_words.windows(length) {
            all += 1;
            known += usize::from(confirmed[length - 1].contains(run));
        }
        all > 0 && known * 2 <= all
    })
}

/// The words of an element as its plain text has them: a `<br>` or a block inside it parts
/// words (its text alone runs `Quay Street<br>Harbourside` into "StreetHarbourside").
fn words_apart(element: &NodeRef) -> Vec<String> {
    let mut text = String::new();
    for node in element.descendants_it() {
        if node.is_text() {
            text.push_str(&node.text());
        } else if node
            .node_name()
            .is_some_and(|name| name.as_ref() == "br" || super::text::is_block(&name))
        {
            text.push(' ');
        }
    }
    words(&text).collect()
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
            without_unread_elements(page),
            "<head></head><body><p>The ferry runs at <b>noon</b>.</p><p>Tickets at the quay.</p>\
             <noscript>cut off"
        );
        let plain = "<p>No scripts here.</p>";
        assert!(matches!(without_unread_elements(plain), Cow::Borrowed(_)));
    }

    #[test]
    fn a_text_fields_content_is_left_out_of_the_second_reading() {
        let page = "<p>The ferry runs at noon.</p><textarea>&lt;p&gt;The ferry runs</noscript>\
            <p>at noon.&lt;/p&gt;</textarea><p>Tickets.</p>";
        assert_eq!(
            without_unread_elements(page),
            "<p>The ferry runs at noon.</p><p>Tickets.</p>"
        );
        let stray_end = "<noscript>Turn on</textarea> scripts</noscript><p>Tickets.</p>";
        assert_eq!(without_unread_elements(stray_end), "<p>Tickets.</p>");
    }

    fn reading_of(text: &str) -> SecondReading {
        SecondReading {
            html: Some(format!("<p>{text}</p>")),
            text: text.to_owned(),
            author: String::new(),
            kind: Some(PageType::Article),
        }
    }

    #[test]
    fn the_second_reading_must_be_much_longer() {
        let ten = reading_of("abcdefghij");
        assert!(ten.replaces(0) && ten.replaces(5));
        assert!(!ten.replaces(6) && !ten.replaces(100));
    }

    #[test]
    fn a_reading_that_is_mostly_links_does_not_replace() {
        let story = "The harbour board voted to dredge the eastern channel this autumn.";
        let headlines: String = [
            "Ferry fares rise",
            "New crane at the quay",
            "Storm closes pier",
        ]
        .iter()
        .map(|headline| {
            format!(
                "<li><a href=\"/news/{headline}\">{headline} in the town \
                 this week, the council says</a></li>"
            )
        })
        .collect();
        let html = format!("<p>{story}</p><ul>{headlines}</ul>");
        let text = super::super::plain_text(&html);
        let with_links = SecondReading {
            html: Some(html),
            ..reading_of(&text)
        };
        let story_chars = super::super::visible_chars(story);
        assert!(!with_links.replaces(story_chars));
        assert!(reading_of(&text).replaces(story_chars));
    }

    #[test]
    fn text_the_second_reading_repeats_counts_once() {
        let body = "The harbour board met on Monday and voted to dredge the eastern channel \
            before the autumn storms, at a cost the port will share with the town. ";
        let more = "The town council agreed the next day, and the work starts in September \
            with the quay wall, then moves along the channel to the old ferry slip. ";
        let body_chars = super::super::visible_chars(body);
        assert!(reading_of(&format!("{body}{more}")).replaces(body_chars));
        assert!(!reading_of(&body.repeat(2)).replaces(body_chars));
        assert!(!reading_of(&body.repeat(4)).replaces(body_chars));
        let templated: String = ["oak", "ash", "elm", "yew", "fir", "box"]
            .iter()
            .map(|wood| format!("Chair of {wood}: price on request, made to order in the town. "))
            .collect();
        let templated_chars = super::super::visible_chars(&templated);
        assert!(reading_of(&templated).replaces(templated_chars / 2));
    }

    #[test]
    fn readings_agree_when_the_second_is_a_little_shorter() {
        assert!(agrees(1000, 1000) && agrees(1000, 700));
        assert!(!agrees(1000, 699) && !agrees(1000, 1001));
    }

    fn assert_kept(kept: &str, texts: &[&str]) {
        for text in texts {
            assert!(kept.contains(text), "{text}: {kept}");
        }
    }

    #[test]
    fn paragraphs_the_second_reading_lacks_are_dropped() {
        let first = "<h2>Harbour dredging starts</h2><p>The dredgers arrive on Monday.</p>\
            <p>Sign up for our newsletter today!</p><p>Written by on 2 June 2025</p>\
            <ul><li>Phase one: the quay</li>\
            <li>Share on social media</li></ul><blockquote>It is overdue, said the mayor.\
            </blockquote>";
        let second = "Harbour dredging starts\nWritten by on\nThe dredgers arrive on Monday.\n\
            Phase one: the quay\nIt is overdue, said the mayor.";
        let kept = confirmed_paragraphs(first, second).expect("two paragraphs dropped");
        assert_kept(
            &kept,
            &[
                "<h2>Harbour",
                "Monday.</p>",
                "<li>Phase one",
                "<blockquote>It is",
            ],
        );
        assert!(
            !kept.contains("newsletter") && !kept.contains("social") && !kept.contains("June"),
            "{kept}"
        );
        let everything = format!(
            "{second}\nWritten by on 2 June 2025\nSign up for our newsletter today! \
             Share on social media"
        );
        assert_eq!(confirmed_paragraphs(first, &everything), None);
    }

    #[test]
    fn a_paragraph_is_confirmed_by_its_words_in_order() {
        let first = "<p>Want more stories like this?</p><p>The dredgers arrive on Monday.</p>\
            <p>12 Quay Street<br>Harbourside</p><ul><li><p>Tides are set</p><p>by the moon</p>\
            </li></ul>";
        let second = "The dredgers arrive on Monday. More boats than this harbour has seen, \
            like stories from the quay. Want them? 12 Quay Street\nHarbourside\nTides are set\n\
            by the moon";
        let kept = confirmed_paragraphs(first, second).expect("one paragraph dropped");
        assert_kept(
            &kept,
            &[
                "dredgers arrive",
                "Harbourside",
                "Tides are set",
                "by the moon",
            ],
        );
        assert!(!kept.contains("Want more"), "{kept}");
        let in_order = format!("Want more stories like this? {second}");
        assert_eq!(confirmed_paragraphs(first, &in_order), None);
    }

    #[test]
    fn the_second_reading_keeps_every_card_of_a_listing() {
        let cards: String = (1..=8)
            .map(|n| {
                format!(
                    "<div class=card><h2>Garden chair model {n}</h2><p>A folding chair of \
                     <em>oiled oak</em>, number {n} in the range, with brass hinges and a canvas \
                     seat that dries quickly after rain.</p><ul><li>Weight {n} kg</li>\
                     <li>Seat height 45 cm</li></ul></div>"
                )
            })
            .collect();
        let html = format!(
            "<html><head><title>Chairs</title></head><body><nav><a href=/>Home</a></nav>\
             <main>{cards}</main><footer>Copyright Chair Shop</footer></body></html>"
        );
        let url = Url::parse("https://chairs.example/range").expect("a URL");
        let second = read(&html, &url).expect("an article");
        let body = second.body_html();
        assert!(body.contains("<em>oiled oak</em>"), "{body}");
        for n in 1..=8 {
            assert!(body.contains(&format!("Garden chair model {n}")), "{n}");
            assert!(
                second.text.contains(&format!("number {n} in the range")),
                "{n}"
            );
        }
        assert!(
            !second.text.contains("Copyright Chair Shop"),
            "{}",
            second.text
        );
    }

    #[test]
    fn a_reading_without_markup_is_a_paragraph_per_line() {
        let reading = SecondReading {
            html: None,
            text: "Fish & chips <b>3</b> for £5\n\n  \nOpen <em>daily</em>\n".to_owned(),
            author: String::new(),
            kind: Some(PageType::Forum),
        };
        let html = reading.body_html();
        assert_eq!(html.matches("<p>").count(), 2, "{html}");
        assert!(!html.contains("<b>") && !html.contains("<em>"), "{html}");
        assert_eq!(
            super::super::plain_text(&html),
            "Fish & chips <b>3</b> for £5\n\nOpen <em>daily</em>"
        );
        let marked = SecondReading {
            html: Some("<p>Kept <b>as is</b></p>".to_owned()),
            ..reading
        };
        assert_eq!(marked.body_html(), "<p>Kept <b>as is</b></p>");
    }

    #[test]
    fn a_threads_post_actions_are_left_out() {
        let html = "<ul><li><a href=\"/t?view=print\">Print view</a></li></ul>\
            <p>Has anyone fitted a new bilge pump this winter?</p>\
            <div><a href=\"/newreply?p=1\"> Reply</a></div>\
            <blockquote><div>Quote</div><p>The old one failed in March.</p></blockquote>\
            <p>Reply to the harbour office by Friday.</p><span><button>Share</button></span>";
        let reading = SecondReading {
            html: Some(html.to_owned()),
            text: String::new(),
            author: String::new(),
            kind: Some(PageType::Forum),
        };
        let body = reading.body_html();
        assert_kept(
            &body,
            &[
                "bilge pump",
                "failed in March",
                "Reply to the harbour office",
            ],
        );
        for gone in ["Print view", "newreply", ">Quote<", "Share", "<li>"] {
            assert!(!body.contains(gone), "{gone}: {body}");
        }
        let text_only = SecondReading {
            html: None,
            text: "A new pump it is.\nReply\nQuote\nPermalink\nThanks, it works.".to_owned(),
            ..reading
        };
        assert_eq!(
            super::super::plain_text(&text_only.body_html()),
            "A new pump it is.\n\nThanks, it works."
        );
    }

    fn reading_of_kind(kind: &str) -> SecondReading {
        SecondReading {
            html: None,
            text: String::new(),
            author: String::new(),
            kind: kind.parse().ok(),
        }
    }

    #[test]
    fn listings_products_forums_and_services_are_not_read_as_articles() {
        for kind in ["article", "documentation", "a kind not yet named"] {
            assert!(reading_of_kind(kind).is_article(), "{kind}");
        }
        for kind in ["collection", "listing", "product", "forum", "service"] {
            assert!(!reading_of_kind(kind).is_article(), "{kind}");
        }
    }

    #[test]
    fn services_manuals_and_listings_are_named_by_their_title() {
        for kind in ["service", "documentation", "listing"] {
            assert!(reading_of_kind(kind).is_named_by_its_title(), "{kind}");
        }
        for kind in [
            "article",
            "collection",
            "product",
            "forum",
            "a kind not yet named",
        ] {
            assert!(!reading_of_kind(kind).is_named_by_its_title(), "{kind}");
        }
    }

    #[test]
    fn a_paragraph_without_words_is_never_dropped() {
        let first = "<p>The dredgers arrive on Monday.</p><p><img src=\"dredger.jpg\"></p>\
            <p>* * *</p><p>Sign up for our newsletter today!</p>";
        let kept =
            confirmed_paragraphs(first, "The dredgers arrive on Monday.").expect("one dropped");
        assert!(kept.contains("<img") && kept.contains("* * *"), "{kept}");
        assert!(!kept.contains("newsletter"), "{kept}");
    }
}
