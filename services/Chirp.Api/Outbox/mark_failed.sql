UPDATE outbox
SET attempts = attempts + 1, last_error = @Error
WHERE id = ANY(@Ids);
