-- Task 3 with a full index: it works, but holds every ticket to serve the few open ones.
CREATE INDEX tickets_tenant_created_idx ON tickets (tenant_id, created_at) INCLUDE (priority);
VACUUM (ANALYZE) tickets;
CREATE INDEX tickets_status_created_idx ON tickets (status, created_at);
