CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`hash` text NOT NULL,
	`prefix` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash_idx` ON `api_keys` (`hash`);--> statement-breakpoint
CREATE INDEX `api_keys_workspace_id_idx` ON `api_keys` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `workspaces` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `surveys` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`scale` text NOT NULL,
	`question` text NOT NULL,
	`question_i18n` text DEFAULT '{}' NOT NULL,
	`locale` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `surveys_workspace_id_idx` ON `surveys` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `response_events` (
	`id` text PRIMARY KEY NOT NULL,
	`response_id` text NOT NULL,
	`kind` text NOT NULL,
	`score` integer,
	`at` integer NOT NULL,
	`method` text NOT NULL,
	`user_agent` text,
	`accept_language` text,
	`sec_fetch` text,
	`ip_prefix` text,
	`asn` integer,
	`as_organization` text,
	`country` text,
	FOREIGN KEY (`response_id`) REFERENCES `responses`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `response_events_response_id_idx` ON `response_events` (`response_id`,`at`);--> statement-breakpoint
CREATE TABLE `responses` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`survey_id` text NOT NULL,
	`subject` text NOT NULL,
	`recipient` text NOT NULL,
	`agent` text,
	`score` integer NOT NULL,
	`sentiment` text NOT NULL,
	`status` text DEFAULT 'counted' NOT NULL,
	`comment` text,
	`revision` integer DEFAULT 1 NOT NULL,
	`first_answered_at` integer NOT NULL,
	`last_answered_at` integer NOT NULL,
	`commented_at` integer,
	`last_event_id` text,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`survey_id`) REFERENCES `surveys`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `responses_survey_subject_recipient_idx` ON `responses` (`survey_id`,`subject`,`recipient`);--> statement-breakpoint
CREATE INDEX `responses_workspace_id_idx` ON `responses` (`workspace_id`,`first_answered_at`,`id`);