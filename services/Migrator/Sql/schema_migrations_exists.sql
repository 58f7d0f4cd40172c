SELECT to_regclass('public.schema_migrations') IS NOT NULL;
