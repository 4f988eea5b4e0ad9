//! Tidying the article's fields: titles without their " | Site" suffix, bylines without "By",
//! language tags, and the URLs (canonical, lead image) that may be stored.

use std::collections::HashSet;

use url::Url;

use super::dates::{before_date, date_in_text};
use super::metadata::{clean, clean_decoded};
use super::tags::{TagKind, TagScanner};

/// Where the canonical link is looked for: it belongs in the head, which rarely runs this long.
const HEAD_SCAN_BYTES: usize = 512 * 1024;

/// What sites put between a headline and their own name.
pub(super) const TITLE_SEPARATORS: &[&str] = &[
    " | ", " - ", " – ", " — ", " · ", " • ", " :: ", " » ", " « ", " › ", " ~ ", " / ", ": ",
];

const MAX_BYLINE_CHARS: usize = 150;

/// The page's `<link rel="canonical">`, absolute and http(s), used to recognise one article
/// under several URLs. Refused when it points to another site (a page could otherwise claim to
/// be, and replace, any stored article) or to a site's front page (a common misconfiguration
/// that would merge every article of the site into one).
pub fn canonical_url(html: &str, page_url: &Url) -> Option<Url> {
    let head = &html.as_bytes()[..html.len().min(HEAD_SCAN_BYTES)];
    let href = TagScanner::new(head)
        .take_while(|tag| !(tag.kind == TagKind::Start && tag.name.as_str() == "body"))
        .filter(|tag| tag.kind == TagKind::Start && tag.name.as_str() == "link")
        .find(|tag| has_token(tag.attribute("rel").as_deref(), "canonical"))?
        .attribute("href")?
        .into_owned();
    let canonical = page_url.join(href.trim()).ok()?;
    let is_front_page = |url: &Url| url.path() == "/" && url.query().is_none();
    let acceptable = matches!(canonical.scheme(), "http" | "https")
        && same_site(&canonical, page_url)
        && (!is_front_page(&canonical) || is_front_page(page_url));
    acceptable.then_some(canonical)
}

/// The URL a saved page gives for itself (its canonical link, else `og:url`), when absolute
/// and http(s). For pages read from disk, whose address is otherwise unknown.
pub fn declared_url(html: &str) -> Option<Url> {
    let head = &html.as_bytes()[..html.len().min(HEAD_SCAN_BYTES)];
    let mut og_url = None;
    for tag in TagScanner::new(head) {
        if tag.kind != TagKind::Start {
            continue;
        }
        let found = match tag.name.as_str() {
            "body" => break,
            "link" if has_token(tag.attribute("rel").as_deref(), "canonical") => {
                tag.attribute("href")
            }
            "meta"
                if og_url.is_none() && tag.attribute("property").as_deref() == Some("og:url") =>
            {
                og_url = tag
                    .attribute("content")
                    .and_then(|url| absolute_web_url(&url));
                continue;
            }
            _ => continue,
        };
        if let Some(url) = found.and_then(|url| absolute_web_url(&url)) {
            return Some(url);
        }
    }
    og_url
}

fn absolute_web_url(text: &str) -> Option<Url> {
    Url::parse(text.trim())
        .ok()
        .filter(|url| matches!(url.scheme(), "http" | "https"))
}

fn has_token(list: Option<&str>, token: &str) -> bool {
    list.is_some_and(|list| {
        list.split_ascii_whitespace()
            .any(|item| item.eq_ignore_ascii_case(token))
    })
}

/// Hosts equal, or one a subdomain of the other, ignoring `www.`, `m.` and `amp.` prefixes.
fn same_site(a: &Url, b: &Url) -> bool {
    let bare = |url: &Url| -> Option<String> {
        let host = url.host_str()?.trim_end_matches('.').to_ascii_lowercase();
        let bare = ["www.", "m.", "amp."]
            .iter()
            .find_map(|prefix| host.strip_prefix(prefix))
            .map_or_else(|| host.clone(), str::to_owned);
        Some(bare)
    };
    match (bare(a), bare(b)) {
        (Some(a), Some(b)) => {
            a == b || a.ends_with(&format!(".{b}")) || b.ends_with(&format!(".{a}"))
        }
        _ => false,
    }
}

/// The headline without the site's name around it ("Headline | Site", "Site: Headline"), told
/// apart by the site's name, its host name, or the page's `<h1>` matching the other part; a
/// site's front page keeps its whole title. Falls back to the first words of the text when the
/// page has no title at all.
pub fn title(
    raw: &str,
    site_name: Option<&str>,
    headings: &[String],
    page_url: &Url,
    body_text: &str,
) -> String {
    let title = clean_decoded(raw);
    if title.is_empty() {
        return first_words(body_text);
    }
    // On a site's front page the site's name is what the page is about, not a suffix.
    if page_url.path() == "/" && page_url.query().is_none() {
        return title;
    }
    let names_site = |part: &str| names_site(part, site_name, page_url);
    let is_heading = |part: &str| {
        let part = squash(part);
        headings.iter().any(|heading| squash(heading) == part)
    };
    for separator in TITLE_SEPARATORS {
        if let Some((head, tail)) = title.rsplit_once(separator)
            && (names_site(tail) || is_heading(head))
            && !head.trim().is_empty()
        {
            return head.trim().to_owned();
        }
        if let Some((head, tail)) = title.split_once(separator)
            && (names_site(head) || is_heading(tail))
            && !tail.trim().is_empty()
        {
            return tail.trim().to_owned();
        }
    }
    title
}

/// Whether a part of a title is the site's name: its `og:site_name`, or its host name, maybe
/// with a word or two more ("Daily Spoon Online").
pub fn names_site(part: &str, site_name: Option<&str>, page_url: &Url) -> bool {
    let squashed = squash(part);
    is_site_name(part, site_name, page_url)
        || host_name(page_url.host_str().unwrap_or_default()).is_some_and(|name| {
            squashed.contains(name.as_str()) && squashed.len() <= name.len() + 12
        })
}

/// Whether a text is the site's name and nothing more: its `og:site_name`, or words all in its
/// host name ("Arch Linux" on bbs.archlinux.org).
pub fn is_site_name(text: &str, site_name: Option<&str>, page_url: &Url) -> bool {
    let host = squash(page_url.host_str().unwrap_or_default());
    let squashed = squash(text);
    let words: Vec<String> = significant_words(text).map(|word| squash(&word)).collect();
    site_name.is_some_and(|site| squash(site) == squashed)
        || (squashed.len() >= 4 && host.contains(&squashed))
        || (!words.is_empty() && words.iter().all(|word| host.contains(word.as_str())))
}

/// The page's title instead of its headline when the title is the headline with words more and
/// nothing that parts a site's or section's name from it: "8 Fish Recipes for Summer" over the
/// `<h1>` "Fish Recipes for Summer", not "Fish Recipes | Food".
pub fn fuller_title<'a>(headline: &'a str, title: &'a str) -> &'a str {
    let (lower_headline, lower_title) = (headline.to_lowercase(), title.to_lowercase());
    let extends = lower_title.len() > lower_headline.len()
        && lower_title.match_indices(&lower_headline).any(|(at, _)| {
            let (before, after) = (
                &lower_title[..at],
                &lower_title[at + lower_headline.len()..],
            );
            !before.ends_with(char::is_alphanumeric)
                && !after.starts_with(char::is_alphanumeric)
                && !TITLE_SEPARATORS
                    .iter()
                    .any(|separator| before.contains(separator) || after.contains(separator))
        });
    if extends { title } else { headline }
}

/// Whether the page's one `<h1>` can be its headline beside the title the page gives itself:
/// they share a word other than the site's name, or the title is only the site's name (or
/// nothing). An `<h1>` with no word of the title is a slogan or a section's name ("Your
/// content. Your canvas.", "Our Blog"), or a promotion that names the site.
pub fn headline_fits_title(
    headline: &str,
    raw_title: &str,
    site_name: Option<&str>,
    page_url: &Url,
) -> bool {
    let title = clean_decoded(raw_title);
    let lower = |word: String| word.to_lowercase();
    // The site's name is in most titles and in a promotion's heading ("A message from the
    // founder of SiliconANGLE") alike: sharing it does not show they name the same thing.
    let host = host_name(page_url.host_str().unwrap_or_default());
    let title_words: HashSet<String> = significant_words(&title)
        .filter(|word| !is_site_word(word, site_name, host.as_deref()))
        .map(lower)
        .collect();
    let mut headline_words = significant_words(headline).map(lower).peekable();
    headline_words.peek().is_none()
        || title_words.is_empty()
        || names_site(&title, site_name, page_url)
        || headline_words.any(|word| title_words.contains(&word))
}

/// Whether a word of a title is the site's name or part of it: a word of its `og:site_name`, or
/// one of four letters or more inside its registrable host name (`host`, see `host_name`:
/// `siliconangle` of `siliconangle.com`; not `new` or `com` of `news.example.com`).
fn is_site_word(word: &str, site_name: Option<&str>, host: Option<&str>) -> bool {
    let word = squash(word);
    site_name.is_some_and(|site| significant_words(site).any(|part| squash(&part) == word))
        || (word.len() >= 4 && host.is_some_and(|host| host.contains(word.as_str())))
}

/// The words of three letters or more.
pub(super) fn significant_words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|character: char| !character.is_alphanumeric())
        .filter(|word| word.chars().count() >= 3)
        .map(str::to_owned)
}

/// The distinctive part of a host: `www.daily-spoon.co.uk` -> `dailyspoon`. Registrable names
/// shorter than 4 letters are too likely to occur inside a headline word by chance.
fn host_name(host: &str) -> Option<String> {
    let labels: Vec<&str> = host.split('.').collect();
    let name = labels.iter().rev().skip(1).find(|label| {
        label.len() > 3 && !matches!(**label, "www" | "co" | "com" | "org" | "net")
    })?;
    Some(squash(name)).filter(|name| name.len() > 3)
}

/// Lower-case letters and digits only, to compare "The Daily-Spoon" with "thedailyspoon".
pub(super) fn squash(text: &str) -> String {
    text.chars()
        .filter(|character| character.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn first_words(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().take(12).collect();
    let mut title = words.join(" ");
    if text.split_whitespace().nth(12).is_some() {
        title.push('…');
    }
    title
}

/// What bylines print around the name.
const BYLINE_PREFIXES: &[&str] = &[
    "view all posts by ",
    "written by ",
    "posted by ",
    "post by ",
    "by: ",
    "by ",
    "von ",
    "par ",
];
/// Labels and links that byline markup holds besides (or instead of) a name.
const NOT_NAMES: &[&str] = &[
    "by",
    "posted by",
    "written by",
    "author",
    "the author",
    "topic author",
    "full bio",
    "sign in",
];
const BYLINE_SUFFIXES: &[&str] = &["published on", "posted on", "updated on", "updated", "on"];

/// "By Ann Example" -> "Ann Example", "Ann Lee · May 5, 2024" -> "Ann Lee"; URLs, numbers and
/// paragraphs mistaken for a byline are dropped.
pub fn byline(raw: Option<String>) -> Option<String> {
    let byline = clean(&raw?);
    let is_separator =
        |c: char| c.is_whitespace() || c.is_ascii_punctuation() || "·•»|–—".contains(c);
    let mut name = byline.as_str();
    if date_in_text(name).is_some() {
        let before = trim_suffixes(before_date(name).trim_end_matches(is_separator));
        name = if before.trim_matches(is_separator).is_empty() {
            // "Updated May 5, 2024 Written by Ann Lee": the name follows the date.
            let lower = byline.to_lowercase();
            lower
                .rfind("by ")
                .and_then(|at| byline.get(at..))
                .unwrap_or_default()
        } else {
            before
        };
    }
    let name = name.trim_matches(is_separator);
    let name = BYLINE_PREFIXES
        .iter()
        .find_map(|prefix| {
            name.get(..prefix.len())
                .filter(|start| start.eq_ignore_ascii_case(prefix))
                .map(|_| name[prefix.len()..].trim_start())
        })
        .unwrap_or(name);
    let plausible = !name.is_empty()
        && !NOT_NAMES
            .iter()
            .any(|label| name.eq_ignore_ascii_case(label))
        && name.chars().count() <= MAX_BYLINE_CHARS
        && !name.contains("://")
        // Without a letter it is an id ("262588213843476", a social profile's number).
        && name.chars().any(char::is_alphabetic)
        && date_in_text(name).is_none();
    plausible.then(|| name.to_owned())
}

fn trim_suffixes(text: &str) -> &str {
    BYLINE_SUFFIXES
        .iter()
        .find_map(|suffix| {
            let start = text.len().checked_sub(suffix.len())?;
            // `get`, not indexing: `start` may fall inside a character ("著者 山田").
            let (head, end) = (text.get(..start)?, text.get(start..)?);
            let whole_word = head.is_empty() || head.ends_with(' ');
            (whole_word && end.eq_ignore_ascii_case(suffix)).then(|| head.trim_end())
        })
        .unwrap_or(text)
}

/// The `datetime` of the first `<time>` in an article body.
pub fn first_time(body_html: &str) -> Option<String> {
    TagScanner::new(body_html.as_bytes())
        .filter(|tag| tag.kind == TagKind::Start && tag.name.as_str() == "time")
        .find_map(|tag| tag.attribute("datetime").map(|value| value.into_owned()))
}

/// A trimmed, control-free text, or `None` when nothing is left.
pub fn text_field(raw: Option<String>) -> Option<String> {
    Some(clean(&raw?)).filter(|text| !text.is_empty())
}

/// A BCP 47-looking tag (`en`, `pt-BR`, `zh-Hant-TW`); `en_US` (Open Graph's form) is mended.
pub fn language(raw: Option<String>) -> Option<String> {
    let tag = raw?.trim().replace('_', "-");
    let mut subtags = tag.split('-');
    let primary = subtags.next()?;
    let valid = (2..=3).contains(&primary.len())
        && primary.bytes().all(|byte| byte.is_ascii_alphabetic())
        && subtags.all(|subtag| {
            (1..=8).contains(&subtag.len())
                && subtag.bytes().all(|byte| byte.is_ascii_alphanumeric())
        });
    valid.then(|| {
        let mut subtags = tag.split('-');
        let primary = subtags.next().unwrap_or_default().to_ascii_lowercase();
        std::iter::once(primary)
            .chain(subtags.map(|subtag| match subtag.len() {
                2 => subtag.to_ascii_uppercase(),
                _ => subtag.to_owned(),
            }))
            .collect::<Vec<_>>()
            .join("-")
    })
}

/// An http(s) URL, made absolute against the page.
pub fn web_url(raw: Option<String>, page_url: &Url) -> Option<String> {
    let url = page_url.join(raw?.trim()).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| url.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> Url {
        Url::parse("https://www.daily-spoon.example/news/2024/fish").expect("a valid URL")
    }

    #[test]
    fn site_names_are_stripped_from_titles() {
        let url = page();
        for (raw, site, expected) in [
            (
                "Fish prices fall | The Daily Spoon",
                Some("The Daily Spoon"),
                "Fish prices fall",
            ),
            ("Fish prices fall - Daily Spoon", None, "Fish prices fall"),
            ("DailySpoon: Fish prices fall", None, "Fish prices fall"),
            (
                "Fish - the good, the bad | Spoon News",
                Some("Spoon News"),
                "Fish - the good, the bad",
            ),
            (
                "Fish prices fall - and rise again",
                None,
                "Fish prices fall - and rise again",
            ),
        ] {
            assert_eq!(title(raw, site, &[], &url, ""), expected, "{raw}");
        }
        assert_eq!(
            title(
                "Spoons, forks: a history | Cutlery Weekly",
                None,
                &["Spoons, forks: a history".to_owned()],
                &url,
                ""
            ),
            "Spoons, forks: a history"
        );
        assert_eq!(title("Fish - Spoon Daily", None, &[], &url, ""), "Fish");
        // A book's chapter page: the book's name and the chapter's are both `<h1>`s.
        let book = ["The Book of Fish".to_owned(), "Scales".to_owned()];
        assert_eq!(
            title("Scales - The Book of Fish", None, &book, &url, ""),
            "Scales"
        );
        assert_eq!(
            title("Fish &#8230; and chips", None, &[], &url, ""),
            "Fish … and chips"
        );
        assert_eq!(title("  ", None, &[], &url, "one two"), "one two");
        let front_page = Url::parse("https://www.daily-spoon.example/").expect("a valid URL");
        assert_eq!(
            title("Daily Spoon: news about spoons", None, &[], &front_page, ""),
            "Daily Spoon: news about spoons"
        );
    }

    #[test]
    fn a_title_that_is_the_headline_with_words_more_wins() {
        for (headline, title, expected) in [
            (
                "Fish Recipes for Summer",
                "8 Fish Recipes for Summer",
                "8 Fish Recipes for Summer",
            ),
            (
                "Remote Chef Jobs",
                "Remote Chef Jobs (May 2026)",
                "Remote Chef Jobs (May 2026)",
            ),
            ("Fish recipes", "Fish Recipes | Food", "Fish recipes"),
            ("Fish recipes", "Fish recipes - Food", "Fish recipes"),
            ("Fish recipes", "Fish recipes • Food", "Fish recipes"),
            ("Fish recipes", "Fish recipes ~ Food", "Fish recipes"),
            ("Fish recipes", "Fish recipesandmore", "Fish recipes"),
            ("Fish recipes", "Fish recipes", "Fish recipes"),
            ("Fish recipes", "Summer Soups", "Fish recipes"),
        ] {
            assert_eq!(fuller_title(headline, title), expected, "{title}");
        }
    }

    #[test]
    fn a_headline_of_the_host_name_alone_is_the_site() {
        let forum = Url::parse("https://bbs.fishtalk.example/viewtopic?t=5").expect("a URL");
        assert!(is_site_name("Fish Talk", None, &forum));
        assert!(!is_site_name("Fish Talk bans bait", None, &forum));
        assert!(names_site("Fish Talk Forums", None, &forum));
    }

    #[test]
    fn headlines_that_share_no_word_with_the_title_are_slogans() {
        let url = page();
        let fits = |headline: &str, title: &str| headline_fits_title(headline, title, None, &url);
        assert!(fits(
            "Fish prices fall",
            "Fish prices fall again | Daily Spoon"
        ));
        assert!(!fits(
            "Your catch. Your way.",
            "Fish market software | Daily Spoon"
        ));
        assert!(fits("Fish prices fall", "Daily Spoon"));
        assert!(fits("Fish prices fall", ""));
        assert!(fits("AI UX", "Something else"));
        // Sharing only the site's name, by `og:site_name` or by address.
        let promotion = "A message from the founder of Daily Spoon:";
        assert!(!fits(promotion, "Fish prices fall again | Daily Spoon"));
        let harbour = Url::parse("https://harbour.example/news/fish").expect("a valid URL");
        let named = |title: &str| headline_fits_title(promotion, title, Some("Spoon"), &harbour);
        assert!(!named("Fish prices | Spoon"));
        assert!(named("Founder of the fish market retires | Spoon"));
        // Words the address holds only by chance are not the site's name.
        let news = Url::parse("https://news.example.com/2024/fish").expect("a valid URL");
        let on_news = |headline: &str| {
            headline_fits_title(
                headline,
                "Morning news from the harbour | Example",
                None,
                &news,
            )
        };
        assert!(on_news("News roundup"));
        assert!(!on_news("Example roundup"));
    }

    #[test]
    fn canonical_links_are_checked() {
        let url = page();
        let canonical = |html: &str| canonical_url(html, &url).map(String::from);
        assert_eq!(
            canonical(r#"<head><link rel="alternate canonical" href="/news/fish?x=1&amp;y=2">"#)
                .as_deref(),
            Some("https://www.daily-spoon.example/news/fish?x=1&y=2")
        );
        assert_eq!(
            canonical(r#"<link rel=canonical href="https://amp.daily-spoon.example/f">"#)
                .as_deref(),
            Some("https://amp.daily-spoon.example/f")
        );
        for refused in [
            r#"<link rel=canonical href="https://other.example/news/fish">"#,
            r#"<link rel=canonical href="javascript:alert(1)">"#,
            r#"<link rel=canonical href="/">"#,
            r#"<body><link rel=canonical href="/news/x">"#,
            r#"<link rel=stylesheet href="/news/x">"#,
        ] {
            assert_eq!(canonical(refused), None, "{refused}");
        }
    }

    #[test]
    fn bylines_and_languages_are_tidied() {
        assert_eq!(
            byline(Some(" By  Ann\nExample ".into())).as_deref(),
            Some("Ann Example")
        );
        assert_eq!(byline(Some("https://social.example/ann".into())), None);
        for (raw, expected) in [
            ("Ann Lee · May 5, 2024", Some("Ann Lee")),
            ("Post by ann_lee » 11. Sep 2024, 18:36", Some("ann_lee")),
            ("Ann Lee Published on July 18, 2025", Some("Ann Lee")),
            ("Updated May 5, 2024 Written by Ann Lee", Some("Ann Lee")),
            (", Harbour Post", Some("Harbour Post")),
            ("By", None),
            ("Posted by", None),
            ("View all posts by Ann Lee", Some("Ann Lee")),
            ("Sign In", None),
            ("Jason Upton", Some("Jason Upton")),
            ("Updated on May 5, 2024", None),
            ("著者 山田 · May 5, 2024", Some("著者 山田")),
            ("262588213843476", None),
            ("ann_1987", Some("ann_1987")),
        ] {
            assert_eq!(byline(Some(raw.into())).as_deref(), expected, "{raw}");
        }
        assert_eq!(language(Some("en_us".into())).as_deref(), Some("en-US"));
        assert_eq!(
            language(Some("zh-Hant-TW".into())).as_deref(),
            Some("zh-Hant-TW")
        );
        assert_eq!(language(Some("english please".into())), None);
    }
}
