-- One B-tree serves both the filter and the order: actor_id first (compared with =), then occurred_at.
-- PostgreSQL seeks to the actor's first entry and reads the newest 50 in order; no Sort, no full scan.
-- DESC is optional: a B-tree can be read backward, so (actor_id, occurred_at) serves ORDER BY occurred_at DESC too.
CREATE INDEX audit_events_actor_recent_idx ON audit_events (actor_id, occurred_at DESC);
