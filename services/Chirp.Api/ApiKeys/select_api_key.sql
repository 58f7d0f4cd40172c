SELECT id, user_id, prefix, created_at, revoked_at
FROM api_keys
WHERE id = @KeyId AND user_id = @UserId;
