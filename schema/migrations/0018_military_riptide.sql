CREATE TABLE `link_properties` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`properties` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `link_property_values` (
	`properties_id` text NOT NULL,
	`name` text NOT NULL,
	`value` text NOT NULL,
	PRIMARY KEY(`properties_id`, `name`),
	FOREIGN KEY (`properties_id`) REFERENCES `link_properties`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `link_property_values_name_idx` ON `link_property_values` (`name`,`value`,`properties_id`);--> statement-breakpoint
CREATE TABLE `reports_counts` (
	`survey_id` text NOT NULL,
	`day` integer NOT NULL,
	`agent` text NOT NULL,
	`status` text NOT NULL,
	`score` integer NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`survey_id`, `day`, `agent`, `status`, `score`)
);
--> statement-breakpoint
CREATE TABLE `reports_property_counts` (
	`survey_id` text NOT NULL,
	`name` text NOT NULL,
	`day` integer NOT NULL,
	`value` text NOT NULL,
	`agent` text NOT NULL,
	`status` text NOT NULL,
	`score` integer NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`survey_id`, `name`, `day`, `value`, `agent`, `status`, `score`)
);
--> statement-breakpoint
CREATE TABLE `reports_sends` (
	`survey_id` text NOT NULL,
	`minute` integer NOT NULL,
	`agent` text NOT NULL,
	`properties_id` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`survey_id`, `minute`, `agent`, `properties_id`)
);
--> statement-breakpoint
CREATE TABLE `reports_sent_days` (
	`survey_id` text NOT NULL,
	`day` integer NOT NULL,
	`agent` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`survey_id`, `day`, `agent`)
);
--> statement-breakpoint
CREATE TABLE `reports_sent_property_days` (
	`survey_id` text NOT NULL,
	`name` text NOT NULL,
	`day` integer NOT NULL,
	`value` text NOT NULL,
	`agent` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`survey_id`, `name`, `day`, `value`, `agent`)
);
--> statement-breakpoint
CREATE TABLE `time_zone_offsets` (
	`zone` text NOT NULL,
	`from_ms` integer NOT NULL,
	`offset_minutes` integer NOT NULL,
	PRIMARY KEY(`zone`, `from_ms`)
);
--> statement-breakpoint
ALTER TABLE `workspaces` ADD `time_zone` text DEFAULT 'UTC' NOT NULL;--> statement-breakpoint
ALTER TABLE `responses` ADD `properties_id` text;--> statement-breakpoint
CREATE INDEX `responses_properties_id_idx` ON `responses` (`properties_id`,`first_answered_at`,`id`);