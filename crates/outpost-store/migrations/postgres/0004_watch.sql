-- Outpost schema, version 4 (PostgreSQL): live monitoring. Followed news feeds with their HTTP
-- validators and failure counts, the article URLs already fetched (so a restart refetches
-- nothing), the state of each alert rule (its episodes and daily series) and fired alerts.
-- See src/watch.rs for the meaning of each column.
--
-- Times are Unix milliseconds from the application's clock (the watcher is one process).

CREATE TABLE watch_feeds (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url            TEXT NOT NULL UNIQUE,
    name           TEXT,
    interval_secs  INTEGER NOT NULL CHECK (interval_secs > 0),
    language       TEXT,
    added_at       BIGINT NOT NULL,
    etag           TEXT,
    last_modified  TEXT,
    last_polled_at BIGINT,
    last_ok_at     BIGINT,
    next_poll_at   BIGINT,
    failures       INTEGER NOT NULL DEFAULT 0,
    last_error     TEXT,
    items_seen     BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE watch_urls (
    url        TEXT PRIMARY KEY,
    feed_id    BIGINT REFERENCES watch_feeds (id) ON DELETE SET NULL,
    state      TEXT NOT NULL CHECK (state IN ('fetched', 'failed', 'skipped')),
    attempts   INTEGER NOT NULL DEFAULT 1,
    detail     TEXT,
    first_at   BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX watch_urls_feed ON watch_urls (feed_id);

CREATE TABLE watch_alert_state (
    rule       TEXT PRIMARY KEY,
    state      TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE watch_alerts (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rule           TEXT NOT NULL,
    episode        TEXT NOT NULL,
    fired_at       BIGINT NOT NULL,
    title          TEXT NOT NULL,
    details        TEXT NOT NULL,
    delivered      BOOLEAN NOT NULL DEFAULT FALSE,
    delivery_error TEXT,
    UNIQUE (rule, episode)
);
CREATE INDEX watch_alerts_fired ON watch_alerts (fired_at);

CREATE TABLE watch_alert_rules (
    name       TEXT PRIMARY KEY,
    rule       TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
