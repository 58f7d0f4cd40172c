-- Renames the old table away and forgets to give the new one the name.
BEGIN;
LOCK TABLE audit_events IN EXCLUSIVE MODE;
ALTER TABLE audit_events RENAME TO audit_events_old;
COMMIT;
