-- What the table looks like after the last step: its columns, whether name refuses NULL, its triggers.
SELECT
    EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('users') AND attname = 'name' AND NOT attisdropped) AS has_name,
    EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('users') AND attname = 'display_name' AND NOT attisdropped) AS has_display_name,
    EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('users') AND attname = 'name' AND attnotnull AND NOT attisdropped)
        OR EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass('users') AND contype = 'c' AND convalidated
                   AND pg_get_constraintdef(oid) ~* '^CHECK \(\(?name IS NOT NULL\)?\)$') AS name_not_null,
    (SELECT coalesce(string_agg(tgname, ', ' ORDER BY tgname), '') FROM pg_trigger WHERE tgrelid = to_regclass('users') AND NOT tgisinternal) AS triggers
