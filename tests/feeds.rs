//! Atom feeds and the site index, through the real server.

mod common;

use common::{FixtureArticle, TestApp, write_corpus};

const ATOM: &str = "http://www.w3.org/2005/Atom";

async fn feed(app: &TestApp, path: &str) -> String {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    assert_eq!(
        response.headers()["content-type"],
        "application/atom+xml; charset=utf-8"
    );
    response.text().await.expect("body")
}

fn child_text<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Option<&'a str> {
    node.children()
        .find(|n| n.has_tag_name((ATOM, name)))
        .and_then(|n| n.text())
}

#[tokio::test]
async fn the_newest_feed_is_valid_atom_with_permalinks() {
    let app = TestApp::start().await;
    app.import(&[write_corpus(app.dir.path(), 60)]).await;
    let xml = feed(&app, "/feed.atom").await;
    let document = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let root = document.root_element();
    assert!(root.has_tag_name((ATOM, "feed")));
    for required in ["id", "title", "updated"] {
        assert!(child_text(root, required).is_some(), "feed {required}");
    }
    let entries: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name((ATOM, "entry")))
        .collect();
    assert_eq!(entries.len(), 50);
    let base = app.url("");
    for entry in &entries {
        let id = child_text(*entry, "id").expect("id");
        assert!(id.starts_with(&format!("{base}/a/")), "{id}");
        assert!(child_text(*entry, "updated").is_some_and(|u| u.ends_with('Z')));
        assert!(entry.children().any(|n| n.has_tag_name((ATOM, "author"))));
    }
    // The newest article comes first and its permalink answers.
    let first = child_text(entries[0], "id").expect("id");
    let path = first.strip_prefix(&base).expect("local");
    assert_eq!(app.get(path).await.status(), 200);
    let content = child_text(entries[0], "content").expect("content");
    assert!(
        content.contains("<p>"),
        "HTML content escaped once: {content}"
    );
}

#[tokio::test]
async fn site_and_search_feeds_and_their_links() {
    let app = TestApp::start().await;
    app.import(&[write_corpus(app.dir.path(), 30)]).await;
    let xml = feed(&app, "/feed.atom?site=www.beta.example").await;
    let document = roxmltree::Document::parse(&xml).expect("xml");
    assert_eq!(
        document
            .descendants()
            .filter(|n| n.has_tag_name((ATOM, "entry")))
            .count(),
        10
    );

    let xml = feed(&app, "/search.atom?q=harbour+%22story+7%22").await;
    let document = roxmltree::Document::parse(&xml).expect("xml");
    let titles: Vec<_> = document
        .descendants()
        .filter(|n| n.has_tag_name((ATOM, "entry")))
        .filter_map(|entry| child_text(entry, "title"))
        .collect();
    assert_eq!(titles, ["Invented story number 7"]);

    let listing = app.page("/?site=beta.example").await;
    assert!(
        listing.contains(r#"type="application/atom+xml""#)
            && listing.contains("/feed.atom?site=beta.example")
    );
    let search = app.page("/search?q=harbour").await;
    assert!(search.contains("/search.atom?q=harbour"));
}

#[tokio::test]
async fn hostile_titles_are_escaped_in_feeds() {
    let app = TestApp::start().await;
    let path = FixtureArticle {
        id: "feedfeedfeed0001",
        title: "<script>alert(1)</script> & ]]> \"quotes\"",
        date: "May 1, 2026",
        url: "https://x.example/f",
        body: "Body text.",
    }
    .write(app.dir.path(), 1);
    app.import(&[path]).await;
    let xml = feed(&app, "/feed.atom").await;
    let document = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let entry = document
        .descendants()
        .find(|n| n.has_tag_name((ATOM, "entry")))
        .expect("entry");
    assert_eq!(
        child_text(entry, "title"),
        Some("<script>alert(1)</script> & ]]> \"quotes\"")
    );
}

#[tokio::test]
async fn the_site_index_counts_articles_per_site() {
    let app = TestApp::start().await;
    app.import(&[write_corpus(app.dir.path(), 7)]).await;
    let html = app.page("/sites").await;
    let page = dom_query::Document::from(html.as_str());
    let rows: Vec<String> = page
        .select(".sites li")
        .iter()
        .map(|li| li.text().split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(
        rows,
        [
            "alpha.example 3 articles",
            "beta.example 2 articles",
            "news.gamma.example 2 articles"
        ]
    );
    assert_eq!(
        page.select(".sites a").attr("href").as_deref(),
        Some("/?site=alpha.example")
    );
}

/// A feed's links are made from the `Host` the request names; a feed asked for under another
/// name is not kept for the readers who ask under this one.
#[tokio::test]
async fn a_feed_asked_for_under_another_host_name_is_not_served_to_others() {
    let app = TestApp::start().await;
    app.import(&[write_corpus(app.dir.path(), 3)]).await;
    let poisoned = app
        .get_with("/feed.atom", "host", "evil.example")
        .await
        .text()
        .await
        .expect("body");
    assert!(poisoned.contains("http://evil.example/a/"), "{poisoned}");
    let xml = feed(&app, "/feed.atom").await;
    assert!(!xml.contains("evil.example"), "{xml}");
    assert!(xml.contains(&format!("{}/a/", app.url(""))), "{xml}");
}
