//! What a fetched page carries, what the request carries, and which answers are not pages.

use chrono::DateTime;

use crate::fixture_site::{Answer, FixtureSite, html_page, response};
use crate::{fetch, fetch_error, local_fetcher};
use tearsheet::ingest::fetch::FetchError;

#[tokio::test]
async fn an_html_page_is_fetched_as_sent() {
    let body: &[u8] = b"<html><title>\x93\xfa\x96\x7b</title><p>Story</p></html>";
    let site = FixtureSite::answering(Answer::Now(response(
        "200 OK",
        &[("Content-Type", "text/html; charset=Shift_JIS")],
        body,
    )))
    .await;
    let page = fetch(&local_fetcher(), &site.url("/story?id=7"))
        .await
        .expect("page is fetched");
    assert_eq!(page.status, 200);
    assert_eq!(page.final_url.as_str(), site.url("/story?id=7"));
    assert_eq!(
        page.content_type.as_deref(),
        Some("text/html; charset=Shift_JIS")
    );
    assert_eq!(page.body, body);
    let fetched_at = DateTime::parse_from_rfc3339(&page.fetched_at).expect("RFC 3339");
    assert_eq!(fetched_at.offset().local_minus_utc(), 0);
    assert!(page.fetched_at.ends_with('Z'));
}

#[tokio::test]
async fn xhtml_and_a_missing_content_type_are_accepted() {
    let xhtml = FixtureSite::answering(Answer::Now(response(
        "200 OK",
        &[("Content-Type", "application/xhtml+xml")],
        b"<html xmlns='http://www.w3.org/1999/xhtml'/>",
    )))
    .await;
    let untyped = FixtureSite::answering(Answer::Now(response("200 OK", &[], b"<p>hi</p>"))).await;
    let fetcher = local_fetcher();
    assert!(fetch(&fetcher, &xhtml.url("/")).await.is_ok());
    let page = fetch(&fetcher, &untyped.url("/"))
        .await
        .expect("sniffed as HTML");
    assert_eq!(page.content_type, None);
    assert_eq!(page.body, b"<p>hi</p>");
}

/// SECURITY.md #6: the fetch carries nothing of the user's, even after the site sets a cookie.
#[tokio::test]
async fn requests_name_tearsheet_and_carry_no_cookie_or_credentials() {
    let site = FixtureSite::start(crate::fixture_site::LOOPBACK, |request| {
        match request.path.as_str() {
            "/login" => Answer::Now(response(
                "302 Found",
                &[
                    ("Location", "/article"),
                    ("Set-Cookie", "session=secret; Path=/"),
                    ("WWW-Authenticate", "Basic realm=\"x\""),
                ],
                b"",
            )),
            _ => html_page("<p>article</p>"),
        }
    })
    .await;
    fetch(&local_fetcher(), &site.url("/login"))
        .await
        .expect("page is fetched");
    let requests = site.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        let agent = request.header("user-agent").unwrap_or_default();
        assert!(agent.starts_with("Tearsheet/"), "User-Agent {agent:?}");
        assert_eq!(
            request.header("accept"),
            Some("text/html,application/xhtml+xml;q=0.9,*/*;q=0.1")
        );
        for absent in ["cookie", "authorization", "proxy-authorization", "referer"] {
            assert_eq!(request.header(absent), None, "{absent} on {}", request.path);
        }
    }
}

#[tokio::test]
async fn an_error_status_is_reported_with_its_code() {
    let site = FixtureSite::start(crate::fixture_site::LOOPBACK, |request| {
        match request.path.as_str() {
            "/gone" => Answer::Now(response("404 Not Found", &[], b"<h1>Not here</h1>")),
            "/broken" => Answer::Now(response("500 Internal Server Error", &[], b"")),
            // A redirect status without a Location cannot be followed.
            _ => Answer::Now(response("302 Found", &[], b"")),
        }
    })
    .await;
    let fetcher = local_fetcher();
    let not_found = fetch_error(&fetcher, &site.url("/gone")).await;
    assert_eq!(not_found, FetchError::HttpStatus(404));
    assert_eq!(not_found.user_message(), "The site answered 404 Not Found.");
    assert_eq!(
        fetch_error(&fetcher, &site.url("/broken")).await,
        FetchError::HttpStatus(500)
    );
    assert_eq!(
        fetch_error(&fetcher, &site.url("/nowhere")).await,
        FetchError::HttpStatus(302)
    );
}

#[tokio::test]
async fn documents_and_images_are_not_html() {
    let site = FixtureSite::start(crate::fixture_site::LOOPBACK, |request| {
        let content_type = match request.path.as_str() {
            "/paper.pdf" => "application/pdf",
            "/photo" => "image/png",
            _ => "application/octet-stream",
        };
        Answer::Now(response(
            "200 OK",
            &[("Content-Type", content_type)],
            b"%PDF-1.7",
        ))
    })
    .await;
    let fetcher = local_fetcher();
    let pdf = fetch_error(&fetcher, &site.url("/paper.pdf")).await;
    assert_eq!(pdf, FetchError::NotHtml("a PDF document".to_owned()));
    assert_eq!(
        pdf.user_message(),
        "This is not an HTML page (it is a PDF document)."
    );
    assert_eq!(
        fetch_error(&fetcher, &site.url("/photo")).await,
        FetchError::NotHtml("an image".to_owned())
    );
    assert_eq!(
        fetch_error(&fetcher, &site.url("/download")).await,
        FetchError::NotHtml("a binary file".to_owned())
    );
}

/// A server that labels everything `text/html` still does not get a PDF or PNG parsed as HTML.
#[tokio::test]
async fn binary_bodies_labelled_html_are_refused() {
    let site = FixtureSite::start(crate::fixture_site::LOOPBACK, |request| {
        let (content_type, body): (&[(&str, &str)], &[u8]) = match request.path.as_str() {
            "/pdf" => (&[("Content-Type", "text/html")], b"%PDF-1.4\n%binary"),
            "/png" => (
                &[("Content-Type", "text/html; charset=utf-8")],
                b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
            ),
            _ => (&[], b"GIF89a\x01\x00\x01\x00"),
        };
        Answer::Now(response("200 OK", content_type, body))
    })
    .await;
    let fetcher = local_fetcher();
    assert_eq!(
        fetch_error(&fetcher, &site.url("/pdf")).await,
        FetchError::NotHtml("a PDF document".to_owned())
    );
    assert_eq!(
        fetch_error(&fetcher, &site.url("/png")).await,
        FetchError::NotHtml("a PNG image".to_owned())
    );
    assert_eq!(
        fetch_error(&fetcher, &site.url("/untyped-gif")).await,
        FetchError::NotHtml("a GIF image".to_owned())
    );
}
