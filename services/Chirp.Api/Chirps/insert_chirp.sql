INSERT INTO chirps (id, author_id, body)
VALUES (@Id, @AuthorId, @Body)
RETURNING id, author_id, body, created_at;
