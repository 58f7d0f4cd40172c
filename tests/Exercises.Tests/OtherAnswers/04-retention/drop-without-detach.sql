-- DROP TABLE on each old partition, without a separate DETACH.
-- The nightly retention job: drop whole months instead of deleting rows, and prepare the coming months.
-- Safe to run again: it only drops what is there and creates what is missing.

-- 1. Months older than the current one and the 12 before it: detach, then drop. A partition holds one
--    month, so this costs the same for ten rows or ten million, writes almost no WAL and frees the disk.
DO $$
DECLARE
    part record;
BEGIN
    FOR part IN
        SELECT c.relname
        FROM pg_inherits AS i
        JOIN pg_class AS c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'audit_events'::regclass
          AND c.relname ~ '^audit_events_\d{4}_\d{2}$'
          AND to_date(right(c.relname, 7), 'YYYY_MM') < date_trunc('month', now()) - interval '12 months'
        ORDER BY c.relname
    LOOP
        -- A partition can be dropped directly: PostgreSQL detaches it on the way.
        EXECUTE format('DROP TABLE %I', part.relname);
    END LOOP;
END
$$;

-- 2. The next three months, ahead of time, so the first event of a month has its partition waiting.
DO $$
DECLARE
    month timestamptz;
BEGIN
    FOR month IN
        SELECT generate_series(date_trunc('month', now()) + interval '1 month', date_trunc('month', now()) + interval '3 months', interval '1 month')
    LOOP
        EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF audit_events FOR VALUES FROM (%L) TO (%L)',
                       'audit_events_' || to_char(month, 'YYYY_MM'), month, month + interval '1 month');
    END LOOP;
END
$$;

-- 3. A safety net: a row whose month has no partition lands here instead of failing the insert.
--    Watch it stay empty; a row here must be moved before its month's partition can be created.
CREATE TABLE IF NOT EXISTS audit_events_default PARTITION OF audit_events DEFAULT;
