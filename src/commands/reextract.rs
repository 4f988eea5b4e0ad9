//! `tearsheet reextract [--all | ID...]`: extract fetched articles again from the pages stored
//! when they were archived, so a better extractor improves the archive without fetching.

use std::collections::VecDeque;
use std::num::NonZeroUsize;
use std::panic;
use std::process::ExitCode;
use std::sync::Arc;

use tokio::sync::Semaphore;
use tokio::task::JoinHandle;
use url::Url;

use crate::article::{ArticleId, Slug};
use crate::cli::ReextractArgs;
use crate::error::Error;
use crate::ingest::extract::{ExtractError, extract_page};
use crate::store::{
    NewArticle, PreparedArticle, Reextractable, SaveOutcome, SourceKind, Store, StoredPage,
};

/// What a run did, counted per article.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReextractSummary {
    pub updated: usize,
    pub unchanged: usize,
    /// The extractor found no article this time; the stored one is kept.
    pub failed: usize,
    /// No stored page to read (imported from a text file), or deleted during the run.
    pub skipped: usize,
}

pub async fn run(args: ReextractArgs) -> Result<ExitCode, Error> {
    let store = Store::open(&args.database.database_url).await?;
    let ids = if args.all {
        store.article_ids().await?
    } else {
        args.ids
    };
    let jobs = args.jobs.unwrap_or_else(every_core);
    let summary = reextract(&store, &ids, jobs).await?;
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

/// Pages read ahead of the one being saved, per job: one slow page then holds up the saving,
/// not the other jobs' extracting. Each waits, extracted and ready to save, with its page.
const READ_AHEAD: usize = 4;

/// As many pages at a time as the machine has cores: extraction is CPU work.
fn every_core() -> NonZeroUsize {
    std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN)
}

/// Re-extracts the given articles, each saved in its own transaction (the old text stays until
/// the new one is stored). Every id is checked before anything is written: one that is not an
/// article's stops the run with nothing changed. Up to `jobs` pages are extracted at once; the
/// articles are saved one at a time, in the order of `ids`.
pub async fn reextract(
    store: &Store,
    ids: &[String],
    jobs: NonZeroUsize,
) -> Result<ReextractSummary, Error> {
    let mut checked = Vec::with_capacity(ids.len());
    for text in ids {
        let id = ArticleId::parse(text.trim())
            .ok_or_else(|| Error::Config(format!("{text:?} is not an article id")))?;
        if !store.has_article(&id).await? {
            return Err(Error::Config(format!("there is no article {id}")));
        }
        checked.push(id);
    }
    let mut summary = ReextractSummary::default();
    let mut waiting = checked.into_iter();
    let extracting = Arc::new(Semaphore::new(jobs.get()));
    let read_ahead = jobs.get() * READ_AHEAD;
    let mut in_progress = InOrder(VecDeque::with_capacity(read_ahead));
    loop {
        while in_progress.0.len() < read_ahead
            && let Some(id) = waiting.next()
        {
            let task = read_again(store.clone(), id, Arc::clone(&extracting));
            in_progress.0.push_back(tokio::spawn(task));
        }
        let Some(task) = in_progress.0.pop_front() else {
            break;
        };
        let (slug, article) = match task.await.map_err(stopped)?? {
            ReadAgain::NoPage => {
                summary.skipped += 1;
                continue;
            }
            ReadAgain::Failed(id, error) => {
                eprintln!("{id}: kept as it was: {error}");
                summary.failed += 1;
                continue;
            }
            ReadAgain::Extracted { slug, article } => (slug, article),
        };
        match store.save_reextracted(&article, &slug).await? {
            None => summary.skipped += 1,
            Some(SaveOutcome::Unchanged) => summary.unchanged += 1,
            Some(SaveOutcome::Updated | SaveOutcome::Inserted) => summary.updated += 1,
        }
    }
    Ok(summary)
}

/// The tasks reading pages ahead, in the order their articles are saved. Those not yet awaited
/// when the run stops (an error, or the caller giving up) are cancelled, not left to read and
/// extract for nothing.
struct InOrder(VecDeque<JoinHandle<Result<ReadAgain, Error>>>);

impl Drop for InOrder {
    fn drop(&mut self) {
        for task in &self.0 {
            task.abort();
        }
    }
}

/// An article's stored page read again.
enum ReadAgain {
    /// Imported from a text file, or fetched before pages were kept.
    NoPage,
    /// No article found in the page this time.
    Failed(ArticleId, ExtractError),
    /// Ready to save under the permalink it had.
    Extracted {
        slug: Slug,
        article: Box<PreparedArticle>,
    },
}

/// Reads an article's stored page and extracts it again, off the async threads, once one of
/// the `extracting` turns is free.
async fn read_again(
    store: Store,
    id: ArticleId,
    extracting: Arc<Semaphore>,
) -> Result<ReadAgain, Error> {
    let page = match store.stored_page(&id).await? {
        Reextractable::Page(page) => page,
        Reextractable::NoPage | Reextractable::Missing => return Ok(ReadAgain::NoPage),
    };
    let slug = Slug::from_stored(page.slug.clone());
    let turn = extracting.acquire_owned().await.map_err(stopped)?;
    tokio::task::spawn_blocking(move || {
        let _turn = turn;
        Ok(match extract_again(id.clone(), *page)? {
            Ok(article) => ReadAgain::Extracted {
                slug,
                article: Box::new(article.prepare()?),
            },
            Err(error) => ReadAgain::Failed(id, error),
        })
    })
    .await
    .map_err(stopped)?
}

/// A task of the run that could not finish (a panic outside the extractor).
fn stopped(error: impl std::fmt::Display) -> Error {
    Error::Config(format!("re-extraction stopped: {error}"))
}

/// The article as the fetch would save it now, from the same bytes, URL and Content-Type. A
/// panic inside the extractor is no article, not the end of the run.
fn extract_again(
    id: ArticleId,
    page: StoredPage,
) -> Result<Result<NewArticle, ExtractError>, Error> {
    let bytes = page.bytes()?;
    let final_url = Url::parse(&page.final_url).ok();
    let extracted = panic::catch_unwind(|| {
        extract_page(&bytes, page.content_type.as_deref(), final_url.as_ref()).article
    })
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
