-- A new actor's stream starts at sequence 0 with the genesis hash (the column defaults).
INSERT INTO audit_stream_heads (actor_id)
SELECT actor_id FROM unnest($1::uuid[]) AS actor_id ORDER BY actor_id
ON CONFLICT (actor_id) DO NOTHING;
