-- Exercise 11's database, recreated before every verify: the orders, the outbox, and the checker's way to make a
-- write fail at its commit.
DROP SCHEMA IF EXISTS lab11 CASCADE;
CREATE SCHEMA lab11;

CREATE TABLE lab11.orders (
    id          uuid        PRIMARY KEY,
    customer_id text        NOT NULL,
    sequence    integer     NOT NULL,
    total_cents bigint      NOT NULL,
    placed_at   timestamptz NOT NULL DEFAULT now()
);

-- The outbox: one row per event to publish, written in the same transaction as the change it reports.
CREATE TABLE lab11.outbox (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id     uuid        NOT NULL UNIQUE,
    key          text        NOT NULL,
    payload      text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz
);

-- The checker's: an order listed here fails at COMMIT (a deferred constraint trigger), so its transaction rolls back
-- after everything in it ran, as when a constraint, a serialization failure or a lost connection ends a write.
CREATE TABLE lab11.doomed_orders (order_id uuid PRIMARY KEY);

CREATE FUNCTION lab11.refuse_doomed_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM lab11.doomed_orders WHERE order_id = NEW.id) THEN
        RAISE EXCEPTION 'order % cannot be committed (the checker rolls this write back)', NEW.id;
    END IF;
    RETURN NEW;
END
$$;

CREATE CONSTRAINT TRIGGER orders_doomed AFTER INSERT ON lab11.orders
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION lab11.refuse_doomed_order();
