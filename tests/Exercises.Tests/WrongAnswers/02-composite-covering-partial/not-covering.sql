-- Right column order, but priority is not in the index: the count reads every row from the table.
CREATE INDEX tickets_tenant_created_idx ON tickets (tenant_id, created_at);
VACUUM (ANALYZE) tickets;
CREATE INDEX tickets_open_queue_idx ON tickets (created_at) WHERE status = 'open';
