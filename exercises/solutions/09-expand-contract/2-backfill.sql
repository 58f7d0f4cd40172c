-- Step 2, backfill: one batch of rows whose name is still empty. Each batch commits on its own, so it holds its
-- row locks for a moment; the runner repeats the file until a run changes no row.
UPDATE users SET name = display_name
WHERE id IN (SELECT id FROM users WHERE name IS NULL ORDER BY id LIMIT 5000);
