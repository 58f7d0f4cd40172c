-- Exercise 09, step 1 of 4: expand. Runs while only version N serves (N reads and writes users.display_name).
-- The checker applies each step with search_path set to the exercise schema: write table names without a schema.
-- The README describes the rollout; then run: ./lab verify 9
--
-- The first attempt, straight from the ticket "rename display_name to name":

ALTER TABLE users RENAME COLUMN display_name TO name;
