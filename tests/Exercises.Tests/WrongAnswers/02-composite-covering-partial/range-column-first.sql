-- Task 1 with the range column first: every tenant's tickets of that week are read to keep one tenant's.
CREATE INDEX tickets_created_tenant_idx ON tickets (created_at, tenant_id) INCLUDE (priority);
VACUUM (ANALYZE) tickets;
CREATE INDEX tickets_open_queue_idx ON tickets (created_at) WHERE status = 'open';
