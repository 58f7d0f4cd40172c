-- What the retention job does to the rows of audit_events, seen from inside its own transactions: a statement
-- trigger on the table and on each partition records DELETE, UPDATE and TRUNCATE, with the rows deleted or updated
-- so far in the transaction (pg_stat_xact_user_tables, which only the job's own session can see). The checker
-- reads it to tell a job that drops whole months from one that deletes row by row first.
DROP TABLE IF EXISTS {{schema}}._retention_watch;
CREATE TABLE {{schema}}._retention_watch (
    at         timestamptz NOT NULL DEFAULT clock_timestamp(),
    table_name text        NOT NULL,
    operation  text        NOT NULL,
    rows       bigint      NOT NULL
);
CREATE OR REPLACE FUNCTION {{schema}}._retention_watch() RETURNS trigger LANGUAGE plpgsql AS $watch$
BEGIN
    INSERT INTO {{schema}}._retention_watch (table_name, operation, rows)
    SELECT TG_TABLE_NAME, TG_OP, coalesce(sum(n_tup_del + n_tup_upd), 0)
    FROM pg_stat_xact_user_tables
    WHERE schemaname = '{{schema}}' AND relname LIKE 'audit\_events%';
    RETURN NULL;
END
$watch$;
DO $triggers$
DECLARE
    item record;
BEGIN
    FOR item IN
        SELECT c.oid::regclass AS rel FROM pg_class AS c
        WHERE c.oid = '{{schema}}.audit_events'::regclass
           OR c.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = '{{schema}}.audit_events'::regclass)
    LOOP
        EXECUTE format('CREATE TRIGGER _retention_watch AFTER DELETE OR UPDATE OR TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION {{schema}}._retention_watch()', item.rel);
    END LOOP;
END
$triggers$;
