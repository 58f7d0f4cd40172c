-- Real emails anywhere in the work copy: every row of every table read as text (as a dump would hold it), every
-- address-like token in it compared with the source's emails. The checker fills in one SELECT per column, UNION ALL.
WITH rows AS (
{{rows}}
),
found AS (
    SELECT r.table_name, lower(m[1]) AS email
    FROM rows AS r, LATERAL regexp_matches(r.row_text, '([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]+)', 'g') AS m
)
SELECT f.table_name, count(*) AS leaks, min(f.email) AS example
FROM found AS f
WHERE EXISTS (SELECT 1 FROM pg_temp.expected AS e WHERE lower(e.source) = f.email)
GROUP BY f.table_name
ORDER BY f.table_name
