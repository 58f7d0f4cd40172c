-- The audit log: one row per event, append-only, hash-chained per actor, range-partitioned by month.
--
-- Partitioning: by month on occurred_at (UTC month boundaries). A search with a time range touches only the
-- months it overlaps (partition pruning), and old months can later be detached and archived whole instead of
-- deleted row by row. Audit.Service's PartitionMaintenance creates months ahead of time through
-- audit_ensure_month_partition (0003); audit_events_default catches an event whose month has no partition yet, so
-- an insert never fails for a missing month. Rows there are strays: reported by the service and moved into their
-- month's partition when it is created.
--
-- Hash chain: each actor's events form a stream numbered by stream_seq (1, 2, 3, ... in Kafka order, which is the
-- order of the actor's events because the Kafka key is the actor id). hash = SHA-256(prev_hash || canonical bytes
-- of the row), prev_hash = the hash of the stream's previous row (32 zero bytes for the first). Editing, deleting
-- or reordering a row breaks the chain at that row; see AuditCanonicalForm in Audit.Service for the exact bytes.
CREATE TABLE audit_events (
    id              bigint      GENERATED ALWAYS AS IDENTITY,
    event_id        uuid        NOT NULL,
    occurred_at     timestamptz NOT NULL,
    recorded_at     timestamptz NOT NULL,
    actor_id        uuid        NOT NULL,
    stream_seq      bigint      NOT NULL,
    action          text        NOT NULL,
    resource_type   text,
    resource_id     uuid,
    payload         jsonb       NOT NULL,
    trace_id        text,
    kafka_topic     text,
    kafka_partition integer,
    kafka_offset    bigint,
    prev_hash       bytea       NOT NULL,
    hash            bytea       NOT NULL,
    -- A unique index of a partitioned table must contain the partition key. (occurred_at, id) also serves the
    -- searches by time range alone: read backwards it yields the newest events first and stops at the page size.
    PRIMARY KEY (occurred_at, id)
) PARTITION BY RANGE (occurred_at);

CREATE TABLE audit_events_default PARTITION OF audit_events DEFAULT;

-- Indexes: every search answers "the newest N events matching X, before this cursor", ordered by
-- (occurred_at DESC, id DESC). Each index below starts with the equality columns of one search shape and ends with
-- (occurred_at DESC, id DESC), so PostgreSQL walks it in the answer's order from the cursor onwards and stops after
-- N + 1 entries: the cost depends on the page size, not on the table size (milliseconds at millions of rows).
--   by actor:          (actor_id, occurred_at DESC, id DESC)
--   by resource:       (resource_id, occurred_at DESC, id DESC); resource ids are UUIDs, unique across types, so
--                      the id alone is selective and resource_type (when also given) is checked on the few rows found
--   by action:         (action, occurred_at DESC, id DESC)
--   by time range only: the primary key (occurred_at, id), read backwards.
--   by resource_type alone: also the primary key, filtering as it walks; fine for the common types (chirp), a long
--                      walk for a rare one. No index of its own: a handful of types would make it a poor btree.
-- A time range combined with any of them is a range condition on occurred_at inside the same index, plus pruning
-- of the months outside it. BRIN on occurred_at would be far smaller (rows arrive roughly in time order, which
-- BRIN needs), but it only finds block ranges: it cannot return rows in order, so "newest 50 of last week" would
-- read and sort the whole week. The btree keeps that a LIMIT-sized walk; BRIN would suit whole-range scans
-- (counts, exports) if they ever appear.
-- (actor_id, stream_seq) serves the chain check, which walks one actor's stream in sequence order.
-- Each index costs every insert one more btree insertion: five btrees (with the key) for the search shapes and the chain.
CREATE INDEX audit_events_actor_time ON audit_events (actor_id, occurred_at DESC, id DESC);
CREATE INDEX audit_events_actor_seq ON audit_events (actor_id, stream_seq);
CREATE INDEX audit_events_resource_time ON audit_events (resource_id, occurred_at DESC, id DESC);
CREATE INDEX audit_events_action_time ON audit_events (action, occurred_at DESC, id DESC);

-- Idempotency: an event id is stored once, across all partitions. A unique index on audit_events would have to
-- include occurred_at (the partition key), which only makes (event_id, occurred_at) unique, and a redelivered
-- event that differs in occurred_at would slip through. So storing an event first claims its id here (INSERT ...
-- ON CONFLICT DO NOTHING, in the same transaction as the row): a claim that finds the id taken is a duplicate and
-- changes nothing, not even the chain. One narrow unpartitioned table and its primary key is the price.
CREATE TABLE audit_event_ids (
    event_id    uuid        PRIMARY KEY,
    actor_id    uuid        NOT NULL,
    occurred_at timestamptz NOT NULL
);

-- The head of each actor's chain: the last sequence number and hash. Appending locks the actor's row
-- (SELECT ... FOR UPDATE), so two writers of one actor serialise, and a deleted last row is still detectable.
CREATE TABLE audit_stream_heads (
    actor_id      uuid        PRIMARY KEY,
    last_seq      bigint      NOT NULL DEFAULT 0,
    last_hash     bytea       NOT NULL DEFAULT decode(repeat('00', 32), 'hex'),
    last_event_id uuid,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Append-only for the service: read and insert the log, read the strays, move the chain heads.
GRANT SELECT, INSERT ON audit_events, audit_event_ids TO audit_writer;
GRANT SELECT ON audit_events_default TO audit_writer;
GRANT SELECT, INSERT, UPDATE ON audit_stream_heads TO audit_writer;
