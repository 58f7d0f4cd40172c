-- Served by the unique index api_keys_prefix_key.
SELECT id, user_id, key_hash, revoked_at
FROM api_keys
WHERE prefix = @Prefix;
