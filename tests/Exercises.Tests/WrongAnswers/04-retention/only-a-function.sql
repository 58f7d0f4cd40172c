-- Defines the retention function, but never calls it.
CREATE OR REPLACE FUNCTION apply_retention() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RAISE NOTICE 'not yet';
END
$$;
