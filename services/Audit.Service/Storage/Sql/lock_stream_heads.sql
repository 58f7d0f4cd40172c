-- Locks the heads in one order (by actor id) so two writers never wait for each other in a circle; a second
-- writer of the same actor waits here until the first commits, then continues from the new head.
SELECT actor_id, last_seq, last_hash
FROM audit_stream_heads
WHERE actor_id = ANY($1)
ORDER BY actor_id
FOR UPDATE;
