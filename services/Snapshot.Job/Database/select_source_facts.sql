-- What the manifest records about the source, and what the copy's work database is created with.
SELECT current_setting('server_version')                 AS server_version,
       current_setting('server_version_num')::int / 10000 AS server_major,
       pg_encoding_to_char(d.encoding)                    AS encoding,
       d.datcollate                                       AS collate,
       d.datctype                                         AS ctype,
       to_regclass('public.schema_migrations') IS NOT NULL AS has_schema_migrations
FROM pg_catalog.pg_database d
WHERE d.datname = current_database();
