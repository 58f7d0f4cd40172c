-- Creates the month's partition and moves its strays out of the default partition (see 0003 in the Migrator).
-- Returns the number of rows moved, or -1 when the partition existed already.
SELECT audit_ensure_month_partition($1);
