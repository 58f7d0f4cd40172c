-- Computes the old months' names from the dates and drops whichever exist.
-- 1. The old months by name, computed: ten years back to the cutoff, dropped if they are there.
DO $$
DECLARE
    month timestamptz;
BEGIN
    FOR month IN
        SELECT generate_series(date_trunc('month', now()) - interval '10 years', date_trunc('month', now()) - interval '13 months', interval '1 month')
    LOOP
        EXECUTE format('DROP TABLE IF EXISTS %I', 'audit_events_' || to_char(month, 'YYYY_MM'));
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
