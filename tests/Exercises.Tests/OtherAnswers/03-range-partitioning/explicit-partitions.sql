-- Every month of 2023 to 2025 written out as its own CREATE TABLE ... PARTITION OF, instead of a loop.
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

-- Explicit DDL: one partition per month from 2023 to 2025, written out (empty months cost nothing).
CREATE TABLE audit_events_2023_01 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2023-01-01 00:00:00+00') TO ('2023-02-01 00:00:00+00');
CREATE TABLE audit_events_2023_02 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2023-02-01 00:00:00+00') TO ('2023-03-01 00:00:00+00');
CREATE TABLE audit_events_2023_03 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2023-03-01 00:00:00+00') TO ('2023-04-01 00:00:00+00');
CREATE TABLE audit_events_2023_04 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2023-04-01 00:00:00+00') TO ('2023-05-01 00:00:00+00');
CREATE TABLE audit_events_2023_05 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2023-05-01 00:00:00+00') TO ('2023-06-01 00:00:00+00');
CREATE TABLE audit_events_2023_06 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2023-06-01 00:00:00+00') TO ('2023-07-01 00:00:00+00');
CREATE TABLE audit_events_2023_07 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2023-07-01 00:00:00+00') TO ('2023-08-01 00:00:00+00');
CREATE TABLE audit_events_2023_08 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2023-08-01 00:00:00+00') TO ('2023-09-01 00:00:00+00');
CREATE TABLE audit_events_2023_09 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2023-09-01 00:00:00+00') TO ('2023-10-01 00:00:00+00');
CREATE TABLE audit_events_2023_10 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2023-10-01 00:00:00+00') TO ('2023-11-01 00:00:00+00');
CREATE TABLE audit_events_2023_11 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2023-11-01 00:00:00+00') TO ('2023-12-01 00:00:00+00');
CREATE TABLE audit_events_2023_12 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2023-12-01 00:00:00+00') TO ('2024-01-01 00:00:00+00');
CREATE TABLE audit_events_2024_01 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2024-02-01 00:00:00+00');
CREATE TABLE audit_events_2024_02 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2024-02-01 00:00:00+00') TO ('2024-03-01 00:00:00+00');
CREATE TABLE audit_events_2024_03 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2024-03-01 00:00:00+00') TO ('2024-04-01 00:00:00+00');
CREATE TABLE audit_events_2024_04 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2024-04-01 00:00:00+00') TO ('2024-05-01 00:00:00+00');
CREATE TABLE audit_events_2024_05 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2024-05-01 00:00:00+00') TO ('2024-06-01 00:00:00+00');
CREATE TABLE audit_events_2024_06 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2024-06-01 00:00:00+00') TO ('2024-07-01 00:00:00+00');
CREATE TABLE audit_events_2024_07 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2024-07-01 00:00:00+00') TO ('2024-08-01 00:00:00+00');
CREATE TABLE audit_events_2024_08 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2024-08-01 00:00:00+00') TO ('2024-09-01 00:00:00+00');
CREATE TABLE audit_events_2024_09 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2024-09-01 00:00:00+00') TO ('2024-10-01 00:00:00+00');
CREATE TABLE audit_events_2024_10 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2024-10-01 00:00:00+00') TO ('2024-11-01 00:00:00+00');
CREATE TABLE audit_events_2024_11 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2024-11-01 00:00:00+00') TO ('2024-12-01 00:00:00+00');
CREATE TABLE audit_events_2024_12 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2024-12-01 00:00:00+00') TO ('2025-01-01 00:00:00+00');
CREATE TABLE audit_events_2025_01 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2025-01-01 00:00:00+00') TO ('2025-02-01 00:00:00+00');
CREATE TABLE audit_events_2025_02 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2025-02-01 00:00:00+00') TO ('2025-03-01 00:00:00+00');
CREATE TABLE audit_events_2025_03 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2025-03-01 00:00:00+00') TO ('2025-04-01 00:00:00+00');
CREATE TABLE audit_events_2025_04 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2025-04-01 00:00:00+00') TO ('2025-05-01 00:00:00+00');
CREATE TABLE audit_events_2025_05 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2025-05-01 00:00:00+00') TO ('2025-06-01 00:00:00+00');
CREATE TABLE audit_events_2025_06 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2025-06-01 00:00:00+00') TO ('2025-07-01 00:00:00+00');
CREATE TABLE audit_events_2025_07 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2025-07-01 00:00:00+00') TO ('2025-08-01 00:00:00+00');
CREATE TABLE audit_events_2025_08 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2025-08-01 00:00:00+00') TO ('2025-09-01 00:00:00+00');
CREATE TABLE audit_events_2025_09 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2025-09-01 00:00:00+00') TO ('2025-10-01 00:00:00+00');
CREATE TABLE audit_events_2025_10 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2025-10-01 00:00:00+00') TO ('2025-11-01 00:00:00+00');
CREATE TABLE audit_events_2025_11 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2025-11-01 00:00:00+00') TO ('2025-12-01 00:00:00+00');
CREATE TABLE audit_events_2025_12 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2025-12-01 00:00:00+00') TO ('2026-01-01 00:00:00+00');

INSERT INTO audit_events_partitioned SELECT * FROM audit_events;

ALTER TABLE audit_events RENAME TO audit_events_unpartitioned;
ALTER TABLE audit_events_partitioned RENAME TO audit_events;
-- The sequence now belongs to the new table, so dropping the old one later does not take it along.
ALTER SEQUENCE audit_events_id_seq OWNED BY audit_events.id;

COMMIT;

-- Fresh statistics for the planner (ANALYZE of a partitioned table also analyzes its partitions).
ANALYZE audit_events;
