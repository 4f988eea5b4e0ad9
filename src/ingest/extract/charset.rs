//! Bytes of a web page to text: what is not text is refused, the rest decoded to UTF-8 from its
//! declared or detected encoding, and text the site itself encoded twice repaired.

use std::borrow::Cow;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use url::Url;

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
/// otherwise from the bytes themselves, with the top-level domain of the page's address
/// (`page_url`, when known) as a hint, as browsers give it. Invalid sequences become U+FFFD; text
/// the site itself encoded twice is repaired (see `repair_double_encoding`); NULs and other
/// control characters except whitespace are removed.
pub fn decode_html(body: &[u8], content_type: Option<&str>, page_url: Option<&Url>) -> String {
    let (encoding, body) = match Encoding::for_bom(body) {
        Some((encoding, bom_length)) => (encoding, &body[bom_length..]),
        None => (declared_or_detected(body, content_type, page_url), body),
    };
    let (text, _) = encoding.decode_without_bom_handling(body);
    let text = match repair_double_encoding(&text) {
        Some(repaired) => Cow::Owned(repaired),
        None => text,
    };
    remove_control_characters(text)
}

fn declared_or_detected(
    body: &[u8],
    content_type: Option<&str>,
    page_url: Option<&Url>,
) -> &'static Encoding {
    let declared = content_type
        .and_then(charset_parameter)
        .or_else(|| meta_charset(body));
    match declared {
        // A declared legacy encoding over bytes that are valid, non-ASCII UTF-8 is nearly always
        // a server default left unchanged (`charset=ISO-8859-1`); Western text in a single-byte
        // encoding is practically never valid UTF-8 by accident.
        Some(encoding) if encoding != UTF_8 && is_utf8_text(body) => UTF_8,
        Some(encoding) => encoding,
        None => detect(body, page_url.and_then(top_level_domain)),
    }
}

/// The rightmost label of the address's domain (`jp` for `news.example.co.jp`), in the form
/// the detector takes: ASCII lower case (internationalized ones in Punycode, as `Url` keeps
/// them for web addresses). `None` without a domain (an IP address, a `file:` URL), and for a
/// label of any other characters, which the host of another scheme may keep as written: the
/// detector panics on upper case, periods and non-ASCII.
fn top_level_domain(page_url: &Url) -> Option<&str> {
    page_url
        .domain()?
        .rsplit('.')
        .find(|label| !label.is_empty())
        .filter(|label| {
            label
                .bytes()
                .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-')
        })
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

/// Guesses the encoding of undeclared bytes served from a domain under `tld`. Valid UTF-8 is
/// UTF-8; mostly-UTF-8 with a few broken sequences may still be guessed as UTF-8 and decoded
/// with replacements.
fn detect(body: &[u8], tld: Option<&str>) -> &'static Encoding {
    if std::str::from_utf8(body).is_ok() {
        return UTF_8;
    }
    // ISO-2022-JP is left out, as browsers do: it is rare and can hide markup in escapes.
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(body, true);
    detector.guess(tld.map(str::as_bytes), Utf8Detection::Allow)
}

/// The number of bytes in a UTF-8 sequence that starts with `lead`, for a lead byte of two to
/// four.
fn sequence_length(lead: u8) -> Option<usize> {
    match lead {
        0xC2..=0xDF => Some(2),
        0xE0..=0xEF => Some(3),
        0xF0..=0xF4 => Some(4),
        _ => None,
    }
}

/// The byte that Latin-1 or windows-1252 shows as `character`.
fn single_byte(character: char) -> Option<u8> {
    if let Ok(byte) = u8::try_from(character) {
        return Some(byte);
    }
    // `™` is the last character windows-1252 has.
    if character > '™' {
        return None;
    }
    let mut utf8 = [0; 4];
    let (bytes, _, unmappable) = WINDOWS_1252.encode(character.encode_utf8(&mut utf8));
    match *bytes {
        [byte] if !unmappable => Some(byte),
        _ => None,
    }
}

/// The character whose UTF-8 bytes the characters at the start of `text` show one byte each
/// (`â€™` for `’`), and how many characters that is.
fn double_encoded_at(text: &str) -> Option<(char, usize)> {
    let mut bytes = [0; 4];
    let mut characters = text.chars();
    let lead = single_byte(characters.next()?)?;
    let length = sequence_length(lead)?;
    bytes[0] = lead;
    for byte in &mut bytes[1..length] {
        *byte = single_byte(characters.next()?).filter(|byte| (0x80..=0xBF).contains(byte))?;
    }
    let character = std::str::from_utf8(&bytes[..length]).ok()?.chars().next()?;
    Some((character, length))
}

/// How Latin-1 shows the lead bytes of UTF-8's two-byte sequences for U+0080 to U+00FF (`é` is
/// `Ã©`, a no-break space `Â `); no language writes these letters before a symbol.
const LATIN_1_LEADS: [char; 2] = ['Â', 'Ã'];

/// How Latin-1 shows the lead bytes of UTF-8's sequences for punctuation (`’` is `â€™`, `™` is
/// `â„¢`) and for emoji (`ðŸ˜€`).
const PUNCTUATION_AND_EMOJI_LEADS: [char; 2] = ['â', 'ð'];

/// Whether a double-encoded character surely starts at `text`: one shown with a C1 control,
/// which text never has, or punctuation or an emoji shown with one of the symbols windows-1252
/// puts at 0x80 to 0x9F (`â€™`). A letter before a symbol is no proof: `Spaß“` and `CAFÉ™` are
/// meant.
fn is_surely_double_encoded(text: &str) -> bool {
    let Some((_, length)) = double_encoded_at(text) else {
        return false;
    };
    let mut shown = text.chars();
    let lead = shown.next();
    let mut continuation = shown.take(length - 1).peekable();
    let is_punctuation_or_emoji = length >= 3
        && lead.is_some_and(|lead| PUNCTUATION_AND_EMOJI_LEADS.contains(&lead))
        && continuation
            .peek()
            .and_then(|&first| single_byte(first))
            .is_some_and(|byte| (0x80..=0x9F).contains(&byte));
    is_punctuation_or_emoji || continuation.any(|shown| ('\u{80}'..='\u{9f}').contains(&shown))
}

/// The double-encoded character at the start of `text` that a page known to have some is
/// repaired of: one that is sure, any of three or four bytes, and one of two bytes for U+0080
/// to U+00FF (see `LATIN_1_LEADS`). Other two-byte sequences stay, since a capital letter
/// before a symbol is as likely meant (`CAFÉ®`).
fn repaired_at(text: &str) -> Option<(char, usize)> {
    let (character, length) = double_encoded_at(text)?;
    let lead = text.chars().next()?;
    let is_repaired =
        length >= 3 || LATIN_1_LEADS.contains(&lead) || is_surely_double_encoded(text);
    is_repaired.then_some((character, length))
}

/// Text that a site encoded as UTF-8 twice (its UTF-8 read as Latin-1 or windows-1252 and
/// written out again: `doesnâ€™t`, `itertools â\u{80}\u{94} Functions`), repaired, or `None`
/// when the text has none. Once one sequence is sure (see `is_surely_double_encoded`), the
/// others are repaired too (see `repaired_at`: the `Ã©` of an `é`). A lead byte as Latin-1
/// shows it is `Â` to `ô`, two bytes of UTF-8 starting with 0xC3 (as every `é`, `ü` or `ñ`
/// starts), so only those places are looked at.
fn repair_double_encoding(text: &str) -> Option<String> {
    let is_sure = memchr::memchr_iter(0xC3, text.as_bytes())
        .any(|at| text.get(at..).is_some_and(is_surely_double_encoded));
    if !is_sure {
        return None;
    }
    let mut repaired = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(character) = rest.chars().next() {
        let (kept, taken) = repaired_at(rest).unwrap_or((character, 1));
        repaired.push(kept);
        let taken_bytes: usize = rest.chars().take(taken).map(char::len_utf8).sum();
        rest = &rest[taken_bytes..];
    }
    Some(repaired)
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
            decode_html(&utf16, Some("text/html; charset=iso-8859-1"), None),
            "<p>Grüße</p>"
        );
    }

    #[test]
    fn header_then_meta_then_detection() {
        let latin1 = b"<meta charset=utf-8><p>caf\xe9</p>";
        assert_eq!(
            decode_html(latin1, Some("text/html; charset=windows-1252"), None),
            "<meta charset=utf-8><p>café</p>"
        );
        let late_meta = [b"<head><script>".as_slice(), &[b' '; 3000], b"</script><meta http-equiv=Content-Type content='text/html; charset=koi8-r'><p>\xf0\xd2\xc9\xd7\xc5\xd4</p>"].concat();
        assert!(decode_html(&late_meta, None, None).ends_with("<p>Привет</p>"));
        let undeclared = "<p>Überraschung für Straßenbahnfahrer: größere Wagen</p>";
        let (windows_1252, _, _) = encoding_rs::WINDOWS_1252.encode(undeclared);
        assert_eq!(decode_html(&windows_1252, None, None), undeclared);
    }

    #[test]
    fn text_the_site_encoded_twice_is_repaired() {
        let latin1 = "<title>itertools \u{e2}\u{80}\u{94} Functions</title>";
        assert_eq!(
            decode_html(latin1.as_bytes(), None, None),
            "<title>itertools \u{2014} Functions</title>"
        );
        let windows_1252 = "<p>It doesnâ€™t fit. CafÃ© au lait.</p>";
        assert_eq!(
            decode_html(
                windows_1252.as_bytes(),
                Some("text/html; charset=utf-8"),
                None
            ),
            "<p>It doesn\u{2019}t fit. Café au lait.</p>"
        );
        let emoji = "<p>Done ðŸ˜€</p>";
        assert_eq!(
            decode_html(emoji.as_bytes(), None, None),
            "<p>Done \u{1f600}</p>"
        );
        for meant in [
            "<p>Ã© is how é looks when read as Latin-1 – “so” £5 ©.</p>",
            "<p>„Das macht Spaß“, sagt er. „Gruß…“</p>",
            "<p>NESCAFÉ™ and NESCAFÉ® Gold: CAFÉ’S MENU</p>",
        ] {
            assert_eq!(decode_html(meant.as_bytes(), None, None), meant);
        }
        let mixed = "<p>It doesnâ€™t fit. CAFÉ\u{a0}NOIR, NESCAFÉ®, «Gruß» in the template.</p>";
        assert_eq!(
            decode_html(mixed.as_bytes(), None, None),
            "<p>It doesn’t fit. CAFÉ\u{a0}NOIR, NESCAFÉ®, «Gruß» in the template.</p>"
        );
    }

    #[test]
    fn utf8_beats_a_wrong_legacy_declaration_and_controls_go() {
        let text = "<p>naïve\u{0} text\u{7}</p>";
        assert_eq!(
            decode_html(text.as_bytes(), Some("text/html; charset=ISO-8859-1"), None),
            "<p>naïve text</p>"
        );
        assert_eq!(
            decode_html(b"<p>\xff\xfe\xfd", Some("text/html; charset=utf-8"), None),
            "<p>\u{fffd}\u{fffd}\u{fffd}"
        );
    }

    /// A short undeclared page has too few bytes to tell its encoding by; its domain's country
    /// tips the guess, as it does in browsers: alone, these bytes read as other encodings.
    #[test]
    fn undeclared_bytes_are_read_in_the_encoding_the_domain_suggests() {
        for (text, encoding, address) in [
            (
                "<p>서울</p>",
                encoding_rs::EUC_KR,
                "https://news.example.co.kr/a",
            ),
            (
                "<p>東京</p>",
                encoding_rs::SHIFT_JIS,
                "http://www.example.jp./a",
            ),
        ] {
            let (bytes, _, _) = encoding.encode(text);
            let page_url = Url::parse(address).expect("url");
            assert_eq!(
                decode_html(&bytes, None, Some(&page_url)),
                text,
                "{address}"
            );
        }
    }

    #[test]
    fn the_hint_is_the_rightmost_label_in_lower_case_ascii() {
        for (address, label) in [
            ("https://BÜCHER.example.DE./", "de"),
            ("https://пример.рф/", "xn--p1ai"),
        ] {
            let page_url = Url::parse(address).expect("url");
            assert_eq!(top_level_domain(&page_url), Some(label), "{address}");
        }
    }

    /// What the detector would panic on, or has no domain, gives no hint, and the page is still
    /// decoded.
    #[test]
    fn an_address_without_a_usable_domain_gives_no_hint() {
        for address in [
            "http://192.0.2.7/a",
            "http://[2001:db8::1]/a",
            "file:///tmp/a.html",
            "foo://Bar.Example/",
            "foo://bar.exÄmple/",
            "foo://a.b_c/",
        ] {
            let page_url = Url::parse(address).expect("url");
            assert_eq!(top_level_domain(&page_url), None, "{address}");
            assert_eq!(
                decode_html(b"<p>caf\xe9</p>", None, Some(&page_url)),
                "<p>caf\u{e9}</p>"
            );
        }
    }
}
