-- "Retention": the whole table goes, and a new empty one takes its place.
DROP TABLE IF EXISTS audit_events CASCADE;
CREATE TABLE audit_events (id bigint NOT NULL, occurred_at timestamptz NOT NULL) PARTITION BY RANGE (occurred_at);
