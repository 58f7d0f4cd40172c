SELECT rows FROM snapshot_job.completed_units WHERE step = $1 AND unit = $2;
