INSERT INTO audit_events (
    event_id, occurred_at, recorded_at, actor_id, stream_seq, action, resource_type, resource_id, payload,
    trace_id, kafka_topic, kafka_partition, kafka_offset, prev_hash, hash)
SELECT * FROM unnest(
    $1::uuid[], $2::timestamptz[], $3::timestamptz[], $4::uuid[], $5::bigint[], $6::text[], $7::text[], $8::uuid[],
    $9::jsonb[], $10::text[], $11::text[], $12::integer[], $13::bigint[], $14::bytea[], $15::bytea[])
-- The last column tells whether a row fell into the default partition (its month has no partition yet).
RETURNING id, event_id, tableoid = 'audit_events_default'::regclass AS stray;
