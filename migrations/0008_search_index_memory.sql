-- The search index holds up to 16 MiB of new terms in memory before writing them out as an
-- index segment (FTS5's default is 1 MiB). An import writes its 500-article batches in one
-- statement each (store::search::IndexBatch); with the default, each batch was cut into about
-- five segments, which FTS5 then merged again. The memory is used only while a batch is written.
INSERT INTO article_search (article_search, rank) VALUES ('hashsize', 16777216);
