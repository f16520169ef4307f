-- Version 7: a smaller LSH band index for story clustering (see the SQLite file).

CREATE TABLE article_sketches_v7 (
    seq        BIGSERIAL PRIMARY KEY,
    article_id TEXT COLLATE "C" NOT NULL UNIQUE REFERENCES articles (id) ON DELETE CASCADE,
    cluster_id TEXT COLLATE "C" NOT NULL,
    sketch     BYTEA NOT NULL
);
INSERT INTO article_sketches_v7 (article_id, cluster_id, sketch)
    SELECT article_id, cluster_id, decode(sketch, 'hex') FROM article_sketches ORDER BY article_id;
DROP TABLE article_sketches;
ALTER TABLE article_sketches_v7 RENAME TO article_sketches;

CREATE TABLE sketch_bands (
    band   BIGINT NOT NULL,
    member BIGINT NOT NULL,
    PRIMARY KEY (band, member)
);
CREATE TEMP TABLE v7_indexed ON COMMIT DROP AS SELECT DISTINCT article_id FROM article_bands;
DROP TABLE article_bands;
