-- Exercise 08's timeline service, rebuilt before every verify: 2,000 users and their chirps.
DROP SCHEMA IF EXISTS lab08 CASCADE;
CREATE SCHEMA lab08;

CREATE TABLE lab08.chirps (
    id        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id   bigint      NOT NULL,
    text      text        NOT NULL,
    posted_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO lab08.chirps (user_id, text, posted_at)
SELECT u, format('chirp %s of user %s', n, u), timestamptz '2025-01-01 00:00:00+00' + (u * interval '1 minute') + (n * interval '1 hour')
FROM generate_series(1, 2000) AS u, generate_series(1, 5 + u % 11) AS n
ORDER BY 3;

CREATE INDEX chirps_user_timeline_idx ON lab08.chirps (user_id, id DESC);
ANALYZE lab08.chirps;
