-- Outpost schema, version 3 (SQLite): indexes for the analyst's filters and aggregates
-- (src/aggregate.rs). No table or column changes.

-- Country filters with date order: replace the single-column country indexes by
-- (country, date_key) so "country = X ORDER BY date" needs no sort.
DROP INDEX IF EXISTS events_source_country;
DROP INDEX IF EXISTS events_target_country;
DROP INDEX IF EXISTS events_location_country;
CREATE INDEX events_source_country_date ON events (source_country, date_key);
CREATE INDEX events_target_country_date ON events (target_country, date_key);
CREATE INDEX events_location_country_date ON events (location_country, date_key);

-- Actor code prefix (a range on the code).
CREATE INDEX events_source_code ON events (source_code);
CREATE INDEX events_target_code ON events (target_code);

-- Daily counts by QuadClass and the daily index: a covering index over day, class, score.
CREATE INDEX events_day_quad ON events (date_key, quad_class, goldstein);

-- Top dyads: covering.
CREATE INDEX events_dyad ON events (source_country, target_country, goldstein, quad_class);

-- ACLED type and place filters; places group by coordinates.
CREATE INDEX events_acled ON events (acled_type, date_key);
CREATE INDEX events_latlon ON events (lat, lon);
