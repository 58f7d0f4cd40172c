-- Which table references which: a table whose rows are not copied must not be referenced by one whose rows are.
SELECT DISTINCT
       child_ns.nspname  AS referencing_schema,
       child.relname     AS referencing_table,
       parent_ns.nspname AS referenced_schema,
       parent.relname    AS referenced_table
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class child ON child.oid = con.conrelid
JOIN pg_catalog.pg_namespace child_ns ON child_ns.oid = child.relnamespace
JOIN pg_catalog.pg_class parent ON parent.oid = con.confrelid
JOIN pg_catalog.pg_namespace parent_ns ON parent_ns.oid = parent.relnamespace
WHERE con.contype = 'f';
