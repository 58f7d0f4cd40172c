UPDATE idempotency_keys
SET response_status = @Status, response = @Response
WHERE scope = @Scope AND key_hash = @KeyHash;
