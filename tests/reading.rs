//! The reading pages against a real server: listing, pagination, site filter, article page,
//! permalink redirects, 404s, escaping, headers.

mod common;

use common::{FixtureArticle, TestApp, hrefs, write_corpus};

const SAMPLE_ID: &str = "5e1f00aa12bc34de";

fn sample_article() -> FixtureArticle<'static> {
    FixtureArticle {
        id: SAMPLE_ID,
        title: "Harbour Ferries Return to the Old Quay",
        date: "May 20, 2026",
        url: "https://www.quay-news.example/2026/05/20/ferries-return",
        body: "Photo: Port Authority\n\n\
               The ferries [returned](#) to the old quay on Wednesday, a [council report](https://council.example/report) said.\n\n\
               Related article: [Lighthouse Keepers Remember](#)\n\n\
               Residents lined the pier to watch the first crossing.\n\n\
               Agencies contributed reporting.",
    }
}

#[tokio::test]
async fn the_article_page_shows_what_was_archived() {
    let app = TestApp::start().await;
    let path = sample_article().write(app.dir.path(), 1);
    app.import(&[path]).await;

    let html = app
        .page(&format!(
            "/a/{SAMPLE_ID}/harbour-ferries-return-to-the-old-quay"
        ))
        .await;
    let page = dom_query::Document::from(html.as_str());
    assert_eq!(
        page.select("h1").text().trim(),
        "Harbour Ferries Return to the Old Quay"
    );
    assert!(
        page.select("title")
            .text()
            .contains("Harbour Ferries Return")
    );
    assert_eq!(
        page.select("time").attr("datetime").as_deref(),
        Some("2026-05-20")
    );
    assert!(page.select(".meta").text().contains("quay-news.example"));
    assert!(
        page.select(".credit")
            .text()
            .contains("Photo: Port Authority")
    );
    let body = page.select(".body");
    assert!(body.text().contains("The ferries returned to the old quay"));
    assert!(body.text().contains("Agencies contributed reporting."));
    assert!(
        !body.text().contains("Lighthouse Keepers"),
        "related promotion kept out of the body"
    );
    assert_eq!(
        body.select("a").length(),
        1,
        "only the archived link is a link"
    );
    assert_eq!(
        body.select("a").attr("href").as_deref(),
        Some("https://council.example/report")
    );
    assert!(
        page.select(".related")
            .text()
            .contains("Lighthouse Keepers Remember")
    );
    assert_eq!(
        page.select("link[rel=canonical]").attr("href").as_deref(),
        Some(format!("/a/{SAMPLE_ID}/harbour-ferries-return-to-the-old-quay").as_str())
    );
    assert!(
        hrefs(&html)
            .contains(&"https://www.quay-news.example/2026/05/20/ferries-return".to_owned())
    );
}

#[tokio::test]
async fn permalinks_without_or_with_a_wrong_slug_redirect_to_the_canonical_one() {
    let app = TestApp::start().await;
    app.import(&[sample_article().write(app.dir.path(), 1)])
        .await;
    let canonical = format!("/a/{SAMPLE_ID}/harbour-ferries-return-to-the-old-quay");
    for path in [
        format!("/a/{SAMPLE_ID}"),
        format!("/a/{SAMPLE_ID}/old-title"),
        format!(
            "/a/{}/harbour-ferries-return-to-the-old-quay",
            SAMPLE_ID.to_uppercase()
        ),
    ] {
        let response = app.get(&path).await;
        assert_eq!(response.status(), 308, "{path}");
        assert_eq!(response.headers()["location"], canonical.as_str(), "{path}");
    }
}

#[tokio::test]
async fn unknown_and_malformed_ids_get_a_404_page_in_the_site_layout() {
    let app = TestApp::start().await;
    for path in [
        "/a/0123456789abcdef",
        "/a/0123456789abcdef/slug",
        "/a/not-an-id",
        "/a/..%2f..",
        "/nowhere",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
        let html = response.text().await.expect("body");
        assert!(
            html.contains("class=\"site-header\"") && html.contains("Not found"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn the_listing_pages_through_every_article_exactly_once() {
    let app = TestApp::start().await;
    let corpus = write_corpus(app.dir.path(), 123);
    let summary = app.import(&[corpus]).await;
    assert_eq!(summary.imported, 123);

    let mut seen = Vec::new();
    let mut path = "/".to_owned();
    let mut pages = 0;
    loop {
        let html = app.page(&path).await;
        let page = dom_query::Document::from(html.as_str());
        let rows: Vec<String> = page
            .select(".articles h2 a")
            .iter()
            .filter_map(|a| a.attr("href").map(|h| h.to_string()))
            .collect();
        assert!(rows.len() <= 50);
        seen.extend(rows);
        pages += 1;
        match page.select("a[rel=next]").attr("href") {
            Some(next) => path = next.to_string(),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), 123);
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 123, "no article repeated");
    // Newest first: story 0 is dated 2026-05-20 and story 122 the oldest.
    assert!(seen[0].contains(&format!("{:016x}", 0)) || seen[0].contains(&format!("{:016x}", 1)));
    assert!(seen[122].contains(&format!("{:016x}", 122)));

    // Walking back with the "Newer" link from the last page gives the middle page again.
    let last = app.page(&path).await;
    let newer = dom_query::Document::from(last.as_str())
        .select("a[rel=prev]")
        .attr("href");
    let middle = app.page(newer.expect("newer link").as_ref()).await;
    let middle_rows = dom_query::Document::from(middle.as_str())
        .select(".articles h2 a")
        .length();
    assert_eq!(middle_rows, 50);
    assert!(middle.contains(&seen[50]) && middle.contains(&seen[99]));
}

#[tokio::test]
async fn the_site_filter_shows_one_site_with_or_without_www() {
    let app = TestApp::start().await;
    app.import(&[write_corpus(app.dir.path(), 30)]).await;
    for filter in ["alpha.example", "www.alpha.example", "WWW.Alpha.Example"] {
        let html = app.page(&format!("/?site={filter}")).await;
        let page = dom_query::Document::from(html.as_str());
        assert_eq!(page.select(".articles > li").length(), 10, "{filter}");
        assert!(
            page.select(".articles .meta")
                .iter()
                .all(|m| m.text().contains("alpha.example"))
        );
    }
    let html = app.page("/").await;
    assert!(
        hrefs(&html).contains(&"/?site=alpha.example".to_owned()),
        "sites are links"
    );
}

#[tokio::test]
async fn hostile_titles_and_links_are_shown_as_text() {
    let app = TestApp::start().await;
    let path = FixtureArticle {
        id: "badbadbadbad0001",
        title: "<script>alert(1)</script> & <b>bold</b>",
        date: "May 1, 2026",
        url: "javascript:alert(1)",
        body: "Click [here](javascript:alert(2)) or <img src=x onerror=alert(3)> now.\n\n<script>alert(4)</script>",
    }
    .write(app.dir.path(), 1);
    app.import(&[path]).await;
    for page_path in ["/", "/a/badbadbadbad0001"] {
        let response = app
            .client
            .get(app.url(page_path))
            .send()
            .await
            .expect("get");
        let final_html = if response.status() == 308 {
            let location = response.headers()["location"]
                .to_str()
                .expect("location")
                .to_owned();
            app.page(&location).await
        } else {
            response.text().await.expect("body")
        };
        let page = dom_query::Document::from(final_html.as_str());
        let title = page.select(".articles h2, .reading h1").first().text();
        assert_eq!(
            title.trim(),
            "<script>alert(1)</script> & <b>bold</b>",
            "{page_path}"
        );
        assert_eq!(page.select("script").length(), 0, "{page_path}");
        assert_eq!(page.select("img").length(), 0, "{page_path}");
        assert!(
            hrefs(&final_html)
                .iter()
                .all(|href| !href.to_lowercase().contains("javascript"))
        );
        assert_eq!(
            page.select("[onerror], [onclick], [onload]").length(),
            0,
            "{page_path}"
        );
    }
}

#[tokio::test]
async fn every_page_carries_security_headers_and_compresses() {
    let app = TestApp::start().await;
    for path in ["/", "/nowhere"] {
        let response = app.get_with(path, "accept-encoding", "gzip").await;
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().expect("csp");
        assert!(csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"));
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert!(headers.contains_key("referrer-policy"));
    }
    let response = app.get_with("/", "accept-encoding", "gzip").await;
    assert_eq!(response.headers()["content-encoding"], "gzip");
}

/// The stylesheet's address, as the listing links it.
async fn stylesheet_path(app: &TestApp) -> String {
    let html = app.page("/").await;
    dom_query::Document::from(html.as_str())
        .select("link[rel=stylesheet]")
        .attr("href")
        .expect("stylesheet link")
        .to_string()
}

#[tokio::test]
async fn the_stylesheet_is_embedded_and_cached_forever() {
    let app = TestApp::start().await;
    let href = stylesheet_path(&app).await;
    let response = app.get(&href).await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["cache-control"]
            .to_str()
            .expect("cc")
            .contains("immutable")
    );
    assert!(
        response
            .text()
            .await
            .expect("css")
            .contains("prefers-color-scheme")
    );
    assert_eq!(
        app.get("/static/0000000000000000/style.css").await.status(),
        404
    );
}

#[tokio::test]
async fn a_revisit_of_an_unchanged_page_costs_a_304() {
    let app = TestApp::start().await;
    let path = sample_article().write(app.dir.path(), 1);
    app.import(std::slice::from_ref(&path)).await;
    let permalink = format!("/a/{SAMPLE_ID}/harbour-ferries-return-to-the-old-quay");
    let revisit = |etag: String| {
        app.client
            .get(app.url(&permalink))
            .header("if-none-match", etag)
            .send()
    };

    let first = app.get(&permalink).await;
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["cache-control"], "no-cache");
    let etag = first.headers()["etag"].to_str().expect("ascii").to_owned();
    assert!(etag.starts_with("W/\""), "{etag}");

    let again = revisit(etag.clone()).await.expect("get");
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["etag"].to_str().expect("ascii"), etag);
    assert!(again.bytes().await.expect("body").is_empty());
    let other = revisit("W/\"0000\", \"1111\"".to_owned())
        .await
        .expect("get");
    assert_eq!(other.status(), 200, "another page's tag");

    let edited = std::fs::read_to_string(&path)
        .expect("read")
        .replace("Residents lined the pier", "Crowds lined the pier");
    std::fs::write(&path, edited).expect("write");
    app.import(&[path]).await;
    let changed = revisit(etag.clone()).await.expect("get");
    assert_eq!(changed.status(), 200, "the article changed");
    assert_ne!(changed.headers()["etag"].to_str().expect("ascii"), etag);
    assert!(
        changed
            .text()
            .await
            .expect("body")
            .contains("Crowds lined the pier")
    );
}

/// Pages are kept in memory as rendered; an import by another process (here a second store on
/// the same file, with its own connections) shows within a second or so, and a deletion at once.
#[tokio::test]
async fn kept_pages_follow_changes_made_elsewhere() {
    let app = TestApp::start().await;
    let corpus = common::write_corpus(app.dir.path(), 3);
    app.import(&[corpus]).await;
    assert!(app.page("/").await.contains("Invented story number 2"));
    assert!(app.page("/sites").await.contains("beta.example"));

    let other = tearsheet::store::Store::open(&common::database_url(app.dir.path()))
        .await
        .expect("a second store");
    let path = sample_article().write(app.dir.path(), 9);
    tearsheet::commands::import_paths(&other, &[path])
        .await
        .expect("import elsewhere");
    let mut shown = false;
    for _ in 0..50 {
        if app.page("/").await.contains("Harbour Ferries Return") {
            shown = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        shown,
        "the listing never showed the article imported elsewhere"
    );

    let permalink = format!("/a/{SAMPLE_ID}/harbour-ferries-return-to-the-old-quay");
    assert_eq!(app.get(&permalink).await.status(), 200);
    let id = tearsheet::article::ArticleId::parse(SAMPLE_ID).expect("id");
    assert!(app.store.delete_article(&id).await.expect("delete"));
    assert_eq!(app.get(&permalink).await.status(), 410);
    assert!(!app.page("/").await.contains("Harbour Ferries Return"));
}

/// The header's navigation tells assistive technology which of its pages is open.
#[tokio::test]
async fn the_navigation_marks_the_page_that_is_open() {
    let app = TestApp::start().await;
    let path = sample_article().write(app.dir.path(), 1);
    app.import(&[path]).await;
    let current = |html: String| {
        dom_query::Document::from(html.as_str())
            .select("nav a[aria-current=page]")
            .iter()
            .map(|link| link.text().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(current(app.page("/").await), ["Archive"]);
    assert_eq!(current(app.page("/sites").await), ["Sites"]);
    assert_eq!(current(app.page("/add").await), ["Add"]);
    let article = format!("/a/{SAMPLE_ID}/harbour-ferries-return-to-the-old-quay");
    assert!(current(app.page(&article).await).is_empty());
}

/// The titles an article page links to as its newer (`rel=prev`) and older (`rel=next`)
/// neighbours in the listing.
async fn neighbour_titles(app: &TestApp, n: usize) -> (Option<String>, Option<String>) {
    let html = app
        .page(&format!("/a/{n:016x}/invented-story-number-{n}"))
        .await;
    let page = dom_query::Document::from(html.as_str());
    let title = |rel: &str| {
        let link = page.select(&format!(".pager a[rel={rel}]"));
        link.exists().then(|| {
            link.text()
                .trim_matches(|c: char| c == '←' || c == '→' || c.is_whitespace())
                .to_owned()
        })
    };
    (title("prev"), title("next"))
}

#[tokio::test]
async fn an_article_links_to_its_neighbours_in_the_listing() {
    let app = TestApp::start().await;
    // Listing order, newest first (same day: larger id first): 1, 0, 3, 2.
    app.import(&[write_corpus(app.dir.path(), 4)]).await;
    let story = |n: usize| Some(format!("Invented story number {n}"));
    assert_eq!(neighbour_titles(&app, 0).await, (story(1), story(3)));
    assert_eq!(neighbour_titles(&app, 1).await, (None, story(0)));
    assert_eq!(neighbour_titles(&app, 2).await, (story(3), None));
}

/// A kept page and the stylesheet go out compressed as the browser asks (brotli before gzip),
/// the same bytes each time (compressed once, not per request), and read back as the page.
#[tokio::test]
async fn kept_pages_and_the_stylesheet_are_sent_compressed_as_asked() {
    use std::io::Read;

    let app = TestApp::start().await;
    let corpus = write_corpus(app.dir.path(), 3);
    app.import(&[corpus]).await;
    let fetch = |path: String, accept: &'static str| {
        let request = app.client.get(app.url(&path));
        async move {
            let request = if accept.is_empty() {
                request
            } else {
                request.header("accept-encoding", accept)
            };
            let response = request.send().await.expect("get");
            let coding = response
                .headers()
                .get("content-encoding")
                .map(|value| value.to_str().expect("ascii").to_owned());
            let vary = response
                .headers()
                .get_all("vary")
                .iter()
                .map(|value| value.to_str().expect("ascii").to_lowercase())
                .collect::<Vec<_>>()
                .join(",");
            (coding, vary, response.bytes().await.expect("body").to_vec())
        }
    };
    for path in ["/".to_owned(), stylesheet_path(&app).await] {
        let (coding, vary, plain) = fetch(path.clone(), "").await;
        assert_eq!(coding, None, "{path}: nothing asked, nothing compressed");
        assert!(vary.contains("accept-encoding"), "{path}: {vary}");

        let (coding, vary, brotli) = fetch(path.clone(), "gzip, deflate, br").await;
        assert_eq!(coding.as_deref(), Some("br"), "{path}");
        assert!(vary.contains("accept-encoding"), "{path}: {vary}");
        let mut unpacked = Vec::new();
        brotli::Decompressor::new(&brotli[..], 4096)
            .read_to_end(&mut unpacked)
            .expect("brotli");
        assert_eq!(unpacked, plain, "{path}");
        assert_eq!(fetch(path.clone(), "br").await.2, brotli, "{path}: kept");

        let (coding, _, gzip) = fetch(path.clone(), "gzip, br;q=0").await;
        assert_eq!(coding.as_deref(), Some("gzip"), "{path}");
        let mut unpacked = Vec::new();
        flate2::read::GzDecoder::new(&gzip[..])
            .read_to_end(&mut unpacked)
            .expect("gzip");
        assert_eq!(unpacked, plain, "{path}");

        // A revisit gets 304 with the page's one tag, naming no coding.
        let first = app.get_with(&path, "accept-encoding", "br").await;
        let tag = first.headers()["etag"].clone();
        let revisit = app
            .client
            .get(app.url(&path))
            .header("accept-encoding", "gzip")
            .header("if-none-match", tag)
            .send()
            .await
            .expect("get");
        assert_eq!(revisit.status(), 304, "{path}");
        assert!(
            !revisit.headers().contains_key("content-encoding"),
            "{path}"
        );
    }
}
