-- The same INSERT, 500 rows per transaction (the consumer's largest batch): what the database alone can take when
-- commits are shared the way the consumer shares them.
\set actor random(1, :actors)
INSERT INTO audit_events (
    event_id, occurred_at, recorded_at, actor_id, stream_seq, action, resource_type, resource_id, payload,
    trace_id, kafka_topic, kafka_partition, kafka_offset, prev_hash, hash)
SELECT gen_random_uuid(), now(), now(), bench_uuid(1, (:actor + n) % :actors + 1), n, 'chirp.created', 'chirp', gen_random_uuid(),
       '{"length":5,"text":"hello"}', NULL, 'pgbench', 0, n, sha256(''::bytea), sha256(random()::text::bytea)
FROM generate_series(1, 500) AS n;
