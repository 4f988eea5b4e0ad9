-- Full-text search. The indexed text is written by the store in the same transaction as the
-- article (CJK characters spaced out so each one is a token); the rowid is the article's rowid.
-- Diacritics are folded, so "cafe" finds "Café". Contentless: the text already lives in
-- `articles`, so the index keeps no copy of it (snippets are made from `articles.body_text`).
CREATE VIRTUAL TABLE article_search USING fts5 (
    title,
    people,      -- byline and credits
    body,
    site,
    tokenize = 'unicode61 remove_diacritics 2',
    content = '',
    contentless_delete = 1
);

CREATE TRIGGER articles_leave_search AFTER DELETE ON articles BEGIN
    DELETE FROM article_search WHERE rowid = old.rowid;
END;
