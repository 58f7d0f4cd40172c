-- A function that would do the migration, defined but never called.
CREATE FUNCTION partition_audit_events() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RAISE NOTICE 'not yet';
END
$$;
