SELECT id, occurred_at, action, resource_type, resource_id
FROM audit_events
WHERE actor_id = {{actor}}
ORDER BY occurred_at DESC
LIMIT 50
