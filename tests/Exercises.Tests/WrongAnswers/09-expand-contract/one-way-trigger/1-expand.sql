-- Wrong: the trigger copies N's writes into name, and fills whichever column an INSERT leaves out, but an UPDATE of
-- name (N+1's) never reaches display_name.
SET lock_timeout = '2s';

ALTER TABLE users ADD COLUMN name text;

CREATE FUNCTION users_sync_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.name := coalesce(NEW.name, NEW.display_name);
        NEW.display_name := coalesce(NEW.display_name, NEW.name);
    ELSIF NEW.display_name IS DISTINCT FROM OLD.display_name THEN
        NEW.name := NEW.display_name;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER users_sync_name BEFORE INSERT OR UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION users_sync_name();
