//! The one error type. In the web layer it becomes an HTML page with the right status; the cause
//! goes to the log, never to the browser.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::web::views::ErrorPage;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("not found")]
    NotFound,
    /// The article was deleted; its permalink says so instead of "not found".
    #[error("gone")]
    Gone { title: String, deleted_at: String },
    #[error("configuration: {0}")]
    Config(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("template: {0}")]
    Template(#[from] askama::Error),
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
}

impl Error {
    fn status(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Gone { .. } => StatusCode::GONE,
            Self::Database(error) if is_storage_unavailable(error) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// SQLite refusing to write (read-only file, full disk, I/O error, a lock held too long): the
/// archive is fine but cannot take changes now, which the reader should hear as "try later".
fn is_storage_unavailable(error: &sqlx::Error) -> bool {
    const BUSY: i64 = 5;
    const LOCKED: i64 = 6;
    const IOERR: i64 = 10;
    const FULL: i64 = 13;
    const CANTOPEN: i64 = 14;
    match error {
        sqlx::Error::Database(_) => sqlite_code(error).is_some_and(|code| {
            [BUSY, LOCKED, SQLITE_READONLY, IOERR, FULL, CANTOPEN].contains(&code)
        }),
        sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) => true,
        _ => false,
    }
}

/// SQLite's "attempt to write a readonly database".
pub(crate) const SQLITE_READONLY: i64 = 8;

/// The primary SQLite result code of a database error (extended codes folded).
pub(crate) fn sqlite_code(error: &sqlx::Error) -> Option<i64> {
    match error {
        sqlx::Error::Database(db) => db
            .code()
            .and_then(|code| code.parse::<i64>().ok())
            .map(|code| code & 0xff),
        _ => None,
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        match self {
            Self::Gone { title, deleted_at } => ErrorPage::gone(title, &deleted_at).into_response(),
            _ => ErrorPage::for_status(status).into_response(),
        }
    }
}
