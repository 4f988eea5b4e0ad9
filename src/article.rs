//! The domain: article ids, slugs and permalinks.

use std::fmt;

use sha2::{Digest, Sha256};

/// The permanent identity of an article: 16 lowercase hex digits.
///
/// It comes from the archive file name when there is one, otherwise it is derived from the
/// article's normalised URL or text, so rebuilding a database from the same sources gives every
/// article the same id again.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArticleId(String);

impl ArticleId {
    pub const LEN: usize = 16;

    /// Accepts exactly 16 hex digits, in either case; stores them lower case.
    pub fn parse(text: &str) -> Option<Self> {
        (text.len() == Self::LEN && text.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| Self(text.to_ascii_lowercase()))
    }

    /// The id carried by an archive file name such as `000_70abc109823b7fac.txt`.
    pub fn from_file_name(file_name: &str) -> Option<Self> {
        let stem = file_name.strip_suffix(".txt").unwrap_or(file_name);
        let (_, tail) = stem.rsplit_once('_')?;
        Self::parse(tail)
    }

    /// The first 16 hex digits of SHA-256 of `source` (a normalised URL, or failing that a text).
    pub fn derived_from(source: &[u8]) -> Self {
        let digest = Sha256::digest(source);
        Self(hex::encode(&digest[..Self::LEN / 2]))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The cosmetic, human-readable part of a permalink: ASCII, transliterated from the title.
/// May be empty (a title of symbols only); the permalink then has no slug segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slug(String);

impl Slug {
    const MAX_LEN: usize = 80;

    pub fn from_title(title: &str) -> Self {
        let full = slug::slugify(title);
        if full.len() <= Self::MAX_LEN {
            return Self(full);
        }
        let cut = &full[..Self::MAX_LEN];
        let cut = cut.rsplit_once('-').map_or(cut, |(head, _)| head);
        Self(cut.trim_end_matches('-').to_owned())
    }

    /// Rebuilds a slug that was made by [`Slug::from_title`] and stored.
    pub fn from_stored(stored: String) -> Self {
        Self(stored)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The canonical address of an article: `/a/{id}/{slug}`, or `/a/{id}` when the slug is empty.
pub fn permalink(id: &ArticleId, slug: &Slug) -> String {
    if slug.0.is_empty() {
        format!("/a/{id}")
    } else {
        format!("/a/{id}/{}", slug.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_comes_from_the_archive_file_name() {
        let id = ArticleId::from_file_name("000_70abc109823b7fac.txt").map(|id| id.0);
        assert_eq!(id.as_deref(), Some("70abc109823b7fac"));
        assert_eq!(ArticleId::from_file_name("notes.txt"), None);
        assert_eq!(ArticleId::from_file_name("000_70abc109823b7fa.txt"), None);
        assert_eq!(ArticleId::from_file_name("000_70abc109823b7fxz.txt"), None);
    }

    #[test]
    fn parse_rejects_anything_but_sixteen_hex_digits() {
        assert!(ArticleId::parse("70ABC109823B7FAC").is_some());
        assert!(ArticleId::parse("70abc109823b7fa").is_none());
        assert!(ArticleId::parse("70abc109823b7fac0").is_none());
        assert!(ArticleId::parse("../../etc/passwd").is_none());
    }

    #[test]
    fn derived_ids_are_stable() {
        let a = ArticleId::derived_from(b"https://example.com/story");
        assert_eq!(a, ArticleId::derived_from(b"https://example.com/story"));
        assert_ne!(a, ArticleId::derived_from(b"https://example.com/other"));
        assert_eq!(a.as_str().len(), 16);
    }

    #[test]
    fn slugs_are_ascii_and_never_an_empty_segment() {
        let id = ArticleId::derived_from(b"x");
        assert_eq!(
            Slug::from_title("Putin and Xi Sign 'Multipolar World' Declaration").as_str(),
            "putin-and-xi-sign-multipolar-world-declaration"
        );
        assert_eq!(Slug::from_title("Путин и Си").as_str(), "putin-i-si");
        assert!(!Slug::from_title("北京会谈").as_str().is_empty());
        assert_eq!(permalink(&id, &Slug::from_title("!!!")), format!("/a/{id}"));
        let long = Slug::from_title(&"word ".repeat(40));
        assert!(long.as_str().len() <= 80 && !long.as_str().ends_with('-'));
    }
}
