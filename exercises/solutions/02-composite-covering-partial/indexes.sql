-- Task 1 and task 2 share one index. Equality column first, then the range column: PostgreSQL seeks to
-- tenant 42 and reads one date range of its entries. INCLUDE (priority) stores priority in the index
-- without sorting by it, so the dashboard count needs nothing from the table...
CREATE INDEX tickets_tenant_created_idx ON tickets (tenant_id, created_at) INCLUDE (priority);

-- ...once VACUUM has marked the table's pages all-visible in the visibility map. Without it, an index-only
-- scan still visits the table to check that each row is visible (Heap Fetches).
VACUUM (ANALYZE) tickets;

-- Task 3: only the few open tickets, in the order the queue reads them. Solved tickets never enter this index.
CREATE INDEX tickets_open_queue_idx ON tickets (created_at) WHERE status = 'open';
