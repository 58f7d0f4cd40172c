-- The masks a rules file names, as functions in the job's own schema (snapshot_job is left out of the snapshot).
-- Step 2 and step 3 create them before they mask anything; CREATE OR REPLACE makes that safe to repeat.
--
-- Deterministic masks are keyed with the run's key: HMAC-SHA256 of the value under a random key made for each run and
-- kept in snapshot_job.run. So within a run the same email always becomes the same pseudonym (joins and unique indexes
-- hold, and a resumed run continues with the same mapping), while two runs map differently, and without the key nobody
-- can test a guessed email against a pseudonym. inner_pad and outer_pad are the key XOR 0x36 and 0x5c (RFC 2104),
-- passed in by the job: core PostgreSQL has sha256() but no hmac() (that is in the pgcrypto extension).

CREATE OR REPLACE FUNCTION snapshot_job.hmac(inner_pad bytea, outer_pad bytea, message text) RETURNS bytea
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT sha256(outer_pad || sha256(inner_pad || convert_to(message, 'UTF8'))) $$;

-- The purpose keeps masks apart: an email and a handle with the same text get unrelated digests.
CREATE OR REPLACE FUNCTION snapshot_job.hex_digest(inner_pad bytea, outer_pad bytea, purpose text, value text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT encode(snapshot_job.hmac(inner_pad, outer_pad, purpose || ':' || value), 'hex') $$;

-- pseudonymize-email: case and surrounding spaces do not count, as in a unique index on lower(email).
-- .invalid is reserved (RFC 6761): no mail to a pseudonym can ever reach anyone.
CREATE OR REPLACE FUNCTION snapshot_job.pseudonymize_email(value text, inner_pad bytea, outer_pad bytea) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT 'user_' || left(snapshot_job.hex_digest(inner_pad, outer_pad, 'email', lower(btrim(value))), 20) || '@snapshot.invalid' $$;

-- pseudonym: prefix + hex digits, case-insensitive like the emails (handles are unique on lower(handle)).
CREATE OR REPLACE FUNCTION snapshot_job.pseudonym(value text, inner_pad bytea, outer_pad bytea, prefix text, digits int) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT prefix || left(snapshot_job.hex_digest(inner_pad, outer_pad, 'pseudonym', lower(btrim(value))), digits) $$;

-- fake-name: two words picked by the digest; 1,024 combinations, so names repeat, as real names do.
CREATE OR REPLACE FUNCTION snapshot_job.fake_name(value text, inner_pad bytea, outer_pad bytea) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
        SELECT (ARRAY['Amber', 'Brisk', 'Calm', 'Dapper', 'Eager', 'Fuzzy', 'Gentle', 'Happy',
                      'Icy', 'Jolly', 'Keen', 'Lucky', 'Mellow', 'Nimble', 'Odd', 'Plucky',
                      'Quiet', 'Rusty', 'Sunny', 'Tidy', 'Upbeat', 'Vivid', 'Witty', 'Young',
                      'Zesty', 'Bold', 'Cosy', 'Dusty', 'Frosty', 'Golden', 'Hasty', 'Lively'])[1 + get_byte(digest, 0) % 32]
               || ' ' ||
               (ARRAY['Otter', 'Falcon', 'Badger', 'Heron', 'Lynx', 'Marmot', 'Newt', 'Puffin',
                      'Quokka', 'Raven', 'Stoat', 'Tapir', 'Urchin', 'Vole', 'Walrus', 'Yak',
                      'Zebra', 'Beaver', 'Crane', 'Dingo', 'Egret', 'Ferret', 'Gecko', 'Hare',
                      'Ibis', 'Jackal', 'Koala', 'Lemur', 'Moose', 'Narwhal', 'Ocelot', 'Panda'])[1 + get_byte(digest, 1) % 32]
        FROM (SELECT snapshot_job.hmac(inner_pad, outer_pad, 'name:' || lower(btrim(value))) AS digest) AS hashed
    $$;

-- replace-text: filler of the same length, so sizes and length checks stay realistic; no key needed, nothing of the
-- original is left.
CREATE OR REPLACE FUNCTION snapshot_job.replace_text(value text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT left(repeat('lorem ipsum dolor sit amet ', char_length(value) / 27 + 1), char_length(value)) $$;

-- pseudonymize-ip: an address in the private range 10.0.0.0/8, the same for the same address.
CREATE OR REPLACE FUNCTION snapshot_job.pseudonymize_ip(value text, inner_pad bytea, outer_pad bytea) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
        SELECT '10.' || get_byte(digest, 0) || '.' || get_byte(digest, 1) || '.' || get_byte(digest, 2)
        FROM (SELECT snapshot_job.hmac(inner_pad, outer_pad, 'ip:' || lower(btrim(value))) AS digest) AS hashed
    $$;

-- random-bytes: as many bytes as the original (a SHA-256 stays 32 bytes), from HMAC blocks of the original. The key
-- is random and dropped with the work database, so the result is as unpredictable as fresh random bytes and carries
-- nothing of the original; being a function of it, distinct values stay distinct and a resumed run writes the same.
CREATE OR REPLACE FUNCTION snapshot_job.random_bytes(value bytea, inner_pad bytea, outer_pad bytea) RETURNS bytea
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
        SELECT substring(coalesce(string_agg(snapshot_job.hmac(inner_pad, outer_pad, 'bytes:' || block || ':' || encode(value, 'hex')), ''::bytea ORDER BY block), ''::bytea)
                         FROM 1 FOR octet_length(value))
        FROM generate_series(1, (octet_length(value) + 31) / 32) AS block
    $$;

-- random-token: prefix + hex digits (an API key's public prefix, a reset token), case-sensitive like the original.
CREATE OR REPLACE FUNCTION snapshot_job.random_token(value text, inner_pad bytea, outer_pad bytea, prefix text, digits int) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT prefix || left(snapshot_job.hex_digest(inner_pad, outer_pad, 'token', value), digits) $$;
