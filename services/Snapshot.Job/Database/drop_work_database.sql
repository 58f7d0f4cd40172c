-- FORCE ends the sessions still connected (a killed run's pg_restore, say), which would otherwise block the drop.
DROP DATABASE IF EXISTS {name} WITH (FORCE)
