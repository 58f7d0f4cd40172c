SELECT version, name, checksum, applied_at, execution_ms
FROM public.schema_migrations
ORDER BY version;
