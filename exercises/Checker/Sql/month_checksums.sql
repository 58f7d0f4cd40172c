-- Per month (UTC): how many events, and an order-independent checksum of every column of every row.
SELECT to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month,
       count(*) AS events,
       sum(hashtextextended(concat_ws('|', id, extract(epoch FROM occurred_at), actor_id, action, resource_type, resource_id, payload::text), 0)::numeric) AS checksum
FROM {{table}}
WHERE {{where}}
GROUP BY 1
ORDER BY 1
