-- The newest migration the Migrator applied to the source, if it keeps a schema_migrations table (Evolve's): type 0
-- is a versioned migration, success false a file that failed and was rolled back. The file "V0006_users_bio.sql" is
-- the migration "0006_users_bio", as the services name it.
SELECT regexp_replace(name, '^V(.*)\.sql$', '\1')
FROM public.schema_migrations
WHERE type = 0 AND success
ORDER BY string_to_array(version, '.')::bigint[] DESC
LIMIT 1;
