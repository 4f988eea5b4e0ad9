//! Article bodies as `article_bodies` holds them: zstd-compressed UTF-8, each part compressed
//! against the one it was derived from (the html against the raw source, the text against the
//! html), or plain text for the bodies that migration 0007 moved there as they were.

use std::borrow::Cow;
use std::io::{self, Read, Write};

use sqlx::error::BoxDynError;
use sqlx::sqlite::{SqliteRow, SqliteTypeInfo, SqliteValueRef};
use sqlx::{Decode, FromRow, Row, Sqlite, Type, TypeInfo, ValueRef};

use crate::error::Error;

/// zstd's level for what the store compresses: its default, a third of a text's size at a few
/// hundred MB/s.
const LEVEL: i32 = 3;

/// The largest raw source an article's html is compressed against. Reading the html then
/// decompresses the source too: for an archive file or a small page that is a few
/// microseconds, for a page of many hundred kilobytes it would be most of an article page's
/// cost. The html of a larger page is compressed on its own.
const LARGEST_RAW_DICTIONARY: usize = 64 * 1024;

/// Bytes compressed on their own: pages as they were received, the archive's originals, which
/// never depend on anything derived from them.
pub(super) fn compress(bytes: &[u8]) -> Result<Vec<u8>, Error> {
    Ok(zstd::bulk::compress(bytes, LEVEL)?)
}

/// A zstd skippable frame (magic `0x184D2A5E`, 4 bytes of content) in front of what was
/// compressed against other bytes; zstd readers pass over it. The frame after it needs those
/// bytes as its dictionary.
const fn mark(name: [u8; 4]) -> [u8; 12] {
    [
        0x5E, 0x2A, 0x4D, 0x18, 4, 0, 0, 0, name[0], name[1], name[2], name[3],
    ]
}

const AGAINST_HTML: [u8; 12] = mark(*b"html");
const AGAINST_RAW: [u8; 12] = mark(*b"raw ");

/// `bytes` compressed with `dictionary` as raw content it may refer back to, behind `mark`.
fn compress_against(mark: &[u8], bytes: &[u8], dictionary: &[u8]) -> io::Result<Vec<u8>> {
    let mut encoder =
        zstd::stream::write::Encoder::with_ref_prefix(mark.to_vec(), LEVEL, dictionary)?;
    encoder.write_all(bytes)?;
    encoder.finish()
}

/// Bytes stored by [`compress_against`] behind `mark`, or compressed on their own. The
/// dictionary is asked for only when the bytes need it.
fn decompress_against<'d>(
    mark: &[u8],
    stored: &[u8],
    dictionary: impl FnOnce() -> io::Result<Cow<'d, [u8]>>,
) -> io::Result<Vec<u8>> {
    let Some(frame) = stored.strip_prefix(mark) else {
        return zstd::decode_all(stored);
    };
    let dictionary = dictionary()?;
    let mut bytes = Vec::new();
    zstd::stream::read::Decoder::with_ref_prefix(frame, &dictionary)?.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// An article's html, compressed against its raw source (which holds the same words) unless
/// the source is larger than [`LARGEST_RAW_DICTIONARY`]. Both are written by the same
/// statement batch; re-extraction writes a new html against the same source.
pub(super) fn compress_html(html: &str, raw: &[u8]) -> Result<Vec<u8>, Error> {
    if raw.len() > LARGEST_RAW_DICTIONARY {
        return compress(html.as_bytes());
    }
    Ok(compress_against(&AGAINST_RAW, html.as_bytes(), raw)?)
}

/// An article's text, compressed with the article's html as the dictionary: it costs a tenth
/// of what it does compressed alone. Read back by [`StoredText::read`] with the same html.
pub(super) fn compress_text(text: &str, html: &str) -> Result<Vec<u8>, Error> {
    Ok(compress_against(
        &AGAINST_HTML,
        text.as_bytes(),
        html.as_bytes(),
    )?)
}

/// An article's text as `article_bodies` holds it, read with its html by [`StoredText::read`].
#[derive(Debug, Clone)]
pub enum StoredText {
    /// Moved by migration 0007 as it was.
    Plain(String),
    Compressed(Vec<u8>),
}

impl StoredText {
    pub fn read(&self, html: &str) -> Result<String, Error> {
        match self {
            Self::Plain(text) => Ok(text.clone()),
            Self::Compressed(stored) => {
                let text = decompress_against(&AGAINST_HTML, stored, || {
                    Ok(Cow::Borrowed(html.as_bytes()))
                })?;
                String::from_utf8(text).map_err(|error| sqlx::Error::Decode(error.into()).into())
            }
        }
    }
}

impl Type<Sqlite> for StoredText {
    fn type_info() -> SqliteTypeInfo {
        Stored::type_info()
    }

    fn compatible(ty: &SqliteTypeInfo) -> bool {
        Stored::compatible(ty)
    }
}

impl<'r> Decode<'r, Sqlite> for StoredText {
    fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
        Ok(match Stored::decode(value)? {
            Stored::Plain(text) => Self::Plain(text),
            Stored::Compressed(bytes) => Self::Compressed(bytes.to_vec()),
        })
    }
}

/// A body column's value as SQLite holds it: plain TEXT (moved by migration 0007) or a BLOB.
enum Stored<'r> {
    Plain(String),
    Compressed(&'r [u8]),
}

impl Type<Sqlite> for Stored<'_> {
    fn type_info() -> SqliteTypeInfo {
        <Vec<u8> as Type<Sqlite>>::type_info()
    }

    fn compatible(ty: &SqliteTypeInfo) -> bool {
        <Vec<u8> as Type<Sqlite>>::compatible(ty) || <String as Type<Sqlite>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Sqlite> for Stored<'r> {
    fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
        if value.type_info().name() == "TEXT" {
            return Ok(Self::Plain(<String as Decode<Sqlite>>::decode(value)?));
        }
        Ok(Self::Compressed(<&[u8] as Decode<Sqlite>>::decode(value)?))
    }
}

/// The columns [`ArticleHtml`] reads, for a query over `articles AS a` with `article_bodies AS b`
/// and [`join_raw!`]: the html, and the raw source only when the html was compressed against it
/// (`x'…'` is [`AGAINST_RAW`]), so a large page is not read for nothing.
macro_rules! html_columns {
    () => {
        "b.html AS body_html,
         CASE WHEN substr(b.html, 1, 12) = x'5E2A4D180400000072617720' THEN r.bytes END AS raw"
    };
}
pub(super) use html_columns;

/// The join [`html_columns!`] reads the raw source through.
macro_rules! join_raw {
    () => {
        " LEFT JOIN raw_sources AS r ON r.article_id = a.id "
    };
}
pub(super) use join_raw;

/// An article's html read back, whichever way it was stored, from a row's `body_html` and `raw`
/// (the raw source as `raw_sources` holds it, NULL when none is kept). Read into a `String`
/// field with `#[sqlx(flatten, try_from = "ArticleHtml")]`.
pub struct ArticleHtml(String);

impl From<ArticleHtml> for String {
    fn from(html: ArticleHtml) -> Self {
        html.0
    }
}

impl<'r> FromRow<'r, SqliteRow> for ArticleHtml {
    fn from_row(row: &'r SqliteRow) -> Result<Self, sqlx::Error> {
        let stored = match row.try_get("body_html")? {
            Stored::Plain(html) => return Ok(Self(html)),
            Stored::Compressed(stored) => stored,
        };
        let raw = || match row.try_get::<Option<&[u8]>, _>("raw") {
            Ok(Some(raw)) => Ok(Cow::Owned(zstd::decode_all(raw)?)),
            Ok(None) => Err(io::Error::other(
                "the html is stored against a raw source that is missing",
            )),
            Err(error) => Err(io::Error::other(error)),
        };
        let html = decompress_against(&AGAINST_RAW, stored, raw)
            .map_err(|error| sqlx::Error::Decode(error.into()))?;
        Ok(Self(
            String::from_utf8(html).map_err(|error| sqlx::Error::Decode(error.into()))?,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RAW: &str = "Title: Harbour budget\nSource: Harbour Gazette\n\n## Harbour budget\n\nThe \
                       council met on Tuesday to agree the budget for the harbour, after a winter \
                       of storms closed the quay.\n";
    const HTML: &str = "<h2>Harbour budget</h2><p>The council met on Tuesday to agree the \
                        budget for the harbour, after a winter of storms closed the quay.</p>";
    const TEXT: &str = "Harbour budget\n\nThe council met on Tuesday to agree the budget for \
                        the harbour, after a winter of storms closed the quay.";

    fn read_text(stored: Vec<u8>, html: &str) -> Result<String, Error> {
        StoredText::Compressed(stored).read(html)
    }

    fn read_html(stored: &[u8], raw: &[u8]) -> io::Result<Vec<u8>> {
        decompress_against(&AGAINST_RAW, stored, || Ok(Cow::Borrowed(raw)))
    }

    #[test]
    fn text_comes_back_as_it_was_written() {
        let stored = compress_text(TEXT, HTML).expect("compress");
        let alone = compress(TEXT.as_bytes()).expect("compress alone");
        assert!(
            stored.len() * 2 < alone.len(),
            "{} vs {}",
            stored.len(),
            alone.len()
        );
        assert_eq!(read_text(stored, HTML).expect("decompress"), TEXT);
        assert_eq!(
            read_text(alone, HTML).expect("text stored alone still reads"),
            TEXT
        );
    }

    #[test]
    fn text_written_with_the_html_as_a_zstd_dictionary_still_reads() {
        let frame = zstd::bulk::Compressor::with_dictionary(LEVEL, HTML.as_bytes())
            .and_then(|mut compressor| compressor.compress(TEXT.as_bytes()))
            .expect("compress");
        let stored = [AGAINST_HTML.as_slice(), &frame].concat();
        assert_eq!(read_text(stored, HTML).expect("decompress"), TEXT);
    }

    #[test]
    fn text_read_against_other_html_is_an_error_not_other_words() {
        let stored = compress_text(TEXT, HTML).expect("compress");
        assert_ne!(
            read_text(stored, "<p>Something else entirely.</p>").ok(),
            Some(TEXT.to_owned())
        );
    }

    #[test]
    fn html_is_compressed_against_a_small_raw_source() {
        let stored = compress_html(HTML, RAW.as_bytes()).expect("compress");
        let alone = compress(HTML.as_bytes()).expect("compress alone");
        assert!(stored.starts_with(&AGAINST_RAW));
        assert!(
            stored.len() * 2 < alone.len(),
            "{} vs {}",
            stored.len(),
            alone.len()
        );
        assert_eq!(
            read_html(&stored, RAW.as_bytes()).expect("decompress"),
            HTML.as_bytes()
        );
        assert_eq!(
            read_html(&alone, b"").expect("html stored alone"),
            HTML.as_bytes()
        );
    }

    #[test]
    fn a_raw_source_that_looks_like_a_zstd_dictionary_is_still_plain_bytes() {
        let raw = [&0xEC30_A437_u32.to_le_bytes()[..], RAW.as_bytes()].concat();
        let stored = compress_html(HTML, &raw).expect("compress");
        assert_eq!(
            read_html(&stored, &raw).expect("decompress"),
            HTML.as_bytes()
        );
    }

    #[test]
    fn the_html_columns_know_the_mark() {
        let hex: String = AGAINST_RAW
            .iter()
            .map(|byte| format!("{byte:02X}"))
            .collect();
        assert!(html_columns!().contains(&format!("x'{hex}'")));
    }

    #[test]
    fn the_html_of_a_large_page_is_compressed_on_its_own() {
        let raw = RAW.repeat(LARGEST_RAW_DICTIONARY / RAW.len() + 1);
        let stored = compress_html(HTML, raw.as_bytes()).expect("compress");
        assert!(!stored.starts_with(&AGAINST_RAW));
        assert_eq!(
            zstd::decode_all(stored.as_slice()).expect("decompress"),
            HTML.as_bytes()
        );
    }
}
