-- Also right: one run that loops over id ranges and commits after each (a DO block may COMMIT when it is not
-- inside a transaction block); ranges work whatever the gaps in the ids.
DO $$
DECLARE
    low bigint;
    high bigint;
    batch constant bigint := 20000;
BEGIN
    SELECT min(id), max(id) INTO low, high FROM users;
    WHILE low <= high LOOP
        UPDATE users SET name = display_name WHERE id >= low AND id < low + batch AND name IS NULL;
        COMMIT;
        low := low + batch;
    END LOOP;
END
$$;
