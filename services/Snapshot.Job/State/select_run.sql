SELECT id, application, rules_version, rules_sha256, run_key, source_database, source_server_version, source_schema_version, started_at, attempts
FROM snapshot_job.run;
