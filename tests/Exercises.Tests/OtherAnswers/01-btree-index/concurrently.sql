-- Built without blocking the application's writes: CONCURRENTLY (it cannot run inside a transaction block).
CREATE INDEX CONCURRENTLY IF NOT EXISTS audit_events_actor_recent_idx ON audit_events (actor_id, occurred_at DESC);
