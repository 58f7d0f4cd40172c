-- Only an active key of this user changes; an already revoked one keeps its original revoked_at.
UPDATE api_keys
SET revoked_at = now()
WHERE id = @KeyId AND user_id = @UserId AND revoked_at IS NULL
RETURNING id, user_id, prefix, created_at, revoked_at;
