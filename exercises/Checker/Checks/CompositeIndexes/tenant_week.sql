SELECT id, status, priority, created_at, subject
FROM tickets
WHERE tenant_id = {{tenant}}
  AND created_at >= '{{week}}'
  AND created_at < timestamptz '{{week}}' + interval '7 days'
