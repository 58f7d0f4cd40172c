SELECT priority, count(*)
FROM tickets
WHERE tenant_id = {{tenant}}
  AND created_at >= '{{quarter}}'
  AND created_at < timestamptz '{{quarter}}' + interval '3 months'
GROUP BY priority
