-- ON CONFLICT: a retried insert whose first commit did land records nothing twice.
INSERT INTO snapshot_job.completed_steps (step, name, rows, duration_ms) VALUES ($1, $2, $3, $4)
ON CONFLICT (step) DO NOTHING;
