-- How many times @source was masked to become @actual (null when no chain of up to 6 masks leads there).
WITH RECURSIVE chain (times, email) AS (
    SELECT 1, {{schema}}.pseudonymize_email(@source)
    UNION ALL
    SELECT times + 1, {{schema}}.pseudonymize_email(email) FROM chain WHERE times < 6 AND email <> @actual
)
SELECT times FROM chain WHERE email = @actual
