-- Step 4, contract: N is gone and cannot come back, so what only N needed goes: the trigger, then the old column.
-- In one transaction: between dropping the trigger and dropping the column, N+1's signups (name only) would break
-- on display_name's NOT NULL. Dropping a column is a catalog change (the data stays on disk until rows are rewritten).
SET lock_timeout = '2s';

BEGIN;
DROP TRIGGER users_sync_name ON users;
DROP FUNCTION users_sync_name();
ALTER TABLE users DROP COLUMN display_name;
COMMIT;
