-- Version 6: cheaper deduplication writes and bounded look-ups.
--
-- article_sketches       the MinHash sketch (hex) and story cluster of each sketched article,
--                        in a narrow table of its own: reading a candidate's sketch no longer
--                        reads the article row with its text, and an article's row is
--                        written once, with its cluster (articles.sketch is dropped).
--
-- aggregates.span_class  how wide the aggregate's date span was when it started: 0 = at most
--                        7 days (a day, a week, an undated report's window), 1 = at most 31
--                        days (a month), 2 = longer (a year). Spans only narrow as reports
--                        join, so the class bounds how far before a new event's span an
--                        aggregate can start and still overlap it: a look-up reads one short
--                        index range per class instead of a year of the match key's
--                        aggregates.

ALTER TABLE aggregates ADD COLUMN span_class INTEGER NOT NULL DEFAULT 2;
UPDATE aggregates SET span_class = CASE
    WHEN date_lo IS NULL OR date_hi IS NULL THEN 2
    WHEN julianday(date_hi) - julianday(date_lo) <= 6 THEN 0
    WHEN julianday(date_hi) - julianday(date_lo) <= 30 THEN 1
    ELSE 2 END;
DROP INDEX aggregates_match;
CREATE INDEX aggregates_match ON aggregates (match_key, span_class, date_lo);

CREATE TABLE article_sketches (
    article_id TEXT PRIMARY KEY NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    cluster_id TEXT NOT NULL,
    sketch     TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO article_sketches (article_id, cluster_id, sketch)
    SELECT id, COALESCE(cluster_id, id), sketch FROM articles WHERE sketch IS NOT NULL;
ALTER TABLE articles DROP COLUMN sketch;
