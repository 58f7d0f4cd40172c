-- People who chirp. Ids are UUIDv7, made by the API: time-ordered, so new rows append to the right edge of the
-- primary-key B-tree instead of splitting random pages, and the API knows the id before the row exists (for events).
CREATE TABLE users (
    id           uuid        PRIMARY KEY,
    handle       text        NOT NULL CHECK (handle ~ '^[A-Za-z0-9_]{3,30}$'),
    email        text        NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254),
    display_name text        NOT NULL CHECK (char_length(display_name) BETWEEN 1 AND 50),
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- "Ada" and "ada" are the same handle, and mail addresses are compared without case in practice: unique indexes on
-- lower(...) enforce that even under concurrent sign-ups (a check-then-insert in the API would race).
CREATE UNIQUE INDEX users_handle_key ON users (lower(handle));
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
