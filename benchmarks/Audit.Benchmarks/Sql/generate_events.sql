-- Rows $1 .. $2 of a generated audit log: $3 actors, 2 events per resource (chirp created, a few deleted), actions
-- skewed like a real app, occurred_at spread evenly from $4 over $5 seconds, valid-looking 32-byte hashes.
-- stream_seq is unique per actor (i / actors + 1) but the hashes are not a real chain: the search does not care.
INSERT INTO audit_events (
    event_id, occurred_at, recorded_at, actor_id, stream_seq, action, resource_type, resource_id, payload,
    trace_id, kafka_topic, kafka_partition, kafka_offset, prev_hash, hash)
SELECT bench_uuid(2, i),
       $4::timestamptz + make_interval(secs => (i - 1)::double precision * $5 / $6),
       $4::timestamptz + make_interval(secs => (i - 1)::double precision * $5 / $6 + 0.05),
       bench_uuid(1, (i % $3) + 1),
       i / $3 + 1,
       action,
       CASE WHEN action LIKE 'chirp.%' THEN 'chirp' WHEN action LIKE 'apikey.%' THEN 'apikey' ELSE 'user' END,
       bench_uuid(3, i / 2),
       jsonb_build_object('text', md5(i::text), 'length', 32),
       md5(i::text),
       'chirp.events',
       (i % 6)::integer,
       i / 6,
       sha256(int8send(i - 1)),
       sha256(int8send(i))
FROM (
    SELECT i,
           CASE WHEN i % 97 = 0 THEN 'user.created'
                WHEN i % 89 = 0 THEN 'apikey.created'
                WHEN i % 997 = 0 THEN 'apikey.revoked'
                WHEN i % 10 = 1 THEN 'chirp.deleted'
                ELSE 'chirp.created' END AS action
    FROM generate_series($1::bigint, $2::bigint) AS i
) AS generated;
