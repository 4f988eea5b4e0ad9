//! Publication dates a page shows rather than declares: in its URL (`/2024/05/17/`) and in the
//! short date lines printed by the headline ("May 17, 2024", "17. Mai 2024", "17/05/2024").

use std::collections::HashSet;

use dom_query::{Document, NodeId, NodeRef};
use url::Url;

use super::dates::{date_in_text, iso_day, normalize_date};

/// Class or id words of the elements that print a date by the headline.
const DATE_LINE_HINTS: &[&str] = &[
    "date",
    "time",
    "publish",
    "posted",
    "byline",
    "dateline",
    "meta",
    "entry-meta",
    "post-meta",
    "article-info",
    "info",
];
/// Parts of a page whose dates are not the article's: comments, teasers of other articles.
const ELSEWHERE_HINTS: &[&str] = &[
    "comment",
    "related",
    "sidebar",
    "footer",
    "widget",
    "recommend",
    "popular",
    "teaser",
    "more-",
    "reply",
    "modified",
    "updated",
];
/// Date lines are short; a long text with a date in it is a paragraph that mentions one.
const MAX_DATE_LINE_CHARS: usize = 160;
/// How many date-line candidates are read, in page order, before giving up.
const MAX_CANDIDATES: usize = 40;

/// A date in the URL's path: `/2024/05/17/`, `/2024-05-17-title`, `/2024-05-17+Title`,
/// `/20240517/`. A year and month alone are not a day and are left alone.
pub fn from_url(url: &Url) -> Option<String> {
    let segments: Vec<&str> = url.path().split('/').filter(|s| !s.is_empty()).collect();
    for (index, segment) in segments.iter().enumerate() {
        let number = |text: &str, digits: usize| -> Option<u32> {
            (text.len() == digits && text.bytes().all(|b| b.is_ascii_digit()))
                .then(|| text.parse().ok())
                .flatten()
        };
        if let (Some(year), Some(month), Some(day)) = (
            number(segment, 4),
            segments.get(index + 1).and_then(|s| number(s, 2)),
            segments.get(index + 2).and_then(|s| number(s, 2)),
        ) {
            return iso_day(year, month, day);
        }
        let dashed: Vec<&str> = segment.splitn(4, '-').collect();
        if let [year, month, day, ..] = dashed[..]
            // The day runs to the next mark: `15+Rust+backend`, `17.html`, `17_fish`.
            && let Some(day) = day.split(|c: char| !c.is_ascii_alphanumeric()).next()
            && let (Some(year), Some(month), Some(day)) =
                (number(year, 4), number(month, 2), number(day, 2))
        {
            return iso_day(year, month, day);
        }
        if let Some(packed) = number(segment, 8) {
            let found = iso_day(packed / 10_000, packed / 100 % 100, packed % 100);
            if found.is_some() {
                return found;
            }
        }
    }
    None
}

/// Keys under which scripts (JSON-LD of other shapes, app state, analytics) give the date.
const SCRIPT_DATE_KEYS: &[&str] = &[
    "datePublished",
    "publishDate",
    "publishedDate",
    "publishedAt",
    "published_at",
    "publish_date",
    "date_published",
    "first_publication_date",
    "firstPublishedAt",
    "first_published_at",
    "publicationDate",
    "publication_date",
    "datePosted",
    "date_posted",
    "postedAt",
    "pubDate",
];
/// How much of a page is searched for script keys: the article's own state comes early.
const SCRIPT_SCAN_BYTES: usize = 2 * 1024 * 1024;

/// The first value given under a publication-date key in the page source (`"publishDate":
/// "2024-05-17"`, also inside escaped JSON), that reads as a date.
pub fn from_scripts(html: &str) -> Option<String> {
    let source = &html[..html.floor_char_boundary(SCRIPT_SCAN_BYTES)];
    SCRIPT_DATE_KEYS
        .iter()
        .filter_map(|key| {
            source.match_indices(key).find_map(|(at, _)| {
                let before = source[..at].chars().next_back()?;
                let after = &source[at + key.len()..];
                let after = after
                    .strip_prefix('\\')
                    .unwrap_or(after)
                    .strip_prefix('"')?;
                let rest = after.trim_start_matches(['\\', ' ']).strip_prefix(':')?;
                let rest = rest.trim_start_matches([' ', '\\']).strip_prefix('"')?;
                let value = &rest[..rest.find(['"', '\\'])?];
                (before == '"' && normalize_date(value).is_some()).then(|| (at, value.to_owned()))
            })
        })
        .min_by_key(|(at, _)| *at)
        .map(|(_, value)| value)
}

/// The first `<time datetime>` outside navigation, comments and teasers.
pub fn from_time_elements(document: &Document) -> Option<String> {
    let article = ArticleContainers::of(document);
    document
        .select("time[datetime]")
        .nodes()
        .iter()
        .take(MAX_CANDIDATES)
        .filter(|node| !article.is_elsewhere(node) && !hints(node).contains("modif"))
        .find_map(|node| {
            node.attr("datetime")
                .map(|value| value.trim().to_owned())
                .filter(|value| normalize_date(value).is_some())
        })
}

/// The first date printed in a short date line of the page (by class or id, outside comments
/// and teasers), as `YYYY-MM-DD`.
pub fn from_date_lines(document: &Document) -> Option<String> {
    // The selector engine narrows the candidates without an allocation per element.
    let selector = DATE_LINE_HINTS
        .iter()
        .map(|hint| format!("[class*={hint}], [id*={hint}]"))
        .collect::<Vec<_>>()
        .join(", ");
    let article = ArticleContainers::of(document);
    document
        .select(&selector)
        .nodes()
        .iter()
        .filter(|node| is_date_line(node))
        .take(MAX_CANDIDATES)
        .find_map(|node| {
            let text = node.text();
            if text.chars().count() > MAX_DATE_LINE_CHARS || article.is_elsewhere(node) {
                return None;
            }
            date_in_text(&text)
        })
}

fn hints(node: &NodeRef) -> String {
    let mut words = node
        .attr("class")
        .map(|c| c.to_string())
        .unwrap_or_default();
    if let Some(id) = node.attr("id") {
        words.push(' ');
        words.push_str(&id);
    }
    words.to_ascii_lowercase()
}

fn is_date_line(node: &NodeRef) -> bool {
    let hints = hints(node);
    DATE_LINE_HINTS.iter().any(|hint| hints.contains(hint))
        && !ELSEWHERE_HINTS.iter().any(|hint| hints.contains(hint))
}

/// How many of the page's `<h1>` elements vouch for the elements around them.
const MAX_HEADLINES: usize = 4;

/// The elements that hold the page's first `<h1>` elements: the article and the page around
/// it, whatever their classes say ("story-template-sidebar" names a layout, not a sidebar).
/// Not only the first: a site's header may say its name in an `<h1>` before the article's.
struct ArticleContainers(HashSet<NodeId>);

impl ArticleContainers {
    fn of(document: &Document) -> Self {
        let headlines = document.select("h1");
        let containers = headlines
            .nodes()
            .iter()
            .take(MAX_HEADLINES)
            .flat_map(|headline| headline.ancestors_it(None).map(|node| node.id))
            .collect();
        Self(containers)
    }

    /// Inside comments, teasers, navigation or the page footer.
    fn is_elsewhere(&self, node: &NodeRef) -> bool {
        node.ancestors_it(Some(12)).any(|ancestor| {
            let name = ancestor.node_name();
            matches!(name.as_deref(), Some("nav" | "footer" | "aside"))
                || (!self.0.contains(&ancestor.id)
                    && ELSEWHERE_HINTS
                        .iter()
                        .any(|hint| hints(&ancestor).contains(hint)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_urls() {
        let date = |url: &str| from_url(&Url::parse(url).expect("a valid URL"));
        assert_eq!(
            date("https://a.example/news/2024/05/17/fish").as_deref(),
            Some("2024-05-17")
        );
        assert_eq!(
            date("https://a.example/2024-05-17-fish.html").as_deref(),
            Some("2024-05-17")
        );
        assert_eq!(
            date("https://a.example/articles/2025-12-15+Rust+GCC:+fish").as_deref(),
            Some("2025-12-15")
        );
        assert_eq!(date("https://a.example/2024-05-17th-fish"), None);
        assert_eq!(
            date("https://a.example/p/20240517/fish").as_deref(),
            Some("2024-05-17")
        );
        assert_eq!(date("https://a.example/2024/05/fish"), None);
        assert_eq!(date("https://a.example/item/12345678"), None);
    }

    #[test]
    fn dates_in_scripts() {
        let html = r#"<script>{"related":{"pubDate":"someday"},"publishDate":"2024-05-17",
            "x":{\"datePublished\":\"2023-01-02T03:04:05Z\"}}</script>"#;
        assert_eq!(from_scripts(html).as_deref(), Some("2024-05-17"));
        assert_eq!(from_scripts(r#"{"mypubDate":"2024-05-17"}"#), None);
    }

    #[test]
    fn date_lines_outside_comments() {
        let html = r#"<div class="comment"><span class="date">1 Jan 2020</span></div>
            <h1>Fish</h1><p class="post-meta">By Ann · March 3, 2023</p>"#;
        assert_eq!(
            from_date_lines(&Document::from(html)).as_deref(),
            Some("2023-03-03")
        );
    }

    #[test]
    fn a_layout_named_for_its_sidebar_still_holds_the_article() {
        let html = r#"<body class="single has-sidebar"><div class="story-sidebar-layout">
            <h1>Kettles compared</h1><div class="story-date">June 2, 2022</div>
            <p>Text</p></div><div class="sidebar"><span class="date">May 1, 2020</span></div>
            </body>"#;
        assert_eq!(
            from_date_lines(&Document::from(html)).as_deref(),
            Some("2022-06-02")
        );
        let teaser = r#"<body><h1>Kettles</h1><div class="sidebar">
            <span class="date">May 1, 2020</span></div></body>"#;
        assert_eq!(from_date_lines(&Document::from(teaser)), None);
        let site_named_first = r#"<body><header><h1>The Harbour Post</h1></header>
            <div class="story-sidebar-layout"><h1>Kettles compared</h1>
            <div class="story-date">June 2, 2022</div><p>Text</p></div></body>"#;
        assert_eq!(
            from_date_lines(&Document::from(site_named_first)).as_deref(),
            Some("2022-06-02")
        );
    }
}
