DROP INDEX `webhook_deliveries_due_idx`;--> statement-breakpoint
ALTER TABLE `webhook_deliveries` ADD `held` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- What paused endpoints have queued up so far is held from the start.
UPDATE `webhook_deliveries` SET `held` = 1
WHERE `status` = 'pending' AND `endpoint_id` IN (SELECT `id` FROM `webhook_endpoints` WHERE `status` <> 'active');--> statement-breakpoint
CREATE INDEX `webhook_deliveries_due_idx` ON `webhook_deliveries` (`status`,`held`,`next_attempt_at`);
