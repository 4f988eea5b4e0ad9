//! Article bodies as `article_bodies` holds them: zstd-compressed UTF-8 (the text compressed
//! against the html), or plain text for the bodies that migration 0007 moved there as they were.

use std::io::Read;

use sqlx::error::BoxDynError;
use sqlx::sqlite::{SqliteTypeInfo, SqliteValueRef};
use sqlx::{Decode, Sqlite, Type, TypeInfo, ValueRef};

use crate::error::Error;

/// zstd's level for what the store compresses: its default, a third of a text's size at a few
/// hundred MB/s.
const LEVEL: i32 = 3;

/// Bytes compressed on their own: an article's html, and pages as they were received. A page
/// is the archive's original and never depends on anything derived from it.
pub(super) fn compress(bytes: &[u8]) -> Result<Vec<u8>, Error> {
    Ok(zstd::bulk::compress(bytes, LEVEL)?)
}

/// The mark in front of what was compressed against its article's html: a zstd skippable frame
/// (magic `0x184D2A5E`, 4 bytes of content, "html"), which zstd readers pass over. The zstd frame
/// after it needs the html as its dictionary.
const AGAINST_HTML: [u8; 12] = [0x5E, 0x2A, 0x4D, 0x18, 4, 0, 0, 0, b'h', b't', b'm', b'l'];

/// An article's text, compressed with the article's html as the dictionary. The html holds the
/// same words, so the text costs a tenth of what it does compressed alone. Read back with
/// [`decompress_against_html`] and the same html: both are written by the same statement, and
/// both come from the same extraction (of the page kept in `raw_sources`, which is compressed on
/// its own).
pub(super) fn compress_against_html(bytes: &[u8], html: &str) -> Result<Vec<u8>, Error> {
    let frame = zstd::bulk::Compressor::with_dictionary(LEVEL, html.as_bytes())?.compress(bytes)?;
    Ok([AGAINST_HTML.as_slice(), &frame].concat())
}

/// Bytes stored by [`compress_against_html`] against `html`, or (saved before that) compressed
/// on their own.
pub(super) fn decompress_against_html(stored: &[u8], html: &str) -> Result<Vec<u8>, Error> {
    let Some(frame) = stored.strip_prefix(AGAINST_HTML.as_slice()) else {
        return Ok(zstd::decode_all(stored)?);
    };
    let mut bytes = Vec::new();
    zstd::stream::read::Decoder::with_dictionary(frame, html.as_bytes())?
        .read_to_end(&mut bytes)?;
    Ok(bytes)
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
            Self::Compressed(stored) => String::from_utf8(decompress_against_html(stored, html)?)
                .map_err(|error| sqlx::Error::Decode(error.into()).into()),
        }
    }
}

impl Type<Sqlite> for StoredText {
    fn type_info() -> SqliteTypeInfo {
        StoredBody::type_info()
    }

    fn compatible(ty: &SqliteTypeInfo) -> bool {
        StoredBody::compatible(ty)
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

impl<'r> Stored<'r> {
    fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
        if value.type_info().name() == "TEXT" {
            return Ok(Self::Plain(<String as Decode<Sqlite>>::decode(value)?));
        }
        Ok(Self::Compressed(<&[u8] as Decode<Sqlite>>::decode(value)?))
    }
}

/// An article's html read back, whichever way it was stored. Read into a `String` field with
/// `#[sqlx(try_from = "StoredBody")]`.
pub struct StoredBody(String);

impl From<StoredBody> for String {
    fn from(body: StoredBody) -> Self {
        body.0
    }
}

impl Type<Sqlite> for StoredBody {
    fn type_info() -> SqliteTypeInfo {
        <Vec<u8> as Type<Sqlite>>::type_info()
    }

    fn compatible(ty: &SqliteTypeInfo) -> bool {
        <Vec<u8> as Type<Sqlite>>::compatible(ty) || <String as Type<Sqlite>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Sqlite> for StoredBody {
    fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
        Ok(Self(match Stored::decode(value)? {
            Stored::Plain(html) => html,
            Stored::Compressed(bytes) => String::from_utf8(zstd::decode_all(bytes)?)?,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HTML: &str = "<h2>Harbour budget</h2><p>The council met on Tuesday to agree the \
                        budget for the harbour, after a winter of storms closed the quay.</p>";
    const TEXT: &str = "Harbour budget\n\nThe council met on Tuesday to agree the budget for \
                        the harbour, after a winter of storms closed the quay.";

    #[test]
    fn text_comes_back_as_it_was_written() {
        let stored = compress_against_html(TEXT.as_bytes(), HTML).expect("compress");
        assert_eq!(
            decompress_against_html(&stored, HTML).expect("decompress"),
            TEXT.as_bytes()
        );
        let alone = compress(TEXT.as_bytes()).expect("compress alone");
        assert!(
            stored.len() * 2 < alone.len(),
            "{} vs {}",
            stored.len(),
            alone.len()
        );
        assert_eq!(
            decompress_against_html(&alone, HTML).expect("text stored alone still reads"),
            TEXT.as_bytes()
        );
    }

    #[test]
    fn text_read_against_other_html_is_an_error_not_other_words() {
        let stored = compress_against_html(TEXT.as_bytes(), HTML).expect("compress");
        assert_ne!(
            decompress_against_html(&stored, "<p>Something else entirely.</p>").ok(),
            Some(TEXT.as_bytes().to_vec())
        );
    }
}
