//! Bytes to text: UTF-8 (with or without BOM) as is, anything else detected and converted.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

/// Text decoded from bytes, with the encoding that was used.
pub struct DecodedText {
    pub text: String,
    pub encoding: &'static str,
    /// False when the bytes were not UTF-8 and the encoding had to be guessed.
    pub was_utf8: bool,
}

/// Decodes an archive file. Never fails: bytes no decoder understands become U+FFFD, and NUL
/// characters are removed because they only ever come from damaged or mis-detected files.
pub fn decode_text(bytes: &[u8]) -> DecodedText {
    if let Some((encoding, bom_length)) = Encoding::for_bom(bytes) {
        return decoded_with(encoding, &bytes[bom_length..], encoding == UTF_8);
    }
    // Before UTF-8: UTF-16 of Latin text is also valid UTF-8, with a NUL after every letter.
    if let Some(encoding) = utf16_without_bom(bytes) {
        return decoded_with(encoding, bytes, false);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return finish(text.to_owned(), UTF_8, true);
    }
    // A file that is UTF-8 apart from a few damaged bytes (a truncated write, one pasted Latin-1
    // word) reads better as UTF-8 with replacement characters than as mojibake from a guess.
    if mostly_utf8(bytes) {
        return decoded_with(UTF_8, bytes, false);
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, Utf8Detection::Deny);
    decoded_with(encoding, bytes, false)
}

fn decoded_with(encoding: &'static Encoding, bytes: &[u8], was_utf8: bool) -> DecodedText {
    let (text, _had_errors) = encoding.decode_without_bom_handling(bytes);
    finish(text.into_owned(), encoding, was_utf8)
}

fn finish(mut text: String, encoding: &'static Encoding, was_utf8: bool) -> DecodedText {
    if text.contains('\0') {
        text.retain(|character| character != '\0');
    }
    DecodedText {
        text,
        encoding: encoding.name(),
        was_utf8,
    }
}

/// True when valid multi-byte UTF-8 characters far outnumber the invalid sequences. Legacy
/// single-byte and Shift_JIS texts rarely form valid UTF-8 sequences by accident.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let mut multi_byte_characters = 0usize;
    let mut invalid_sequences = 0usize;
    for chunk in bytes.utf8_chunks() {
        multi_byte_characters += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        if !chunk.invalid().is_empty() {
            invalid_sequences += 1;
        }
    }
    multi_byte_characters >= 4 * invalid_sequences.max(1)
}

/// UTF-16 saved without a BOM: mostly Latin text then has a NUL in every other byte.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) || !bytes.contains(&0) {
        return None;
    }
    let pairs = bytes.len() / 2;
    let (mut even_nul, mut odd_nul) = (0usize, 0usize);
    for pair in bytes.chunks_exact(2) {
        even_nul += usize::from(pair[0] == 0);
        odd_nul += usize::from(pair[1] == 0);
    }
    if odd_nul * 3 > pairs && even_nul * 20 < pairs {
        Some(UTF_16LE)
    } else if even_nul * 3 > pairs && odd_nul * 20 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_kept_and_its_bom_removed() {
        let decoded = decode_text("\u{feff}Привет, 世界".as_bytes());
        assert_eq!(decoded.text, "Привет, 世界");
        assert_eq!(decoded.encoding, "UTF-8");
        assert!(decoded.was_utf8);
    }

    #[test]
    fn windows_1252_is_detected() {
        let decoded = decode_text(
            b"Le caf\xe9 du coin \x93ouvre\x94 \xe0 l\x92aube, pr\xe8s de l\x92\xe9glise.",
        );
        assert_eq!(
            decoded.text,
            "Le café du coin “ouvre” à l’aube, près de l’église."
        );
        assert_eq!(decoded.encoding, "windows-1252");
        assert!(!decoded.was_utf8);
    }

    #[test]
    fn a_short_latin1_word_is_still_read() {
        let decoded = decode_text(b"caf\xe9");
        assert_eq!(decoded.text, "café");
        assert!(!decoded.was_utf8);
    }

    #[test]
    fn shift_jis_is_detected() {
        let (bytes, _, _) =
            encoding_rs::SHIFT_JIS.encode("東京の天気は晴れです。明日も晴れるでしょう。");
        let decoded = decode_text(&bytes);
        assert_eq!(decoded.text, "東京の天気は晴れです。明日も晴れるでしょう。");
        assert_eq!(decoded.encoding, "Shift_JIS");
    }

    #[test]
    fn utf16_with_a_bom_is_decoded() {
        let mut little_endian = vec![0xff, 0xfe];
        let mut big_endian = vec![0xfe, 0xff];
        for unit in "Ünïcode ✓".encode_utf16() {
            little_endian.extend(unit.to_le_bytes());
            big_endian.extend(unit.to_be_bytes());
        }
        assert_eq!(decode_text(&little_endian).text, "Ünïcode ✓");
        assert_eq!(decode_text(&little_endian).encoding, "UTF-16LE");
        assert_eq!(decode_text(&big_endian).text, "Ünïcode ✓");
        assert_eq!(decode_text(&big_endian).encoding, "UTF-16BE");
    }

    #[test]
    fn utf16_without_a_bom_is_recognised() {
        let bytes: Vec<u8> = "Title\n\nBody text"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let decoded = decode_text(&bytes);
        assert_eq!(decoded.text, "Title\n\nBody text");
        assert_eq!(decoded.encoding, "UTF-16LE");
    }

    #[test]
    fn damaged_utf8_keeps_its_good_characters() {
        let mut bytes = "Привет, мир! Как дела?".as_bytes().to_vec();
        bytes.truncate(bytes.len() - 1);
        bytes.extend(b"\xff?");
        let decoded = decode_text(&bytes);
        assert_eq!(decoded.text, "Привет, мир! Как дела\u{fffd}?");
        assert_eq!(decoded.encoding, "UTF-8");
        assert!(!decoded.was_utf8);
    }

    #[test]
    fn nul_bytes_are_removed() {
        assert_eq!(decode_text(b"a\0b\0").text, "ab");
    }

    #[test]
    fn any_bytes_decode_without_panicking() {
        let samples: [&[u8]; 6] = [
            b"",
            b"\xff",
            b"\xfe\xff\x00",
            b"\xef\xbb\xbf\xff\xfe",
            b"\x80\x81\x82\x83\xfe\xff\xc0\xc1",
            &[0u8; 7],
        ];
        for bytes in samples {
            let decoded = decode_text(bytes);
            assert!(!decoded.text.contains('\0'));
        }
        let every_byte: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
        let _ = decode_text(&every_byte);
    }
}
