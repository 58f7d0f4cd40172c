-- Nothing left to do: 3-switch.sql dropped display_name already.
SELECT 1;
