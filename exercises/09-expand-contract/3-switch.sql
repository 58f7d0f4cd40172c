-- Exercise 09, step 3 of 4: switch. Runs while only version N serves; right after it, N+1 (which reads and writes
-- users.name) starts beside N, is rolled back, and rolled forward again.

