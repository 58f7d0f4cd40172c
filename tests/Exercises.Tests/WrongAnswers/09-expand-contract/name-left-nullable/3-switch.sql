-- Wrong: nothing to switch, N+1 always writes a name (but the table no longer says so).
SELECT 1;
