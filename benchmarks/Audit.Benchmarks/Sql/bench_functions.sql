-- Deterministic ids for generated data, the same in pgbench scripts and in the harness's C#:
-- bench_uuid(kind, n) = 'kkkkkkkk-0000-4000-8000-nnnnnnnnnnnn' (hex). IMMUTABLE, so a call with constants is folded
-- while planning, and pgbench's statement is planned like the service's (which sends the uuid as a value).
CREATE OR REPLACE FUNCTION bench_uuid(kind integer, n bigint) RETURNS uuid
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT (lpad(to_hex(kind), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid $$;
