-- Nothing to switch: name is the old column, NOT NULL already.
SELECT 1;
