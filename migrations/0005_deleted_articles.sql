-- Articles someone deleted: their permalinks answer 410 Gone with the title, not 404.
-- Importing the same article again brings it back under the same permalink.
CREATE TABLE deleted_articles (
    id         TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    title      TEXT NOT NULL,
    deleted_at TEXT NOT NULL
) STRICT;

-- An article saved again (re-imported) is no longer deleted.
CREATE TRIGGER articles_return AFTER INSERT ON articles BEGIN
    DELETE FROM deleted_articles WHERE id = new.id;
END;
