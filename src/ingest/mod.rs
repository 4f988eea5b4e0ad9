//! Turning sources (archive text files, fetched pages) into articles ready to store.
//! Nothing in here knows about HTTP serving or SQL.

pub mod archive_file;
pub mod archive_text;
pub mod decode;
pub mod extract;
pub mod fetch;
pub mod markdown;
pub mod sanitize;
pub mod submitted_url;
pub mod url_key;

use serde::{Deserialize, Serialize};

/// What a parser or extractor found in one source, before it is stored.
/// `body_html` is already sanitized; every other text is plain and is escaped when rendered.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ParsedArticle {
    pub title: String,
    /// The publication date as the source printed it.
    pub published_raw: Option<String>,
    /// The same date parsed: `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM:SS` (with `Z` when the zone is known).
    pub published_at: Option<String>,
    pub byline: Option<String>,
    /// Short lines printed before the first paragraph: photo credits, bylines.
    pub credits: Vec<String>,
    pub body_html: String,
    /// The body as plain text, paragraphs separated by blank lines.
    pub body_text: String,
    /// The site's "Related article" promotions, kept apart from the body.
    pub related: Vec<RelatedLink>,
    pub original_url: Option<String>,
    pub site_name: Option<String>,
    pub language: Option<String>,
    pub lead_image: Option<String>,
    /// What the parser had to guess or could not find (logged by the importer).
    #[serde(skip)]
    pub warnings: Vec<String>,
}

/// One promotion of another article ("Related article: [title](target)").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelatedLink {
    pub title: String,
    /// Only http(s) targets are kept; `#` (not archived) becomes `None`.
    pub url: Option<String>,
}
