INSERT INTO api_keys (id, user_id, prefix, key_hash)
VALUES (@Id, @UserId, @Prefix, @KeyHash)
RETURNING id, user_id, prefix, created_at, revoked_at;
