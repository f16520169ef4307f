-- Version 6: bounded candidate look-ups for aggregation.
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
