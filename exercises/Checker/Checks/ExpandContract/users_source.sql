-- Exercise 09's users, generated once per dataset: {{rows}} users, ids from {{first_id}} in steps of {{id_step}}.
CREATE TABLE users (
    id           bigint      PRIMARY KEY,
    display_name text        NOT NULL,
    email        text        NOT NULL,
    created_at   timestamptz NOT NULL
);

INSERT INTO users (id, display_name, email, created_at)
SELECT {{first_id}} + (i - 1) * {{id_step}},
       (ARRAY['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Margaret', 'Dennis',
              'Radia', 'Tony', 'Sophie', 'Linus', 'Hedy', 'John', 'Katherine', 'Niklaus', 'Shafi', 'Leslie'])[1 + (i * {{seed}}) % 20]
         || ' ' ||
       (ARRAY['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Hamilton', 'Ritchie',
              'Perlman', 'Hoare', 'Wilson', 'Torvalds', 'Lamarr', 'Backus', 'Johnson', 'Wirth', 'Goldwasser', 'Lamport'])[1 + (i / 20) % 20]
         || ' ' || i,
       'user' || i || '@example.com',
       timestamptz '2020-01-01 00:00:00+00' + i * interval '17 minutes'
FROM generate_series(1, {{rows}}) AS i;
