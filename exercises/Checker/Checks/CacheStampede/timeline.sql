-- A user's timeline: their 20 newest chirps, as the JSON the service caches.
SELECT json_build_object(
    'timeline', 'user-' || $1,
    'chirps', coalesce((
        SELECT json_agg(json_build_object('id', c.id, 'text', c.text, 'at', c.posted_at) ORDER BY c.id DESC)
        FROM (SELECT id, text, posted_at FROM chirps WHERE user_id = $1 ORDER BY id DESC LIMIT 20) AS c), '[]'::json))::text
