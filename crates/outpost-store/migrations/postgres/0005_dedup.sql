-- Version 5 (PostgreSQL; mirrors sqlite/0005_dedup.sql): one event, many reports (deduplication and aggregation).
--
-- articles.cluster_id  the story cluster (near-duplicate group) an article belongs to: the id
--                      of the cluster's first article. articles.sketch is its MinHash sketch
--                      (hex), article_bands its LSH band keys (outpost_dedup::sketch).
-- mentions.copy_key    what makes a copy distinct: the canonical URL, else the input source.
-- mentions.site_key    the source (site) of a copy: the URL's host, else the site name, else
--                      the copy key.
-- events.agg_id        the aggregated event an event is a mention of (its first event's id).
-- aggregates           one row per aggregated event: its match key, date span and place
--                      (outpost_dedup::events) and its counts; aggregate_copies and
--                      aggregate_sites hold the distinct copies and sites behind the counts.
--
-- Rows stored before this version become clusters and aggregates of their own (undated
-- aggregates: never matched by new events).

ALTER TABLE articles ADD COLUMN cluster_id TEXT COLLATE "C";
ALTER TABLE articles ADD COLUMN sketch TEXT;
UPDATE articles SET cluster_id = id;
CREATE INDEX articles_cluster ON articles (cluster_id);

CREATE TABLE article_bands (
    band       BIGINT NOT NULL,
    article_id TEXT COLLATE "C" NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (band, article_id)
);

ALTER TABLE mentions ADD COLUMN copy_key TEXT;
ALTER TABLE mentions ADD COLUMN site_key TEXT;
UPDATE mentions SET copy_key = COALESCE(url, source), site_key = COALESCE(lower(site), url, source);
CREATE INDEX mentions_copy ON mentions (article_id, copy_key);

ALTER TABLE events ADD COLUMN agg_id TEXT COLLATE "C";
UPDATE events SET agg_id = id;
CREATE INDEX events_agg ON events (agg_id);

CREATE TABLE aggregates (
    id           TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    match_key    BIGINT NOT NULL,
    date_lo      TEXT COLLATE "C",              -- YYYY-MM-DD; NULL: undated, never matched
    date_hi      TEXT COLLATE "C",
    country      TEXT,
    lat          DOUBLE PRECISION,
    lon          DOUBLE PRECISION,
    fine         INTEGER NOT NULL DEFAULT 0,
    num_mentions BIGINT NOT NULL DEFAULT 0,
    num_articles BIGINT NOT NULL DEFAULT 0,
    num_sources  BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX aggregates_match ON aggregates (match_key, date_lo);

CREATE TABLE aggregate_copies (
    agg_id   TEXT COLLATE "C" NOT NULL,
    copy_key TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (agg_id, copy_key)
);

CREATE TABLE aggregate_sites (
    agg_id   TEXT COLLATE "C" NOT NULL,
    site_key TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (agg_id, site_key)
);

INSERT INTO aggregate_copies (agg_id, copy_key)
    SELECT DISTINCT e.id, m.copy_key FROM events e JOIN mentions m ON m.article_id = e.article_id;
INSERT INTO aggregate_sites (agg_id, site_key)
    SELECT DISTINCT e.id, m.site_key FROM events e JOIN mentions m ON m.article_id = e.article_id;
INSERT INTO aggregates (id, match_key, num_mentions, num_articles, num_sources)
    SELECT e.id, 0,
        (SELECT COUNT(*) FROM mentions m WHERE m.article_id = e.article_id),
        (SELECT COUNT(*) FROM aggregate_copies c WHERE c.agg_id = e.id),
        (SELECT COUNT(*) FROM aggregate_sites s WHERE s.agg_id = e.id)
    FROM events e;
