//! The search box's query language, turned into an FTS5 expression and filters.
//!
//! `words` (all must match), `"exact phrase"`, `-excluded`, `prefix*`, `site:host`,
//! `before:YYYY-MM-DD`, `after:YYYY-MM-DD`. Whatever a person types is safe: every word reaches
//! FTS5 inside double quotes, so operators (`AND`, `NEAR`, `^`, parentheses) are plain words.

use std::borrow::Cow;

use chrono::NaiveDate;

/// More terms than this are ignored: no one types them, and each costs a posting-list scan.
const MAX_TERMS: usize = 16;
/// Longer queries are cut; a search box is not a document.
const MAX_QUERY_CHARS: usize = 500;

/// A parsed search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchQuery {
    terms: Vec<Term>,
    pub site: Option<String>,
    /// `sort_key` bound: articles dated before this day.
    pub before: Option<String>,
    /// `sort_key` bound: articles dated on or after the day after this one.
    pub after: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Term {
    /// Words that must appear in this order (one word for a plain term).
    words: Vec<String>,
    prefix: bool,
    excluded: bool,
}

impl SearchQuery {
    pub fn parse(input: &str) -> Self {
        let input: String = input.chars().take(MAX_QUERY_CHARS).collect();
        let mut query = Self::default();
        for (token, quoted, excluded) in split_query(&input) {
            if !quoted && !excluded && query.take_filter(&token) {
                continue;
            }
            let prefix = !quoted && token.ends_with('*');
            let words = words_of(token.trim_end_matches('*'));
            if !words.is_empty() && query.terms.len() < MAX_TERMS {
                query.terms.push(Term {
                    words,
                    prefix,
                    excluded,
                });
            }
        }
        query
    }

    /// `site:`, `before:` and `after:`; false when the token is none of them (or is malformed,
    /// in which case it is searched as words).
    fn take_filter(&mut self, token: &str) -> bool {
        let Some((name, value)) = token.split_once(':') else {
            return false;
        };
        match name.to_ascii_lowercase().as_str() {
            "site" => {
                let host = crate::ingest::url_key::normalise_site(value);
                let valid = !host.is_empty()
                    && host
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"-.".contains(&b));
                valid.then(|| self.site = Some(host)).is_some()
            }
            "before" => parse_day(value)
                .map(|day| self.before = Some(format!("{day}")))
                .is_some(),
            "after" => parse_day(value)
                .and_then(|day| day.succ_opt())
                .map(|next| self.after = Some(format!("{next}")))
                .is_some(),
            _ => false,
        }
    }

    /// The FTS5 MATCH expression, or `None` when there is nothing to match on: no words, or
    /// only excluded ones (FTS5 cannot match "everything but").
    pub fn match_expression(&self) -> Option<String> {
        let wanted: Vec<String> = self
            .terms
            .iter()
            .filter(|t| !t.excluded)
            .map(Term::fts)
            .collect();
        if wanted.is_empty() {
            return None;
        }
        let mut expression = wanted.join(" AND ");
        // The site's words narrow the matches inside the index; the store still checks the
        // site itself, since the words also match `big-city-news.example` for `city-news.example`.
        if let Some(site) = &self.site {
            let site = Term {
                words: words_of(site),
                prefix: false,
                excluded: false,
            };
            expression = format!("{expression} AND site : {}", site.fts());
        }
        for term in self.terms.iter().filter(|t| t.excluded) {
            expression = format!("({expression}) NOT {}", term.fts());
        }
        Some(expression)
    }

    /// About two dozen words of `text` around the first match, matched words between
    /// [`SNIPPET_START`] and [`SNIPPET_END`]; the opening words when nothing in it matches.
    pub fn snippet(&self, text: &str) -> String {
        const BEFORE: usize = 8;
        const LENGTH: usize = 24;
        let wanted: Vec<(String, bool)> = self
            .terms
            .iter()
            .filter(|term| !term.excluded)
            .flat_map(|term| {
                let last = term.words.len().saturating_sub(1);
                term.words
                    .iter()
                    .enumerate()
                    .map(move |(i, word)| (fold(word), term.prefix && i == last))
            })
            .collect();
        let matches = |word: &str| {
            let word = if word.is_ascii() {
                Cow::Borrowed(word)
            } else {
                Cow::Owned(fold(word))
            };
            wanted.iter().any(|(term, prefix)| {
                let head = if *prefix {
                    word.get(..term.len())
                } else {
                    Some(word.as_ref())
                };
                head.is_some_and(|head| head.eq_ignore_ascii_case(term))
            })
        };
        let words = word_spans(text);
        let first = words
            .iter()
            .position(|&(start, end)| matches(&text[start..end]))
            .unwrap_or(0);
        let from = first.saturating_sub(BEFORE);
        let to = (from + LENGTH).min(words.len());
        let Some(&(start, _)) = words.get(from) else {
            return String::new();
        };
        let mut snippet = String::from(if from > 0 { "…" } else { "" });
        let mut at = start;
        for &(word_start, word_end) in &words[from..to] {
            snippet.push_str(&text[at..word_start]);
            let word = &text[word_start..word_end];
            if matches(word) {
                snippet.extend([
                    SNIPPET_START.to_string(),
                    word.to_owned(),
                    SNIPPET_END.to_string(),
                ]);
            } else {
                snippet.push_str(word);
            }
            at = word_end;
        }
        if to < words.len() {
            snippet.push('…');
        } else {
            snippet.push_str(&text[at..]);
        }
        snippet.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    pub fn has_words(&self) -> bool {
        self.terms.iter().any(|term| !term.excluded)
    }

    pub fn has_filters(&self) -> bool {
        self.site.is_some() || self.before.is_some() || self.after.is_some()
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() && !self.has_filters()
    }
}

impl Term {
    fn fts(&self) -> String {
        let phrase = format!("\"{}\"", self.words.join(" ").replace('"', "\"\""));
        if self.prefix {
            format!("{phrase}*")
        } else {
            phrase
        }
    }
}

/// Splits on whitespace, keeping `"quoted phrases"` (an unclosed quote runs to the end) and a
/// leading `-` that excludes. Yields (text, quoted, excluded).
fn split_query(input: &str) -> Vec<(String, bool, bool)> {
    let mut tokens = Vec::new();
    let mut rest = input.trim_start();
    while !rest.is_empty() {
        let (excluded, body) = match rest.strip_prefix('-') {
            Some(body) if !body.is_empty() && !body.starts_with(char::is_whitespace) => {
                (true, body)
            }
            _ => (false, rest),
        };
        let (token, quoted, after) = match body.strip_prefix('"') {
            Some(quoted) => match quoted.split_once('"') {
                Some((phrase, after)) => (phrase, true, after),
                None => (quoted, true, ""),
            },
            None => match body.split_once(char::is_whitespace) {
                Some((word, after)) => (word, false, after),
                None => (body, false, ""),
            },
        };
        tokens.push((token.to_owned(), quoted, excluded));
        rest = after.trim_start();
    }
    tokens
}

fn parse_day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// The words of a text as the index sees them: runs of letters and digits, each CJK character a
/// word of its own (CJK is written without spaces).
fn words_of(text: &str) -> Vec<String> {
    index_text(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Text prepared for the index: CJK characters spaced out so that each is a token, and the
/// snippet markers removed so they can only come from the highlighter.
pub fn index_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        if c == SNIPPET_START || c == SNIPPET_END {
            continue;
        }
        if is_cjk(c) {
            out.push(' ');
            out.push(c);
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// Byte ranges of the words of a text as the index sees them (a CJK character is a word).
fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if is_cjk(c) {
            if let Some(s) = start.take() {
                spans.push((s, i));
            }
            spans.push((i, i + c.len_utf8()));
        } else if c.is_alphanumeric() {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            spans.push((s, i));
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    spans
}

/// A word as the index compares it: lower case, diacritics removed (CJK left as it is).
fn fold(word: &str) -> String {
    if word.chars().any(is_cjk) {
        word.to_owned()
    } else {
        deunicode::deunicode(word).to_lowercase()
    }
}

/// Undoes [`index_text`]'s spacing in a snippet: spaces between CJK characters go.
fn unspace_cjk(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let before = chars[..i]
                .iter()
                .rev()
                .find(|c| **c != ' ' && **c != SNIPPET_START && **c != SNIPPET_END);
            let after = chars[i + 1..]
                .iter()
                .find(|c| **c != ' ' && **c != SNIPPET_START && **c != SNIPPET_END);
            if before.is_some_and(|c| is_cjk(*c)) && after.is_some_and(|c| is_cjk(*c)) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// Marks around a highlighted word in snippets (characters that never occur in indexed text).
pub const SNIPPET_START: char = '\u{2}';
pub const SNIPPET_END: char = '\u{3}';

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // CJK Compatibility Ideographs
        | 0x20000..=0x2FA1F) // Extensions B-F, Compatibility Supplement
}

/// Splits a snippet into plain and matched parts.
pub fn snippet_parts(snippet: &str) -> Vec<(String, bool)> {
    let text = unspace_cjk(snippet);
    let mut parts = Vec::new();
    for (i, piece) in text.split(SNIPPET_START).enumerate() {
        match (i, piece.split_once(SNIPPET_END)) {
            (0, _) | (_, None) => parts.push((piece.to_owned(), false)),
            (_, Some((matched, rest))) => {
                parts.push((matched.to_owned(), true));
                parts.push((rest.to_owned(), false));
            }
        }
    }
    parts.retain(|(text, _)| !text.is_empty());
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fts(input: &str) -> Option<String> {
        SearchQuery::parse(input).match_expression()
    }

    #[test]
    fn words_phrases_prefixes_and_exclusions() {
        assert_eq!(
            fts("harbour ferries").as_deref(),
            Some(r#""harbour" AND "ferries""#)
        );
        assert_eq!(
            fts(r#""old quay" ferr*"#).as_deref(),
            Some(r#""old quay" AND "ferr"*"#)
        );
        assert_eq!(
            fts("ferries -storm").as_deref(),
            Some(r#"("ferries") NOT "storm""#)
        );
        assert_eq!(fts("-storm"), None);
        assert_eq!(
            fts("ferries site:www.Harbour-News.example -storm").as_deref(),
            Some(r#"("ferries" AND site : "harbour news example") NOT "storm""#)
        );
    }

    #[test]
    fn operators_and_punctuation_are_plain_words() {
        assert_eq!(
            fts("cats AND NEAR(dogs) OR ^x").as_deref(),
            Some(r#""cats" AND "AND" AND "NEAR dogs" AND "OR" AND "x""#)
        );
        assert_eq!(
            fts(r#"unbalanced "quote here"#).as_deref(),
            Some(r#""unbalanced" AND "quote here""#)
        );
        assert_eq!(fts("*"), None);
        assert_eq!(fts("( ) ^ \" - *"), None);
        assert_eq!(fts("🎉 party").as_deref(), Some(r#""party""#));
        let long = "word ".repeat(5000);
        assert_eq!(
            fts(&long).map(|e| e.matches("AND").count()),
            Some(MAX_TERMS - 1)
        );
    }

    #[test]
    fn filters() {
        let query =
            SearchQuery::parse("site:WWW.Alpha.example before:2026-05-01 after:2026-04-01 ferries");
        assert_eq!(query.site.as_deref(), Some("alpha.example"));
        assert_eq!(query.before.as_deref(), Some("2026-05-01"));
        assert_eq!(query.after.as_deref(), Some("2026-04-02"));
        assert_eq!(
            query.match_expression().as_deref(),
            Some(r#""ferries" AND site : "alpha example""#)
        );
        let malformed = SearchQuery::parse("before:yesterday");
        assert_eq!(malformed.before, None);
        assert_eq!(
            malformed.match_expression().as_deref(),
            Some(r#""before yesterday""#)
        );
    }

    #[test]
    fn cjk_characters_are_words_of_their_own() {
        assert_eq!(fts("北京").as_deref(), Some(r#""北 京""#));
        assert_eq!(index_text("在北京会谈"), " 在  北  京  会  谈 ");
        assert_eq!(
            unspace_cjk("a 在  \u{2}北\u{3}  京 and more"),
            "a 在\u{2}北\u{3}京 and more"
        );
    }

    #[test]
    fn snippets_mark_matches_around_the_first_one() {
        let query = SearchQuery::parse("cafe own*");
        let text = "One two three four five six seven eight nine ten: the Café OWNERS met.";
        assert_eq!(
            query.snippet(text),
            "…four five six seven eight nine ten: the \u{2}Café\u{3} \u{2}OWNERS\u{3} met."
        );
        assert_eq!(
            SearchQuery::parse("北京").snippet("在北京会谈"),
            "在\u{2}北\u{3}\u{2}京\u{3}会谈"
        );
        assert_eq!(
            SearchQuery::parse("absent").snippet("Short text."),
            "Short text."
        );
    }

    #[test]
    fn snippets_split_into_plain_and_matched_parts() {
        let parts = snippet_parts("the \u{2}old\u{3} quay <b>\u{2}x\u{3}");
        let expected = [
            ("the ", false),
            ("old", true),
            (" quay <b>", false),
            ("x", true),
        ];
        assert_eq!(parts, expected.map(|(t, m)| (t.to_owned(), m)));
    }
}
