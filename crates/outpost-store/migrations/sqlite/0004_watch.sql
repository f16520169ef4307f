-- Outpost schema, version 4 (SQLite): live monitoring. Followed news feeds with their HTTP
-- validators and failure counts, the article URLs already fetched (so a restart refetches
-- nothing), the state of each alert rule (its episodes and daily series) and fired alerts.
-- See src/watch.rs for the meaning of each column.
--
-- Times are Unix milliseconds from the application's clock.

CREATE TABLE watch_feeds (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    url            TEXT NOT NULL UNIQUE,
    name           TEXT,
    interval_secs  INTEGER NOT NULL CHECK (interval_secs > 0),
    language       TEXT,
    added_at       INTEGER NOT NULL,
    etag           TEXT,                 -- validator of the last 200 answer
    last_modified  TEXT,                 -- validator of the last 200 answer
    last_polled_at INTEGER,
    last_ok_at     INTEGER,
    next_poll_at   INTEGER,              -- when the watcher polls it next (backoff included)
    failures       INTEGER NOT NULL DEFAULT 0,  -- consecutive failed polls
    last_error     TEXT,
    items_seen     INTEGER NOT NULL DEFAULT 0   -- article fetches started (retries included)
);

CREATE TABLE watch_urls (
    url        TEXT PRIMARY KEY,
    feed_id    INTEGER REFERENCES watch_feeds (id) ON DELETE SET NULL,
    state      TEXT NOT NULL CHECK (state IN ('fetched', 'failed', 'skipped')),
    attempts   INTEGER NOT NULL DEFAULT 1,
    detail     TEXT,                     -- why it failed or was skipped
    first_at   INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX watch_urls_feed ON watch_urls (feed_id);

CREATE TABLE watch_alert_state (
    rule       TEXT PRIMARY KEY,
    state      TEXT NOT NULL,            -- JSON (see watch::AlertState)
    updated_at INTEGER NOT NULL
);

CREATE TABLE watch_alerts (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    rule           TEXT NOT NULL,
    episode        TEXT NOT NULL,        -- episode key; one alert per (rule, episode)
    fired_at       INTEGER NOT NULL,
    title          TEXT NOT NULL,
    details        TEXT NOT NULL,        -- JSON
    delivered      INTEGER NOT NULL DEFAULT 0,
    delivery_error TEXT,
    UNIQUE (rule, episode)
);
CREATE INDEX watch_alerts_fired ON watch_alerts (fired_at);

-- Alert rules added through the API (rules from a TOML file are not stored). The rule is
-- JSON owned by the watcher (outpost_watch::AlertRule); it validates them when it loads them.
CREATE TABLE watch_alert_rules (
    name       TEXT PRIMARY KEY,
    rule       TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
