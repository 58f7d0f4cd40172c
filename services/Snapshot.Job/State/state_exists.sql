SELECT to_regclass('snapshot_job.run') IS NOT NULL;
