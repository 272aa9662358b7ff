CREATE TABLE `suppressed_recipients` (
	`workspace_id` text NOT NULL,
	`hash` text NOT NULL,
	`kid` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `hash`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `response_events_signals_idx` ON `response_events` (`at`) WHERE (ip_prefix IS NOT NULL OR user_agent IS NOT NULL OR accept_language IS NOT NULL OR asn IS NOT NULL OR as_organization IS NOT NULL OR country IS NOT NULL);--> statement-breakpoint
CREATE INDEX `responses_last_answered_at_idx` ON `responses` (`last_answered_at`);--> statement-breakpoint
CREATE INDEX `response_contacts_email_idx` ON `response_contacts` (`workspace_id`,`email`);