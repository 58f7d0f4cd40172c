INSERT INTO snapshot_job.run (id, application, rules_version, rules_sha256, run_key, source_database, source_server_version, source_schema_version, started_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9);
