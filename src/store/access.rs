//! Settings and login sessions.

use sha2::{Digest, Sha256};

use super::Store;
use crate::error::Error;

const PASSWORD_HASH: &str = "password_hash";
const CSRF_SECRET: &str = "csrf_secret";

impl Store {
    pub async fn password_hash(&self) -> Result<Option<String>, Error> {
        self.setting(PASSWORD_HASH).await
    }

    /// Sets the password and ends every session, so a stolen one dies with the old password.
    pub async fn set_password_hash(&self, hash: &str) -> Result<(), Error> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query("INSERT INTO settings (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO UPDATE SET value = excluded.value")
            .bind(PASSWORD_HASH)
            .bind(hash)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The secret that signs CSRF tokens, made on first use and kept across restarts.
    pub async fn csrf_secret(&self, fresh: &str) -> Result<String, Error> {
        if let Some(secret) = self.setting(CSRF_SECRET).await? {
            return Ok(secret);
        }
        sqlx::query("INSERT OR IGNORE INTO settings (name, value) VALUES (?1, ?2)")
            .bind(CSRF_SECRET)
            .bind(fresh)
            .execute(&self.pool)
            .await?;
        Ok(self
            .setting(CSRF_SECRET)
            .await?
            .unwrap_or_else(|| fresh.to_owned()))
    }

    async fn setting(&self, name: &str) -> Result<Option<String>, Error> {
        Ok(
            sqlx::query_scalar("SELECT value FROM settings WHERE name = ?1")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    pub async fn create_session(&self, session_id: &str, expires_at: &str) -> Result<(), Error> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query(
            "DELETE FROM sessions WHERE expires_at < strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO sessions (id_hash, created_at, expires_at)
             VALUES (?1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?2)",
        )
        .bind(session_hash(session_id))
        .bind(expires_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn is_session_valid(&self, session_id: &str) -> Result<bool, Error> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM sessions
             WHERE id_hash = ?1 AND expires_at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
        )
        .bind(session_hash(session_id))
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

    pub async fn end_session(&self, session_id: &str) -> Result<(), Error> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = ?1")
            .bind(session_hash(session_id))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

fn session_hash(session_id: &str) -> String {
    hex::encode(Sha256::digest(session_id.as_bytes()))
}
