-- The query's own order spelled out, plus the primary key as a tie-breaker.
CREATE INDEX audit_events_actor_recent_idx ON audit_events (actor_id, occurred_at DESC NULLS FIRST, id DESC);
