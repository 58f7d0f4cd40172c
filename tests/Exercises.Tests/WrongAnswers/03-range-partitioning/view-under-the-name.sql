-- Leaves a view named audit_events over the partitioned table, instead of giving the table the name.
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
        SELECT generate_series(date_trunc('month', min(occurred_at)), date_trunc('month', max(occurred_at)), interval '1 month')
        FROM audit_events
    LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF audit_events_partitioned FOR VALUES FROM (%L) TO (%L)',
                       'audit_events_' || to_char(month, 'YYYY_MM'), month, month + interval '1 month');
    END LOOP;
END
$$;

INSERT INTO audit_events_partitioned SELECT * FROM audit_events;

ALTER TABLE audit_events RENAME TO audit_events_unpartitioned;
-- Keep the name for readers: a view over the partitioned table.
CREATE VIEW audit_events AS SELECT * FROM audit_events_partitioned;

COMMIT;

-- Fresh statistics for the planner (ANALYZE of a partitioned table also analyzes its partitions).
ANALYZE audit_events_partitioned;
