ALTER TABLE `response_events` ADD `sentiment` text;--> statement-breakpoint
ALTER TABLE `response_events` ADD `status` text DEFAULT 'counted' NOT NULL;--> statement-breakpoint
ALTER TABLE `response_events` ADD `reason` text;--> statement-breakpoint
ALTER TABLE `response_events` ADD `confirmed_at` integer;--> statement-breakpoint
ALTER TABLE `responses` ADD `counted_revision` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `responses` ADD `counted_cause_id` text;--> statement-breakpoint
-- Responses recorded before classification existed were counted: keep them so.
UPDATE `responses` SET `counted_revision` = 1 WHERE `status` = 'counted';--> statement-breakpoint
UPDATE `response_events` SET `sentiment` = (
  SELECT CASE
    WHEN s.scale = 'csat3' THEN CASE WHEN response_events.score <= 1 THEN 'negative' WHEN response_events.score >= 3 THEN 'positive' ELSE 'neutral' END
    WHEN s.scale = 'csat5' THEN CASE WHEN response_events.score <= 2 THEN 'negative' WHEN response_events.score >= 4 THEN 'positive' ELSE 'neutral' END
    WHEN s.scale = 'nps' THEN CASE WHEN response_events.score <= 6 THEN 'negative' WHEN response_events.score >= 9 THEN 'positive' ELSE 'neutral' END
    WHEN s.scale = 'ces7' THEN CASE WHEN response_events.score <= 3 THEN 'negative' WHEN response_events.score >= 5 THEN 'positive' ELSE 'neutral' END
    ELSE CASE WHEN response_events.score <= 0 THEN 'negative' ELSE 'positive' END
  END
  FROM responses r JOIN surveys s ON s.id = r.survey_id WHERE r.id = response_events.response_id
) WHERE `score` IS NOT NULL;--> statement-breakpoint
UPDATE `response_events` SET `reason` = 'recorded before classification' WHERE `reason` IS NULL;
--> statement-breakpoint
-- When a click turns out to be a robot's (a burst, an admin's override), the webhook deliveries it
-- caused and that were never attempted are withdrawn: no feedback.negative for a scanner's burst
-- caught within the settle window. A trigger, so the click path pays for it only when it happens.
CREATE TRIGGER `response_events_withdraw_webhooks` AFTER UPDATE OF `status` ON `response_events`
WHEN NEW.status = 'bot' AND OLD.status <> 'bot'
BEGIN
  DELETE FROM webhook_deliveries
  WHERE status = 'pending' AND attempts = 0 AND claimed_by IS NULL
    AND event_id IN (SELECT id FROM webhook_events WHERE cause_id = NEW.id);
END;
