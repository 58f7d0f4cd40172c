UPDATE outbox
SET sent_at = now(), attempts = attempts + 1, last_error = NULL
WHERE id = ANY(@Ids);
