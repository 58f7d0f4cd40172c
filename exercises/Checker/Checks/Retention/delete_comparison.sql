-- The same old rows in a table of their own, for the checker to DELETE and measure what the learner avoided.
DROP TABLE IF EXISTS {{schema}}.delete_comparison;
CREATE TABLE {{schema}}.delete_comparison (LIKE {{source}}.audit_events INCLUDING ALL);
INSERT INTO {{schema}}.delete_comparison SELECT * FROM {{source}}.audit_events WHERE occurred_at < '{{cutoff}}';
VACUUM ANALYZE {{schema}}.delete_comparison;
