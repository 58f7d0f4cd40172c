-- Deletes only the caller's own chirp; no row back means "not found" or "not yours", which the handler tells apart.
DELETE FROM chirps
WHERE id = @Id AND author_id = @AuthorId
RETURNING now() AS deleted_at;
