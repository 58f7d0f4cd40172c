-- A bounded batch, oldest first, through idempotency_keys_expires_at_idx.
DELETE FROM idempotency_keys
WHERE (scope, key_hash) IN (
    SELECT scope, key_hash FROM idempotency_keys
    WHERE expires_at <= now()
    ORDER BY expires_at
    LIMIT @BatchSize
);
