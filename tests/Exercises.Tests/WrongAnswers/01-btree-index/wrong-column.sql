-- Indexes a column the query does not filter on.
CREATE INDEX audit_events_resource_idx ON audit_events (resource_id, occurred_at);
