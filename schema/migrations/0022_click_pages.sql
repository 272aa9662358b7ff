-- Fewer B-trees per click's commit (each one touched is a page more in the WAL at every commit):
-- the partial days at a report's edges are read from the survey's index, which now holds every
-- column a report counts, instead of an index of their own (`responses_reports_idx`, which a first
-- version of migration 0021 created: IF EXISTS drops it where that version ran); a response whose
-- link has no properties no longer enters the properties index. Measured on the click write: WAL frames
-- per vote at groups of 8 fell from 4.96 to 4.37.
DROP INDEX IF EXISTS `responses_reports_idx`;--> statement-breakpoint
DROP INDEX `responses_survey_id_idx`;--> statement-breakpoint
DROP INDEX `responses_properties_id_idx`;--> statement-breakpoint
CREATE INDEX `responses_survey_id_idx` ON `responses` (`survey_id`,`first_answered_at`,`id`,`revision`,`status`,`score`,`agent`,`properties_id`);--> statement-breakpoint
CREATE INDEX `responses_properties_id_idx` ON `responses` (`properties_id`,`first_answered_at`,`id`) WHERE properties_id IS NOT NULL;