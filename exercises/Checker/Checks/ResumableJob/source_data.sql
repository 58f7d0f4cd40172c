-- Exercise 07's production data, the source the snapshot job copies: {{customers}} customers and {{orders}} orders.
-- Deterministic: every value derives from the row number and a fixed seed through hashint8extended.
-- Ids start at {{first_id}} and step by {{id_step}}. Every {{lookalike_every}}th customer (none when 0) signed up
-- with an address that looks like a pseudonym: a tester pasting one from an old snapshot into production.
CREATE TABLE customers (
    id           bigint      PRIMARY KEY,
    email        text        NOT NULL,
    signed_up_at timestamptz NOT NULL
);

INSERT INTO customers (id, email, signed_up_at)
SELECT {{first_id}} + (g - 1) * {{id_step}},
       CASE WHEN {{lookalike_every}} > 0 AND g % {{lookalike_every}} = 0
            THEN 'user_' || left(md5('old snapshot ' || g), 20) || '@snapshot.invalid'
            ELSE (ARRAY['anna', 'ben', 'chloe', 'david', 'emma', 'farid', 'grace', 'hugo', 'ines', 'jonas',
                        'kemal', 'lena', 'marta', 'noah', 'olga', 'pavel', 'rosa', 'sami', 'tara', 'yusuf'])[1 + h1 % 20]
                 || '.' ||
                 (ARRAY['svensson', 'okafor', 'martin', 'novak', 'garcia', 'kowalski', 'haddad', 'tanaka',
                        'dubois', 'rossi', 'jensen', 'silva', 'nguyen', 'meyer', 'costa', 'ivanova'])[1 + h2 % 16]
                 || g || '@' ||
                 (ARRAY['gmail.com', 'outlook.com', 'proton.me', 'yahoo.com', 'web.de', 'icloud.com'])[1 + h3 % 6]
       END,
       timestamptz '2019-01-01 00:00:00+00' + (h3 % 189216000) * interval '1 second'
FROM generate_series(1, {{customers}}) AS g,
     LATERAL (SELECT hashint8extended(g, {{seed}}) & 9223372036854775807 AS h1,
                     hashint8extended(g, {{seed}} + 1) & 9223372036854775807 AS h2,
                     hashint8extended(g, {{seed}} + 2) & 9223372036854775807 AS h3) AS h;

-- email: where the receipt went, the customer's address; reports join orders to customers on it.
CREATE TABLE orders (
    id          bigint      PRIMARY KEY,
    customer_id bigint      NOT NULL REFERENCES customers,
    email       text        NOT NULL,
    total_cents bigint      NOT NULL,
    placed_at   timestamptz NOT NULL
);

INSERT INTO orders (id, customer_id, email, total_cents, placed_at)
SELECT {{first_id}} + (g - 1) * {{id_step}}, c.id, c.email, 500 + h.h2 % 25000, c.signed_up_at + (h.h2 % 63072000) * interval '1 second'
FROM generate_series(1, {{orders}}) AS g,
     LATERAL (SELECT hashint8extended(g, {{seed}} + 3) & 9223372036854775807 AS h1,
                     hashint8extended(g, {{seed}} + 4) & 9223372036854775807 AS h2) AS h
JOIN customers AS c ON c.id = {{first_id}} + (h.h1 % {{customers}}) * {{id_step}};

ANALYZE customers;
ANALYZE orders;
