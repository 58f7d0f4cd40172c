-- ANALYZE instead of VACUUM: fresh statistics, but the visibility map stays empty.
CREATE INDEX tickets_tenant_created_idx ON tickets (tenant_id, created_at) INCLUDE (priority);
ANALYZE tickets;
CREATE INDEX tickets_open_queue_idx ON tickets (created_at) WHERE status = 'open';
