-- A hash index finds equal keys but keeps no order.
CREATE INDEX audit_events_actor_hash_idx ON audit_events USING hash (actor_id);
