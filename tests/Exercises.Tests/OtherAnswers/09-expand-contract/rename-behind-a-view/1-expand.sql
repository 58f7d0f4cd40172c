-- Also right: rename the column for real, and put a view named users in front of the table that shows it under
-- both names. A view of plain columns is updatable, so N (display_name) and N+1 (name) both read and write the one
-- column through it: nothing to copy, nothing to keep in sync. Catalog changes only, in one transaction.
SET lock_timeout = '2s';

BEGIN;
ALTER TABLE users RENAME TO users_renamed;
ALTER TABLE users_renamed RENAME COLUMN display_name TO name;
CREATE VIEW users AS SELECT id, name, name AS display_name, email, created_at FROM users_renamed;
COMMIT;
