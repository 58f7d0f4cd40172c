-- Exercise 06's ledger, recreated before every verify.
DROP SCHEMA IF EXISTS lab06 CASCADE;
CREATE SCHEMA lab06;

-- The effect: one row per payment applied. Nothing here stops a second row for the same event_id.
CREATE TABLE lab06.ledger_entries (
    entry_id     bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id     uuid        NOT NULL,
    account_id   text        NOT NULL,
    amount_cents bigint      NOT NULL,
    applied_at   timestamptz NOT NULL DEFAULT now()
);

-- The memory of an idempotent consumer: which events it has applied.
CREATE TABLE lab06.processed_events (
    event_id     uuid        PRIMARY KEY,
    processed_at timestamptz NOT NULL DEFAULT now()
);

-- The checker's crash points: when the consumer writes the row of the event listed here, the insert hangs,
-- so that the checker can kill the consumer at exactly that moment (and then ends the hanging session).
CREATE TABLE lab06.crash_points (
    event_id uuid NOT NULL,
    at       text NOT NULL CHECK (at IN ('effect', 'mark'))
);

CREATE FUNCTION lab06.crash_point() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM lab06.crash_points WHERE event_id = NEW.event_id AND at = TG_ARGV[0]) THEN
        PERFORM pg_sleep(300);
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER ledger_entries_crash_point BEFORE INSERT ON lab06.ledger_entries
    FOR EACH ROW EXECUTE FUNCTION lab06.crash_point('effect');
CREATE TRIGGER processed_events_crash_point BEFORE INSERT ON lab06.processed_events
    FOR EACH ROW EXECUTE FUNCTION lab06.crash_point('mark');
