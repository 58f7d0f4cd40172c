-- The service's INSERT of one audit row, alone (no id claim, no chain head), one row per transaction.
\set actor random(1, :actors)
INSERT INTO audit_events (
    event_id, occurred_at, recorded_at, actor_id, stream_seq, action, resource_type, resource_id, payload,
    trace_id, kafka_topic, kafka_partition, kafka_offset, prev_hash, hash)
VALUES (gen_random_uuid(), now(), now(), bench_uuid(1, :actor), 1, 'chirp.created', 'chirp', gen_random_uuid(),
        '{"length":5,"text":"hello"}', NULL, 'pgbench', 0, 0, sha256(''::bytea), sha256(random()::text::bytea));
