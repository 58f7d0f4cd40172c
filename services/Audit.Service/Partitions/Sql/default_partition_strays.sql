-- Rows waiting in the default partition, per UTC month. Normally none: this table is small or empty.
SELECT to_char(date_trunc('month', occurred_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS month, count(*) AS rows
FROM audit_events_default
GROUP BY 1
ORDER BY 1;
