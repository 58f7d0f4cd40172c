-- Reads only the partial index outbox_unsent_idx.
SELECT count(*) FROM outbox WHERE sent_at IS NULL;
