-- Starts over with a table of its own: the generated events are gone.
DROP TABLE audit_events;
CREATE TABLE audit_events (id bigint PRIMARY KEY, occurred_at timestamptz NOT NULL, actor_id integer NOT NULL, action text NOT NULL,
                           resource_type text NOT NULL, resource_id bigint NOT NULL, payload jsonb NOT NULL);
CREATE INDEX audit_events_actor_recent_idx ON audit_events (actor_id, occurred_at DESC);
