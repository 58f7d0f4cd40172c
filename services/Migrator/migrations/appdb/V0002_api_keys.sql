-- API keys authorize writes. A key is shown once; only its SHA-256 is stored, so a copy of this table (a backup,
-- a snapshot for testers) cannot be used to call the API.
--
-- Why a fast hash and not bcrypt/argon2: those are slow on purpose to protect low-entropy human passwords from
-- guessing. A key here is 32 random bytes (256 bits); no amount of hashing speed makes guessing it feasible, and a
-- slow hash would add tens of milliseconds to every request. The API compares hashes in constant time.
CREATE TABLE api_keys (
    id         uuid        PRIMARY KEY,
    user_id    uuid        NOT NULL REFERENCES users (id),
    -- The key's public first part ("chirp_" + 16 hex digits): finds the row to compare against, and lets a user
    -- tell keys apart in logs and lists without revealing the secret part.
    prefix     text        NOT NULL,
    key_hash   bytea       NOT NULL CHECK (octet_length(key_hash) = 32),
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);

-- Every authenticated request looks its key up by prefix.
CREATE UNIQUE INDEX api_keys_prefix_key ON api_keys (prefix);

-- PostgreSQL does not index the referencing side of a foreign key; without this, listing a user's keys or deleting a
-- user would scan the whole table.
CREATE INDEX api_keys_user_id_idx ON api_keys (user_id);
