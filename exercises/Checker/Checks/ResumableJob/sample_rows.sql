-- A few rows of one kind (masked_once, unmasked, changed_otherwise), for the verdict's evidence.
WITH work AS (
{{work_rows}}
)
SELECT e.table_name, e.id, e.source, e.masked, w.email
FROM pg_temp.expected AS e
JOIN work AS w ON w.table_name = e.table_name AND w.id = e.id
WHERE {{condition}}
ORDER BY e.table_name, e.id
LIMIT {{limit}}
