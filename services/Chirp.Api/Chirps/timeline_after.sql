-- Keyset pagination: the rows after the cursor (created_at, id) in the index's order, found by one index descent
-- however deep the page is. The row comparison matches the index's column order and direction exactly.
SELECT id, author_id, body, created_at
FROM chirps
WHERE author_id = @AuthorId
  AND (created_at, id) < (@CreatedAt, @Id)
ORDER BY created_at DESC, id DESC
LIMIT @Limit;
