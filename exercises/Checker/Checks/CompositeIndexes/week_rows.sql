SELECT count(*)
FROM tickets
WHERE created_at >= '{{week}}'
  AND created_at < timestamptz '{{week}}' + interval '7 days'
