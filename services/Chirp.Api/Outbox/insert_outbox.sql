INSERT INTO outbox (event_id, topic, key, type, payload, headers)
VALUES (@EventId, @Topic, @Key, @Type, @Payload::jsonb, @Headers::jsonb);
