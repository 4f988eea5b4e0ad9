//! The trailer that closes an archive file: `Original url:` and the article's URL.

use super::markdown::is_web_target;

/// Where the trailer sits among the file's lines, and the URL it gives.
pub struct Trailer {
    /// The `Original url:` line.
    pub start: usize,
    /// The line after the URL (or after the label when it has no URL).
    pub end: usize,
    pub url: TrailerUrl,
}

pub enum TrailerUrl {
    Web(String),
    /// A URL that a reader cannot follow (`javascript:`, `ftp:`, a bare path).
    Other(String),
    /// The label had nothing URL-like after it; holds any text on the label line itself.
    Missing(String),
}

/// Finds the last `Original url:` line and its URL, either on the same line or on the next
/// non-blank one, in angle brackets, bare, or as a Markdown link.
pub fn find_trailer(lines: &[&str]) -> Option<Trailer> {
    let start = lines.iter().rposition(|line| label_rest(line).is_some())?;
    let same_line = label_rest(lines[start]).unwrap_or_default();
    if let Some(url) = url_in(same_line) {
        return Some(Trailer {
            start,
            end: start + 1,
            url: classify(url),
        });
    }
    let next = (start + 1..lines.len()).find(|&index| !lines[index].trim().is_empty());
    match next.and_then(|index| Some((index, url_in(lines[index])?))) {
        Some((index, url)) if same_line.is_empty() => Some(Trailer {
            start,
            end: index + 1,
            url: classify(url),
        }),
        _ => Some(Trailer {
            start,
            end: start + 1,
            url: TrailerUrl::Missing(same_line.to_owned()),
        }),
    }
}

/// The text after `Original url:` (any case, spaces before the colon allowed).
fn label_rest(line: &str) -> Option<&str> {
    const LABEL: &str = "original url";
    let line = line.trim();
    let label = line.get(..LABEL.len())?;
    if !label.eq_ignore_ascii_case(LABEL) {
        return None;
    }
    let rest = line[LABEL.len()..].trim_start().strip_prefix(':')?;
    Some(rest.trim())
}

/// The URL a line consists of: `<url>`, `url`, or `[text](url)`; `None` for prose.
fn url_in(line: &str) -> Option<&str> {
    let line = line.trim();
    let url = if let Some(inner) = line.strip_prefix('<').and_then(|l| l.strip_suffix('>')) {
        inner.trim()
    } else if line.starts_with('[') && line.ends_with(')') {
        let (_, target) = line.rsplit_once("](")?;
        target.strip_suffix(')')?.trim()
    } else {
        line
    };
    let looks_like_url = !url.is_empty()
        && !url.contains(char::is_whitespace)
        && (url.contains(':') || url.contains('/') || url.starts_with("www."));
    looks_like_url.then_some(url)
}

fn classify(url: &str) -> TrailerUrl {
    if is_web_target(url) {
        TrailerUrl::Web(url.to_owned())
    } else {
        TrailerUrl::Other(url.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url_of(text: &str) -> Option<(usize, usize, String)> {
        let lines: Vec<&str> = text.lines().collect();
        let trailer = find_trailer(&lines)?;
        let url = match trailer.url {
            TrailerUrl::Web(url) => format!("web {url}"),
            TrailerUrl::Other(url) => format!("other {url}"),
            TrailerUrl::Missing(rest) => format!("missing {rest}"),
        };
        Some((trailer.start, trailer.end, url))
    }

    #[test]
    fn trailer_shapes() {
        let web = |start, end| Some((start, end, "web https://news.example/a".to_owned()));
        assert_eq!(
            url_of("Body.\n\nOriginal url:\n\n<https://news.example/a>"),
            web(2, 5)
        );
        assert_eq!(
            url_of("Original URL:\nhttps://news.example/a\n\n"),
            web(0, 2)
        );
        assert_eq!(url_of("ORIGINAL URL : <https://news.example/a>"), web(0, 1));
        assert_eq!(
            url_of("Original url:\n\n[link](https://news.example/a)"),
            web(0, 3)
        );
    }

    #[test]
    fn unusable_trailers() {
        assert_eq!(
            url_of("Original url:\n\n<javascript:alert(1)>"),
            Some((0, 3, "other javascript:alert(1)".to_owned()))
        );
        assert_eq!(
            url_of("Original url:\n\nThe site went offline."),
            Some((0, 1, "missing ".to_owned()))
        );
        assert_eq!(
            url_of("Original url: unknown"),
            Some((0, 1, "missing unknown".to_owned()))
        );
        assert_eq!(url_of("Body only.\n\nThe original url was lost."), None);
    }
}
