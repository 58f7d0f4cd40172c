-- The transactional outbox: every write inserts its domain event here in the same transaction as the change, so an
-- event exists if and only if the change committed. The relay publishes unsent rows to Kafka and marks them sent.
CREATE TABLE outbox (
    -- The SQL-standard form of bigserial; the relay publishes in this order.
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The event's own id (also inside the payload): consumers deduplicate on it, since delivery is at least once.
    event_id   uuid        NOT NULL UNIQUE,
    topic      text        NOT NULL,
    -- The Kafka message key: the acting user's id, so one user's events land on one partition, in order.
    key        text        NOT NULL,
    type       text        NOT NULL,
    -- The message value (the event envelope of docs/events.md).
    payload    jsonb       NOT NULL,
    -- Kafka headers: traceparent/tracestate of the span that wrote the row (so the trace continues through Kafka),
    -- event-type and content-type.
    headers    jsonb       NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at    timestamptz,
    attempts   int         NOT NULL DEFAULT 0,
    last_error text
);

-- The relay's only question is "the oldest unsent rows". A partial index holds just those, so it stays a few pages
-- however large the table grows, and the relay's ORDER BY id LIMIT n reads it in order without a sort.
-- Sent rows stay for inspection; at sandbox scale nothing needs to delete them.
CREATE INDEX outbox_unsent_idx ON outbox (id) WHERE sent_at IS NULL;
