-- Expand-and-contract, step "expand": add a nullable column without a default. That is a catalog-only change (no
-- table rewrite, only a brief lock), and code that does not know the column keeps working, because the API names
-- its columns in every statement (never SELECT * or INSERT without a column list).
--
-- So the order of a release is: migrate first, then roll out the code that uses bio; the previous release still
-- runs correctly against this schema while instances are replaced, and rolling the code back needs no down-migration.
-- A later "contract" migration (drop or tighten a column) waits until no running release still needs the old shape.
ALTER TABLE users ADD COLUMN bio text;

-- NOT VALID: new and updated rows are checked, existing rows (all NULL here) are not scanned under the lock.
ALTER TABLE users ADD CONSTRAINT users_bio_length CHECK (char_length(bio) <= 160) NOT VALID;
