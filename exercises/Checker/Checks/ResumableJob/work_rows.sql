-- The work copy's emails as the step left them, both tables in one list.
SELECT 'customers'::text AS table_name, id, email FROM {{schema}}.customers
UNION ALL
SELECT 'orders'::text, id, email FROM {{schema}}.orders
