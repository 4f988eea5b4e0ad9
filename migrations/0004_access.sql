-- Server-wide settings: the password hash (argon2id) and the secret that signs CSRF tokens.
CREATE TABLE settings (
    name  TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

-- Login sessions. Only a SHA-256 of the session id is stored, so a copy of the database
-- cannot be used to log in.
CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) STRICT;

CREATE INDEX sessions_by_expiry ON sessions (expires_at);
