-- The right columns, but DESC NULLS LAST: ORDER BY occurred_at DESC means NULLS FIRST, so the index order does not match.
CREATE INDEX audit_events_actor_recent_idx ON audit_events (actor_id, occurred_at DESC NULLS LAST);
