-- Exercise 10's private database, recreated before every verify: the service's migrations table, one migration
-- short of what the service's build needs, and the table that migration creates.
DROP SCHEMA IF EXISTS lab10 CASCADE;
CREATE SCHEMA lab10;

CREATE TABLE lab10.schema_migrations (
    version     integer     PRIMARY KEY,
    description text        NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
);

INSERT INTO lab10.schema_migrations (version, description)
SELECT v, 'migration ' || v FROM generate_series(1, {{required}} - 1) AS v;

CREATE TABLE lab10.orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, placed_at timestamptz NOT NULL DEFAULT now());
