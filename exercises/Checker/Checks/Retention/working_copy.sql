-- The partitioned audit log the retention job runs on, rebuilt from the pristine copy before every verify:
-- one partition per month of data, named audit_events_YYYY_MM; no default partition, none ahead of time.
DROP SCHEMA IF EXISTS {{schema}} CASCADE;
CREATE SCHEMA {{schema}};
CREATE TABLE {{schema}}.audit_events (
    id            bigint      NOT NULL,
    occurred_at   timestamptz NOT NULL,
    actor_id      integer     NOT NULL,
    action        text        NOT NULL,
    resource_type text        NOT NULL,
    resource_id   bigint      NOT NULL,
    payload       jsonb       NOT NULL
) PARTITION BY RANGE (occurred_at);
DO $build$
DECLARE
    month timestamptz;
BEGIN
    FOR month IN
        SELECT generate_series(date_trunc('month', min(occurred_at)), date_trunc('month', max(occurred_at)), interval '1 month')
        FROM {{source}}.audit_events
    LOOP
        EXECUTE format('CREATE TABLE {{schema}}.%I PARTITION OF {{schema}}.audit_events FOR VALUES FROM (%L) TO (%L)',
                       'audit_events_' || to_char(month, 'YYYY_MM'), month, month + interval '1 month');
    END LOOP;
END
$build$;
INSERT INTO {{schema}}.audit_events SELECT * FROM {{source}}.audit_events;
ALTER TABLE {{schema}}.audit_events ADD PRIMARY KEY (id, occurred_at);
ANALYZE {{schema}}.audit_events;
