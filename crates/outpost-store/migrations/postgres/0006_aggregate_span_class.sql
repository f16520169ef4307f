-- Version 6: bounded candidate look-ups for aggregation (see the SQLite file for the
-- meaning of aggregates.span_class).

ALTER TABLE aggregates ADD COLUMN span_class INTEGER NOT NULL DEFAULT 2;
UPDATE aggregates SET span_class = CASE
    WHEN date_lo IS NULL OR date_hi IS NULL THEN 2
    WHEN date_hi::date - date_lo::date <= 6 THEN 0
    WHEN date_hi::date - date_lo::date <= 30 THEN 1
    ELSE 2 END;
DROP INDEX aggregates_match;
CREATE INDEX aggregates_match ON aggregates (match_key, span_class, date_lo);
