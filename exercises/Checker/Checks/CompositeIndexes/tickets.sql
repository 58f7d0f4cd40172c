-- Exercise 02's support desk: {{rows}} tickets, one every {{step}} from {{start}}; {{open_per_mille}} in 1,000 are open.
-- Autovacuum is off for this table so that the visibility map changes only when the learner runs VACUUM.
CREATE TABLE tickets (
    id          bigint      PRIMARY KEY,
    tenant_id   integer     NOT NULL,
    status      text        NOT NULL,
    priority    text        NOT NULL,
    created_at  timestamptz NOT NULL,
    assignee_id integer,
    subject     text        NOT NULL
) WITH (autovacuum_enabled = false);

INSERT INTO tickets (id, tenant_id, status, priority, created_at, assignee_id, subject)
SELECT g,
       {{tenant}},
       CASE WHEN h2 % 1000 < {{open_per_mille}} THEN 'open' WHEN h2 % 1000 < 60 THEN 'pending' ELSE 'solved' END,
       (ARRAY['low', 'normal', 'normal', 'high', 'urgent'])[1 + h3 % 5],
       timestamptz '{{start}}' + g * interval '{{step}}',
       nullif(h3 % 400, 0)::int,
       format('Ticket %s: %s', g, (ARRAY['cannot sign in', 'invoice is wrong', 'export is slow', 'API key expired', 'feature request'])[1 + h2 % 5])
FROM generate_series(1, {{rows}}) AS g,
     LATERAL (SELECT hashint8extended(g, {{seed}}) & 9223372036854775807 AS h1,
                     hashint8extended(g, {{seed}} + 1) & 9223372036854775807 AS h2,
                     hashint8extended(g, {{seed}} + 2) & 9223372036854775807 AS h3) AS h;

ANALYZE tickets;
