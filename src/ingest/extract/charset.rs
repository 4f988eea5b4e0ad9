//! Bytes of a web page to text: what is not text is refused, the rest decoded to UTF-8 from its
//! declared or detected encoding.

use std::borrow::Cow;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8};

use super::ExtractError;
use super::tags::{TagKind, TagScanner};

/// Signatures of the binary formats most often served where a page was expected.
const BINARY_SIGNATURES: &[(&[u8], &str)] = &[
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive or office document"),
    (b"\x1f\x8b", "a compressed (gzip) file"),
    (b"OggS", "an audio or video file"),
    (b"ID3", "an audio file"),
    (b"wOFF", "a font"),
    (b"wOF2", "a font"),
    (b"\x7fELF", "a program"),
];

/// How far into the page a `<meta charset>` is looked for. Browsers stop at 1 KB, but many pages
/// declare it later (after inline scripts or styles), and a wrong guess garbles the whole text.
const META_SCAN_BYTES: usize = 64 * 1024;

/// Refuses bytes that are a binary format (PDF, images, archives...) whatever the server
/// called them, before they are decoded and parsed as HTML.
pub fn check_is_html(body: &[u8]) -> Result<(), ExtractError> {
    if let Some((_, kind)) = BINARY_SIGNATURES
        .iter()
        .find(|(signature, _)| body.starts_with(signature))
    {
        return Err(ExtractError::NotHtml(kind));
    }
    let is_riff_image = body.starts_with(b"RIFF") && body.get(8..12) == Some(b"WEBP");
    let is_iso_media = body.get(4..8) == Some(b"ftyp");
    if is_riff_image {
        return Err(ExtractError::NotHtml("a WebP image"));
    }
    if is_iso_media {
        return Err(ExtractError::NotHtml("a video or image file"));
    }
    // Text in UTF-16 has NULs too, but then starts with a byte-order mark.
    let start = &body[..body.len().min(1024)];
    if Encoding::for_bom(body).is_none() && start.contains(&0) {
        return Err(ExtractError::NotHtml("a binary file"));
    }
    Ok(())
}

/// Decodes a page to UTF-8. The encoding comes from, in order: a byte-order mark, the
/// Content-Type header's `charset`, a `<meta charset>` or `<meta http-equiv>` in the head, and
/// otherwise from the bytes themselves. Invalid sequences become U+FFFD; NULs and other C0
/// control characters except whitespace are removed.
pub fn decode_html(body: &[u8], content_type: Option<&str>) -> String {
    let (encoding, body) = match Encoding::for_bom(body) {
        Some((encoding, bom_length)) => (encoding, &body[bom_length..]),
        None => (declared_or_detected(body, content_type), body),
    };
    let (text, _) = encoding.decode_without_bom_handling(body);
    remove_control_characters(text)
}

fn declared_or_detected(body: &[u8], content_type: Option<&str>) -> &'static Encoding {
    let declared = content_type
        .and_then(charset_parameter)
        .or_else(|| meta_charset(body));
    match declared {
        // A declared legacy encoding over bytes that are valid, non-ASCII UTF-8 is nearly always
        // a server default left unchanged (`charset=ISO-8859-1`); Western text in a single-byte
        // encoding is practically never valid UTF-8 by accident.
        Some(encoding) if encoding != UTF_8 && is_utf8_text(body) => UTF_8,
        Some(encoding) => encoding,
        None => detect(body),
    }
}

/// `text/html; charset="Shift_JIS"` -> Shift_JIS.
fn charset_parameter(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|parameter| {
        let (name, value) = parameter.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        encoding_for_label(value.trim().trim_matches(['"', '\'']))
    })
}

/// The encoding a `<meta>` in the page's head declares, as the HTML prescan finds it.
fn meta_charset(body: &[u8]) -> Option<&'static Encoding> {
    let head = &body[..body.len().min(META_SCAN_BYTES)];
    for tag in TagScanner::new(head) {
        if tag.kind == TagKind::Start && tag.name.as_str() == "body" {
            return None;
        }
        if tag.kind != TagKind::Start || tag.name.as_str() != "meta" {
            continue;
        }
        if let Some(encoding) = tag
            .attribute("charset")
            .and_then(|label| encoding_for_label(&label))
        {
            return Some(encoding);
        }
        let is_content_type = tag
            .attribute("http-equiv")
            .is_some_and(|value| value.trim().eq_ignore_ascii_case("content-type"));
        if let Some(encoding) = tag
            .attribute("content")
            .filter(|_| is_content_type)
            .and_then(|content| charset_parameter(&content))
        {
            return Some(encoding);
        }
    }
    None
}

/// A label as the Encoding Standard reads it. A page that says it is UTF-16 but was read as
/// ASCII-compatible bytes is UTF-8, as browsers also decide.
fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    let encoding = Encoding::for_label(label.trim().as_bytes())?;
    Some(encoding.output_encoding())
}

fn is_utf8_text(body: &[u8]) -> bool {
    !body.is_ascii() && std::str::from_utf8(body).is_ok()
}

/// Guesses the encoding of undeclared bytes. Valid UTF-8 is UTF-8; mostly-UTF-8 with a few
/// broken sequences may still be guessed as UTF-8 and decoded with replacements.
fn detect(body: &[u8]) -> &'static Encoding {
    if std::str::from_utf8(body).is_ok() {
        return UTF_8;
    }
    // ISO-2022-JP is left out, as browsers do: it is rare and can hide markup in escapes.
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(body, true);
    detector.guess(None, Utf8Detection::Allow)
}

/// NULs and other control characters have no place in an article and break some consumers
/// (SQLite text functions, terminals); tab, line feed, form feed and carriage return stay.
fn remove_control_characters(text: Cow<'_, str>) -> String {
    let is_removed = |character: char| {
        character.is_control() && !matches!(character, '\t' | '\n' | '\u{c}' | '\r')
    };
    if !text.contains(is_removed) {
        return text.into_owned();
    }
    let mut kept = String::with_capacity(text.len());
    for run in text.split(is_removed) {
        kept.push_str(run);
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_formats_are_not_pages() {
        assert_eq!(
            check_is_html(b"%PDF-1.7\n%"),
            Err(ExtractError::NotHtml("a PDF document"))
        );
        assert!(check_is_html(b"\x89PNG\r\n\x1a\n\0\0").is_err());
        assert!(check_is_html(b"<html>\0").is_err());
        assert!(check_is_html(b"\xff\xfe<\0h\0").is_ok());
        assert!(check_is_html(b"  <!doctype html><p>%PDF-").is_ok());
    }

    #[test]
    fn byte_order_mark_wins() {
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend("<p>Grüße</p>".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(
            decode_html(&utf16, Some("text/html; charset=iso-8859-1")),
            "<p>Grüße</p>"
        );
    }

    #[test]
    fn header_then_meta_then_detection() {
        let latin1 = b"<meta charset=utf-8><p>caf\xe9</p>";
        assert_eq!(
            decode_html(latin1, Some("text/html; charset=windows-1252")),
            "<meta charset=utf-8><p>café</p>"
        );
        let late_meta = [b"<head><script>".as_slice(), &[b' '; 3000], b"</script><meta http-equiv=Content-Type content='text/html; charset=koi8-r'><p>\xf0\xd2\xc9\xd7\xc5\xd4</p>"].concat();
        assert!(decode_html(&late_meta, None).ends_with("<p>Привет</p>"));
        let undeclared = "<p>Überraschung für Straßenbahnfahrer: größere Wagen</p>";
        let (windows_1252, _, _) = encoding_rs::WINDOWS_1252.encode(undeclared);
        assert_eq!(decode_html(&windows_1252, None), undeclared);
    }

    #[test]
    fn utf8_beats_a_wrong_legacy_declaration_and_controls_go() {
        let text = "<p>naïve\u{0} text\u{7}</p>";
        assert_eq!(
            decode_html(text.as_bytes(), Some("text/html; charset=ISO-8859-1")),
            "<p>naïve text</p>"
        );
        assert_eq!(
            decode_html(b"<p>\xff\xfe\xfd", Some("text/html; charset=utf-8")),
            "<p>\u{fffd}\u{fffd}\u{fffd}"
        );
    }
}
