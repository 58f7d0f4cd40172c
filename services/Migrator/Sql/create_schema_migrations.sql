-- The Migrator's own bookkeeping: one row per applied file, with the checksum it had when it ran.
CREATE TABLE IF NOT EXISTS public.schema_migrations (
    version      int         PRIMARY KEY,
    name         text        NOT NULL,
    checksum     text        NOT NULL,
    applied_at   timestamptz NOT NULL DEFAULT now(),
    execution_ms int         NOT NULL
);
