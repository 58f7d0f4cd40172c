-- Hides the old months behind a view named audit_events instead of removing them.
DO $$
BEGIN
    IF to_regclass('audit_events_all') IS NULL THEN
        ALTER TABLE audit_events RENAME TO audit_events_all;
        CREATE VIEW audit_events AS SELECT * FROM audit_events_all WHERE occurred_at >= date_trunc('month', now()) - interval '12 months';
    END IF;
END
$$;
