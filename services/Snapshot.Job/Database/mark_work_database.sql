-- The mark that lets a later run drop this database: a database of the same name without it was not made by the job
-- (a mistyped Snapshot:WorkDatabase, say), and the job will not touch it.
COMMENT ON DATABASE {name} IS 'snapshot-job work database'
