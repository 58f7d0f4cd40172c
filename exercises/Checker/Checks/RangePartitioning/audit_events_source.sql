-- Exercise 03's audit log as it stands before the migration: {{rows}} events from {{start}} over {{months}} months,
-- denser toward the end when growth < 1 (a product that gains users). Kept as the pristine copy each verify starts from.
CREATE TABLE audit_events (
    id            bigint      PRIMARY KEY,
    occurred_at   timestamptz NOT NULL,
    actor_id      integer     NOT NULL,
    action        text        NOT NULL,
    resource_type text        NOT NULL,
    resource_id   bigint      NOT NULL,
    payload       jsonb       NOT NULL
);

INSERT INTO audit_events (id, occurred_at, actor_id, action, resource_type, resource_id, payload)
SELECT g,
       timestamptz '{{start}}'
           + (extract(epoch FROM (timestamptz '{{start}}' + interval '{{months}} months') - timestamptz '{{start}}') - 1)
             * power((g - 1)::float8 / {{rows}}, {{growth}}) * interval '1 second',
       (1 + h1 % 5000)::int,
       (ARRAY['sign_in', 'sign_out', 'view', 'update', 'delete', 'export', 'share'])[1 + h2 % 7],
       (ARRAY['chirp', 'user', 'api_key', 'invoice', 'report'])[1 + h3 % 5],
       h3 % 100000,
       jsonb_build_object('ip', format('10.%s.%s.%s', h2 % 256, h3 % 256, h1 % 256), 'request_id', left(md5(g::text), 16))
FROM generate_series(1, {{rows}}) AS g,
     LATERAL (SELECT hashint8extended(g, {{seed}}) & 9223372036854775807 AS h1,
                     hashint8extended(g, {{seed}} + 1) & 9223372036854775807 AS h2,
                     hashint8extended(g, {{seed}} + 2) & 9223372036854775807 AS h3) AS h;
