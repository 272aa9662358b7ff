DROP INDEX `webhook_deliveries_due_idx`;--> statement-breakpoint
ALTER TABLE `webhook_deliveries` ADD `held` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- What paused endpoints have queued up so far is held from the start.
UPDATE `webhook_deliveries` SET `held` = 1
WHERE `status` = 'pending' AND `endpoint_id` IN (SELECT `id` FROM `webhook_endpoints` WHERE `status` <> 'active');--> statement-breakpoint
CREATE INDEX `webhook_deliveries_due_idx` ON `webhook_deliveries` (`status`,`held`,`next_attempt_at`);
--> statement-breakpoint
-- From then on a change of an endpoint's status holds or releases its pending deliveries, whoever
-- makes it (the API, the CLI, the dispatcher on 410 Gone), in the same write. The unary + keeps
-- the planner on the endpoint's index rather than walking every pending delivery of the due index.
CREATE TRIGGER `webhook_endpoints_hold_deliveries` AFTER UPDATE OF `status` ON `webhook_endpoints`
WHEN NEW.status IS NOT OLD.status
BEGIN
  UPDATE webhook_deliveries SET held = (NEW.status <> 'active')
  WHERE endpoint_id = NEW.id AND +status = 'pending';
END;
