-- Claims each event id for good; an id that comes back missing was claimed before: that event is a duplicate.
INSERT INTO audit_event_ids (event_id, actor_id, occurred_at)
SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[])
ON CONFLICT (event_id) DO NOTHING
RETURNING event_id;
