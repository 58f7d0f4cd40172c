SELECT id, tenant_id, priority, created_at
FROM tickets
WHERE status = 'open'
ORDER BY created_at
LIMIT 20
