SELECT id, handle, display_name, bio, created_at
FROM users
WHERE id = @Id;
