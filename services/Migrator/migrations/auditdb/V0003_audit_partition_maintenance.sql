-- Creating a month's partition is DDL, which audit_writer may not run. Instead of giving the service a second,
-- privileged connection, this one SECURITY DEFINER function (owned by the migrating user) does exactly that and
-- nothing else; audit_writer may execute it. The privileged code is these few reviewed lines, not the service.
--
-- It also adopts strays: rows in audit_events_default that belong to the month. PostgreSQL refuses to create a
-- partition while the default partition holds rows of its range, so the function builds the month's table, moves
-- those rows into it (unchanged, so their hashes still verify) and attaches it, in one transaction. Writers into
-- the default partition wait on its lock meanwhile; one that had already routed a row there gets a partition
-- constraint error after the commit and retries into the new partition.
--
-- Returns the number of strays moved, or -1 when the partition existed already.
CREATE FUNCTION audit_ensure_month_partition(month date)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET timezone = 'UTC'
AS $$
DECLARE
    month_start timestamptz := date_trunc('month', month::timestamp) AT TIME ZONE 'UTC';
    month_end   timestamptz := (date_trunc('month', month::timestamp) + interval '1 month') AT TIME ZONE 'UTC';
    partition   text := 'audit_events_' || to_char(month, '"y"YYYY"m"MM');
    qualified   text := format('public.%I', partition);
    moved       bigint;
BEGIN
    IF to_regclass(qualified) IS NOT NULL THEN
        RETURN -1;
    END IF;

    LOCK TABLE public.audit_events_default IN SHARE ROW EXCLUSIVE MODE;
    -- Another instance may have created it while this one waited for the lock.
    IF to_regclass(qualified) IS NOT NULL THEN
        RETURN -1;
    END IF;

    EXECUTE format('CREATE TABLE %s (LIKE public.audit_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', qualified);
    -- The same bounds as a CHECK constraint let ATTACH skip scanning the new table.
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I CHECK (occurred_at >= %L AND occurred_at < %L)',
                   qualified, partition || '_bounds', month_start, month_end);
    EXECUTE format('WITH strays AS (DELETE FROM public.audit_events_default WHERE occurred_at >= $1 AND occurred_at < $2 RETURNING *) '
                   'INSERT INTO %s SELECT * FROM strays', qualified)
        USING month_start, month_end;
    GET DIAGNOSTICS moved = ROW_COUNT;
    EXECUTE format('ALTER TABLE public.audit_events ATTACH PARTITION %s FOR VALUES FROM (%L) TO (%L)',
                   qualified, month_start, month_end);
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', qualified, partition || '_bounds');
    RETURN moved;
END
$$;

REVOKE ALL ON FUNCTION audit_ensure_month_partition(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_ensure_month_partition(date) TO audit_writer;

-- This month and the next three exist as soon as the schema does; Audit.Service keeps the window moving.
SELECT audit_ensure_month_partition((date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => ahead))::date)
FROM generate_series(0, 3) AS ahead;
