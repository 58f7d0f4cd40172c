-- Sent inside the storing transaction, so listeners hear of the events only once they are committed.
SELECT pg_notify($1, $2);
