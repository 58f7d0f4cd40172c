-- Builds each month as a table of its own, fills it, and attaches it to the partitioned table.
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
        -- Fill each month as a plain table first, then attach it with its bound.
        EXECUTE format('CREATE TABLE %I (LIKE audit_events INCLUDING DEFAULTS)', 'audit_events_' || to_char(month, 'YYYY_MM'));
        EXECUTE format('INSERT INTO %I SELECT * FROM audit_events WHERE occurred_at >= %L AND occurred_at < %L',
                       'audit_events_' || to_char(month, 'YYYY_MM'), month, month + interval '1 month');
        EXECUTE format('ALTER TABLE audit_events_partitioned ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                       'audit_events_' || to_char(month, 'YYYY_MM'), month, month + interval '1 month');
    END LOOP;
END
$$;

-- (the rows went in month by month above)

ALTER TABLE audit_events RENAME TO audit_events_unpartitioned;
ALTER TABLE audit_events_partitioned RENAME TO audit_events;
-- The sequence now belongs to the new table, so dropping the old one later does not take it along.
ALTER SEQUENCE audit_events_id_seq OWNED BY audit_events.id;

COMMIT;

-- Fresh statistics for the planner (ANALYZE of a partitioned table also analyzes its partitions).
ANALYZE audit_events;
