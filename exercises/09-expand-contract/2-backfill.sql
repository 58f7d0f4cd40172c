-- Exercise 09, step 2 of 4: backfill. Runs while only version N serves.
-- One batch: the checker's migration runner applies this file again and again until a run changes no row
-- (a file that loops and commits by itself, in a DO block or a procedure, runs once).

