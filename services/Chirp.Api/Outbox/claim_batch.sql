-- Claims the oldest unsent rows for this relay. FOR UPDATE locks them until the transaction ends; SKIP LOCKED makes
-- another relay instance take the next rows instead of waiting, so no row is published by two relays at once.
SELECT id, event_id, topic, key, type, payload::text AS payload, headers::text AS headers
FROM outbox
WHERE sent_at IS NULL
ORDER BY id
LIMIT @BatchSize
FOR UPDATE SKIP LOCKED;
