//! What a page says about itself: JSON-LD, `<meta>` tags, `<time>` and `<html lang>`.

use std::collections::HashMap;
use std::iter;

use dom_query::{Document, NodeRef};
use serde_json::Value;

use super::dates::{is_machine_written, normalize_date};
use super::fields::{self, squash};
use super::headline::HeadlineTexts;
use super::published;
use super::tags::decode_references;

/// schema.org types whose `headline`, `author` and `datePublished` describe the article itself.
const ARTICLE_TYPES: &[&str] = &[
    "Article",
    "NewsArticle",
    "BlogPosting",
    "Report",
    "ScholarlyArticle",
    "TechArticle",
    "SocialMediaPosting",
    "LiveBlogPosting",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "ReportageNewsArticle",
    "ReviewNewsArticle",
    "BackgroundNewsArticle",
    "Review",
    "Recipe",
];

/// schema.org types of a forum thread's opening post, read as the article when nothing else is.
const THREAD_TYPES: &[&str] = &["DiscussionForumPosting"];

/// `<meta>` keys (name, property or itemprop, lower case), best first.
const TITLE_KEYS: &[&str] = &["og:title", "twitter:title", "dc.title", "headline"];
const AUTHOR_KEYS: &[&str] = &[
    "author",
    "article:author",
    "parsely-author",
    "sailthru.author",
    "byl",
    "dc.creator",
    "dcterms.creator",
    "citation_author",
];
const PUBLISHED_KEYS: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "parsely-pub-date",
    "sailthru.date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "article.published",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "citation_publication_date",
    "citation_date",
    "date",
    "published",
    "published-date",
    "og:published_time",
];
const SITE_KEYS: &[&str] = &["og:site_name"];
const SITE_FALLBACK_KEYS: &[&str] = &["application-name", "publisher"];
const IMAGE_KEYS: &[&str] = &[
    "og:image:secure_url",
    "og:image:url",
    "og:image",
    "twitter:image",
    "twitter:image:src",
    "thumbnailurl",
];
const LANGUAGE_KEYS: &[&str] = &["content-language", "dc.language", "og:locale", "inlanguage"];

/// How many of the page's `<h1>`s are compared with its title: a book's chapter page has the
/// book's and the chapter's; more are cards of a listing.
const MAX_HEADINGS: usize = 4;

/// The page's own description of its article. Values are as found (trimmed); choosing between
/// them and the extractor's guesses happens in the caller.
#[derive(Debug, Default)]
pub struct PageMetadata {
    pub title: Option<String>,
    /// The page's other names for itself: whichever of JSON-LD's headline and the `<meta>`
    /// title was not taken, and the `<title>` element. Any of them may give a headline its
    /// words more.
    pub other_titles: Vec<String>,
    /// The `<title>` element's text, whitespace collapsed.
    pub title_element: Option<String>,
    pub byline: Option<String>,
    pub published: Option<String>,
    pub site_name: Option<String>,
    pub language: Option<String>,
    pub lead_image: Option<String>,
    /// Whether the page calls itself a website (`og:type` "website") rather than an article.
    pub is_website: bool,
    /// The page's one `<h1>` outside navigation and footers, when it has exactly one.
    pub headline: Option<String>,
    /// An author named in the page's byline markup (`rel=author`, `itemprop=author`, author
    /// classes).
    pub byline_element: Option<String>,
    /// The publisher named as the author in JSON-LD, when no person is: a last resort.
    pub organization_author: Option<String>,
    /// The first `<time datetime>` outside navigation, comments and teasers.
    pub time_element: Option<String>,
    /// The first date printed in a date line by the headline, as `YYYY-MM-DD`.
    pub date_line: Option<String>,
    /// The first date printed in a short text next to the first `<h1>`, as `YYYY-MM-DD`.
    pub headline_date: Option<String>,
    /// The name in the first byline ("By Ann Lee") next to the first `<h1>`.
    pub headline_byline: Option<String>,
    /// The page's `<h1>`s (the first few), which tell the headline apart from the site's name
    /// in `<title>`.
    pub headings: Vec<String>,
}

/// Reads the metadata of a parsed page. JSON-LD comes first: it is the most deliberate of the
/// three, and the one search engines check.
pub fn read(document: &Document) -> PageMetadata {
    let linked = linked_data(document);
    let meta = meta_values(document);
    let headline_texts = HeadlineTexts::read(document);
    let first_meta = |keys: &[&str]| {
        keys.iter()
            .find_map(|key| meta.get(*key).filter(|value| !value.is_empty()).cloned())
    };
    let headline = sole_headline(document);
    let meta_title = first_meta(TITLE_KEYS);
    let declared_titles = [linked.title.clone(), meta_title.clone()];
    let title = full_title(linked.title, meta_title, headline.as_deref());
    let declared = linked
        .published
        .or_else(|| first_meta(PUBLISHED_KEYS))
        .or_else(|| time_element(document));
    let declared_for_people = declared
        .as_deref()
        .is_some_and(|declared| !is_machine_written(declared));
    // The page's printed dates are only wanted when it declares none that reads, or one written
    // for people: looking for them matches every element of the page against many selectors.
    let declared_day = declared.as_deref().and_then(normalize_date);
    let search_page = declared_for_people || declared_day.is_none();
    let date_line = search_page
        .then(|| published::from_date_lines(document))
        .flatten();
    let headline_date = search_page
        .then(|| headline_texts.as_ref().and_then(HeadlineTexts::date))
        .flatten();
    // A declared date written for people came from a page template, which as often gives the
    // day the page was last published: a date printed by the headline before it is the
    // article's.
    let printed = date_line.as_ref().or(headline_date.as_ref());
    let published = match (declared_day, printed) {
        (Some(declared_day), Some(printed))
            if declared_for_people && printed.as_str() < declared_day.get(..10).unwrap_or("") =>
        {
            Some(printed.clone())
        }
        _ => declared,
    };
    let title_element = title_element(document);
    PageMetadata {
        title: title.clone(),
        other_titles: declared_titles
            .into_iter()
            .chain([title_element.clone()])
            .flatten()
            .filter(|other| Some(other) != title.as_ref())
            .collect(),
        title_element,
        byline: linked
            .byline
            .or_else(|| first_meta(AUTHOR_KEYS).filter(|author| !author.starts_with("http"))),
        published,
        site_name: first_meta(SITE_KEYS)
            .or(linked.site_name)
            .or_else(|| first_meta(SITE_FALLBACK_KEYS)),
        language: html_language(document)
            .or_else(|| first_meta(LANGUAGE_KEYS))
            .or(linked.language),
        lead_image: first_meta(IMAGE_KEYS).or(linked.lead_image),
        is_website: meta
            .get("og:type")
            .is_some_and(|kind| kind.eq_ignore_ascii_case("website")),
        headline,
        byline_element: byline_element(document),
        organization_author: linked.organization_author,
        time_element: search_page
            .then(|| published::from_time_elements(document))
            .flatten(),
        date_line,
        headline_date,
        headline_byline: headline_texts.as_ref().and_then(HeadlineTexts::byline),
        headings: document
            .select("h1")
            .nodes()
            .iter()
            .take(MAX_HEADINGS)
            .map(heading_text)
            .filter(|h1| !h1.is_empty())
            .collect(),
    }
}

/// JSON-LD's headline, else the `<meta>` title. The `<meta>` one when it goes on where a long
/// headline stops (cut to the 110 characters search engines display), or when it is what the
/// page's `<h1>` says and the JSON-LD headline is not (a template that fills `headline` with the
/// page's description or its breadcrumb).
fn full_title(
    linked: Option<String>,
    meta: Option<String>,
    headline: Option<&str>,
) -> Option<String> {
    let says_headline =
        |title: &str| headline.is_some_and(|headline| squash(headline) == squash(title));
    match (linked, meta) {
        (Some(linked), Some(meta))
            if linked.chars().count() >= MIN_CUT_HEADLINE_CHARS
                && meta.len() > linked.len()
                && meta.starts_with(&linked) =>
        {
            Some(meta)
        }
        (Some(linked), Some(meta)) if says_headline(&meta) && !says_headline(&linked) => Some(meta),
        (linked, meta) => linked.or(meta),
    }
}

/// The text of the page's `<title>` element.
fn title_element(document: &Document) -> Option<String> {
    Some(clean(&document.select_single("head title").text())).filter(|title| !title.is_empty())
}

/// A JSON-LD headline this long may have been cut to fit search engines' 110 characters.
const MIN_CUT_HEADLINE_CHARS: usize = 100;

/// Every `<meta>` with content, keyed by its `property`, `name`, `itemprop` or `http-equiv`;
/// the first of each key wins, as pages put the canonical one first.
fn meta_values(document: &Document) -> HashMap<String, String> {
    let mut values = HashMap::new();
    for meta in document.select("meta[content]").nodes() {
        let Some(content) = meta.attr("content") else {
            continue;
        };
        let content = clean(&content);
        for key_attribute in ["property", "name", "itemprop", "http-equiv"] {
            if let Some(key) = meta.attr(key_attribute) {
                values
                    .entry(key.trim().to_ascii_lowercase())
                    .or_insert_with(|| content.clone());
            }
        }
    }
    values
}

/// The first `<time datetime>` marked as the publication date, else the first inside an
/// `<article>`: the first on the page is as often a clock in the header.
fn time_element(document: &Document) -> Option<String> {
    [
        "[itemprop=datePublished][datetime]",
        "[itemprop=datePublished][content]",
        "time[pubdate][datetime]",
        "article time[datetime]",
    ]
    .iter()
    .find_map(|selector| {
        let found = document.select_single(selector);
        found
            .attr("datetime")
            .or_else(|| found.attr("content"))
            .map(|value| clean(&value))
            .filter(|value| !value.is_empty())
    })
}

/// The name a page's microdata declares for an author's person (the first outside comments:
/// an article's author, a thread's or a question's starter). It may be a forum's user name with
/// digits ("user3080392"), which the other places are not trusted with.
const MICRODATA_NAME: &str = "[itemprop=author] [itemprop=name]";
/// Where else pages name their author in the markup, best first.
const BYLINE_SELECTORS: &[&str] = &[
    "a[rel=author]",
    "[itemprop=author]",
    "[class*=author-name]",
    "[class*=byline] a",
    "[class*=author] a[href*=author]",
];
/// Where a page's comments are: the authors named there are not the article's.
const COMMENTS: &str =
    "[itemprop~=comment], [itemtype$=Comment], #comments, .comment, .comments, .commentlist";
/// A name is a few words.
const MAX_NAME_CHARS: usize = 60;

/// The first author the page's markup names outside its comments, as `fields::byline` takes
/// it: a place whose name is not one (a link to a profile, a number) gives way to the next.
fn byline_element(document: &Document) -> Option<String> {
    let declared = iter::once((MICRODATA_NAME, true));
    let guessed = BYLINE_SELECTORS.iter().map(|selector| (*selector, false));
    declared.chain(guessed).find_map(|(selector, is_declared)| {
        let found = document.select(selector);
        let element = found.nodes().iter().find(|node| !is_in_comments(node))?;
        let name = match element.attr("content") {
            // Microdata may give the name in a `<meta>` (Stack Exchange's askers).
            Some(content) if is_declared && element.is("meta") => clean(&content),
            _ => clean(&element.text()),
        };
        let plausible = name.split(' ').count() <= 6
            && name.chars().count() <= MAX_NAME_CHARS
            && (is_declared || !name.chars().any(|c| c.is_ascii_digit()));
        plausible.then(|| fields::byline(Some(name))).flatten()
    })
}

fn is_in_comments(node: &NodeRef) -> bool {
    node.is(COMMENTS)
        || node
            .ancestors_it(None)
            .any(|ancestor| ancestor.is(COMMENTS))
}

/// The text of the page's only `<h1>` outside `<nav>`, `<footer>` and `<aside>`, if it is of
/// headline length (two words or more).
fn sole_headline(document: &Document) -> Option<String> {
    let headings = document.select("h1");
    let mut visible = headings.nodes().iter().filter(|heading| {
        !heading.ancestors(None).iter().any(|ancestor| {
            matches!(
                ancestor.node_name().as_deref(),
                Some("nav" | "footer" | "aside")
            )
        })
    });
    let headline = heading_text(visible.next()?);
    let plausible = visible.next().is_none()
        && headline.split(' ').count() >= 2
        && headline.chars().count() <= 250;
    plausible.then_some(headline)
}

/// A heading's words as the reader sees them: a line break inside it ("Data Analytics<br>Agency")
/// parts two words; a button in it ("Copy item path") is a control, not its words; what is
/// hidden from assistive technology (`aria-hidden="true"`, as both extractors read it) is
/// decoration or a copy for other screen sizes, beside the words it is hidden for. A heading
/// whose every word is hidden so (letters animated one by one) is named by its `aria-label`.
pub(super) fn heading_text(heading: &NodeRef) -> String {
    let mut text = String::new();
    // An explicit stack rather than recursion: the depth of the tree is the page's to choose.
    let mut stack = vec![*heading];
    while let Some(node) = stack.pop() {
        if node.is_text() {
            text.push_str(&node.text());
            continue;
        }
        match node.node_name().as_deref() {
            Some("br") => text.push(' '),
            // A logo's `<title>` and `<desc>`, a style sheet, a control: no words of the
            // heading.
            Some("svg" | "style" | "script" | "template" | "button") => {}
            _ if node.attr("aria-hidden").as_deref() == Some("true") => {}
            _ => stack.extend(node.children_it(true)),
        }
    }
    let text = clean(&text);
    match heading.attr("aria-label") {
        Some(label) if text.is_empty() => clean(&label),
        _ => text,
    }
}

fn html_language(document: &Document) -> Option<String> {
    document
        .select_single("html[lang]")
        .attr("lang")
        .map(|lang| clean(&lang))
        .filter(|lang| !lang.is_empty())
}

/// What the JSON-LD blocks say about the article.
#[derive(Default)]
struct LinkedData {
    title: Option<String>,
    byline: Option<String>,
    organization_author: Option<String>,
    published: Option<String>,
    site_name: Option<String>,
    language: Option<String>,
    lead_image: Option<String>,
}

fn linked_data(document: &Document) -> LinkedData {
    let mut nodes = Vec::new();
    for script in document.select("script[type]").nodes() {
        let is_json_ld = script
            .attr("type")
            .is_some_and(|kind| kind.trim().eq_ignore_ascii_case("application/ld+json"));
        if !is_json_ld {
            continue;
        }
        let text = script.text();
        let text = text
            .trim()
            .trim_start_matches("<![CDATA[")
            .trim_end_matches("]]>");
        if let Ok(value) = serde_json::from_str::<Value>(text) {
            collect_nodes(value, &mut nodes);
        }
    }
    let mut by_id: HashMap<&str, &Value> = HashMap::new();
    for node in &nodes {
        if let Some(id) = node.get("@id").and_then(Value::as_str) {
            // The first description of a thing, not a later mention of it.
            by_id.entry(id).or_insert(node);
        }
    }
    let resolve = |value: &'_ Value| -> Value {
        match value.get("@id").and_then(Value::as_str) {
            Some(id) if value.as_object().is_some_and(|object| object.len() == 1) => {
                by_id.get(id).map_or(Value::Null, |&node| node.clone())
            }
            _ => value.clone(),
        }
    };
    // A forum thread's posting only when nothing else is an article: a page may describe its
    // comments so too.
    let article = nodes
        .iter()
        .find(|node| has_type(node, ARTICLE_TYPES))
        .or_else(|| nodes.iter().find(|node| has_type(node, THREAD_TYPES)));
    // Yoast and others put the dates on the WebPage node and the article elsewhere.
    let page = nodes.iter().find(|node| has_type(node, &["WebPage"]));
    let Some(main) = article.or(page) else {
        return LinkedData::default();
    };
    let author = main.get("author").map(&resolve).unwrap_or(Value::Null);
    let people = names(&author, &resolve, false);
    let organizations = names(&author, &resolve, true);
    let publisher = main.get("publisher").map(&resolve);
    LinkedData {
        title: article.and_then(|node| string_field(node, &["headline", "name"])),
        byline: Some(people).filter(|names| !names.is_empty()),
        organization_author: Some(organizations).filter(|names| !names.is_empty()),
        published: string_field(main, &["datePublished", "dateCreated"])
            .or_else(|| page.and_then(|node| string_field(node, &["datePublished"]))),
        site_name: publisher.and_then(|publisher| string_field(&publisher, &["name"])),
        language: string_field(main, &["inLanguage"]),
        lead_image: main
            .get("image")
            .map(&resolve)
            .and_then(|image| image_url(&image)),
    }
}

/// Flattens arrays, `@graph` lists and the one thing a page's `mainEntity` describes (a forum's
/// `WebPage` holds its thread's `DiscussionForumPosting` there) into the list of described
/// things.
fn collect_nodes(value: Value, nodes: &mut Vec<Value>) {
    match value {
        Value::Array(items) => items
            .into_iter()
            .for_each(|item| collect_nodes(item, nodes)),
        Value::Object(mut object) => {
            if let Some(graph) = object.remove("@graph") {
                collect_nodes(graph, nodes);
            }
            // One thing, described here: a list is a collection's items or a FAQ's questions,
            // and a bare `{"@id": …}` points to a node described elsewhere.
            if let Some(entity) = object
                .remove("mainEntity")
                .filter(|entity| entity.get("@type").is_some())
            {
                collect_nodes(entity, nodes);
            }
            nodes.push(Value::Object(object));
        }
        _ => {}
    }
}

fn has_type(node: &Value, types: &[&str]) -> bool {
    let matches = |kind: &Value| {
        kind.as_str().is_some_and(|kind| {
            let kind = kind.rsplit(['/', ':']).next().unwrap_or(kind);
            types.contains(&kind)
        })
    };
    match node.get("@type") {
        Some(Value::Array(kinds)) => kinds.iter().any(matches),
        Some(kind) => matches(kind),
        None => false,
    }
}

fn string_field(node: &Value, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|key| {
        let value = node.get(*key)?;
        let text = value
            .as_str()
            .or_else(|| value.get("name").and_then(Value::as_str))
            .or_else(|| value.as_array()?.first()?.as_str())?;
        Some(clean_decoded(text)).filter(|text| !text.is_empty())
    })
}

/// Types of authors that are not people: named only when no person is.
const ORGANIZATION_TYPES: &[&str] = &["Organization", "NewsMediaOrganization", "Corporation"];

/// `"Ann"`, `{"name": "Ann"}`, or a list of either (references resolved) -> "Ann and Bo", the
/// people's names or, with `organizations`, the organisations'.
fn names(author: &Value, resolve: &impl Fn(&Value) -> Value, organizations: bool) -> String {
    let name_of = |value: &Value| -> Option<String> {
        let value = resolve(value);
        if has_type(&value, ORGANIZATION_TYPES) != organizations {
            return None;
        }
        let name = value
            .as_str()
            .or_else(|| value.get("name").and_then(Value::as_str))
            // A name given as a list of one ("name": ["Ann Example"]).
            .or_else(|| value.get("name")?.as_array()?.first()?.as_str())?;
        let name = clean_decoded(name);
        (!name.is_empty() && !name.starts_with("http")).then_some(name)
    };
    let mut found: Vec<String> = match author {
        Value::Array(list) => list.iter().filter_map(name_of).collect(),
        single => name_of(single).into_iter().collect(),
    };
    found.dedup();
    match found.split_last() {
        Some((last, others)) if !others.is_empty() => format!("{} and {last}", others.join(", ")),
        _ => found.join(""),
    }
}

/// `"url"`, `{"url": ...}`, or the first of a list.
fn image_url(image: &Value) -> Option<String> {
    match image {
        Value::String(url) => Some(url.trim().to_owned()),
        Value::Array(list) => list.first().and_then(image_url),
        Value::Object(object) => object
            .get("url")
            .or_else(|| object.get("contentUrl"))
            .and_then(image_url),
        _ => None,
    }
}

/// `clean` after decoding the character references left in a text (the site escaped them
/// twice: "And finally&#8230;").
pub fn clean_decoded(raw: &str) -> String {
    clean(&decode_references(raw.as_bytes()))
}

/// Collapses runs of whitespace and drops control characters.
pub fn clean(text: &str) -> String {
    text.split(|character: char| character.is_whitespace() || character.is_control())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_graph_references_are_followed() {
        let html = r##"<html lang="en-GB"><head>
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
              {"@type":"WebPage","@id":"p","datePublished":"2024-01-02T03:04:05+00:00"},
              {"@type":["BlogPosting"],"headline":"Fish &amp; chips","author":{"@id":"#ann"},
               "publisher":{"@type":"Organization","name":"The Daily Spoon"},
               "image":{"@type":"ImageObject","url":"/lead.jpg"}},
              {"@type":"Person","@id":"#ann","name":"Ann Example"}]}</script>
            <meta property="og:title" content="Fish and chips | Spoon">
            </head><body></body></html>"##;
        let page = read(&Document::from(html));
        assert_eq!(page.title.as_deref(), Some("Fish & chips"));
        assert_eq!(page.byline.as_deref(), Some("Ann Example"));
        let listed = html.replace(r#""name":"Ann Example""#, r#""name":["Ann Mart\u00edn"]"#);
        let page = read(&Document::from(listed.as_str()));
        assert_eq!(page.byline.as_deref(), Some("Ann Martín"));
        assert_eq!(page.published.as_deref(), Some("2024-01-02T03:04:05+00:00"));
        assert_eq!(page.site_name.as_deref(), Some("The Daily Spoon"));
        assert_eq!(page.language.as_deref(), Some("en-GB"));
        assert_eq!(page.lead_image.as_deref(), Some("/lead.jpg"));
    }

    #[test]
    fn a_forum_threads_opening_post_is_read_from_the_pages_main_entity() {
        let html = r#"<head><script type="application/ld+json">{"@context":"https://schema.org",
            "@type":"WebPage","mainEntity":{"@type":"DiscussionForumPosting",
            "headline":"Synthetic rope on a trailer winch?","datePublished":"2024-03-06T02:52:19Z",
            "author":{"@type":"Person","name":"mara"}}}</script></head><body></body>"#;
        let page = read(&Document::from(html));
        assert_eq!(
            page.title.as_deref(),
            Some("Synthetic rope on a trailer winch?")
        );
        assert_eq!(page.byline.as_deref(), Some("mara"));
        assert_eq!(page.published.as_deref(), Some("2024-03-06T02:52:19Z"));
    }

    #[test]
    fn a_main_entity_that_only_points_elsewhere_leaves_the_thing_it_names_whole() {
        let html = r##"<head><script type="application/ld+json">{"@graph":[
            {"@type":"Person","@id":"#ann","name":"Ann Lee"},
            {"@type":"NewsArticle","headline":"Quay opens","author":{"@id":"#ann"}},
            {"@type":"WebPage","mainEntity":{"@id":"#ann"}}]}</script></head>"##;
        let page = read(&Document::from(html));
        assert_eq!(page.byline.as_deref(), Some("Ann Lee"));
    }

    #[test]
    fn a_comments_authors_and_a_profile_link_are_not_the_byline() {
        let html = r#"<body><meta itemprop="author" content="https://social.example/annlee">
            <p class="author-name">Ann Lee</p><ol id="comments"><li itemprop="comment" itemscope
            itemtype="https://schema.org/Comment"><span itemprop="author" itemscope>
            <span itemprop="name">Bo Troll</span></span></li></ol></body>"#;
        let page = read(&Document::from(html));
        assert_eq!(page.byline_element.as_deref(), Some("Ann Lee"));
    }

    #[test]
    fn microdata_names_the_asker_of_a_question() {
        let html = r#"<body><div itemprop="mainEntity" itemscope
            itemtype="https://schema.org/Question"><div class="user-details" itemprop="author"
            itemscope itemtype="http://schema.org/Person">
            <a href="/users/198419/user3080392" itemprop="url">user3080392</a>
            <meta itemprop="name" content="user3080392"/><span>193 reputation</span></div></div>
            <p class="byline">Posted by <a href="/u/7">winch42</a></p></body>"#;
        let page = read(&Document::from(html));
        assert_eq!(page.byline_element.as_deref(), Some("user3080392"));
        let undeclared = html.replace("itemprop=\"name\" ", "");
        let page = read(&Document::from(undeclared.as_str()));
        assert_eq!(page.byline_element, None);
    }

    #[test]
    fn line_breaks_part_the_words_of_a_headline() {
        let html = "<body><nav><h1>Site</h1></nav>\
            <h1 class=hero>Data Analytics<span><br>Agency</span></h1></body>";
        let page = read(&Document::from(html));
        assert_eq!(page.headline.as_deref(), Some("Data Analytics Agency"));
        assert_eq!(page.headings, ["Site", "Data Analytics Agency"]);
    }

    #[test]
    fn controls_and_hidden_copies_are_not_a_headlines_words() {
        let html = "<body><h1>Enum <span>Result</span> <button title=Copy>Copy item path</button>\
            <span aria-hidden=\"true\"><span>The winch</span><span>rope guide</span></span>\
            <span class=sr-only>The winch rope guide</span></h1></body>";
        let page = read(&Document::from(html));
        assert_eq!(
            page.headline.as_deref(),
            Some("Enum Result The winch rope guide")
        );
        let spelled = "<body><h1 aria-label=\"Winch ropes\"><span aria-hidden=\"true\">W</span>\
            <span aria-hidden=\"true\">inch ropes</span></h1></body>";
        let page = read(&Document::from(spelled));
        assert_eq!(page.headline.as_deref(), Some("Winch ropes"));
    }

    #[test]
    fn meta_tags_and_time_elements_fill_in() {
        let html = r#"<html><head>
            <meta name="author" content=" Bo
              Writer ">
            <meta property="og:site_name" content="Example News">
            <meta name="author" content="Someone Else">
            </head><body><header><time datetime="2030-01-01">today</time></header>
            <article><time datetime="2024-05-06">May 6</time></article></body></html>"#;
        let page = read(&Document::from(html));
        assert_eq!(page.byline.as_deref(), Some("Bo Writer"));
        assert_eq!(page.site_name.as_deref(), Some("Example News"));
        assert_eq!(page.published.as_deref(), Some("2024-05-06"));
        assert_eq!(page.title, None);
    }

    #[test]
    fn a_headline_cut_short_is_completed_from_the_meta_title() {
        let long = "Harbour dredging starts on Monday: what the new quay means for ferries, \
            fishing boats and the yacht club (and who pays for it)";
        let cut = &long[..105];
        assert_eq!(
            full_title(Some(cut.to_owned()), Some(long.to_owned()), None).as_deref(),
            Some(long)
        );
        assert_eq!(
            full_title(
                Some("Dredging".into()),
                Some("Dredging | Harbour News".into()),
                None
            )
            .as_deref(),
            Some("Dredging")
        );
        assert_eq!(
            full_title(None, Some("Quay".into()), None).as_deref(),
            Some("Quay")
        );
    }

    #[test]
    fn the_meta_title_the_h1_says_beats_another_json_ld_headline() {
        let meta = "Dredging starts on Monday";
        let chosen =
            |h1: Option<&str>| full_title(Some("Sample pages".into()), Some(meta.into()), h1);
        assert_eq!(
            chosen(Some("Dredging starts on Monday")).as_deref(),
            Some(meta)
        );
        assert_eq!(
            chosen(Some("Sample pages")).as_deref(),
            Some("Sample pages")
        );
        assert_eq!(chosen(None).as_deref(), Some("Sample pages"));
    }

    #[test]
    fn a_date_printed_by_the_headline_beats_one_declared_for_people() {
        let declared = |value: &str| {
            format!(
                r#"<script type="application/ld+json">{{"@type":"BlogPosting",
                "datePublished":"{value}"}}</script><body><h1>Kettles compared</h1>
                <p class="post-date">March 3, 2021</p><p>Text</p></body>"#
            )
        };
        let page = read(&Document::from(declared("Oct 9, 2025").as_str()));
        assert_eq!(page.published.as_deref(), Some("2021-03-03"));
        let page = read(&Document::from(declared("2025-10-09T08:00:00Z").as_str()));
        assert_eq!(page.published.as_deref(), Some("2025-10-09T08:00:00Z"));
        // A later printed date is an update, not the article's.
        let page = read(&Document::from(declared("Feb 9, 2021").as_str()));
        assert_eq!(page.published.as_deref(), Some("Feb 9, 2021"));
    }
}
