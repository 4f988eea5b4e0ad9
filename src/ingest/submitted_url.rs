//! The address of a page someone asked to fetch, parsed once at the edge.

use url::{ParseError, Url};

/// Longer addresses are refused: no article needs one, and they end up stored and shown.
pub const MAX_URL_LENGTH: usize = 2048;

/// An absolute `http` or `https` URL with a host, no user name or password, and at most
/// [`MAX_URL_LENGTH`] characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmittedUrl(Url);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    #[error("This is not a valid web address.")]
    Invalid,
    #[error("Only http:// and https:// addresses can be fetched.")]
    UnsupportedScheme,
    #[error("Addresses with a user name or password are not accepted.")]
    HasCredentials,
    #[error("This address is longer than 2048 characters.")]
    TooLong,
}

impl SubmittedUrl {
    /// Parses what a person typed or pasted. Surrounding whitespace is dropped, and an address
    /// without a scheme (`example.com/story`, `example.com:8080/x`, `//example.com/x`) is taken
    /// as `https://`, the way a browser's address bar does.
    pub fn parse(input: &str) -> Result<Self, UrlError> {
        let input = input.trim();
        if input.len() > MAX_URL_LENGTH {
            return Err(UrlError::TooLong);
        }
        if input.is_empty() {
            return Err(UrlError::Invalid);
        }
        let url = match Url::parse(input) {
            Ok(url) if !is_host_and_port(&url) => url,
            Ok(_) | Err(ParseError::RelativeUrlWithoutBase) => with_https(input)?,
            Err(_) => return Err(UrlError::Invalid),
        };
        Self::try_from(url)
    }

    pub fn url(&self) -> &Url {
        &self.0
    }
}

/// Also used for every redirect target, so a hop is held to the same rules as what was typed.
impl TryFrom<Url> for SubmittedUrl {
    type Error = UrlError;

    fn try_from(url: Url) -> Result<Self, UrlError> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(UrlError::UnsupportedScheme);
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(UrlError::HasCredentials);
        }
        if url.host().is_none() {
            return Err(UrlError::Invalid);
        }
        if url.as_str().len() > MAX_URL_LENGTH {
            return Err(UrlError::TooLong);
        }
        Ok(Self(url))
    }
}

/// `example.com:8080/x` parses as the scheme `example.com`; no real scheme has a dot in it
/// and comes before a port number.
fn is_host_and_port(url: &Url) -> bool {
    let scheme_is_a_host = url.scheme().contains('.') || url.scheme() == "localhost";
    url.cannot_be_a_base()
        && scheme_is_a_host
        && url.path().starts_with(|c: char| c.is_ascii_digit())
}

fn with_https(input: &str) -> Result<Url, UrlError> {
    let absolute = if input.starts_with("//") {
        format!("https:{input}")
    } else if input.starts_with('/') {
        return Err(UrlError::Invalid);
    } else {
        format!("https://{input}")
    };
    Url::parse(&absolute).map_err(|_| UrlError::Invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(input: &str) -> Result<String, UrlError> {
        SubmittedUrl::parse(input).map(|url| url.url().to_string())
    }

    #[test]
    fn http_and_https_pass_trimmed() {
        assert_eq!(
            parsed("  https://news.example/story?id=7 \n"),
            Ok("https://news.example/story?id=7".to_owned())
        );
        assert_eq!(
            parsed("HTTP://News.Example"),
            Ok("http://news.example/".to_owned())
        );
    }

    #[test]
    fn bare_hosts_get_https() {
        assert_eq!(
            parsed("example.com/x"),
            Ok("https://example.com/x".to_owned())
        );
        assert_eq!(
            parsed("example.com:8080/x"),
            Ok("https://example.com:8080/x".to_owned())
        );
        assert_eq!(
            parsed("//example.com/x"),
            Ok("https://example.com/x".to_owned())
        );
        assert_eq!(parsed("/just/a/path"), Err(UrlError::Invalid));
    }

    #[test]
    fn other_schemes_are_refused() {
        for input in [
            "file:///etc/passwd",
            "ftp://example.com/file",
            "gopher://example.com/",
            "data:text/html,<script>alert(1)</script>",
            "javascript:alert(1)",
            "JavaScript:alert(document.cookie)",
            "mailto:someone@example.com",
        ] {
            assert_eq!(parsed(input), Err(UrlError::UnsupportedScheme), "{input}");
        }
    }

    #[test]
    fn credentials_are_refused() {
        for input in [
            "http://user:secret@example.com/",
            "https://user@example.com/",
            "https://:secret@example.com/",
            "example.com@127.0.0.1",
        ] {
            assert_eq!(parsed(input), Err(UrlError::HasCredentials), "{input}");
        }
    }

    #[test]
    fn nonsense_is_invalid() {
        for input in [
            "",
            "   ",
            "http://",
            "https://exa mple.com/",
            "http:a<script>",
        ] {
            assert_eq!(parsed(input), Err(UrlError::Invalid), "{input}");
        }
    }

    #[test]
    fn long_addresses_are_refused() {
        let path = "a".repeat(MAX_URL_LENGTH);
        assert_eq!(
            parsed(&format!("https://example.com/{path}")),
            Err(UrlError::TooLong)
        );
        let fits = format!("https://example.com/{}", "a".repeat(2000));
        assert!(parsed(&fits).is_ok());
        // Short to type, long once percent-encoded.
        let spaces = format!("https://example.com/{}", "x ".repeat(700));
        assert_eq!(parsed(&spaces), Err(UrlError::TooLong));
    }
}
