-- Exercise 04: the nightly retention job of the partitioned audit log. The README describes the task.
--
-- Keep the current month and the 12 months before it; everything older goes. Also make sure the next
-- 3 months have their partitions, and that a DEFAULT partition exists.
--
-- The checker runs this file twice (as tomorrow night's run would), with search_path set to the exercise
-- schema and TimeZone = 'UTC': write table names without a schema. It rebuilds the partitions before every
-- verify, so try as often as you like. Then run: ./lab verify 4

-- Today's job: it works, slowly, and leaves a mess behind.
DELETE FROM audit_events
WHERE occurred_at < date_trunc('month', now()) - interval '12 months';
