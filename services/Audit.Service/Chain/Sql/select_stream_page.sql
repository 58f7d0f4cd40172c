-- One page of an actor's stream in chain order; (stream_seq, id) as the keyset so that even a tampered stream with
-- a repeated sequence number is read completely, once.
SELECT id, event_id, occurred_at, recorded_at, stream_seq, action, resource_type, resource_id, payload::text,
       prev_hash, hash
FROM audit_events
WHERE actor_id = $1
  AND (stream_seq > $2 OR (stream_seq = $2 AND id > $3))
ORDER BY stream_seq, id
LIMIT $4;
