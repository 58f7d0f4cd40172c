-- VACUUM FULL "to be thorough": it rewrites the table but does not set the visibility map, so the index-only scan still visits it.
CREATE INDEX tickets_tenant_created_idx ON tickets (tenant_id, created_at) INCLUDE (priority);
VACUUM FULL tickets;
CREATE INDEX tickets_open_queue_idx ON tickets (created_at) WHERE status = 'open';
