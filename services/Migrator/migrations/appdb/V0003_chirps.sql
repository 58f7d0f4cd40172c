-- Chirps: at most 140 characters, counted as Unicode code points, which is what char_length counts, so this CHECK
-- and the API's validation agree exactly. A deleted chirp is removed from this table (hard delete): appdb holds the
-- current state, and the audit log (auditdb) keeps the history through the chirp.deleted event.
CREATE TABLE chirps (
    id         uuid        PRIMARY KEY,
    author_id  uuid        NOT NULL REFERENCES users (id),
    body       text        NOT NULL CHECK (char_length(body) BETWEEN 1 AND 140),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Timelines: "an author's chirps, newest first, after the cursor (created_at, id)". The index has exactly that
-- order, so a page is one index range scan that stops after `limit` rows, as fast on page 1,000 as on page 1
-- (OFFSET would read and discard every earlier row). id breaks ties between chirps of the same instant.
-- It also serves the author_id foreign key.
CREATE INDEX chirps_author_timeline_idx ON chirps (author_id, created_at DESC, id DESC);
