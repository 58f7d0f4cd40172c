-- Also right on a table of this size: SET NOT NULL scans the table under an exclusive lock, for a moment here
-- (on a table of a hundred million rows, for minutes: the NOT VALID and VALIDATE way avoids that).
ALTER TABLE users ALTER COLUMN name SET NOT NULL;
