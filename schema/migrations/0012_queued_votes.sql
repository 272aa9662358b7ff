CREATE TABLE `queued_votes` (
	`id` text PRIMARY KEY NOT NULL,
	`clicked_at` integer NOT NULL,
	`written_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `queued_votes_written_at_idx` ON `queued_votes` (`written_at`);