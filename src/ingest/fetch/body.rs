//! Reading a page's body within the size limit, and refusing what is not HTML.

use futures_util::StreamExt;

use super::error::{FetchError, error_chain};

/// Refuses a declared content type that is not HTML. A missing one is let through: the bytes
/// are sniffed once read.
pub(crate) fn refuse_non_html_type(content_type: Option<&str>) -> Result<(), FetchError> {
    let Some(content_type) = content_type else {
        return Ok(());
    };
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "text/html" | "application/xhtml+xml" | "" => Ok(()),
        _ => Err(FetchError::NotHtml(describe_type(&essence))),
    }
}

/// The content type in words, for the person who submitted the page.
fn describe_type(essence: &str) -> String {
    let (kind, _) = essence.split_once('/').unwrap_or((essence, ""));
    let described = match (kind, essence) {
        (_, "application/pdf") => "a PDF document",
        (_, "application/octet-stream") => "a binary file",
        (_, "application/json") => "JSON data",
        (_, "application/zip") => "a ZIP archive",
        (_, "application/xml" | "text/xml") => "an XML document",
        (_, "application/rss+xml" | "application/atom+xml") => "a news feed",
        (_, "text/plain") => "a plain text file",
        ("image", _) => "an image",
        ("audio", _) => "an audio file",
        ("video", _) => "a video",
        _ => return format!("a file of type {}", printable_type(essence)),
    };
    described.to_owned()
}

/// The type as the server sent it, cut short and kept to the characters a media type uses, since
/// it ends up in a page shown to the reader.
fn printable_type(essence: &str) -> String {
    essence
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "/+-.".contains(*c))
        .take(60)
        .collect()
}

/// File signatures of formats that servers mislabel as `text/html`.
const SIGNATURES: &[(&[u8], &str)] = &[
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "a compressed file"),
];

/// Refuses a body whose first bytes show it is a PDF, an image or an archive, whatever its
/// content type said. Leading whitespace is skipped, as PDF readers do.
pub(crate) fn refuse_non_html_bytes(body: &[u8]) -> Result<(), FetchError> {
    let start = body
        .iter()
        .position(|byte| !byte.is_ascii_whitespace())
        .unwrap_or(body.len());
    let body = &body[start..];
    let webp = body.len() >= 12 && &body[..4] == b"RIFF" && &body[8..12] == b"WEBP";
    if webp {
        return Err(FetchError::NotHtml("a WebP image".to_owned()));
    }
    match SIGNATURES
        .iter()
        .find(|(signature, _)| body.starts_with(signature))
    {
        Some((_, what)) => Err(FetchError::NotHtml((*what).to_owned())),
        None => Ok(()),
    }
}

/// Reads the body, decompressed, and stops as soon as it would pass `limit` bytes. Memory stays
/// at most `limit` plus one chunk, whatever the headers claimed.
pub(crate) async fn read_within_limit(
    response: reqwest::Response,
    limit: usize,
) -> Result<Vec<u8>, FetchError> {
    // Only known without compression: with it, reqwest cannot tell the decompressed size.
    if response
        .content_length()
        .is_some_and(|declared| declared > limit as u64)
    {
        return Err(FetchError::TooLarge);
    }
    let mut body = Vec::new();
    let mut chunks = response.bytes_stream();
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.map_err(|error| FetchError::Client(error_chain(&error)))?;
        if body.len() + chunk.len() > limit {
            return Err(FetchError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_types_pass() {
        for allowed in [
            None,
            Some("text/html"),
            Some("TEXT/HTML; charset=Shift_JIS"),
            Some("application/xhtml+xml"),
            Some(" text/html ;charset=utf-8"),
            Some(""),
        ] {
            assert_eq!(refuse_non_html_type(allowed), Ok(()), "{allowed:?}");
        }
    }

    #[test]
    fn other_types_are_named_in_words() {
        let cases = [
            ("application/pdf", "a PDF document"),
            ("image/png", "an image"),
            ("application/octet-stream", "a binary file"),
            ("video/mp4; codecs=x", "a video"),
            ("text/plain; charset=utf-8", "a plain text file"),
            (
                "application/x-<script>",
                "a file of type application/x-script",
            ),
        ];
        for (content_type, what) in cases {
            assert_eq!(
                refuse_non_html_type(Some(content_type)),
                Err(FetchError::NotHtml(what.to_owned())),
                "{content_type}"
            );
        }
    }

    #[test]
    fn binary_signatures_are_refused() {
        let cases: [(&[u8], &str); 7] = [
            (b"%PDF-1.7\n", "a PDF document"),
            (b"\n  %PDF-1.4", "a PDF document"),
            (b"\x89PNG\r\n\x1a\n\0\0", "a PNG image"),
            (b"GIF89a\x01\x00", "a GIF image"),
            (b"\xff\xd8\xff\xe0", "a JPEG image"),
            (b"PK\x03\x04rest", "a ZIP archive"),
            (b"RIFF\0\0\0\0WEBPVP8 ", "a WebP image"),
        ];
        for (bytes, what) in cases {
            assert_eq!(
                refuse_non_html_bytes(bytes),
                Err(FetchError::NotHtml(what.to_owned()))
            );
        }
    }

    #[test]
    fn html_bytes_pass() {
        for bytes in [
            &b"<!doctype html><p>%PDF-"[..],
            b"",
            b"   ",
            b"\xef\xbb\xbf<html>",
        ] {
            assert_eq!(refuse_non_html_bytes(bytes), Ok(()));
        }
    }
}
