//! The page extractor against golden files (`tests/fixtures/extract/NAME.html` beside
//! `NAME.expected.json`; `UPDATE_GOLDEN=1` rewrites them), plus the properties the golden files
//! only imply: boilerplate gone, structure kept, encodings read, limits enforced, and the
//! `tearsheet extract` command's output.
//!
//! Each fixture starts with `<!-- page-url: URL [content-type: VALUE] -->`, standing in for what
//! the fetcher would know.

#[path = "extract/xss.rs"]
mod xss;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tearsheet::ingest::ParsedArticle;
use tearsheet::ingest::extract::{ExtractError, decode_html, extract_article, extract_page};
use tearsheet::ingest::sanitize::sanitize_html;
use url::Url;

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/extract")
}

struct Fixture {
    bytes: Vec<u8>,
    page_url: Url,
    content_type: Option<String>,
}

fn fixture(name: &str) -> Fixture {
    let path = fixture_dir().join(format!("{name}.html"));
    let bytes = fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let first_line = bytes
        .split(|&byte| byte == b'\n')
        .next()
        .unwrap_or_default();
    let header = String::from_utf8_lossy(first_line);
    let header = header
        .trim()
        .strip_prefix("<!--")
        .and_then(|rest| rest.strip_suffix("-->"))
        .unwrap_or_else(|| panic!("{name}: no page-url header"));
    let (url_part, content_type) = match header.split_once("content-type:") {
        Some((url_part, content_type)) => (url_part, Some(content_type.trim().to_owned())),
        None => (header, None),
    };
    let url = url_part.trim().trim_start_matches("page-url:").trim();
    let page_url = Url::parse(url).unwrap_or_else(|error| panic!("{name}: {url}: {error}"));
    Fixture {
        bytes,
        page_url,
        content_type,
    }
}

fn extract(name: &str) -> Result<ParsedArticle, ExtractError> {
    let fixture = fixture(name);
    extract_page(
        &fixture.bytes,
        fixture.content_type.as_deref(),
        Some(&fixture.page_url),
    )
    .article
}

fn article(name: &str) -> ParsedArticle {
    extract(name).unwrap_or_else(|error| panic!("{name}: {error}"))
}

fn golden_value(result: &Result<ParsedArticle, ExtractError>) -> Value {
    match result {
        Ok(article) => json!({
            "title": article.title,
            "byline": article.byline,
            "published": article.published_at,
            "published_raw": article.published_raw,
            "site": article.site_name,
            "language": article.language,
            "original_url": article.original_url,
            "lead_image": article.lead_image,
            "text": article.body_text,
            "html": article.body_html,
        }),
        Err(error) => json!({ "error": error.user_message() }),
    }
}

#[test]
fn extracted_articles_match_golden_files() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut names: Vec<String> = fs::read_dir(fixture_dir())
        .expect("the fixture folder")
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".html").map(str::to_owned)
        })
        .collect();
    names.sort();
    assert!(names.len() >= 6, "fixtures missing: {names:?}");
    let mut mismatches = Vec::new();
    for name in &names {
        let actual = golden_value(&extract(name));
        let expected_path = fixture_dir().join(format!("{name}.expected.json"));
        if update {
            let pretty = serde_json::to_string_pretty(&actual).expect("JSON");
            fs::write(&expected_path, pretty + "\n").expect("writing a golden file");
            continue;
        }
        let expected: Value = fs::read_to_string(&expected_path)
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_else(|| panic!("{}: missing or invalid", expected_path.display()));
        for (field, value) in expected.as_object().into_iter().flatten() {
            if actual.get(field) != Some(value) {
                mismatches.push(format!(
                    "{name}.{field}:\n  expected {value}\n  actual   {}",
                    actual.get(field).unwrap_or(&Value::Null)
                ));
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "run with UPDATE_GOLDEN=1 if the change is intended\n{}",
        mismatches.join("\n")
    );
}

#[test]
fn news_boilerplate_is_left_out() {
    let article = article("news_article");
    assert_eq!(
        article.title,
        "Harbour council votes to restore the old tidal mill"
    );
    assert_eq!(article.byline.as_deref(), Some("Marta Quill"));
    assert_eq!(
        article.published_at.as_deref(),
        Some("2026-03-14T16:45:00Z")
    );
    assert_eq!(article.site_name.as_deref(), Some("The Lantern Gazette"));
    assert!(
        article
            .body_text
            .starts_with("Councillors in Saltmere voted")
            || article
                .body_text
                .contains("\n\nCouncillors in Saltmere voted")
    );
    assert!(article.body_text.contains("once the nesting season"));
    for boilerplate in [
        "cookies",
        "Accept all",
        "Advertisement",
        "Related stories",
        "Quay businesses count the cost",
        "Most read",
        "All rights reserved",
        "Subscribe",
    ] {
        assert!(
            !article.body_text.contains(boilerplate),
            "{boilerplate:?} in {}",
            article.body_text
        );
    }
    assert_eq!(
        article.lead_image.as_deref(),
        Some("https://www.lantern-gazette.example/media/2026/03/mill-wide.jpg")
    );
}

#[test]
fn relative_links_and_images_become_absolute() {
    let article = article("news_article");
    assert!(
        article.body_html.contains(
            r#"href="https://www.lantern-gazette.example/local/2026/documents/mill-survey-2025.pdf" rel="noopener noreferrer nofollow""#
        ),
        "{}",
        article.body_html
    );
    let structure = self::article("structure");
    let html = &structure.body_html;
    for absolute in [
        r#"src="https://docs.quillworks.example/guides/backups/img/rotation-diagram.png""#,
        r#"srcset="https://docs.quillworks.example/guides/backups/img/rotation-diagram.png 1x, https://docs.quillworks.example/guides/backups/img/rotation-diagram@2x.png 2x""#,
        r#"href="https://docs.quillworks.example/guides/reference/snaprot.html#options""#,
        r#"href="mailto:docs@quillworks.example""#,
        r#"loading="lazy" referrerpolicy="no-referrer""#,
    ] {
        assert!(html.contains(absolute), "{absolute} not in {html}");
    }
}

#[test]
fn reading_structure_is_kept() {
    let article = article("structure");
    for tag in [
        "<h2>",
        "<h3>",
        "<ol>",
        "<ul>",
        "<li>",
        "<table>",
        "<th>",
        "<td>",
        "<pre>",
        "<code>",
        "<blockquote>",
        "<figure>",
        "<figcaption>",
        "<kbd>",
    ] {
        assert!(
            article.body_html.contains(tag),
            "{tag} missing: {}",
            article.body_html
        );
    }
    assert!(
        article
            .body_text
            .contains("keep hourly 7d\nkeep daily  30d\nkeep monthly 12m\n  # indentation"),
        "{}",
        article.body_text
    );
    assert!(article.body_text.contains("Hourly | 168 | 12 GB"));
    assert!(!article.body_text.contains("licensed under CC BY"));
    assert_eq!(article.published_at.as_deref(), Some("2025-06-02"));
}

#[test]
fn json_ld_graph_gives_blog_metadata() {
    let article = article("blog_jsonld");
    assert_eq!(article.title, "Notes on sourdough hydration");
    assert_eq!(article.byline.as_deref(), Some("Tobias Wren"));
    assert_eq!(
        article.published_at.as_deref(),
        Some("2025-09-21T07:30:00Z")
    );
    assert_eq!(article.site_name.as_deref(), Some("Crumb & Crust"));
    assert_eq!(article.language.as_deref(), Some("en-GB"));
    assert!(!article.body_text.contains("Recent posts"));
    assert!(!article.body_text.contains("3 comments"));
}

#[test]
fn windows_1252_declared_late_is_decoded() {
    let fixture = fixture("windows1252");
    let meta = fixture
        .bytes
        .windows(5)
        .position(|window| window == b"<meta")
        .expect("a meta tag");
    assert!(meta > 1024, "the fixture must declare its charset late");
    let article = article("windows1252");
    assert_eq!(article.title, "La fête des bateaux attire 12 000 visiteurs");
    assert_eq!(article.byline.as_deref(), Some("René Dufresne"));
    assert_eq!(article.published_at.as_deref(), Some("2024-04-21"));
    for text in ["coûtait 5 €", "François Œuvray", "l’an prochain", "nœuds"] {
        assert!(
            article.body_text.contains(text),
            "{text}: {}",
            article.body_text
        );
    }
}

#[test]
fn shift_jis_from_the_content_type_header() {
    let fixture = fixture("shift_jis");
    let content_type = fixture.content_type.as_deref();
    assert_eq!(content_type, Some("text/html; charset=Shift_JIS"));
    assert!(std::str::from_utf8(&fixture.bytes).is_err());
    let html = decode_html(&fixture.bytes, content_type, Some(&fixture.page_url));
    assert!(html.contains("港町で灯籠流し、三年ぶりに復活"));
    assert!(!html.contains('\u{fffd}'));
    let article = article("shift_jis");
    assert_eq!(article.title, "港町で灯籠流し、三年ぶりに復活");
    assert_eq!(article.site_name.as_deref(), Some("みなと新聞"));
    assert_eq!(article.language.as_deref(), Some("ja"));
}

#[test]
fn utf8_without_any_declaration() {
    let article = article("french_no_charset");
    assert_eq!(article.title, "La bibliothèque flottante rouvre ses portes");
    assert_eq!(article.byline.as_deref(), Some("Élodie Marchetti"));
    assert_eq!(
        article.published_at.as_deref(),
        Some("2025-11-02T07:15:00Z")
    );
    assert!(
        article
            .body_text
            .contains("« Nous avons voulu garder l'esprit du lieu")
    );
}

#[test]
fn scripts_embeds_and_lazy_placeholders_are_removed() {
    let article = article("lazy_images_and_scripts");
    assert_eq!(article.title, "Counting moths at midnight");
    assert_eq!(article.byline.as_deref(), Some("Oona Brecht"));
    assert_eq!(
        article.published_at.as_deref(),
        Some("2024-08-09T22:10:00Z")
    );
    for gone in [
        "loadComments",
        "<iframe",
        "javascript:",
        "onclick",
        "data:image",
        "pixel.gif",
    ] {
        assert!(
            !article.body_html.contains(gone),
            "{gone}: {}",
            article.body_html
        );
    }
    assert!(article.body_text.contains("if you would like to join them"));
}

#[test]
fn a_login_page_has_no_article() {
    let error = extract("no_article").expect_err("a login form is not an article");
    assert_eq!(error, ExtractError::NoArticle);
    assert_eq!(error.user_message(), "No article was found in this page.");
}

#[test]
fn extraction_output_is_a_fixed_point_of_the_sanitizer() {
    for name in [
        "news_article",
        "structure",
        "blog_jsonld",
        "lazy_images_and_scripts",
    ] {
        let fixture = fixture(name);
        let article = article(name);
        let again = sanitize_html(&article.body_html, Some(&fixture.page_url));
        assert_eq!(again, article.body_html, "{name}");
    }
}

#[test]
fn hundred_thousand_nested_divs_are_refused_quickly() {
    let depth = 100_000;
    let html = format!(
        "<html><body>{}<p>deep</p>{}</body></html>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    let url = Url::parse("https://deep.example/").expect("URL");
    let started = Instant::now();
    let result = extract_article(&html, &url);
    let elapsed = started.elapsed();
    assert_eq!(result.err(), Some(ExtractError::TooDeep));
    assert!(elapsed < Duration::from_secs(2), "took {elapsed:?}");
}

#[test]
fn a_page_just_within_the_limits_is_read_on_a_small_stack() {
    // Blocking-pool threads have 2 MiB stacks, like this one.
    let worker = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(|| {
            let depth = 390;
            let paragraph = "<p>A sentence that is long enough to count as the text of an article, repeated. </p>";
            let html = format!(
                "<html><body>{}{}{}</body></html>",
                "<div>".repeat(depth),
                paragraph.repeat(20),
                "</div>".repeat(depth)
            );
            let url = Url::parse("https://deep.example/").expect("URL");
            extract_article(&html, &url).map(|article| article.body_text.len())
        })
        .expect("a thread");
    let text_len = worker.join().expect("no stack overflow");
    assert!(matches!(text_len, Ok(len) if len > 1000), "{text_len:?}");
}

#[test]
fn the_extract_command_prints_json_lines() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let gzipped = dir.path().join("blog.html.gz");
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut encoder, &fixture("blog_jsonld").bytes).expect("gzip");
    fs::write(&gzipped, encoder.finish().expect("gzip")).expect("writing");
    let news = fixture_dir().join("news_article.html");
    let login = fixture_dir().join("no_article.html");
    let output = Command::new(env!("CARGO_BIN_EXE_tearsheet"))
        .arg("extract")
        .arg("--json")
        .arg(&news)
        .arg(&login)
        .arg(&gzipped)
        .output()
        .expect("running tearsheet");
    assert_eq!(output.status.code(), Some(1), "one file has no article");
    let lines: Vec<Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect();
    assert_eq!(lines.len(), 3);
    let news_line = &lines[0];
    assert_eq!(news_line["file"], json!(news.display().to_string()));
    // No --url: the page's canonical link stands in for it.
    assert_eq!(
        news_line["url"],
        json!("https://www.lantern-gazette.example/local/2026/03/harbour-mill-vote")
    );
    assert_eq!(
        news_line["title"],
        json!("Harbour council votes to restore the old tidal mill")
    );
    assert_eq!(news_line["byline"], json!("Marta Quill"));
    assert_eq!(news_line["published"], json!("2026-03-14T16:45:00Z"));
    assert_eq!(news_line["site"], json!("The Lantern Gazette"));
    assert_eq!(news_line["language"], json!("en"));
    assert!(
        news_line["text"]
            .as_str()
            .is_some_and(|text| text.contains("tidal mill"))
    );
    assert!(
        news_line["html"]
            .as_str()
            .is_some_and(|html| html.contains("<p>"))
    );
    assert_eq!(news_line["error"], Value::Null);
    assert_eq!(
        lines[1]["error"],
        json!("No article was found in this page.")
    );
    assert_eq!(lines[1]["title"], Value::Null);
    assert_eq!(lines[2]["byline"], json!("Tobias Wren"));
    assert_eq!(lines[2]["error"], Value::Null);
}

#[test]
fn the_extract_command_prints_plain_text_with_a_given_url() {
    let login = fixture_dir().join("no_article.html");
    let output = Command::new(env!("CARGO_BIN_EXE_tearsheet"))
        .args(["extract", "--url", "https://other.example/a/b"])
        .arg(fixture_dir().join("structure.html"))
        .arg(&login)
        .output()
        .expect("running tearsheet");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("Title:     Rotating snapshots without losing sleep"),
        "{stdout}"
    );
    assert!(stdout.contains("Byline:    Priya Okonkwo-Hale"), "{stdout}");
    assert!(stdout.contains("Published: 2025-06-02"), "{stdout}");
    assert!(stdout.contains("Site:      other.example"), "{stdout}");
    assert!(stdout.contains("A backup you cannot restore"), "{stdout}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("No article was found"), "{stderr}");
}

#[test]
fn an_author_only_the_second_reading_names_is_kept() {
    let paragraph = "<p>The night ferries that stopped crossing the fjord three winters ago \
        return next month, with two refitted boats and a timetable that meets the last train \
        from the city, the operator said on Tuesday.</p>";
    let html = format!(
        "<html><head><title>Night ferries return to the fjord</title></head><body><article>\
         <h1>Night ferries return to the fjord</h1><p><a rel=\"me\" href=\"/about\">Marta \
         Lindqvist</a></p>{}</article></body></html>",
        paragraph.repeat(4)
    );
    let url = Url::parse("https://fjordnews.example/ferries").expect("a URL");
    let article = extract_article(&html, &url).expect("an article");
    assert_eq!(article.byline.as_deref(), Some("Marta Lindqvist"));
}

#[test]
fn a_landing_page_is_named_by_its_title_not_its_slogan() {
    let paragraph = "<p>We service boilers of every make within a day, with parts carried in \
        the van, a fixed price agreed before the work starts and a year's guarantee on every \
        repair, across the whole of the valley.</p>";
    let page = |kind: &str| {
        format!(
            "<html><head><title>Boiler Repair Service in the Valley | Warmhouse</title>\
             <meta property=\"og:type\" content=\"{kind}\"></head><body><main>\
             <h1>Boiler repair that keeps you warm</h1>{}</main></body></html>",
            paragraph.repeat(4)
        )
    };
    let url = Url::parse("https://warmhouse.example/boiler-repair").expect("a URL");
    let landing = extract_article(&page("website"), &url).expect("an article");
    assert_eq!(landing.title, "Boiler Repair Service in the Valley");
    let article = extract_article(&page("article"), &url).expect("an article");
    assert_eq!(article.title, "Boiler repair that keeps you warm");
}

#[test]
fn an_h1_the_pages_address_names_is_its_title_beside_a_slogan_or_on_a_landing_page() {
    let url = |path: &str| Url::parse(&format!("https://quayside.example{path}")).expect("a URL");
    // A shop's product page calls itself a website and gives its range as the title.
    let product = harbour_page(
        "<title>Brass instruments for boats | Quayside</title>\
         <meta property=\"og:type\" content=\"website\">",
        "Brass Tide Clock with Barometer",
    );
    let article = extract_article(&product, &url("/products/brass-tide-clock-barometer"))
        .expect("an article");
    assert_eq!(article.title, "Brass Tide Clock with Barometer");
    // The same page under an address that does not name it keeps its title.
    let article = extract_article(&product, &url("/products/item-48213")).expect("an article");
    assert_eq!(article.title, "Brass instruments for boats");
    // A site that gives every page its motto as the title.
    let thread = harbour_page(
        "<title>Quayside - Voices of the coast</title>",
        "Who repairs old mooring winches?",
    );
    let article = extract_article(&thread, &url("/t/who-repairs-old-mooring-winches/4471"))
        .expect("an article");
    assert_eq!(article.title, "Who repairs old mooring winches?");
}

#[test]
fn a_headline_grows_to_the_part_of_the_title_that_holds_it_with_a_word_more() {
    let html = harbour_page(
        "<title>Quayside Tide Clock | Brass | Quayside Shop</title>",
        "Tide Clock",
    );
    let article = extract_article(
        &html,
        &Url::parse("https://quayside.example/p/881").expect("a URL"),
    )
    .expect("an article");
    assert_eq!(article.title, "Quayside Tide Clock");
}

/// A page with `head`, the `<h1>` `headline` and four paragraphs of invented text, enough to
/// be read as an article.
fn harbour_page(head: &str, headline: &str) -> String {
    let paragraphs = "<p>The harbour board met on Thursday to agree how the new quay will be \
        built, after two winters of storms left the old wall cracked along most of its length \
        and the fishing boats moored in the river instead.</p>"
        .repeat(4);
    format!(
        "<html><head>{head}</head><body><main><h1>{headline}</h1>{paragraphs}</main></body>\
         </html>"
    )
}

#[test]
fn a_json_ld_headline_the_h1_does_not_say_gives_way_to_the_meta_title() {
    let html = harbour_page(
        "<title>Twelve tools for reading tide tables | Quayside</title>\
         <meta property=\"og:type\" content=\"website\">\
         <meta property=\"og:title\" content=\"Twelve tools for reading tide tables\">\
         <script type=\"application/ld+json\">{\"@type\": \"Article\", \"headline\": \
         \"Take a look at the tools and learn how to choose one.\"}</script>",
        "Twelve tools for reading tide tables",
    );
    let url = Url::parse("https://quayside.example/guides/tide-tools").expect("a URL");
    let article = extract_article(&html, &url).expect("an article");
    assert_eq!(article.title, "Twelve tools for reading tide tables");
}

#[test]
fn a_title_that_is_the_h1_with_words_more_wins_from_any_of_the_page_titles() {
    let html = harbour_page(
        "<title>8 Recent Trends in Harbour Design - Quayside Works</title>\
         <script type=\"application/ld+json\">{\"@type\": \"Article\", \"headline\": \
         \"Recent Trends in Harbour Design\"}</script>",
        "Recent Trends in Harbour Design",
    );
    let url = Url::parse("https://quaysideworks.example/articles/trends").expect("a URL");
    let article = extract_article(&html, &url).expect("an article");
    assert_eq!(article.title, "8 Recent Trends in Harbour Design");
    // The fuller one in JSON-LD, the `<meta>` title saying what the `<h1>` says.
    let html = harbour_page(
        "<title>Recent Trends in Harbour Design</title>\
         <meta property=\"og:title\" content=\"Recent Trends in Harbour Design\">\
         <script type=\"application/ld+json\">{\"@type\": \"Article\", \"headline\": \
         \"8 Recent Trends in Harbour Design\"}</script>",
        "Recent Trends in Harbour Design",
    );
    let article = extract_article(&html, &url).expect("an article");
    assert_eq!(article.title, "8 Recent Trends in Harbour Design");
}

#[test]
fn a_logo_drawn_in_the_h1_is_not_part_of_the_headline() {
    let html = harbour_page(
        "<title>Harbour board agrees the new quay</title>",
        "<svg viewBox=\"0 0 10 10\"><title>Artboard</title><desc>Created with a drawing \
         app.</desc><path d=\"M0 0h10v10H0z\"/></svg>Harbour board agrees the new quay",
    );
    let url = Url::parse("https://quayside.example/news/quay").expect("a URL");
    let article = extract_article(&html, &url).expect("an article");
    assert_eq!(article.title, "Harbour board agrees the new quay");
}

/// A discussion page (a link with its thread, as on link aggregators) keeps its replies: they
/// are what the page is.
#[test]
fn a_discussion_thread_keeps_its_replies() {
    let reply = |author: &str, words: &str| {
        format!(
            "<li class=\"comments_subtree\"><div class=\"comment\" id=\"c_{author}\">\
             <div class=\"details\"><div class=\"byline\">{author}</div>\
             <div class=\"comment_text\"><p>{words}</p></div></div></div></li>"
        )
    };
    let html = format!(
        "<html><head><title>Tide tables for small harbours | Quayside Links</title></head>\
         <body><main><div class=\"story\"><h1><a href=\"https://tides.example/\">Tide \
         tables for small harbours</a></h1><p>via mara, 12 comments</p></div>\
         <ol class=\"comments comments1\">{}{}{}</ol></main></body></html>",
        reply(
            "mara",
            "I use the harbour office's own tables, printed at the start of each month and \
             kept in a plastic sleeve by the chart table. They cost nothing, they never run \
             out of battery, and the office corrects them when the dredging moves the bar. \
             Once a season I check them against the gauge on the north pier at high water.",
        ),
        reply(
            "tobias",
            "The free app from the coastguard has worked for me for three seasons now, with \
             warnings for spring tides and for the bar at low water. It also shows the wind \
             forecast beside each tide, which saves opening a second app on a wet morning. \
             The only trouble is the signal, which drops out past the breakwater.",
        ),
        reply(
            "ines",
            "Whatever you pick, check it against the printed tables for the first few weeks \
             before trusting it on a falling tide with a loaded boat. My first app was an \
             hour out after the clocks changed, and I sat on the mud until evening. Since \
             then I write the day's low water on a card and tape it by the tiller.",
        ),
    );
    let url = Url::parse("https://links.quayside.example/s/tides").expect("a URL");
    let article = extract_article(&html, &url).expect("an article");
    for reply in ["plastic sleeve", "coastguard", "falling tide"] {
        assert!(
            article.body_text.contains(reply),
            "{reply}: {}",
            article.body_text
        );
    }
}

/// What the page's style sheets hide by a class (a product's internal fields listed for its
/// scripts) is not archived; what a class shows from some screen width on is.
#[test]
fn what_a_hiding_class_hides_is_left_out() {
    let paragraph = "The new quay opens to fishing boats on Monday, with berths for twelve \
        boats and a crane that lifts four tonnes. The harbour board paid for it from the sale \
        of the old net lofts, and the work came in a month early and under budget.";
    let html = format!(
        "<html><head><title>The new quay opens on Monday</title></head><body><main><article>\
         <h1>The new quay opens on Monday</h1><p>{paragraph}</p>\
         <dl class=\"quay-fields d-none\"><dt>berth_thumb_north:</dt>\
         <dd>https://cdn.quayside.example/thumbs/north.jpg</dd></dl>\
         <p class=\"hidden md:block\">Berth fees are on the board by the harbour office, and \
         the harbour master takes bookings from the first of the month.</p>\
         <p>{paragraph}</p></article></main></body></html>"
    );
    let url = Url::parse("https://quayside.example/news/new-quay").expect("a URL");
    let article = extract_article(&html, &url).expect("an article");
    assert!(
        !article.body_text.contains("berth_thumb") && !article.body_text.contains("thumbs"),
        "{}",
        article.body_text
    );
    assert!(
        article.body_text.contains("Berth fees"),
        "{}",
        article.body_text
    );
}

/// A service page whose `<title>` is `title` and whose `<h1>` is `headline`.
fn service_page(title: &str, headline: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <meta property=\"og:type\" content=\"website\">\
         <meta property=\"og:site_name\" content=\"Quayside Marine\"></head><body><header><nav>\
         <a href=\"/\">Home</a> <a href=\"/services/\">Services</a> <a href=\"/pricing/\">\
         Pricing</a> <a href=\"/contact/\">Contact</a></nav></header><main>\
         <section class=\"hero\"><h1>{headline}</h1><p>Trailer and anchor winches serviced on \
         the quay, while you wait.</p><a class=\"button\" href=\"/book/\">Book a service</a>\
         </section><section><h2>What we service</h2><ul><li>Hand and electric trailer winches \
         up to two tonnes</li><li>Anchor windlasses for boats up to twelve metres</li><li>\
         Capstans, drums and rope guides</li></ul></section><section><h2>How it works</h2><p>\
         Bring the winch or the whole trailer to the yard on any weekday morning. We strip it, \
         clean it, replace worn pawls and bearings, grease it and test it under load before you \
         leave.</p></section><section><h2>Pricing</h2><p>A hand winch service costs forty \
         pounds, an electric winch seventy, parts extra. Every service carries a twelve month \
         guarantee.</p></section><section><h2>Get a quote</h2><p>Call the yard or send us the \
         make and model of your winch and we will reply the same day.</p></section></main>\
         <footer><p>Quayside Marine, Harbour Road</p></footer></body></html>"
    )
}

/// A service page is named by its `<title>` whole, the site's name with it, not by the slogan in
/// its `<h1>`; the slogan stays in the body. A `<title>` that is only the site's name, or a
/// list of keywords, gives way to the usual rules (here the `<h1>` the address names).
#[test]
fn a_service_page_is_named_by_its_title() {
    let url = Url::parse("https://quayside.example/services/winch-servicing/").expect("a URL");
    let named = |title: &str, headline: &str| {
        extract_article(&service_page(title, headline), &url)
            .expect("an article")
            .title
    };
    let whole = "Winch Servicing and Repairs | Quayside Marine";
    assert_eq!(named(whole, "We keep you hauling"), whole);
    let article =
        extract_article(&service_page(whole, "We keep you hauling"), &url).expect("an article");
    assert!(
        article.body_text.contains("twelve month guarantee"),
        "{}",
        article.body_text
    );
    // Signed only by the site and dated, as WordPress dates every page: not an article.
    let signed_by_the_site = service_page(whole, "We keep you hauling").replace(
        "</head>",
        "<meta name=\"author\" content=\"Quayside Marine\">\
         <meta property=\"article:published_time\" content=\"2025-03-04\"></head>",
    );
    let article = extract_article(&signed_by_the_site, &url).expect("an article");
    assert_eq!(article.title, whole);
    let headline = "Winch servicing on the quay";
    assert_eq!(named("Quayside Marine", headline), headline);
    let keywords = ["winch servicing"; 12].join(", ");
    assert_eq!(named(&keywords, headline), headline);
}
