-- Ascending occurred_at: PostgreSQL reads the actor's entries backward (Index Scan Backward) for ORDER BY ... DESC.
CREATE INDEX audit_events_actor_time_idx ON audit_events (actor_id, occurred_at);
