-- Newest first: an index range scan on chirps_author_timeline_idx that stops after @Limit rows.
SELECT id, author_id, body, created_at
FROM chirps
WHERE author_id = @AuthorId
ORDER BY created_at DESC, id DESC
LIMIT @Limit;
