-- Every fetch of a submitted URL that was archived: what was asked for, where it ended, how.
CREATE TABLE fetches (
    id            INTEGER PRIMARY KEY,
    article_id    TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    requested_url TEXT NOT NULL,
    final_url     TEXT NOT NULL,
    http_status   INTEGER NOT NULL,
    content_type  TEXT,
    fetched_at    TEXT NOT NULL
) STRICT;

CREATE INDEX fetches_by_article ON fetches (article_id);

-- Other normalised URLs that lead to an article (the address submitted when the page named a
-- different canonical URL), so submitting either again finds it without fetching.
CREATE TABLE url_aliases (
    url_key    TEXT PRIMARY KEY NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE
) STRICT;

CREATE INDEX url_aliases_by_article ON url_aliases (article_id);
