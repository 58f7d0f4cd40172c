-- Wrong: batches of 5,000, but always the same 5,000 (nothing says which rows still need it).
UPDATE users SET name = display_name
WHERE id IN (SELECT id FROM users ORDER BY id LIMIT 5000);
