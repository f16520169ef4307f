-- Version 6: cheaper deduplication writes and bounded look-ups (see the SQLite file for
-- the meaning of article_sketches and aggregates.span_class).

ALTER TABLE aggregates ADD COLUMN span_class INTEGER NOT NULL DEFAULT 2;
UPDATE aggregates SET span_class = CASE
    WHEN date_lo IS NULL OR date_hi IS NULL THEN 2
    WHEN date_hi::date - date_lo::date <= 6 THEN 0
    WHEN date_hi::date - date_lo::date <= 30 THEN 1
    ELSE 2 END;
DROP INDEX aggregates_match;
CREATE INDEX aggregates_match ON aggregates (match_key, span_class, date_lo);

CREATE TABLE article_sketches (
    article_id TEXT COLLATE "C" PRIMARY KEY NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    cluster_id TEXT COLLATE "C" NOT NULL,
    sketch     TEXT NOT NULL
);
INSERT INTO article_sketches (article_id, cluster_id, sketch)
    SELECT id, COALESCE(cluster_id, id), sketch FROM articles WHERE sketch IS NOT NULL;
ALTER TABLE articles DROP COLUMN sketch;
