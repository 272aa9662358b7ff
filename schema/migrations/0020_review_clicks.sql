CREATE TABLE `review_clicks` (
	`response_id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`survey_id` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`response_id`) REFERENCES `responses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`survey_id`) REFERENCES `surveys`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `review_clicks_workspace_id_idx` ON `review_clicks` (`workspace_id`,`survey_id`);--> statement-breakpoint
CREATE INDEX `review_clicks_survey_id_idx` ON `review_clicks` (`survey_id`);