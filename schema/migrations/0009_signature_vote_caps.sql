CREATE TABLE `signature_vote_counts` (
	`link_id` text NOT NULL,
	`day` integer NOT NULL,
	`source` text NOT NULL,
	`responses` integer DEFAULT 0 NOT NULL,
	`excess` integer DEFAULT 0 NOT NULL,
	`first_excess_at` integer,
	`last_excess_at` integer,
	`last_event_id` text,
	PRIMARY KEY(`link_id`, `day`, `source`)
);
--> statement-breakpoint
CREATE INDEX `signature_vote_counts_day_idx` ON `signature_vote_counts` (`day`);