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
) WITHOUT ROWID;
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
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `reports_day_counts` (
	`survey_id` text NOT NULL,
	`day` integer NOT NULL,
	`status` text NOT NULL,
	`score` integer NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`survey_id`, `day`, `status`, `score`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `reports_month_counts` (
	`survey_id` text NOT NULL,
	`month` integer NOT NULL,
	`agent` text NOT NULL,
	`status` text NOT NULL,
	`score` integer NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`survey_id`, `month`, `agent`, `status`, `score`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `reports_property_counts` (
	`survey_id` text NOT NULL,
	`name` text NOT NULL,
	`day` integer NOT NULL,
	`value` text NOT NULL,
	`status` text NOT NULL,
	`score` integer NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`survey_id`, `name`, `day`, `value`, `status`, `score`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `reports_property_month_counts` (
	`survey_id` text NOT NULL,
	`name` text NOT NULL,
	`month` integer NOT NULL,
	`value` text NOT NULL,
	`status` text NOT NULL,
	`score` integer NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`survey_id`, `name`, `month`, `value`, `status`, `score`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `reports_sends` (
	`survey_id` text NOT NULL,
	`minute` integer NOT NULL,
	`agent` text NOT NULL,
	`properties_id` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`survey_id`, `minute`, `agent`, `properties_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `reports_sent_days` (
	`survey_id` text NOT NULL,
	`day` integer NOT NULL,
	`agent` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`survey_id`, `day`, `agent`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `reports_sent_property_days` (
	`survey_id` text NOT NULL,
	`name` text NOT NULL,
	`day` integer NOT NULL,
	`value` text NOT NULL,
	`agent` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`survey_id`, `name`, `day`, `value`, `agent`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `time_zone_offsets` (
	`zone` text NOT NULL,
	`from_ms` integer NOT NULL,
	`offset_minutes` integer NOT NULL,
	PRIMARY KEY(`zone`, `from_ms`)
) WITHOUT ROWID;
--> statement-breakpoint
ALTER TABLE `workspaces` ADD `time_zone` text DEFAULT 'UTC' NOT NULL;--> statement-breakpoint
ALTER TABLE `responses` ADD `properties_id` text;--> statement-breakpoint
CREATE INDEX `responses_properties_id_idx` ON `responses` (`properties_id`,`first_answered_at`,`id`);--> statement-breakpoint
-- Reports' aggregates (issue 15) are kept by these triggers inside the transaction of whatever
-- writes a response (a click, a queued vote, a burst sweep, a confirmation, an override, an
-- erasure), so no write path needs code of its own and a click stays one round trip. A response
-- counts on the local day of its FIRST answer, in its workspace's time zone (time_zone_offsets).
-- The month tables roll the days up by local month (`month` = the day number of its first day),
-- so that a long period sums a dozen months and the days at its edges.
INSERT INTO `time_zone_offsets` (`zone`, `from_ms`, `offset_minutes`) VALUES ('UTC', -8640000000000000, 0);
--> statement-breakpoint
CREATE TRIGGER `reports_responses_insert` AFTER INSERT ON `responses` WHEN NEW.revision > 0 BEGIN
  INSERT INTO reports_counts (survey_id, day, agent, status, score, n) VALUES (NEW.survey_id, ((NEW.first_answered_at + 60000 * coalesce((SELECT o.offset_minutes FROM time_zone_offsets o WHERE o.zone = (SELECT w.time_zone FROM workspaces w WHERE w.id = NEW.workspace_id) AND o.from_ms <= NEW.first_answered_at ORDER BY o.from_ms DESC LIMIT 1), 0)) / 86400000), coalesce(NEW.agent, ''), NEW.status, NEW.score, +1)
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
  INSERT INTO reports_day_counts (survey_id, day, status, score, n) VALUES (NEW.survey_id, ((NEW.first_answered_at + 60000 * coalesce((SELECT o.offset_minutes FROM time_zone_offsets o WHERE o.zone = (SELECT w.time_zone FROM workspaces w WHERE w.id = NEW.workspace_id) AND o.from_ms <= NEW.first_answered_at ORDER BY o.from_ms DESC LIMIT 1), 0)) / 86400000), NEW.status, NEW.score, +1)
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
  INSERT INTO reports_property_counts (survey_id, name, day, value, status, score, n)
    SELECT NEW.survey_id, v.name, d.day, v.value, NEW.status, NEW.score, +1
    FROM (SELECT ((NEW.first_answered_at + 60000 * coalesce((SELECT o.offset_minutes FROM time_zone_offsets o WHERE o.zone = (SELECT w.time_zone FROM workspaces w WHERE w.id = NEW.workspace_id) AND o.from_ms <= NEW.first_answered_at ORDER BY o.from_ms DESC LIMIT 1), 0)) / 86400000) AS day) d JOIN link_property_values v ON v.properties_id = NEW.properties_id WHERE NEW.properties_id IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
  INSERT INTO reports_month_counts (survey_id, month, agent, status, score, n)
    SELECT NEW.survey_id, d.day - CAST(strftime('%d', d.day * 86400, 'unixepoch') AS INTEGER) + 1, coalesce(NEW.agent, ''), NEW.status, NEW.score, +1 FROM (SELECT ((NEW.first_answered_at + 60000 * coalesce((SELECT o.offset_minutes FROM time_zone_offsets o WHERE o.zone = (SELECT w.time_zone FROM workspaces w WHERE w.id = NEW.workspace_id) AND o.from_ms <= NEW.first_answered_at ORDER BY o.from_ms DESC LIMIT 1), 0)) / 86400000) AS day) d WHERE true
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
  INSERT INTO reports_property_month_counts (survey_id, name, month, value, status, score, n)
    SELECT NEW.survey_id, v.name, d.day - CAST(strftime('%d', d.day * 86400, 'unixepoch') AS INTEGER) + 1, v.value, NEW.status, NEW.score, +1
    FROM (SELECT ((NEW.first_answered_at + 60000 * coalesce((SELECT o.offset_minutes FROM time_zone_offsets o WHERE o.zone = (SELECT w.time_zone FROM workspaces w WHERE w.id = NEW.workspace_id) AND o.from_ms <= NEW.first_answered_at ORDER BY o.from_ms DESC LIMIT 1), 0)) / 86400000) AS day) d JOIN link_property_values v ON v.properties_id = NEW.properties_id WHERE NEW.properties_id IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
--> statement-breakpoint
-- A click inserts its new response at revision 0 (status pending) and derives it (revision 1,
-- its real status) in the same batch: counting only revisions above 0 saves the click one
-- upsert of the aggregates and its undoing. The two halves of a change fire separately.
CREATE TRIGGER `reports_responses_update_old` AFTER UPDATE OF `status`, `score`, `agent`, `first_answered_at`, `properties_id`, `survey_id`, `workspace_id`, `revision` ON `responses`
WHEN OLD.revision > 0 AND (OLD.status IS NOT NEW.status OR OLD.score IS NOT NEW.score OR OLD.agent IS NOT NEW.agent OR OLD.first_answered_at IS NOT NEW.first_answered_at
  OR OLD.properties_id IS NOT NEW.properties_id OR OLD.survey_id IS NOT NEW.survey_id OR OLD.workspace_id IS NOT NEW.workspace_id OR NEW.revision = 0)
BEGIN
  INSERT INTO reports_counts (survey_id, day, agent, status, score, n) VALUES (OLD.survey_id, ((OLD.first_answered_at + 60000 * coalesce((SELECT o.offset_minutes FROM time_zone_offsets o WHERE o.zone = (SELECT w.time_zone FROM workspaces w WHERE w.id = OLD.workspace_id) AND o.from_ms <= OLD.first_answered_at ORDER BY o.from_ms DESC LIMIT 1), 0)) / 86400000), coalesce(OLD.agent, ''), OLD.status, OLD.score, -1)
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
  INSERT INTO reports_day_counts (survey_id, day, status, score, n) VALUES (OLD.survey_id, ((OLD.first_answered_at + 60000 * coalesce((SELECT o.offset_minutes FROM time_zone_offsets o WHERE o.zone = (SELECT w.time_zone FROM workspaces w WHERE w.id = OLD.workspace_id) AND o.from_ms <= OLD.first_answered_at ORDER BY o.from_ms DESC LIMIT 1), 0)) / 86400000), OLD.status, OLD.score, -1)
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
  INSERT INTO reports_property_counts (survey_id, name, day, value, status, score, n)
    SELECT OLD.survey_id, v.name, d.day, v.value, OLD.status, OLD.score, -1
    FROM (SELECT ((OLD.first_answered_at + 60000 * coalesce((SELECT o.offset_minutes FROM time_zone_offsets o WHERE o.zone = (SELECT w.time_zone FROM workspaces w WHERE w.id = OLD.workspace_id) AND o.from_ms <= OLD.first_answered_at ORDER BY o.from_ms DESC LIMIT 1), 0)) / 86400000) AS day) d JOIN link_property_values v ON v.properties_id = OLD.properties_id WHERE OLD.properties_id IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
  INSERT INTO reports_month_counts (survey_id, month, agent, status, score, n)
    SELECT OLD.survey_id, d.day - CAST(strftime('%d', d.day * 86400, 'unixepoch') AS INTEGER) + 1, coalesce(OLD.agent, ''), OLD.status, OLD.score, -1 FROM (SELECT ((OLD.first_answered_at + 60000 * coalesce((SELECT o.offset_minutes FROM time_zone_offsets o WHERE o.zone = (SELECT w.time_zone FROM workspaces w WHERE w.id = OLD.workspace_id) AND o.from_ms <= OLD.first_answered_at ORDER BY o.from_ms DESC LIMIT 1), 0)) / 86400000) AS day) d WHERE true
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
  INSERT INTO reports_property_month_counts (survey_id, name, month, value, status, score, n)
    SELECT OLD.survey_id, v.name, d.day - CAST(strftime('%d', d.day * 86400, 'unixepoch') AS INTEGER) + 1, v.value, OLD.status, OLD.score, -1
    FROM (SELECT ((OLD.first_answered_at + 60000 * coalesce((SELECT o.offset_minutes FROM time_zone_offsets o WHERE o.zone = (SELECT w.time_zone FROM workspaces w WHERE w.id = OLD.workspace_id) AND o.from_ms <= OLD.first_answered_at ORDER BY o.from_ms DESC LIMIT 1), 0)) / 86400000) AS day) d JOIN link_property_values v ON v.properties_id = OLD.properties_id WHERE OLD.properties_id IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
--> statement-breakpoint
CREATE TRIGGER `reports_responses_update_new` AFTER UPDATE OF `status`, `score`, `agent`, `first_answered_at`, `properties_id`, `survey_id`, `workspace_id`, `revision` ON `responses`
WHEN NEW.revision > 0 AND (OLD.status IS NOT NEW.status OR OLD.score IS NOT NEW.score OR OLD.agent IS NOT NEW.agent OR OLD.first_answered_at IS NOT NEW.first_answered_at
  OR OLD.properties_id IS NOT NEW.properties_id OR OLD.survey_id IS NOT NEW.survey_id OR OLD.workspace_id IS NOT NEW.workspace_id OR OLD.revision = 0)
BEGIN
  INSERT INTO reports_counts (survey_id, day, agent, status, score, n) VALUES (NEW.survey_id, ((NEW.first_answered_at + 60000 * coalesce((SELECT o.offset_minutes FROM time_zone_offsets o WHERE o.zone = (SELECT w.time_zone FROM workspaces w WHERE w.id = NEW.workspace_id) AND o.from_ms <= NEW.first_answered_at ORDER BY o.from_ms DESC LIMIT 1), 0)) / 86400000), coalesce(NEW.agent, ''), NEW.status, NEW.score, +1)
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
  INSERT INTO reports_day_counts (survey_id, day, status, score, n) VALUES (NEW.survey_id, ((NEW.first_answered_at + 60000 * coalesce((SELECT o.offset_minutes FROM time_zone_offsets o WHERE o.zone = (SELECT w.time_zone FROM workspaces w WHERE w.id = NEW.workspace_id) AND o.from_ms <= NEW.first_answered_at ORDER BY o.from_ms DESC LIMIT 1), 0)) / 86400000), NEW.status, NEW.score, +1)
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
  INSERT INTO reports_property_counts (survey_id, name, day, value, status, score, n)
    SELECT NEW.survey_id, v.name, d.day, v.value, NEW.status, NEW.score, +1
    FROM (SELECT ((NEW.first_answered_at + 60000 * coalesce((SELECT o.offset_minutes FROM time_zone_offsets o WHERE o.zone = (SELECT w.time_zone FROM workspaces w WHERE w.id = NEW.workspace_id) AND o.from_ms <= NEW.first_answered_at ORDER BY o.from_ms DESC LIMIT 1), 0)) / 86400000) AS day) d JOIN link_property_values v ON v.properties_id = NEW.properties_id WHERE NEW.properties_id IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
  INSERT INTO reports_month_counts (survey_id, month, agent, status, score, n)
    SELECT NEW.survey_id, d.day - CAST(strftime('%d', d.day * 86400, 'unixepoch') AS INTEGER) + 1, coalesce(NEW.agent, ''), NEW.status, NEW.score, +1 FROM (SELECT ((NEW.first_answered_at + 60000 * coalesce((SELECT o.offset_minutes FROM time_zone_offsets o WHERE o.zone = (SELECT w.time_zone FROM workspaces w WHERE w.id = NEW.workspace_id) AND o.from_ms <= NEW.first_answered_at ORDER BY o.from_ms DESC LIMIT 1), 0)) / 86400000) AS day) d WHERE true
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
  INSERT INTO reports_property_month_counts (survey_id, name, month, value, status, score, n)
    SELECT NEW.survey_id, v.name, d.day - CAST(strftime('%d', d.day * 86400, 'unixepoch') AS INTEGER) + 1, v.value, NEW.status, NEW.score, +1
    FROM (SELECT ((NEW.first_answered_at + 60000 * coalesce((SELECT o.offset_minutes FROM time_zone_offsets o WHERE o.zone = (SELECT w.time_zone FROM workspaces w WHERE w.id = NEW.workspace_id) AND o.from_ms <= NEW.first_answered_at ORDER BY o.from_ms DESC LIMIT 1), 0)) / 86400000) AS day) d JOIN link_property_values v ON v.properties_id = NEW.properties_id WHERE NEW.properties_id IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
--> statement-breakpoint
CREATE TRIGGER `reports_responses_delete` AFTER DELETE ON `responses` WHEN OLD.revision > 0 BEGIN
  INSERT INTO reports_counts (survey_id, day, agent, status, score, n) VALUES (OLD.survey_id, ((OLD.first_answered_at + 60000 * coalesce((SELECT o.offset_minutes FROM time_zone_offsets o WHERE o.zone = (SELECT w.time_zone FROM workspaces w WHERE w.id = OLD.workspace_id) AND o.from_ms <= OLD.first_answered_at ORDER BY o.from_ms DESC LIMIT 1), 0)) / 86400000), coalesce(OLD.agent, ''), OLD.status, OLD.score, -1)
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
  INSERT INTO reports_day_counts (survey_id, day, status, score, n) VALUES (OLD.survey_id, ((OLD.first_answered_at + 60000 * coalesce((SELECT o.offset_minutes FROM time_zone_offsets o WHERE o.zone = (SELECT w.time_zone FROM workspaces w WHERE w.id = OLD.workspace_id) AND o.from_ms <= OLD.first_answered_at ORDER BY o.from_ms DESC LIMIT 1), 0)) / 86400000), OLD.status, OLD.score, -1)
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
  INSERT INTO reports_property_counts (survey_id, name, day, value, status, score, n)
    SELECT OLD.survey_id, v.name, d.day, v.value, OLD.status, OLD.score, -1
    FROM (SELECT ((OLD.first_answered_at + 60000 * coalesce((SELECT o.offset_minutes FROM time_zone_offsets o WHERE o.zone = (SELECT w.time_zone FROM workspaces w WHERE w.id = OLD.workspace_id) AND o.from_ms <= OLD.first_answered_at ORDER BY o.from_ms DESC LIMIT 1), 0)) / 86400000) AS day) d JOIN link_property_values v ON v.properties_id = OLD.properties_id WHERE OLD.properties_id IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
  INSERT INTO reports_month_counts (survey_id, month, agent, status, score, n)
    SELECT OLD.survey_id, d.day - CAST(strftime('%d', d.day * 86400, 'unixepoch') AS INTEGER) + 1, coalesce(OLD.agent, ''), OLD.status, OLD.score, -1 FROM (SELECT ((OLD.first_answered_at + 60000 * coalesce((SELECT o.offset_minutes FROM time_zone_offsets o WHERE o.zone = (SELECT w.time_zone FROM workspaces w WHERE w.id = OLD.workspace_id) AND o.from_ms <= OLD.first_answered_at ORDER BY o.from_ms DESC LIMIT 1), 0)) / 86400000) AS day) d WHERE true
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
  INSERT INTO reports_property_month_counts (survey_id, name, month, value, status, score, n)
    SELECT OLD.survey_id, v.name, d.day - CAST(strftime('%d', d.day * 86400, 'unixepoch') AS INTEGER) + 1, v.value, OLD.status, OLD.score, -1
    FROM (SELECT ((OLD.first_answered_at + 60000 * coalesce((SELECT o.offset_minutes FROM time_zone_offsets o WHERE o.zone = (SELECT w.time_zone FROM workspaces w WHERE w.id = OLD.workspace_id) AND o.from_ms <= OLD.first_answered_at ORDER BY o.from_ms DESC LIMIT 1), 0)) / 86400000) AS day) d JOIN link_property_values v ON v.properties_id = OLD.properties_id WHERE OLD.properties_id IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
--> statement-breakpoint
CREATE TRIGGER `reports_sends_insert` AFTER INSERT ON `reports_sends` BEGIN
  INSERT INTO reports_sent_days (survey_id, day, agent, n) VALUES (NEW.survey_id, ((NEW.minute * 60000 + 60000 * coalesce((SELECT o.offset_minutes FROM time_zone_offsets o WHERE o.zone = (SELECT w.time_zone FROM surveys s JOIN workspaces w ON w.id = s.workspace_id WHERE s.id = NEW.survey_id) AND o.from_ms <= NEW.minute * 60000 ORDER BY o.from_ms DESC LIMIT 1), 0)) / 86400000), NEW.agent, NEW.n)
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
  INSERT INTO reports_sent_property_days (survey_id, name, day, value, agent, n)
    SELECT NEW.survey_id, v.name, d.day, v.value, NEW.agent, NEW.n
    FROM (SELECT ((NEW.minute * 60000 + 60000 * coalesce((SELECT o.offset_minutes FROM time_zone_offsets o WHERE o.zone = (SELECT w.time_zone FROM surveys s JOIN workspaces w ON w.id = s.workspace_id WHERE s.id = NEW.survey_id) AND o.from_ms <= NEW.minute * 60000 ORDER BY o.from_ms DESC LIMIT 1), 0)) / 86400000) AS day) d JOIN link_property_values v ON v.properties_id = NEW.properties_id WHERE NEW.properties_id <> ''
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
--> statement-breakpoint
CREATE TRIGGER `reports_sends_update` AFTER UPDATE OF `n` ON `reports_sends` BEGIN
  INSERT INTO reports_sent_days (survey_id, day, agent, n) VALUES (NEW.survey_id, ((NEW.minute * 60000 + 60000 * coalesce((SELECT o.offset_minutes FROM time_zone_offsets o WHERE o.zone = (SELECT w.time_zone FROM surveys s JOIN workspaces w ON w.id = s.workspace_id WHERE s.id = NEW.survey_id) AND o.from_ms <= NEW.minute * 60000 ORDER BY o.from_ms DESC LIMIT 1), 0)) / 86400000), NEW.agent, NEW.n - OLD.n)
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
  INSERT INTO reports_sent_property_days (survey_id, name, day, value, agent, n)
    SELECT NEW.survey_id, v.name, d.day, v.value, NEW.agent, NEW.n - OLD.n
    FROM (SELECT ((NEW.minute * 60000 + 60000 * coalesce((SELECT o.offset_minutes FROM time_zone_offsets o WHERE o.zone = (SELECT w.time_zone FROM surveys s JOIN workspaces w ON w.id = s.workspace_id WHERE s.id = NEW.survey_id) AND o.from_ms <= NEW.minute * 60000 ORDER BY o.from_ms DESC LIMIT 1), 0)) / 86400000) AS day) d JOIN link_property_values v ON v.properties_id = NEW.properties_id WHERE NEW.properties_id <> ''
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
--> statement-breakpoint
-- Responses written before this migration: every workspace is on UTC until someone changes it.
INSERT INTO reports_counts (survey_id, day, agent, status, score, n)
  SELECT survey_id, first_answered_at / 86400000, coalesce(agent, ''), status, score, count(*) FROM responses WHERE revision > 0 GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
INSERT INTO reports_day_counts (survey_id, day, status, score, n)
  SELECT survey_id, first_answered_at / 86400000, status, score, count(*) FROM responses WHERE revision > 0 GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
INSERT INTO reports_month_counts (survey_id, month, agent, status, score, n)
  SELECT survey_id, day - CAST(strftime('%d', day * 86400, 'unixepoch') AS INTEGER) + 1, agent, status, score, sum(n) FROM reports_counts GROUP BY 1, 2, 3, 4, 5;
