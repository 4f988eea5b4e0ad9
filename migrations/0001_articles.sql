-- One row per article, whatever its source. `id` is the permalink and is never reused.
CREATE TABLE articles (
    id            TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    slug          TEXT NOT NULL,
    title         TEXT NOT NULL,
    byline        TEXT,
    credits       TEXT NOT NULL DEFAULT '[]',   -- JSON list of lines printed before the body
    published_raw TEXT,                         -- the date as the source printed it
    published_at  TEXT,                         -- the same date parsed (ISO 8601), or NULL
    site          TEXT,                         -- host of the original URL, without www.
    original_url  TEXT,
    url_key       TEXT UNIQUE,                  -- normalised original URL, for dedup
    body_html     TEXT NOT NULL,                -- sanitized
    body_text     TEXT NOT NULL,
    related       TEXT NOT NULL DEFAULT '[]',   -- JSON list of {title, url}
    excerpt       TEXT NOT NULL,
    word_count    INTEGER NOT NULL,
    site_name     TEXT,
    language      TEXT,
    lead_image    TEXT,
    source_kind   TEXT NOT NULL CHECK (source_kind IN ('archive-file', 'fetched')),
    source_name   TEXT NOT NULL,                -- file name, or final URL
    archived_at   TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    sort_key      TEXT NOT NULL,                -- coalesce(published_at, archived_at), normalised
    content_hash  TEXT NOT NULL
) STRICT;

CREATE INDEX articles_newest_first ON articles (sort_key DESC, id DESC);
CREATE INDEX articles_by_site ON articles (site, sort_key DESC, id DESC);

-- The source bytes exactly as received, so a better parser can read them again.
CREATE TABLE raw_sources (
    article_id  TEXT PRIMARY KEY NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    compression TEXT NOT NULL CHECK (compression IN ('zstd')),
    size        INTEGER NOT NULL,
    bytes       BLOB NOT NULL
) STRICT;
