-- Rows whose email the extra run changed, or removed.
WITH work AS (
{{work_rows}}
)
SELECT count(*)
FROM pg_temp.finished AS f
LEFT JOIN work AS w ON w.table_name = f.table_name AND w.id = f.id
WHERE w.email IS DISTINCT FROM f.email
