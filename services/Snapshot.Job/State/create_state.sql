-- The run's state, inside the work database it describes: the two live and die together, so a state row can never
-- point at a work database that is gone, and dropping the work database leaves nothing behind.
-- Created in the same transaction that records step 1 as done: a work database without it is an unfinished copy.
CREATE SCHEMA snapshot_job;

-- The run this work database belongs to (one row). run_key is the secret of the keyed masks (masking_functions.sql).
CREATE TABLE snapshot_job.run (
    id                    uuid        PRIMARY KEY,
    application           text        NOT NULL,
    rules_version         int         NOT NULL,
    rules_sha256          text        NOT NULL,
    run_key               bytea       NOT NULL,
    source_database       text        NOT NULL,
    source_server_version text        NOT NULL,
    source_schema_version text,
    started_at            timestamptz NOT NULL,
    -- How many processes have worked on this run: 1, plus one per resume.
    attempts              int         NOT NULL DEFAULT 1
);

-- A step is done once its row is here; a resumed run starts after the last one.
CREATE TABLE snapshot_job.completed_steps (
    step         int         PRIMARY KEY,
    name         text        NOT NULL,
    rows         bigint      NOT NULL,
    duration_ms  bigint      NOT NULL,
    completed_at timestamptz NOT NULL DEFAULT now()
);

-- Units of a step (one table each) committed in the same transaction as their work, so a step interrupted halfway
-- resumes after its last committed table, and a retried commit whose acknowledgement was lost is not applied twice.
CREATE TABLE snapshot_job.completed_units (
    step         int         NOT NULL,
    unit         text        NOT NULL,
    rows         bigint      NOT NULL,
    completed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (step, unit)
);
