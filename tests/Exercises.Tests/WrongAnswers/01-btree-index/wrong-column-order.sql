-- The columns in the wrong order: time first, so one actor's entries are spread over the whole index.
CREATE INDEX audit_events_time_actor_idx ON audit_events (occurred_at, actor_id);
