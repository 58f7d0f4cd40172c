-- Starts over with an empty tickets table of its own.
DROP TABLE tickets;
CREATE TABLE tickets (id bigint PRIMARY KEY, tenant_id integer NOT NULL, status text NOT NULL, priority text NOT NULL,
                      created_at timestamptz NOT NULL, assignee_id integer, subject text NOT NULL);
CREATE INDEX tickets_tenant_created_idx ON tickets (tenant_id, created_at) INCLUDE (priority);
