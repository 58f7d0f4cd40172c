-- Wrong: the backfill is done, so name is complete: drop the old column already (N still serves, and may come back).
SET lock_timeout = '2s';

ALTER TABLE users ALTER COLUMN name SET NOT NULL;
DROP TRIGGER users_sync_name ON users;
DROP FUNCTION users_sync_name();
ALTER TABLE users DROP COLUMN display_name;
