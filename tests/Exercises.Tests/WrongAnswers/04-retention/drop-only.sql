-- Drops the old months correctly, but prepares nothing: no partitions ahead, no DEFAULT partition.
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
        EXECUTE format('ALTER TABLE audit_events DETACH PARTITION %I', part.relname);
        EXECUTE format('DROP TABLE %I', part.relname);
    END LOOP;
END
$$;

