-- Exercise 07's work copy, rebuilt from the generated source before every verify: what the learner's step masks.
-- {{schema}} is the temporary database of the story; {{source}} stays untouched.
DROP SCHEMA IF EXISTS {{schema}} CASCADE;
CREATE SCHEMA {{schema}};
CREATE TABLE {{schema}}.customers (LIKE {{source}}.customers INCLUDING ALL);
CREATE TABLE {{schema}}.orders (LIKE {{source}}.orders INCLUDING ALL);
INSERT INTO {{schema}}.customers SELECT * FROM {{source}}.customers;
INSERT INTO {{schema}}.orders SELECT * FROM {{source}}.orders;
ALTER TABLE {{schema}}.orders ADD FOREIGN KEY (customer_id) REFERENCES {{schema}}.customers;
ANALYZE {{schema}}.customers;
ANALYZE {{schema}}.orders;

-- Free for the learner's step to use: how far each table's masking got.
CREATE TABLE {{schema}}.masking_progress (
    table_name text        PRIMARY KEY,
    last_id    bigint      NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- The run's key, made when the run starts (by the checker) and kept with the run, so that a resumed run masks with
-- the same key. inner_pad and outer_pad are the key XOR 0x36 and 0x5c (RFC 2104): core PostgreSQL has no hmac().
CREATE TABLE {{schema}}.run_key (
    inner_pad bytea NOT NULL,
    outer_pad bytea NOT NULL
);

-- Counts the emails masked in a run: the checker's crash points are "at the Nth email".
CREATE SEQUENCE {{schema}}.masking_calls;

-- The mask: user_<HMAC-SHA256 of the email under the run's key>@snapshot.invalid, as Snapshot.Job does. The same
-- email always gives the same pseudonym within a run, so joins on email hold; masking a pseudonym again gives
-- another one. The two settings are the checker's crash points, set only on the connections of the step it runs:
-- lab07.sleep_at hangs the Nth call until the checker kills the step; lab07.arm_at tells the step's process to die
-- as soon as the transaction holding the Nth call has committed.
CREATE FUNCTION {{schema}}.pseudonymize_email(value text) RETURNS text
    LANGUAGE plpgsql VOLATILE STRICT
    AS $$
DECLARE
    call bigint := nextval('{{schema}}.masking_calls');
    key record;
BEGIN
    IF call = nullif(current_setting('lab07.sleep_at', true), '')::bigint THEN
        PERFORM pg_sleep(300);
    END IF;
    IF call = nullif(current_setting('lab07.arm_at', true), '')::bigint THEN
        RAISE NOTICE 'lab07: crash point';
    END IF;
    SELECT inner_pad, outer_pad INTO STRICT key FROM {{schema}}.run_key;
    RETURN 'user_'
        || left(encode(sha256(key.outer_pad || sha256(key.inner_pad || convert_to('email:' || lower(btrim(value)), 'UTF8'))), 'hex'), 20)
        || '@snapshot.invalid';
END
$$;
