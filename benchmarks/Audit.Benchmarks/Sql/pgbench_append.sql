-- What the service does per event, one event per transaction: claim the id, create and lock the actor's chain head,
-- insert the row chained to it, move the head. (The service does the same for a whole batch per transaction.)
\set actor random(1, :actors)
BEGIN;
SELECT gen_random_uuid() AS event_id, bench_uuid(1, :actor) AS actor_id \gset
INSERT INTO audit_event_ids (event_id, actor_id, occurred_at) VALUES (':event_id', ':actor_id', now()) ON CONFLICT DO NOTHING;
INSERT INTO audit_stream_heads (actor_id) VALUES (':actor_id') ON CONFLICT DO NOTHING;
SELECT last_seq + 1 AS seq, encode(sha256(last_hash || convert_to(':event_id', 'UTF8')), 'hex') AS hash, encode(last_hash, 'hex') AS prev
FROM audit_stream_heads WHERE actor_id = ':actor_id' FOR UPDATE \gset
INSERT INTO audit_events (
    event_id, occurred_at, recorded_at, actor_id, stream_seq, action, resource_type, resource_id, payload,
    trace_id, kafka_topic, kafka_partition, kafka_offset, prev_hash, hash)
VALUES (':event_id', now(), now(), ':actor_id', :seq, 'chirp.created', 'chirp', gen_random_uuid(),
        '{"length":5,"text":"hello"}', NULL, 'pgbench', 0, 0, decode(':prev', 'hex'), decode(':hash', 'hex'));
UPDATE audit_stream_heads SET last_seq = :seq, last_hash = decode(':hash', 'hex'), last_event_id = ':event_id', updated_at = now()
WHERE actor_id = ':actor_id';
END;
