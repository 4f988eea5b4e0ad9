//! SQLite storage: opening the database, the one write path, and the read queries.
//! All SQL in Tearsheet lives under this module.

mod access;
mod batch;
mod bodies;
mod export;
mod ranking;
mod read;
mod reextract;
mod search;
mod write;

use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sqlx::migrate::{MigrateError, Migrator};
use sqlx::sqlite::SqliteConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection, SqlitePool};

pub use bodies::{ArticleHtml, StoredText};
pub use export::ExportedArticle;
pub use read::{
    ArticleSummary, Cursor, DeletedArticle, FeedArticle, KnownArticle, LISTING_QUERIES, ListPage,
    ListQuery, Neighbours, PAGE_SIZE, SiteCount, StoredArticle,
};
pub use reextract::{Reextractable, StoredPage};
pub use search::{MAX_SEARCH_PAGE, SearchHit, SearchPage};
pub use write::{FetchRecord, NewArticle, PreparedArticle, SaveOutcome, SourceKind};

use crate::error::{Error, SQLITE_READONLY, sqlite_code};

/// SQLite counts every allocation under one process-wide lock unless told not to; with one
/// worker thread per connection, that lock was contended on every row read (a tenth of the
/// listing's time in `perf`). The setting is only taken before SQLite starts.
fn stop_counting_allocations() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: `sqlite3_config` must not run while another thread uses SQLite. In the
        // program the first `Store::open` comes before any other SQLite call; if SQLite has
        // started already (a test that opened a connection first), it answers SQLITE_MISUSE
        // and changes nothing, which is harmless: counting simply stays on.
        unsafe {
            libsqlite3_sys::sqlite3_config(libsqlite3_sys::SQLITE_CONFIG_MEMSTATUS, 0);
        }
    });
}

/// Whether every migration has been applied to the database already.
async fn is_up_to_date(pool: &SqlitePool, migrator: &Migrator) -> bool {
    let applied: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success = 1")
            .fetch_all(pool)
            .await
            .unwrap_or_default();
    migrator
        .iter()
        .all(|migration| applied.contains(&migration.version))
}

/// How long a connection waits for another writer before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// How often [`Store::watch_other_writers`] asks SQLite whether another process wrote.
const OTHER_WRITERS_CHECK: Duration = Duration::from_millis(500);

/// The archive database. Cheap to clone: it is a handle to a connection pool.
#[derive(Clone)]
pub struct Store {
    pool: SqlitePool,
    /// Moves whenever what the archive holds may have changed (see [`Store::version`]).
    version: Arc<AtomicU64>,
}

impl Store {
    /// Opens (creating if missing) the database at a sqlx SQLite URL such as
    /// `sqlite:tearsheet.db`, sets WAL, foreign keys and the busy timeout on every connection, and
    /// applies pending migrations. Each pooled connection keeps up to 2 MiB of pages: readers
    /// need little (the operating system caches the file too), and a search that reads many
    /// rows fills its connection's cache, so eight connections with 4 MiB each held 12 MiB more
    /// at the server's peak with no measurable gain in speed.
    pub async fn open(database_url: &str) -> Result<Self, Error> {
        Self::open_with_cache(database_url, 2).await
    }

    /// [`Store::open`] for a bulk import: 16 MiB of pages per connection, so a batch of articles
    /// and its search index fit without spilling to the file mid-transaction.
    pub async fn open_for_import(database_url: &str) -> Result<Self, Error> {
        Self::open_with_cache(database_url, 16).await
    }

    async fn open_with_cache(database_url: &str, cache_mib: u32) -> Result<Self, Error> {
        stop_counting_allocations();
        let options = SqliteConnectOptions::from_str(database_url)
            .map_err(|error| Error::Config(format!("DATABASE_URL {database_url:?}: {error}")))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT)
            // A negative cache size is in KiB.
            .pragma("cache_size", format!("-{}", cache_mib * 1024));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .after_connect(|connection, _| Box::pin(ranking::register(connection)))
            .connect_with(options)
            .await?;
        let migrator = sqlx::migrate!("./migrations");
        let store = Self {
            pool,
            version: Arc::new(AtomicU64::new(0)),
        };
        match migrator.run(&store.pool).await {
            Ok(()) => {}
            // A read-only file (or disk) that is up to date is served for reading; every change
            // is then refused with a 503.
            Err(MigrateError::Execute(error))
                if sqlite_code(&error) == Some(SQLITE_READONLY)
                    && is_up_to_date(&store.pool, &migrator).await =>
            {
                tracing::warn!("the database is read-only: reading works, changes are refused");
            }
            Err(error) => return Err(error.into()),
        }
        match store.refill_search_index().await {
            Ok(()) => {}
            // A copy opened read-only before its index was filled again: readable, and searched
            // as far as the index got.
            Err(Error::Database(error)) if sqlite_code(&error) == Some(SQLITE_READONLY) => {
                tracing::warn!(
                    "the search index is being made again and the database is read-only: \
                     search finds only part of the archive until it is opened writable"
                );
            }
            Err(error) => return Err(error),
        }
        Ok(store)
    }

    /// A number that moves whenever what the archive holds may have changed: right after every
    /// write this store commits, and within half a second of a commit by another process once
    /// [`Store::watch_other_writers`] runs. Anything derived from the archive and kept in memory
    /// is good while this number stays the same.
    pub fn version(&self) -> u64 {
        self.version.load(Ordering::Acquire)
    }

    fn changed(&self) {
        self.version.fetch_add(1, Ordering::AcqRel);
    }

    /// Follows commits made by other processes (a `tearsheet import` into the database being
    /// served) through SQLite's `data_version`, on a connection of its own, until the program
    /// ends. A failed check is logged and tried again.
    pub async fn watch_other_writers(&self) -> Result<(), Error> {
        let mut connection =
            SqliteConnection::connect_with(&self.pool.connect_options().as_ref().clone()).await?;
        let store = self.clone();
        tokio::spawn(async move {
            let mut seen: Option<i64> = None;
            let mut ticks = tokio::time::interval(OTHER_WRITERS_CHECK);
            loop {
                ticks.tick().await;
                match sqlx::query_scalar::<_, i64>("PRAGMA data_version")
                    .fetch_one(&mut connection)
                    .await
                {
                    Ok(now) if seen.is_some_and(|seen| seen != now) => {
                        store.changed();
                        seen = Some(now);
                    }
                    Ok(now) => seen = Some(now),
                    Err(error) => tracing::warn!(%error, "checking for other writers failed"),
                }
            }
        });
        Ok(())
    }

    /// Writes a consistent copy of the whole database to `path` (which must not exist yet),
    /// while readers and writers go on.
    pub async fn backup(&self, path: &std::path::Path) -> Result<(), Error> {
        let target = path
            .to_str()
            .ok_or_else(|| Error::Config(format!("backup path {} is not UTF-8", path.display())))?;
        sqlx::query("VACUUM INTO ?1")
            .bind(target)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Copies what the write-ahead log holds into the database file and empties the log, after
    /// a bulk write (an import), so the file alone holds the archive and its size is what it
    /// needs. With readers busy (a server beside the import) it folds what it can and leaves
    /// the rest to SQLite's own checkpoints.
    pub async fn fold_write_ahead_log(&self) -> Result<(), Error> {
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Whether the database answers, for `/healthz`.
    pub async fn is_healthy(&self) -> bool {
        sqlx::query_scalar::<_, i64>("SELECT 1")
            .fetch_one(&self.pool)
            .await
            .is_ok()
    }

    /// The pool, for tests that inspect the database directly.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}
