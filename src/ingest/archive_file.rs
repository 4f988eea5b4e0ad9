//! Reading one archive text file from disk into an article ready to save (from the page kept
//! beside it, for an exported article that was fetched).

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use url::Url;

use super::ParsedArticle;
use super::archive_text;
use super::decode::decode_text;
use super::extract::extract_page;
use super::url_key::{site_of, url_key};
use crate::article::ArticleId;
use crate::store::{NewArticle, PreparedArticle, SourceKind};

/// Larger files are not articles; refusing them keeps a stray disk image from filling memory.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// An archive file read and parsed, with what the parser had to guess.
pub struct ArchiveFile {
    pub path: PathBuf,
    pub article: PreparedArticle,
    pub warnings: Vec<String>,
}

/// A file that was not imported, and why.
#[derive(Debug)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: String,
}

impl Skipped {
    pub fn new(path: &Path, reason: impl Into<String>) -> Self {
        Self {
            path: path.to_owned(),
            reason: reason.into(),
        }
    }
}

/// Reads a regular file (capped at [`MAX_FILE_BYTES`]), decodes and parses it.
pub fn read_archive_file(path: &Path) -> Result<ArchiveFile, Skipped> {
    let file_name = path
        .file_name()
        .and_then(|name| name.to_str())
        .ok_or_else(|| Skipped::new(path, "file name is not valid UTF-8"))?;
    let raw = read_capped(path).map_err(|reason| Skipped::new(path, reason))?;
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Err(Skipped::new(path, "empty file"));
    }
    let decoded = decode_text(&raw);
    let mut warnings = Vec::new();
    if !decoded.was_utf8 {
        warnings.push(format!("not UTF-8, read as {}", decoded.encoding));
    }
    let mut parsed = archive_text::parse(&decoded.text);
    if parsed.title.trim().is_empty() && parsed.body_text.trim().is_empty() {
        // A byte order mark, or spaces of other scripts, and nothing else.
        return Err(Skipped::new(path, "no title and no text"));
    }
    warnings.append(&mut parsed.warnings);
    let url = parsed
        .original_url
        .as_deref()
        .and_then(|url| Url::parse(url).ok());
    let key = url.as_ref().map(url_key);
    let named = ArticleId::from_file_name(file_name);
    let fetched = match &named {
        Some(_) => article_from_page_beside(path, url.as_ref()).unwrap_or_else(|reason| {
            warnings.push(format!(
                "the page beside it was not read ({reason}): imported as text"
            ));
            None
        }),
        None => None,
    };
    let id = named.unwrap_or_else(|| match &key {
        Some(key) => ArticleId::derived_from(key.as_bytes()),
        None => {
            ArticleId::derived_from(format!("{}\n\n{}", parsed.title, parsed.body_text).as_bytes())
        }
    });
    let site = url.as_ref().and_then(site_of);
    let (parsed, source_kind, source_name, raw) = match fetched {
        Some((extracted, page)) => (
            extracted,
            SourceKind::Fetched,
            url.map_or_else(|| file_name.to_owned(), String::from),
            page,
        ),
        None => (parsed, SourceKind::ArchiveFile, file_name.to_owned(), raw),
    };
    let article = NewArticle {
        id,
        site,
        url_key: key,
        parsed,
        source_kind,
        source_name,
        raw,
    };
    let article = article
        .prepare()
        .map_err(|error| Skipped::new(path, error.to_string()))?;
    Ok(ArchiveFile {
        path: path.to_owned(),
        article,
        warnings,
    })
}

/// The article read from the page as received kept beside an exported one (`NNN_<id>.html`
/// beside `NNN_<id>.txt`, see `tearsheet export`), with that page, when there is one: read as
/// it was when fetched, it keeps the page for `tearsheet reextract`. `Err` says why a page
/// that is there could not be used.
fn article_from_page_beside(
    path: &Path,
    page_url: Option<&Url>,
) -> Result<Option<(ParsedArticle, Vec<u8>)>, String> {
    let page = path.with_extension("html");
    match std::fs::symlink_metadata(&page) {
        Ok(metadata) if metadata.is_file() => {
            let page = read_capped(&page)?;
            let extracted = extract_page(&page, None, page_url)
                .article
                .map_err(|error| error.to_string())?;
            Ok(Some((extracted, page)))
        }
        _ => Ok(None),
    }
}

fn read_capped(path: &Path) -> Result<Vec<u8>, String> {
    let file = File::open(path).map_err(|error| error.to_string())?;
    let metadata = file.metadata().map_err(|error| error.to_string())?;
    if !metadata.is_file() {
        return Err("not a regular file".to_owned());
    }
    let mut raw = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0).min(1 << 20));
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut raw)
        .map_err(|error| error.to_string())?;
    if raw.len() as u64 > MAX_FILE_BYTES {
        return Err(format!("larger than {} MiB", MAX_FILE_BYTES >> 20));
    }
    Ok(raw)
}
