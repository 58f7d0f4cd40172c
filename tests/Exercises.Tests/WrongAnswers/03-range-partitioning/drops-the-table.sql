-- "Start clean": drops the live table and creates an empty partitioned one. The events are gone.
BEGIN;
DROP TABLE audit_events;
CREATE TABLE audit_events (id bigserial, occurred_at timestamptz NOT NULL, actor_id integer NOT NULL, action text NOT NULL,
                           resource_type text NOT NULL, resource_id bigint NOT NULL, payload jsonb NOT NULL,
                           PRIMARY KEY (id, occurred_at)) PARTITION BY RANGE (occurred_at);
CREATE TABLE audit_events_2024_12 PARTITION OF audit_events FOR VALUES FROM ('2024-12-01') TO ('2025-01-01');
COMMIT;
