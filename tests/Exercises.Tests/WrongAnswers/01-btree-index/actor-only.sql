-- Indexes the filter column only: finds the actor's rows, but they still need a Sort.
CREATE INDEX audit_events_actor_idx ON audit_events (actor_id);
