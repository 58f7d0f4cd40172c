-- The covering index without VACUUM: the visibility map is empty, so the index-only scan visits the table anyway.
CREATE INDEX tickets_tenant_created_idx ON tickets (tenant_id, created_at) INCLUDE (priority);
CREATE INDEX tickets_open_queue_idx ON tickets (created_at) WHERE status = 'open';
