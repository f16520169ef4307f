-- Version 7: a smaller LSH band index for story clustering.
--
-- article_sketches  gains an integer key `seq` (its rowid), so band rows name an article by
--                   a small integer instead of its text id; the sketch is kept as bytes
--                   (it was hex text).
-- sketch_bands      replaces article_bands: (band key, article_sketches.seq), one row per LSH
--                   band of each indexed sketch (outpost_dedup::sketch: 10 bands of 2 values).
--                   The keys are computed from the stored sketches, so the rows are rebuilt by
--                   the program right after this migration, in the same transaction.
--                   Nothing deletes sketches; a band row whose sketch is gone is skipped.

CREATE TABLE article_sketches_v7 (
    seq        INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL UNIQUE REFERENCES articles (id) ON DELETE CASCADE,
    cluster_id TEXT NOT NULL,
    sketch     BLOB NOT NULL
);
INSERT INTO article_sketches_v7 (article_id, cluster_id, sketch)
    SELECT article_id, cluster_id, unhex(sketch) FROM article_sketches ORDER BY article_id;
DROP TABLE article_sketches;
ALTER TABLE article_sketches_v7 RENAME TO article_sketches;

-- Which articles had their bands indexed (near-identical copies are not) is kept.
CREATE TABLE sketch_bands (
    band   INTEGER NOT NULL,
    member INTEGER NOT NULL,
    PRIMARY KEY (band, member)
) WITHOUT ROWID;
CREATE TEMP TABLE v7_indexed AS SELECT DISTINCT article_id FROM article_bands;
DROP TABLE article_bands;
