-- Outpost schema, version 1 (PostgreSQL). Mirrors sqlite/0001_init.sql column for column.
--
-- Differences from SQLite:
-- * Keys and sort columns use COLLATE "C" so ordering (pagination cursors, stats ties) is
--   byte order, as in SQLite, whatever the database's default collation.
-- * Real numbers are DOUBLE PRECISION, sentence numbers BIGINT.
-- * Full-text search is a `search` tsvector column on `events` with a GIN index, instead of
--   the FTS5 table. Its lexemes are computed by the application (query::index_lexemes:
--   words folded to lower case without diacritics), so both backends match alike.
-- Dates stay `YYYY-MM-DD` text and JSON stays text, exactly as stored by SQLite.

CREATE TABLE articles (
    id          TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    source      TEXT NOT NULL,
    url         TEXT,
    title       TEXT,
    date        TEXT COLLATE "C",
    modified    TEXT COLLATE "C",
    authors     TEXT NOT NULL,
    site        TEXT,
    language    TEXT,
    wire        TEXT,
    text        TEXT NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE INDEX articles_date ON articles (date);

CREATE TABLE mentions (
    article_id TEXT COLLATE "C" NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    source     TEXT COLLATE "C" NOT NULL,
    url        TEXT,
    site       TEXT,
    seen_at    TEXT NOT NULL,
    PRIMARY KEY (article_id, source)
);

CREATE TABLE events (
    id               TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    article_id       TEXT COLLATE "C" NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    sentence         BIGINT NOT NULL,
    date             TEXT COLLATE "C",
    date_key         TEXT COLLATE "C" NOT NULL,
    date_precision   TEXT,
    plover           TEXT COLLATE "C" NOT NULL,
    mode             TEXT,
    cameo            TEXT COLLATE "C" NOT NULL,
    cameo_root       TEXT COLLATE "C" NOT NULL,
    goldstein        DOUBLE PRECISION NOT NULL,
    quad_class       INTEGER NOT NULL CHECK (quad_class BETWEEN 1 AND 4),
    acled_type       TEXT,
    acled_subtype    TEXT,
    status           TEXT COLLATE "C" NOT NULL,
    source_code      TEXT COLLATE "C" NOT NULL,
    source_country   TEXT COLLATE "C",
    target_code      TEXT COLLATE "C",
    target_country   TEXT COLLATE "C",
    location_country TEXT COLLATE "C",
    lat              DOUBLE PRECISION,
    lon              DOUBLE PRECISION,
    confidence       DOUBLE PRECISION NOT NULL,
    json             TEXT NOT NULL,
    search           TSVECTOR NOT NULL  -- PostgreSQL-only: the full-text index of the evidence
);
CREATE INDEX events_date ON events (date_key, id);
CREATE INDEX events_article ON events (article_id);
CREATE INDEX events_plover ON events (plover, date_key);
CREATE INDEX events_cameo_root ON events (cameo_root);
CREATE INDEX events_source_country ON events (source_country);
CREATE INDEX events_target_country ON events (target_country);
CREATE INDEX events_location_country ON events (location_country);
CREATE INDEX events_search ON events USING GIN (search);

CREATE TABLE skipped (
    source TEXT COLLATE "C" NOT NULL,
    reason TEXT COLLATE "C" NOT NULL,
    at     TEXT NOT NULL,
    PRIMARY KEY (source, reason)
);
