//! Publication dates a page shows rather than declares: in its URL (`/2024/05/17/`) and in the
//! short date lines printed by the headline ("May 17, 2024", "17. Mai 2024", "17/05/2024").

use dom_query::{Document, NodeRef};
use url::Url;

use super::dates::normalize_date;

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

/// Month names in the languages most often met, lower case, with their numbers.
const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("jan", 1),
    ("januar", 1),
    ("janvier", 1),
    ("enero", 1),
    ("gennaio", 1),
    ("janeiro", 1),
    ("januari", 1),
    ("jänner", 1),
    ("february", 2),
    ("feb", 2),
    ("februar", 2),
    ("février", 2),
    ("fevrier", 2),
    ("febrero", 2),
    ("febbraio", 2),
    ("fevereiro", 2),
    ("februari", 2),
    ("march", 3),
    ("mar", 3),
    ("märz", 3),
    ("mars", 3),
    ("marzo", 3),
    ("março", 3),
    ("maart", 3),
    ("april", 4),
    ("apr", 4),
    ("avril", 4),
    ("abril", 4),
    ("aprile", 4),
    ("may", 5),
    ("mai", 5),
    ("mayo", 5),
    ("maggio", 5),
    ("maio", 5),
    ("mei", 5),
    ("june", 6),
    ("jun", 6),
    ("juni", 6),
    ("juin", 6),
    ("junio", 6),
    ("giugno", 6),
    ("junho", 6),
    ("july", 7),
    ("jul", 7),
    ("juli", 7),
    ("juillet", 7),
    ("julio", 7),
    ("luglio", 7),
    ("julho", 7),
    ("august", 8),
    ("aug", 8),
    ("août", 8),
    ("aout", 8),
    ("agosto", 8),
    ("augustus", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("septembre", 9),
    ("septiembre", 9),
    ("settembre", 9),
    ("setembro", 9),
    ("october", 10),
    ("oct", 10),
    ("oktober", 10),
    ("octobre", 10),
    ("octubre", 10),
    ("ottobre", 10),
    ("outubro", 10),
    ("november", 11),
    ("nov", 11),
    ("novembre", 11),
    ("noviembre", 11),
    ("novembro", 11),
    ("december", 12),
    ("dec", 12),
    ("dezember", 12),
    ("décembre", 12),
    ("decembre", 12),
    ("diciembre", 12),
    ("dicembre", 12),
    ("dezembro", 12),
];

/// A date in the URL's path: `/2024/05/17/`, `/2024-05-17-title`, `/20240517/`. A year and
/// month alone are not a day and are left alone.
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
    document
        .select("time[datetime]")
        .nodes()
        .iter()
        .take(MAX_CANDIDATES)
        .filter(|node| !is_elsewhere(node) && !hints(node).contains("modif"))
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
    document
        .select(&selector)
        .nodes()
        .iter()
        .filter(|node| is_date_line(node))
        .take(MAX_CANDIDATES)
        .find_map(|node| {
            let text = node.text();
            if text.chars().count() > MAX_DATE_LINE_CHARS || is_elsewhere(node) {
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

/// Inside comments, teasers, navigation or the page footer.
fn is_elsewhere(node: &NodeRef) -> bool {
    node.ancestors(Some(12)).iter().any(|ancestor| {
        let name = ancestor.node_name();
        matches!(name.as_deref(), Some("nav" | "footer" | "aside"))
            || ELSEWHERE_HINTS
                .iter()
                .any(|hint| hints(ancestor).contains(hint))
    })
}

/// The first date written out in a text: `2024-05-17`, `17.05.2024`, `05/17/2024`,
/// `May 17th, 2024`, `17 May 2024`, `17. Mai 2024`.
pub fn date_in_text(text: &str) -> Option<String> {
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect();
    numeric_date(text).or_else(|| {
        words.windows(3).find_map(|window| {
            let (first, second, third) = (window[0], window[1], window[2]);
            let year = year(third)?;
            match (month(first), day(second), day(first), month(second)) {
                (Some(month), Some(day), _, _) | (_, _, Some(day), Some(month)) => {
                    iso_day(year, month, day)
                }
                _ => None,
            }
        })
    })
}

/// The text before the first word that begins a date (a month name or a number): "Ann Lee ·
/// May 5, 2024" -> "Ann Lee · ".
pub fn before_date(text: &str) -> &str {
    let mut start = None;
    for (index, character) in text.char_indices() {
        if character.is_alphanumeric() {
            let word_start = *start.get_or_insert(index);
            let word_end = text[word_start..]
                .find(|c: char| !c.is_alphanumeric())
                .map_or(text.len(), |end| word_start + end);
            let word = &text[word_start..word_end];
            if word.starts_with(|c: char| c.is_ascii_digit()) || month(word).is_some() {
                return &text[..word_start];
            }
        } else {
            start = None;
        }
    }
    text
}

/// `2024-05-17`, `2024/05/17`, `17.05.2024`, `17/05/2024` or `05/17/2024` (day and month told
/// apart when one is over 12; otherwise `/` is read the American way and `.` or `-` the
/// European way).
fn numeric_date(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        if !bytes[start].is_ascii_digit() || (start > 0 && bytes[start - 1].is_ascii_digit()) {
            start += 1;
            continue;
        }
        let mut end = start;
        while end < bytes.len() && (bytes[end].is_ascii_digit() || b"-/.".contains(&bytes[end])) {
            end += 1;
        }
        let run = text[start..end].trim_end_matches(['-', '/', '.']);
        start = end.max(start + 1);
        let Some(separator) = run.bytes().find(|b| !b.is_ascii_digit()) else {
            continue;
        };
        let parts: Vec<&str> = run.split(char::from(separator)).collect();
        let [a, b, c] = parts[..] else { continue };
        let (Ok(a_value), Ok(b_value), Ok(c_value)) =
            (a.parse::<u32>(), b.parse::<u32>(), c.parse::<u32>())
        else {
            continue;
        };
        let found = if a.len() == 4 {
            iso_day(a_value, b_value, c_value)
        } else if c.len() == 4 && a.len() <= 2 && b.len() <= 2 {
            match (a_value > 12, b_value > 12, separator) {
                (true, _, _) => iso_day(c_value, b_value, a_value),
                (_, true, _) | (_, _, b'/') => iso_day(c_value, a_value, b_value),
                _ => iso_day(c_value, b_value, a_value),
            }
        } else {
            None
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

fn month(word: &str) -> Option<u32> {
    let word = word.to_lowercase();
    MONTHS
        .iter()
        .find(|(name, _)| *name == word)
        .map(|&(_, number)| number)
}

/// `17`, `17th`, `1st`.
fn day(word: &str) -> Option<u32> {
    let digits = word.trim_end_matches(['s', 't', 'n', 'd', 'r', 'h']);
    let day: u32 = (digits.len() <= 2).then(|| digits.parse().ok()).flatten()?;
    (1..=31).contains(&day).then_some(day)
}

fn year(word: &str) -> Option<u32> {
    (word.len() == 4).then(|| word.parse().ok()).flatten()
}

fn iso_day(year: u32, month: u32, day: u32) -> Option<String> {
    let year = i32::try_from(year).ok()?;
    let date = chrono::NaiveDate::from_ymd_opt(year, month, day)?;
    (1990..=2100)
        .contains(&year)
        .then(|| date.format("%Y-%m-%d").to_string())
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
            date("https://a.example/p/20240517/fish").as_deref(),
            Some("2024-05-17")
        );
        assert_eq!(date("https://a.example/2024/05/fish"), None);
        assert_eq!(date("https://a.example/item/12345678"), None);
    }

    #[test]
    fn dates_in_text() {
        for (text, expected) in [
            (
                "Posted on Friday, May 17th, 2024 by Ann",
                Some("2024-05-17"),
            ),
            ("17 May 2024, 10:30", Some("2024-05-17")),
            ("Veröffentlicht am 17. Mai 2024", Some("2024-05-17")),
            ("Updated 2024-05-17T10:00", Some("2024-05-17")),
            ("17.05.2024", Some("2024-05-17")),
            ("05/17/2024", Some("2024-05-17")),
            ("17/05/2024", Some("2024-05-17")),
            ("Tel. 555-1234", None),
            ("may 5 people", None),
        ] {
            assert_eq!(date_in_text(text).as_deref(), expected, "{text}");
        }
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
}
