-- Step 3, switch: name becomes the column of record, required like display_name. SET NOT NULL alone would scan the
-- whole table under an ACCESS EXCLUSIVE lock; a CHECK constraint added NOT VALID is instant, and VALIDATE scans
-- under a lock that lets reads and writes through. PostgreSQL 12+ then sets NOT NULL without scanning again.
SET lock_timeout = '2s';

ALTER TABLE users ADD CONSTRAINT users_name_not_null CHECK (name IS NOT NULL) NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT users_name_not_null;
ALTER TABLE users ALTER COLUMN name SET NOT NULL;
ALTER TABLE users DROP CONSTRAINT users_name_not_null;
