-- N is gone: the table takes its name back, without the view.
SET lock_timeout = '2s';

BEGIN;
DROP VIEW users;
ALTER TABLE users_renamed RENAME TO users;
COMMIT;
