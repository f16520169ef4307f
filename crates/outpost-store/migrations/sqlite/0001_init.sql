-- Outpost schema, version 1.
--
-- Written in the common subset of SQLite and PostgreSQL where that is cheap; the FTS5 table at
-- the end is SQLite-only (a PostgreSQL migration will use a tsvector column instead).

-- Extracted articles. `id` is the content fingerprint of the text (outpost_core::id).
CREATE TABLE articles (
    id          TEXT PRIMARY KEY NOT NULL,
    source      TEXT NOT NULL,
    url         TEXT,
    title       TEXT,
    date        TEXT,               -- publication date, YYYY-MM-DD
    modified    TEXT,               -- last-modified date, YYYY-MM-DD
    authors     TEXT NOT NULL,      -- JSON array of strings
    site        TEXT,
    language    TEXT,
    wire        TEXT,
    text        TEXT NOT NULL,
    ingested_at TEXT NOT NULL       -- RFC 3339 UTC
);
CREATE INDEX articles_date ON articles (date);

-- Every input record in which an article's text was seen (the first one and later copies).
CREATE TABLE mentions (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    source     TEXT NOT NULL,
    url        TEXT,
    site       TEXT,
    seen_at    TEXT NOT NULL,
    PRIMARY KEY (article_id, source)
);

-- Coded events. The queryable fields are columns; `json` holds the full Event so nothing is lost.
CREATE TABLE events (
    id               TEXT PRIMARY KEY NOT NULL,
    article_id       TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    sentence         INTEGER NOT NULL,
    date             TEXT,                 -- first day of the period, YYYY-MM-DD; NULL when unknown
    date_key         TEXT NOT NULL,        -- `date` or '' : the sort and cursor key
    date_precision   TEXT,
    plover           TEXT NOT NULL,
    mode             TEXT,
    cameo            TEXT NOT NULL,
    cameo_root       TEXT NOT NULL,
    goldstein        REAL NOT NULL,
    quad_class       INTEGER NOT NULL CHECK (quad_class BETWEEN 1 AND 4),
    acled_type       TEXT,
    acled_subtype    TEXT,
    status           TEXT NOT NULL,
    source_code      TEXT NOT NULL,
    source_country   TEXT,
    target_code      TEXT,
    target_country   TEXT,
    location_country TEXT,
    lat              REAL,
    lon              REAL,
    confidence       REAL NOT NULL,
    json             TEXT NOT NULL
);
CREATE INDEX events_date ON events (date_key, id);
CREATE INDEX events_article ON events (article_id);
CREATE INDEX events_plover ON events (plover, date_key);
CREATE INDEX events_cameo_root ON events (cameo_root);
CREATE INDEX events_source_country ON events (source_country);
CREATE INDEX events_target_country ON events (target_country);
CREATE INDEX events_location_country ON events (location_country);

-- Inputs that could not be used, with the reason (bad encoding, no text, …). One row per
-- (source, reason): skipping the same input again on a re-ingest adds nothing; `at` is when
-- it was first seen.
CREATE TABLE skipped (
    source TEXT NOT NULL,
    reason TEXT NOT NULL,
    at     TEXT NOT NULL,
    PRIMARY KEY (source, reason)
) WITHOUT ROWID;

-- Full-text index over each event's evidence: sentence, trigger and actor phrases.
CREATE VIRTUAL TABLE events_fts USING fts5 (
    event_id UNINDEXED,
    sentence,
    trigger,
    actors,
    tokenize = 'unicode61 remove_diacritics 2'
);
