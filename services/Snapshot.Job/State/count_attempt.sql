UPDATE snapshot_job.run SET attempts = attempts + 1 RETURNING attempts;
