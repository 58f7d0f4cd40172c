-- Nothing to fill: there is one column, under two names.
SELECT 1;
