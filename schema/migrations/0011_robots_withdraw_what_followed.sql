ALTER TABLE `responses` ADD `compare_standing` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- A response's webhook events, newest first (entries sorted by response_id, then rowid): the derive
-- step reads the last vote event still standing (db/responses.ts, `standingVoteEvent`), and the
-- trigger below finds the vote events queued after a robot's click.
CREATE INDEX `webhook_events_response_id_idx` ON `webhook_events` (`response_id`);--> statement-breakpoint
-- When a click turns out to be a robot's (a burst, an admin), 0005 withdrew the never-attempted
-- deliveries of the events it caused. When it had counted, that is not all: the answer it made for
-- a moment was the "before" of every vote event queued after it (a person's click during a
-- look-alike scanner's burst was sent as feedback.updated, or lost its feedback.negative, against
-- the robot's answer), and the write that sweeps it compared the person's answer with the robot's
-- (a redundant .updated and a second .negative). So the vote events of the response queued since
-- the click, still never attempted, are withdrawn too, and the response is marked: the same write
-- derives it again and queues its answer against the vote event the receivers still hold
-- (created when they hold none, nothing when they hold this answer). Never-attempted only: what a
-- receiver may have seen stands, and is what the next event is compared with. The unary + keeps
-- the planner on the event index, as in 0005.
DROP TRIGGER `response_events_withdraw_webhooks`;--> statement-breakpoint
CREATE TRIGGER `response_events_withdraw_webhooks` AFTER UPDATE OF `status` ON `response_events`
WHEN NEW.status = 'bot' AND OLD.status <> 'bot'
BEGIN
  DELETE FROM webhook_deliveries
  WHERE event_id IN (SELECT id FROM webhook_events WHERE cause_id = NEW.id)
    AND +status = 'pending' AND attempts = 0 AND claimed_by IS NULL;
  DELETE FROM webhook_deliveries
  WHERE OLD.status = 'counted'
    AND event_id IN (SELECT id FROM webhook_events WHERE response_id = NEW.response_id AND occurred_at >= NEW.at
                       AND type IN ('feedback.created', 'feedback.updated', 'feedback.negative'))
    AND +status = 'pending' AND attempts = 0 AND claimed_by IS NULL;
  UPDATE responses SET compare_standing = 1 WHERE id = NEW.response_id AND OLD.status = 'counted';
END;
