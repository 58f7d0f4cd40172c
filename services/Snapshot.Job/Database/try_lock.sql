-- Session-level: held until unlocked or until the session ends, whichever comes first, so a killed run never leaves
-- it behind.
SELECT pg_try_advisory_lock($1);
