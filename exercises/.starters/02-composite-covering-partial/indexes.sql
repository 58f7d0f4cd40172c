-- Exercise 02: three queries of the support desk, one file. The README describes each task.
-- Write table names without a schema: the checker runs this file once per dataset, each in its own schema.
-- Then run: ./lab verify 2

-- Task 1: a tenant's tickets of one week.
--   SELECT id, status, priority, created_at, subject FROM tickets
--   WHERE tenant_id = 42 AND created_at >= '2024-03-04' AND created_at < timestamptz '2024-03-04' + interval '7 days';


-- Task 2: the dashboard count per priority, answered from an index alone.
--   SELECT priority, count(*) FROM tickets
--   WHERE tenant_id = 42 AND created_at >= '2024-01-01' AND created_at < timestamptz '2024-01-01' + interval '3 months'
--   GROUP BY priority;


-- Task 3: the queue of open tickets, oldest first.
--   SELECT id, tenant_id, priority, created_at FROM tickets
--   WHERE status = 'open' ORDER BY created_at LIMIT 20;

