INSERT INTO users (id, handle, email, display_name, bio)
VALUES (@Id, @Handle, @Email, @DisplayName, @Bio)
RETURNING id, handle, display_name, bio, created_at;
