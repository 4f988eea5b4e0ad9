//! `tearsheet reextract [--all | ID...]`: extract fetched articles again from the pages stored
//! when they were archived, so a better extractor improves the archive without fetching.

use std::process::ExitCode;

use url::Url;

use crate::article::{ArticleId, Slug};
use crate::cli::ReextractArgs;
use crate::error::Error;
use crate::ingest::extract::{ExtractError, extract_page};
use crate::store::{NewArticle, Reextractable, SaveOutcome, SourceKind, Store, StoredPage};

/// What a run did, counted per article.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReextractSummary {
    pub updated: usize,
    pub unchanged: usize,
    /// The extractor found no article this time; the stored one is kept.
    pub failed: usize,
    /// No stored page to read (imported from a text file).
    pub skipped: usize,
}

pub async fn run(args: ReextractArgs) -> Result<ExitCode, Error> {
    let store = Store::open(&args.database.database_url).await?;
    let ids = if args.all {
        store.article_ids().await?
    } else {
        args.ids
    };
    let summary = reextract(&store, &ids).await?;
    println!(
        "updated {}, unchanged {}, failed {}, skipped {} (no stored page)",
        summary.updated, summary.unchanged, summary.failed, summary.skipped
    );
    Ok(if summary.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Re-extracts the given articles, each saved in its own transaction (the old text stays until
/// the new one is stored). Every id is checked before anything is written: one that is not an
/// article's stops the run with nothing changed.
pub async fn reextract(store: &Store, ids: &[String]) -> Result<ReextractSummary, Error> {
    let mut checked = Vec::with_capacity(ids.len());
    for text in ids {
        let id = ArticleId::parse(text.trim())
            .ok_or_else(|| Error::Config(format!("{text:?} is not an article id")))?;
        if store.article(&id).await?.is_none() {
            return Err(Error::Config(format!("there is no article {id}")));
        }
        checked.push(id);
    }
    let mut summary = ReextractSummary::default();
    for id in checked {
        let page = match store.stored_page(&id).await? {
            Reextractable::Page(page) => page,
            Reextractable::NoPage | Reextractable::Missing => {
                summary.skipped += 1;
                continue;
            }
        };
        let slug = Slug::from_stored(page.slug.clone());
        let article = match extract_again(id.clone(), *page).await? {
            Ok(article) => article,
            Err(error) => {
                eprintln!("{id}: kept as it was: {error}");
                summary.failed += 1;
                continue;
            }
        };
        match store.save_reextracted(&article.prepare()?, &slug).await? {
            SaveOutcome::Unchanged => summary.unchanged += 1,
            SaveOutcome::Updated | SaveOutcome::Inserted => summary.updated += 1,
        }
    }
    Ok(summary)
}

/// The article as the fetch would save it now, from the same bytes, URL and Content-Type.
async fn extract_again(
    id: ArticleId,
    page: StoredPage,
) -> Result<Result<NewArticle, ExtractError>, Error> {
    let bytes = page.bytes()?;
    let final_url = Url::parse(&page.final_url).ok();
    let extract_bytes = bytes.clone();
    let content_type = page.content_type.clone();
    let extracted = tokio::task::spawn_blocking(move || {
        extract_page(&extract_bytes, content_type.as_deref(), final_url.as_ref()).article
    })
    .await
    .unwrap_or(Err(ExtractError::NoArticle));
    Ok(extracted.map(|parsed| NewArticle {
        id,
        parsed,
        url_key: page.url_key,
        site: page.site,
        source_kind: SourceKind::Fetched,
        source_name: page.source_name,
        raw: bytes,
    }))
}
