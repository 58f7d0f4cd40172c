-- Every column of every table the snapshot would copy: ordinary and partitioned tables (not their partitions, which
-- follow their parent) in every schema but PostgreSQL's own and the job's state schema.
SELECT n.nspname                                AS table_schema,
       c.relname                                AS table_name,
       a.attname                                AS column_name,
       format_type(a.atttypid, a.atttypmod)     AS data_type,
       base.typname                             AS base_type,
       a.attnotnull                             AS not_null,
       a.attgenerated <> ''                     AS generated
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
-- A domain (CREATE DOMAIN email AS text) is masked like the type it is built on.
JOIN pg_catalog.pg_type base ON base.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
WHERE c.relkind IN ('r', 'p')
  AND NOT c.relispartition
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'snapshot_job')
  AND n.nspname NOT LIKE 'pg\_%'
ORDER BY n.nspname, c.relname, a.attnum;
