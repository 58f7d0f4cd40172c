SELECT count(*) AS events, count(DISTINCT actor_id) AS actors
FROM audit_events
WHERE occurred_at >= '{{month}}'
  AND occurred_at < timestamptz '{{month}}' + interval '1 month'
