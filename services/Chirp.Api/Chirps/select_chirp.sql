SELECT id, author_id, body, created_at
FROM chirps
WHERE id = @Id;
