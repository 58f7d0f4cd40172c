-- The work database's comment, or no row if it does not exist. The job only ever drops a database it marked.
SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_catalog.pg_database WHERE datname = $1;
