-- The rows a notification names, by their key: occurred_at prunes to their months' partitions.
SELECT id, event_id, occurred_at, recorded_at, actor_id, stream_seq, action, resource_type, resource_id,
       payload::text, trace_id, kafka_topic, kafka_partition, kafka_offset, prev_hash, hash
FROM audit_events
WHERE occurred_at = ANY($2) AND event_id = ANY($1)
ORDER BY id;
