-- The emails of the finished work copy, before the checker runs the step once more.
DROP TABLE IF EXISTS pg_temp.finished;
CREATE TEMP TABLE finished AS
{{work_rows}};
