-- Online: the big copy runs without a lock; a short lock covers the catch-up (by NOT EXISTS) and the swap.
-- Move the live audit_events table to monthly range partitions in one transaction: nobody sees a half-done
-- state, and if anything fails, nothing changed.
-- Online: copy first without blocking the application, then lock only for a short catch-up and the swap.

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

BEGIN;
LOCK TABLE audit_events IN EXCLUSIVE MODE;
-- Catch up with what was written meanwhile, whatever its id: the application commits out of id order.
INSERT INTO audit_events_partitioned
SELECT * FROM audit_events AS old WHERE NOT EXISTS (SELECT 1 FROM audit_events_partitioned AS new WHERE new.id = old.id);

ALTER TABLE audit_events RENAME TO audit_events_unpartitioned;
ALTER TABLE audit_events_partitioned RENAME TO audit_events;
-- The sequence now belongs to the new table, so dropping the old one later does not take it along.
ALTER SEQUENCE audit_events_id_seq OWNED BY audit_events.id;

COMMIT;

-- Fresh statistics for the planner (ANALYZE of a partitioned table also analyzes its partitions).
ANALYZE audit_events;
