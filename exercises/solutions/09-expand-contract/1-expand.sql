-- Step 1, expand: add the new column beside the old one, and keep the two in sync whichever version writes.
-- Both statements are catalog changes: an instant ACCESS EXCLUSIVE lock, no table rewrite. If a long transaction
-- held the table, the ALTER would wait and every query would queue behind it: give up quickly instead, and retry.
SET lock_timeout = '2s';

ALTER TABLE users ADD COLUMN name text;

-- N writes display_name, N+1 writes name: whichever changed, copy it to the other. On INSERT, fill the missing one.
CREATE FUNCTION users_sync_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.name := coalesce(NEW.name, NEW.display_name);
        NEW.display_name := coalesce(NEW.display_name, NEW.name);
    ELSIF NEW.name IS DISTINCT FROM OLD.name THEN
        NEW.display_name := NEW.name;
    ELSIF NEW.display_name IS DISTINCT FROM OLD.display_name THEN
        NEW.name := NEW.display_name;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER users_sync_name BEFORE INSERT OR UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION users_sync_name();
