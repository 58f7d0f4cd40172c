-- VACUUM first: the visibility map belongs to the table, so the indexes built afterwards profit from it too.
VACUUM (ANALYZE) tickets;
CREATE INDEX tickets_tenant_created_idx ON tickets (tenant_id, created_at) INCLUDE (priority);
CREATE INDEX tickets_open_queue_idx ON tickets (created_at) WHERE status = 'open';
