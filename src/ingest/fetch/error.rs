//! Why a fetch failed, in words for the log and in words for the person who submitted the page.

use std::error::Error as _;

use reqwest::StatusCode;

use super::resolver::AddressRefused;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("address not allowed")]
    AddressNotAllowed,
    #[error("redirect target not allowed")]
    RedirectNotAllowed,
    /// Also a redirect loop: following it longer would only reach the limit.
    #[error("too many redirects, or a redirect loop")]
    TooManyRedirects,
    #[error("site unreachable")]
    Unreachable,
    #[error("timed out")]
    TimedOut,
    #[error("HTTP status {0}")]
    HttpStatus(u16),
    #[error("page over the size limit")]
    TooLarge,
    /// What the page was instead, in words: "a PDF document".
    #[error("not HTML: {0}")]
    NotHtml(String),
    /// Anything else the HTTP client reported; the text is for the log only.
    #[error("HTTP client: {0}")]
    Client(String),
}

impl FetchError {
    /// A sentence to show the person who submitted the page. It never contains details from
    /// the client library, which go to the log through `Display`.
    pub fn user_message(&self) -> String {
        match self {
            Self::AddressNotAllowed => {
                "This address is not allowed: it points to a private or local network.".to_owned()
            }
            Self::RedirectNotAllowed => "The site redirected to an address that is not allowed \
                (a private or local network, or not http/https)."
                .to_owned(),
            Self::TooManyRedirects => {
                "The site redirected too many times, or in a loop.".to_owned()
            }
            Self::Unreachable => "The site could not be reached.".to_owned(),
            Self::TimedOut => "The site took too long to answer.".to_owned(),
            Self::HttpStatus(code) => match StatusCode::from_u16(*code)
                .ok()
                .and_then(|status| status.canonical_reason())
            {
                Some(reason) => format!("The site answered {code} {reason}."),
                None => format!("The site answered with status {code}."),
            },
            Self::TooLarge => {
                "The page is larger than the size limit for fetched pages.".to_owned()
            }
            Self::NotHtml(what) => format!("This is not an HTML page (it is {what})."),
            Self::Client(_) => "The page could not be fetched.".to_owned(),
        }
    }

    /// Sorts a reqwest error. `refusal` is what a refused address means at this hop: the page
    /// itself (`AddressNotAllowed`) or a redirect target (`RedirectNotAllowed`).
    pub(crate) fn from_reqwest(error: &reqwest::Error, refusal: FetchError) -> FetchError {
        let mut cause = error.source();
        while let Some(inner) = cause {
            if inner.is::<AddressRefused>() {
                return refusal;
            }
            cause = inner.source();
        }
        if error.is_connect() {
            Self::Unreachable
        } else if error.is_timeout() {
            Self::TimedOut
        } else {
            Self::Client(error_chain(error))
        }
    }
}

/// The error and its causes on one line, for the log.
pub(crate) fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        cause = inner.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_sentences_for_people() {
        assert_eq!(
            FetchError::HttpStatus(404).user_message(),
            "The site answered 404 Not Found."
        );
        assert_eq!(
            FetchError::HttpStatus(599).user_message(),
            "The site answered with status 599."
        );
        assert_eq!(
            FetchError::NotHtml("a PDF document".into()).user_message(),
            "This is not an HTML page (it is a PDF document)."
        );
        let internal = FetchError::Client("hyper::Error(Parse(Header))".into());
        assert!(!internal.user_message().contains("hyper"));
    }
}
