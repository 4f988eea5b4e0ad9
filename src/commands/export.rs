//! `tearsheet export DIR`: every article in the archive text format, named `NNN_<id>.txt` so
//! that importing the folder gives each article back under the same permalink.

use std::fs;
use std::path::Path;

use crate::cli::ExportArgs;
use crate::error::Error;
use crate::ingest::RelatedLink;
use crate::ingest::markdown::html_to_markdown;
use crate::store::{ExportedArticle, Store};

/// Articles read per query: bounded memory however large the archive.
const BATCH: i64 = 500;

pub async fn run(args: ExportArgs) -> Result<(), Error> {
    let store = Store::open(&args.database.database_url).await?;
    let written = export_archive(&store, &args.dir).await?;
    println!("exported {written} articles to {}", args.dir.display());
    Ok(())
}

/// Writes the archive into `dir` (created if missing; it must be empty). Imported articles are
/// written as the file that was imported, byte for byte; fetched ones as text in the archive
/// format, with the page as received beside them (`NNN_<id>.html`).
pub async fn export_archive(store: &Store, dir: &Path) -> Result<usize, Error> {
    fs::create_dir_all(dir)?;
    if fs::read_dir(dir)?.next().is_some() {
        return Err(Error::Config(format!(
            "{} is not empty; export into a new folder",
            dir.display()
        )));
    }
    let mut written = 0;
    let mut after: Option<(String, String)> = None;
    loop {
        let cursor = after.as_ref().map(|(key, id)| (key.as_str(), id.as_str()));
        let batch = store.articles_for_export(cursor, BATCH).await?;
        let Some(last) = batch.last() else { break };
        after = Some((last.sort_key.clone(), last.id.clone()));
        for article in &batch {
            written += 1;
            write_article(dir, written, article)?;
        }
    }
    Ok(written)
}

fn write_article(dir: &Path, sequence: usize, article: &ExportedArticle) -> Result<(), Error> {
    let stem = format!("{sequence:03}_{}", article.id);
    let raw = article.raw_bytes()?;
    match (article.source_kind.as_str(), raw) {
        ("archive-file", Some(raw)) => fs::write(dir.join(format!("{stem}.txt")), raw)?,
        (_, raw) => {
            fs::write(dir.join(format!("{stem}.txt")), archive_text(article)?)?;
            if let Some(page) = raw {
                fs::write(dir.join(format!("{stem}.html")), page)?;
            }
        }
    }
    Ok(())
}

/// An article in the archive text format (see README): title, date, credits, body, related
/// promotions, and the original URL.
fn archive_text(article: &ExportedArticle) -> Result<String, Error> {
    let mut parts = vec![article.title.clone()];
    if let Some(date) = article
        .published_raw
        .as_ref()
        .or(article.published_at.as_ref())
    {
        parts.push(date.clone());
    }
    let credits: Vec<String> = serde_json::from_str(&article.credits)?;
    let byline = article
        .byline
        .as_ref()
        .filter(|byline| !credits.iter().any(|c| c.contains(byline.as_str())));
    parts.extend(byline.map(|byline| format!("By {byline}")));
    parts.extend(credits);
    parts.push(html_to_markdown(&article.body_html));
    let related: Vec<RelatedLink> = serde_json::from_str(&article.related)?;
    for link in related {
        parts.push(format!(
            "Related article: [{}]({})",
            link.title,
            link.url.as_deref().unwrap_or("#")
        ));
    }
    if let Some(url) = &article.original_url {
        parts.push(format!("Original url:\n\n<{url}>"));
    }
    Ok(parts.join("\n\n") + "\n")
}
