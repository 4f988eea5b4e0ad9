//! SQLite storage: opening the database, the one write path, and the read queries.
//! All SQL in Tearsheet lives under this module.

mod access;
mod export;
mod read;
mod reextract;
mod search;
mod write;

use std::str::FromStr;
use std::time::Duration;

use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

pub use export::ExportedArticle;
pub use read::{
    ArticleSummary, Cursor, DeletedArticle, FeedArticle, KnownArticle, LISTING_QUERIES, ListPage,
    ListQuery, Neighbours, PAGE_SIZE, SiteCount, StoredArticle,
};
pub use reextract::{Reextractable, StoredPage};
pub use search::{MAX_SEARCH_PAGE, SearchHit, SearchPage};
pub use write::{FetchRecord, NewArticle, PreparedArticle, SaveOutcome, SourceKind};

use crate::error::Error;

/// How long a connection waits for another writer before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The archive database. Cheap to clone: it is a handle to a connection pool.
#[derive(Clone)]
pub struct Store {
    pool: SqlitePool,
}

impl Store {
    /// Opens (creating if missing) the database at a sqlx SQLite URL such as
    /// `sqlite:tearsheet.db`, sets WAL, foreign keys and the busy timeout on every connection, and
    /// applies pending migrations.
    pub async fn open(database_url: &str) -> Result<Self, Error> {
        let options = SqliteConnectOptions::from_str(database_url)
            .map_err(|error| Error::Config(format!("DATABASE_URL {database_url:?}: {error}")))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT)
            // 16 MiB of page cache per connection (the default is 2 MiB): a batch of imported
            // articles and its search index fit without spilling to the file mid-transaction.
            .pragma("cache_size", "-16384");
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Self { pool })
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
