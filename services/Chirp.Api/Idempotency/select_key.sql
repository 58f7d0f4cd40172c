SELECT request_hash, response_status, response
FROM idempotency_keys
WHERE scope = @Scope AND key_hash = @KeyHash;
