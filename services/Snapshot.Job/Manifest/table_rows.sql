-- Every row of one table as PostgreSQL prints a row, in a fixed order (the text itself, byte-wise, so the server's
-- locale does not matter): the same content gives the same stream, whatever order the rows are stored in.
SELECT t::text FROM {table} AS t ORDER BY t::text COLLATE "C"
