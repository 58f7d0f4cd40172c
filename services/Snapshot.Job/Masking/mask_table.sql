-- One table's masks for one step, as a single statement. {table} and {assignments} come from the rules file, e.g.
--   UPDATE "public"."users" SET "email" = CAST(snapshot_job.pseudonymize_email("email"::text, $1, $2) AS text), ...
-- $1 and $2 are the run key's HMAC pads; further parameters are the prefixes of pseudonym and random-token rules.
UPDATE {table} SET {assignments}
