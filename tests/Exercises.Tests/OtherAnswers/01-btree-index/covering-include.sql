-- Covering: INCLUDE the selected columns, so the page is answered from the index alone (Index Only Scan), after VACUUM.
CREATE INDEX audit_events_actor_recent_idx ON audit_events (actor_id, occurred_at DESC) INCLUDE (id, action, resource_type, resource_id);
VACUUM (ANALYZE) audit_events;
