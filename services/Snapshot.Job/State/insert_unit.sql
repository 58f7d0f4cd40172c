INSERT INTO snapshot_job.completed_units (step, unit, rows) VALUES ($1, $2, $3);
