UPDATE audit_stream_heads AS head
SET last_seq = moved.last_seq,
    last_hash = moved.last_hash,
    last_event_id = moved.last_event_id,
    updated_at = now()
FROM unnest($1::uuid[], $2::bigint[], $3::bytea[], $4::uuid[]) AS moved (actor_id, last_seq, last_hash, last_event_id)
WHERE head.actor_id = moved.actor_id;
