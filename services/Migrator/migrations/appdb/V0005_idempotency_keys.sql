-- Idempotency-Key support for POST requests: the first response to a key is stored and replayed for a retry of the
-- same request, so a retried create creates nothing new.
CREATE TABLE idempotency_keys (
    -- Whose key: 'user:<id>' for an authenticated caller, 'anonymous' for sign-up. Two callers never share a key.
    scope           text        NOT NULL,
    -- SHA-256 of the Idempotency-Key header. The key itself is not stored: it also seals the response (below).
    key_hash        bytea       NOT NULL,
    -- SHA-256 of method, path and body: the same key with a different request is refused (422).
    request_hash    bytea       NOT NULL,
    -- Filled in by the same transaction that inserts the row, so a committed row always has both.
    response_status int,
    -- The response (status, Location, body) encrypted with AES-GCM under a key derived from the Idempotency-Key:
    -- a replay needs the caller's key, and this table never holds a readable API key from a POST /users response.
    response        bytea,
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    -- The primary key is the lock: a concurrent duplicate's INSERT waits for the first transaction, then conflicts.
    PRIMARY KEY (scope, key_hash)
);

-- The periodic purge deletes expired rows oldest first, without scanning the table.
CREATE INDEX idempotency_keys_expires_at_idx ON idempotency_keys (expires_at);
