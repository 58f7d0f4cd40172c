-- The newest migration the Migrator applied to the source, if it keeps a schema_migrations table.
SELECT name FROM public.schema_migrations ORDER BY version DESC LIMIT 1;
