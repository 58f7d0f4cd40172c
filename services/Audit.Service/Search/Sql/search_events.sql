-- Every search, whatever combination of filters it has. A filter that is not given arrives as NULL. Npgsql sends
-- this as an unnamed statement, which PostgreSQL plans with the actual values: "$1 IS NULL OR actor_id = $1"
-- folds to the one condition that applies, so the planner sees e.g. "actor_id = '…' AND occurred_at >= '…'",
-- picks the matching index (see 0002_audit_events.sql) and prunes the months outside $5..$6.
-- The cursor is the (occurred_at, id) of the previous page's last row: "occurred_at <= $7" bounds the index scan,
-- the OR skips the rows of that same instant already returned. $9 is the page size + 1 (to know if more follow).
SELECT id, event_id, occurred_at, recorded_at, actor_id, stream_seq, action, resource_type, resource_id,
       payload::text, trace_id, kafka_topic, kafka_partition, kafka_offset, prev_hash, hash
FROM audit_events
WHERE ($1::uuid IS NULL OR actor_id = $1::uuid)
  AND ($2::text IS NULL OR resource_type = $2::text)
  AND ($3::uuid IS NULL OR resource_id = $3::uuid)
  AND ($4::text IS NULL OR action = $4::text)
  AND ($5::timestamptz IS NULL OR occurred_at >= $5::timestamptz)
  AND ($6::timestamptz IS NULL OR occurred_at < $6::timestamptz)
  AND ($7::timestamptz IS NULL OR (occurred_at <= $7::timestamptz AND (occurred_at < $7::timestamptz OR id < $8::bigint)))
ORDER BY occurred_at DESC, id DESC
LIMIT $9;
