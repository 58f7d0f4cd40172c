-- Session-level, so it spans the per-migration transactions; released by unlock.sql or when the session ends.
SELECT pg_try_advisory_lock($1);
