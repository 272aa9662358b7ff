-- A response's webhook events: a write that undoes a robot's change of the counted answer (a burst
-- sweeps the click that changed it) reads the response's last vote event that still stands, to
-- queue nothing when the receivers already hold the answer it falls back to (db/responses.ts,
-- `standingVoteEvent`). Entries sorted by (response_id, rowid): newest first without a sort.
CREATE INDEX `webhook_events_response_id_idx` ON `webhook_events` (`response_id`);
