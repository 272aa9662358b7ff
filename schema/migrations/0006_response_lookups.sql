CREATE INDEX `responses_survey_id_idx` ON `responses` (`survey_id`,`first_answered_at`,`id`);--> statement-breakpoint
CREATE INDEX `responses_subject_idx` ON `responses` (`workspace_id`,`subject`,`first_answered_at`,`id`);--> statement-breakpoint
CREATE INDEX `responses_recipient_idx` ON `responses` (`workspace_id`,`recipient`,`first_answered_at`,`id`);