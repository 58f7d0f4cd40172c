-- The Migrator before Evolve kept its own public.schema_migrations (version, name, checksum, applied_at, execution_ms).
-- Evolve's table has the same name and other columns, and cannot take over the old one: true when it is still there.
SELECT EXISTS (
    SELECT FROM information_schema.columns
    WHERE table_schema = 'public' AND table_name = 'schema_migrations' AND column_name = 'execution_ms'
);
