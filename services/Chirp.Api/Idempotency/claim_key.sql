-- Claims the key for this request: a new row, or an expired one taken over. Returns no row when a live row exists;
-- if that row's transaction is still running, this statement first waits for it (the primary key is the lock), so
-- a concurrent duplicate sees the first request's committed response instead of racing it.
INSERT INTO idempotency_keys (scope, key_hash, request_hash, expires_at)
VALUES (@Scope, @KeyHash, @RequestHash, now() + @TimeToLive)
ON CONFLICT (scope, key_hash) DO UPDATE
    SET request_hash = EXCLUDED.request_hash,
        response_status = NULL,
        response = NULL,
        created_at = now(),
        expires_at = EXCLUDED.expires_at
    WHERE idempotency_keys.expires_at <= now()
RETURNING true;
