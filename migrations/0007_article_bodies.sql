-- Bodies move out of `articles` into a table of their own. A listing row, a date filter or a
-- search candidate then reads a few hundred bytes of `articles` instead of walking the overflow
-- pages of two long texts to reach the columns that followed them. Row ids are kept (the search
-- index is keyed on them): DROP COLUMN rewrites each row under its own rowid.
--
-- The store writes each body as zstd-compressed UTF-8 (a BLOB). The bodies moved here stay
-- plain TEXT until their article is saved again; the store reads both.
CREATE TABLE article_bodies (
    article_id TEXT PRIMARY KEY NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    html       ANY NOT NULL,   -- sanitized
    text       ANY NOT NULL
) STRICT;

INSERT INTO article_bodies (article_id, html, text) SELECT id, body_html, body_text FROM articles;

ALTER TABLE articles DROP COLUMN body_html;
ALTER TABLE articles DROP COLUMN body_text;
