-- Wrong: the whole table in one statement. Every row it reaches stays locked until it commits.
UPDATE users SET name = display_name WHERE name IS NULL;
