-- The live table the learner migrates, rebuilt from the pristine copy before every verify:
-- a plain table with a bigserial id, as an application would have created it years ago.
DROP SCHEMA IF EXISTS {{schema}} CASCADE;
CREATE SCHEMA {{schema}};
CREATE TABLE {{schema}}.audit_events (
    id            bigserial,
    occurred_at   timestamptz NOT NULL,
    actor_id      integer     NOT NULL,
    action        text        NOT NULL,
    resource_type text        NOT NULL,
    resource_id   bigint      NOT NULL,
    payload       jsonb       NOT NULL
);
INSERT INTO {{schema}}.audit_events SELECT * FROM {{source}}.audit_events;
ALTER TABLE {{schema}}.audit_events ADD PRIMARY KEY (id);
SELECT setval('{{schema}}.audit_events_id_seq', (SELECT max(id) FROM {{schema}}.audit_events));
ANALYZE {{schema}}.audit_events;
