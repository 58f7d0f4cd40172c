-- Task 3's index holds every ticket that is not solved: open and pending, several times what the queue reads.
CREATE INDEX tickets_tenant_created_idx ON tickets (tenant_id, created_at) INCLUDE (priority);
VACUUM (ANALYZE) tickets;
CREATE INDEX tickets_open_queue_idx ON tickets (created_at) WHERE status IN ('open', 'pending');
