-- What a correct step leaves behind: every email masked exactly once. Computed by the checker, whose connection has
-- no crash points, from the untouched source, under the run's key; kept for the verify in a temporary table.
DROP TABLE IF EXISTS pg_temp.expected;
CREATE TEMP TABLE expected AS
SELECT 'customers'::text AS table_name, id, email AS source, {{schema}}.pseudonymize_email(email) AS masked FROM {{source}}.customers
UNION ALL
SELECT 'orders'::text, id, email, {{schema}}.pseudonymize_email(email) FROM {{source}}.orders;
ALTER TABLE pg_temp.expected ADD PRIMARY KEY (table_name, id);
ANALYZE pg_temp.expected;
