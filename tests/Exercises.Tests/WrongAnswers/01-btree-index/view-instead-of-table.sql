-- Hides the table behind a view of the recent events: the index is on the renamed table, the view has none.
ALTER TABLE audit_events RENAME TO audit_events_all;
CREATE INDEX audit_events_actor_recent_idx ON audit_events_all (actor_id, occurred_at DESC);
CREATE VIEW audit_events AS SELECT * FROM audit_events_all WHERE occurred_at > now() - interval '1 year';
