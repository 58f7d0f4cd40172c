-- Rows the loops never wrote must carry their original display_name as name: the backfill's work.
SELECT count(*) FILTER (WHERE u.id IS NULL) AS missing,
       count(*) FILTER (WHERE u.id IS NOT NULL AND u.name IS DISTINCT FROM s.display_name) AS wrong,
       min(s.id) FILTER (WHERE u.id IS NOT NULL AND u.name IS DISTINCT FROM s.display_name) AS first_wrong
FROM {{source}}.users AS s
LEFT JOIN users AS u ON u.id = s.id
WHERE NOT (s.id = ANY($1))
