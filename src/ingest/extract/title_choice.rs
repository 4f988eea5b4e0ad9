//! Which of a page's names is the article's title when the `<h1>` and the declared title differ.

use std::collections::HashSet;

use percent_encoding::percent_decode_str;
use url::Url;

use super::fields::{TITLE_SEPARATORS, significant_words};

/// Where a title is cut into parts: at every separator of a site's name except ": ", which more
/// often joins a headline's own halves ("Coffee: the health benefits") than a site's name to it.
const HALVES_OF_A_HEADLINE: &str = ": ";

/// File endings that name the server's software, not the article.
const PAGE_EXTENSIONS: &[&str] = &[".html", ".htm", ".shtml", ".php", ".aspx", ".asp", ".cfm"];

/// Last parts of a path that name a view of the article, not the article: its slug is the part
/// before them (`/best-appliances/amp`, `/news/page/2`).
const VIEW_SEGMENTS: &[&str] = &["amp", "print", "index", "page", "comments", "all", "full"];

/// A headline the title does not confirm is still kept when the page's address names it by at
/// least this many words, and by more than it names the title.
const MIN_ADDRESS_WORDS: usize = 2;

/// A part of a title extends the headline with at most this many words before it ("Gymshark
/// Arrival T-Shirt", "What is Fitness Training?"); more are another sentence or a keyword list
/// put in front ("Reusable Coffee Cups Joco Cup"). Words after it are not counted ("Index
/// Funds: How to Invest").
const MAX_WORDS_BEFORE: usize = 2;

/// Lower-case words of letters and digits.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|character: char| !character.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
}

/// The words of three letters or more in the page's slug: the last part of its path that has
/// letters and is not a view of the article (`/2025/05/best-appliances.html`,
/// `/t/best-appliances/4471`, `/best-appliances/amp`), numbers (ids, dates) left out. Many sites
/// make it from the headline; where it is an id or a section, it names too few words to count.
fn address_words(page_url: &Url) -> HashSet<String> {
    let Some(segments) = page_url.path_segments() else {
        return HashSet::new();
    };
    segments
        .rev()
        .map(|segment| percent_decode_str(segment).decode_utf8_lossy())
        .map(|segment| {
            PAGE_EXTENSIONS
                .iter()
                .find_map(|extension| segment.strip_suffix(extension))
                .unwrap_or(&segment)
                .to_lowercase()
        })
        .find(|name| name.contains(char::is_alphabetic) && !VIEW_SEGMENTS.contains(&name.as_str()))
        .map(|name| {
            significant_words(&name)
                .filter(|word| !word.chars().all(char::is_numeric))
                .collect()
        })
        .unwrap_or_default()
}

/// How many of `address`'s words the text has.
fn words_named(text: &str, address: &HashSet<String>) -> usize {
    let found: HashSet<String> = words(text).filter(|word| address.contains(word)).collect();
    found.len()
}

/// Whether the page's address names the headline better than the title: on a landing page, or
/// beside a title of other words, the `<h1>` is then the article's name and not a slogan.
pub fn address_names_headline(headline: &str, title: &str, page_url: &Url) -> bool {
    let address = address_words(page_url);
    let for_headline = words_named(headline, &address);
    for_headline >= MIN_ADDRESS_WORDS && for_headline > words_named(title, &address)
}

/// The part of one of the page's titles (split where a site's or section's name would be
/// joined) that holds the headline's words in a row and more, with at most two words and no
/// colon before them: "Gymshark Arrival T-Shirt" from "Gymshark Arrival T-Shirt | Black |
/// Gymshark" for the `<h1>` "Arrival T-Shirt", never "Live: Harbour wall to be rebuilt" for
/// "Harbour wall to be rebuilt" (a section's label).
pub fn part_extending<'a>(
    headline: &str,
    titles: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let headline_words: Vec<String> = words(headline).collect();
    if headline_words.is_empty() {
        return None;
    }
    titles.into_iter().flat_map(parts).find(|part| {
        let part_words: Vec<String> = words(part).collect();
        // A match must start before the first colon's words end, if the part has one.
        let words_before_colon = part
            .split_once(HALVES_OF_A_HEADLINE)
            .map_or(usize::MAX, |(before, _)| words(before).count());
        part_words.len() > headline_words.len()
            && part_words
                .windows(headline_words.len())
                .take((MAX_WORDS_BEFORE + 1).min(words_before_colon))
                .any(|window| window == headline_words.as_slice())
    })
}

/// A title cut at every separator of a site's name but ": ".
fn parts(title: &str) -> Vec<&str> {
    TITLE_SEPARATORS
        .iter()
        .filter(|separator| **separator != HALVES_OF_A_HEADLINE)
        .fold(vec![title], |parts, separator| {
            parts
                .into_iter()
                .flat_map(|part| part.split(separator))
                .collect()
        })
        .into_iter()
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).expect("a test URL")
    }

    #[test]
    fn the_address_names_a_headline_by_its_slug_without_ids_or_endings() {
        let page = url("https://news.example/2025/05/1234-best-major-appliances-2025.html");
        assert!(address_names_headline(
            "The best major appliances",
            "Our picks",
            &page
        ));
        assert!(!address_names_headline(
            "The best major appliances",
            "Best major appliances of the year",
            &page
        ));
        assert!(!address_names_headline("Best in 2025", "Our picks", &page));
        let encoded = url("https://blog.example/posts/caf%C3%A9-cr%C3%A8me-recette/");
        assert!(address_names_headline(
            "Café crème : la recette",
            "Accueil",
            &encoded
        ));
        let ampersand = url("https://records.example/rock-&-roll-history/amp");
        assert!(address_names_headline(
            "A short rock & roll history",
            "Records",
            &ampersand
        ));
        assert!(!address_names_headline(
            "Welcome home",
            "Accueil",
            &url("https://example.com/")
        ));
    }

    #[test]
    fn a_title_part_extends_a_headline_only_with_its_words_in_a_row() {
        let titles = ["Gymshark Arrival T-Shirt | Black | Gymshark"];
        assert_eq!(
            part_extending("Arrival T-Shirt", titles),
            Some("Gymshark Arrival T-Shirt")
        );
        assert_eq!(part_extending("T-Shirt Arrival", titles), None);
        assert_eq!(part_extending("Gymshark Arrival T-Shirt", titles), None);
        assert_eq!(part_extending("", titles), None);
        assert_eq!(
            part_extending("Index funds", ["Index Funds: How to Invest | Bank"]),
            Some("Index Funds: How to Invest")
        );
        assert_eq!(
            part_extending(
                "Harbour wall to be rebuilt",
                ["Live: Harbour wall to be rebuilt"]
            ),
            None
        );
        assert_eq!(
            part_extending("Joco Cup", ["Glass Reusable Coffee Cups Joco Cup 4oz"]),
            None
        );
    }
}
