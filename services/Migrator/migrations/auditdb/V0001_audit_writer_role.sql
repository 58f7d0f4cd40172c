-- audit_writer: the role Audit.Service acts as. It may read and append to the audit log and move its own chain
-- heads, and nothing else: no UPDATE, DELETE or TRUNCATE on audit_events, so the table is append-only for the
-- service whatever its code does (later migrations grant exactly what it needs).
--
-- NOLOGIN: nobody signs in as audit_writer. The service keeps the connection string of the contract
-- (ConnectionStrings:auditdb) and adds the startup option `-c role=audit_writer` (Npgsql's Options keyword), so
-- every statement of every pooled connection runs with this role's privileges, even after the pool's DISCARD ALL
-- (RESET ROLE goes back to the startup value). In production the login user would itself be a member of
-- audit_writer and nothing more; in the sandbox it is the superuser, so the role guards against mistakes in the
-- service's code, not against someone who can run arbitrary SQL (they could RESET ROLE).
--
-- Roles belong to the PostgreSQL server, not to one database: another database on the same server (a test's
-- scratch database) may have created it already, or be creating it right now, hence the tolerant block.
DO $$
BEGIN
    CREATE ROLE audit_writer NOLOGIN;
EXCEPTION
    WHEN duplicate_object OR unique_violation THEN
        NULL;
END
$$;
