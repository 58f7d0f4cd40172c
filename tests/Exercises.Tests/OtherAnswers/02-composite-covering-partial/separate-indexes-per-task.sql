-- One index per task: task 1's plain (tenant_id, created_at), task 2's covering one, task 3's partial one.
CREATE INDEX tickets_tenant_week_idx ON tickets (tenant_id, created_at);
CREATE INDEX tickets_dashboard_idx ON tickets (tenant_id, created_at) INCLUDE (priority);
CREATE INDEX tickets_open_queue_idx ON tickets (created_at, id) WHERE status = 'open';
VACUUM tickets;
