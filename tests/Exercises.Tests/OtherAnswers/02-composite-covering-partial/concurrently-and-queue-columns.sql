-- Built CONCURRENTLY (writes go on meanwhile); the queue's index also carries what the queue selects.
CREATE INDEX CONCURRENTLY tickets_tenant_created_idx ON tickets (tenant_id, created_at) INCLUDE (priority);
CREATE INDEX CONCURRENTLY tickets_open_queue_idx ON tickets (created_at) INCLUDE (tenant_id, priority) WHERE status = 'open';
VACUUM (ANALYZE) tickets;
