SELECT step, name, rows, duration_ms, completed_at FROM snapshot_job.completed_steps ORDER BY step;
