SELECT last_seq, last_hash FROM audit_stream_heads WHERE actor_id = $1;
