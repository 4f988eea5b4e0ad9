//! What is kept when the extractor finds no article (forum threads, listings, product and
//! service pages): the page's main region without navigation, banners, footers, asides, forms
//! or scripts. Better a page's content with some chrome than nothing archived.

use dom_query::Document;

use super::{hidden, scripted};

/// Never content, whatever the page.
const CHROME: &str = "script, style, noscript, template, iframe, svg, form, button, textarea, nav, \
    footer, aside, dialog, [role=navigation], [role=banner], [role=contentinfo], [role=dialog], \
    [aria-hidden=true], [hidden], body > header";
/// Where the page's content is, most specific first.
const MAIN_REGIONS: &[&str] = &["main", "[role=main]", "#content", "#main", "body"];

/// The HTML of the page's main region with its chrome removed, unsanitized.
pub fn main_region(html: &str) -> Option<String> {
    let document = Document::from(html);
    scripted::show_content(&document);
    hidden::remove_hidden(&document);
    document.select(CHROME).remove();
    MAIN_REGIONS.iter().find_map(|selector| {
        let region = document.select_single(selector);
        region.exists().then(|| region.html().to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chrome_is_removed_from_the_main_region() {
        let html = "<body><header><a href=/>Home</a></header><nav>Menu</nav>\
            <main><h2>Thread</h2><p>First post</p><form>Reply</form><aside>Ads</aside>\
            <textarea>Embed</textarea></main>\
            <footer>Contact</footer></body>";
        let region = main_region(html).expect("a region");
        assert!(region.contains("First post") && region.contains("Thread"));
        for chrome in ["Home", "Menu", "Reply", "Ads", "Embed", "Contact"] {
            assert!(!region.contains(chrome), "{chrome}");
        }
    }
}
