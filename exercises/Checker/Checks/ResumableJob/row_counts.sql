-- Per table: how many rows carry their email masked once (right), unmasked, changed to anything else (masked more
-- than once, or not by pseudonymize_email), or are gone; and rows that were not in the source.
WITH work AS (
{{work_rows}}
)
SELECT e.table_name,
       count(*) FILTER (WHERE w.email = e.masked) AS masked_once,
       count(*) FILTER (WHERE w.email = e.source) AS unmasked,
       count(*) FILTER (WHERE w.id IS NOT NULL AND w.email IS DISTINCT FROM e.masked AND w.email IS DISTINCT FROM e.source) AS changed_otherwise,
       count(*) FILTER (WHERE w.id IS NULL) AS missing,
       (SELECT count(*) FROM work AS x WHERE x.table_name = e.table_name
          AND NOT EXISTS (SELECT 1 FROM pg_temp.expected AS y WHERE y.table_name = x.table_name AND y.id = x.id)) AS added
FROM pg_temp.expected AS e
LEFT JOIN work AS w ON w.table_name = e.table_name AND w.id = e.id
GROUP BY e.table_name
ORDER BY e.table_name
