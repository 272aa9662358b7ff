CREATE TABLE `followup_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`followup_id` text NOT NULL,
	`at` integer NOT NULL,
	`actor_person_id` text,
	`action` text NOT NULL,
	`from` text,
	`to` text,
	FOREIGN KEY (`followup_id`) REFERENCES `followups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`actor_person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `followup_log_followup_id_idx` ON `followup_log` (`followup_id`,`id`);--> statement-breakpoint
CREATE INDEX `followup_log_actor_person_id_idx` ON `followup_log` (`actor_person_id`);--> statement-breakpoint
CREATE TABLE `followup_notes` (
	`id` text PRIMARY KEY NOT NULL,
	`followup_id` text NOT NULL,
	`person_id` text,
	`text` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`followup_id`) REFERENCES `followups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `followup_notes_followup_id_idx` ON `followup_notes` (`followup_id`,`at`);--> statement-breakpoint
CREATE INDEX `followup_notes_person_id_idx` ON `followup_notes` (`person_id`);--> statement-breakpoint
CREATE TABLE `followups` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`survey_id` text NOT NULL,
	`response_id` text NOT NULL,
	`status` text DEFAULT 'new' NOT NULL,
	`priority` text NOT NULL,
	`owner_person_id` text,
	`due_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`first_action_at` integer,
	`resolved_at` integer,
	`root_cause` text,
	`solved` integer,
	`overdue_notified_at` integer,
	`touched` integer DEFAULT false NOT NULL,
	`created_cause_id` text,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`survey_id`) REFERENCES `surveys`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`response_id`) REFERENCES `responses`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`owner_person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `followups_response_id_idx` ON `followups` (`response_id`);--> statement-breakpoint
CREATE INDEX `followups_workspace_id_idx` ON `followups` (`workspace_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `followups_owner_idx` ON `followups` (`workspace_id`,`owner_person_id`,`due_at`);--> statement-breakpoint
CREATE INDEX `followups_survey_id_idx` ON `followups` (`survey_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `followups_due_idx` ON `followups` (`due_at`) WHERE "followups"."overdue_notified_at" IS NULL AND "followups"."status" <> 'resolved';--> statement-breakpoint
CREATE INDEX `followups_overdue_notified_idx` ON `followups` (`overdue_notified_at`);--> statement-breakpoint
CREATE INDEX `followups_owner_person_id_idx` ON `followups` (`owner_person_id`);--> statement-breakpoint
CREATE TABLE `member_agent_names` (
	`workspace_id` text NOT NULL,
	`person_id` text NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `member_agent_names_key_idx` ON `member_agent_names` (`workspace_id`,`name_key`);--> statement-breakpoint
CREATE INDEX `member_agent_names_person_idx` ON `member_agent_names` (`person_id`);--> statement-breakpoint
ALTER TABLE `workspaces` ADD `follow_up_due_hours` text DEFAULT '{"critical":4,"high":24,"medium":72,"low":168}' NOT NULL;--> statement-breakpoint
ALTER TABLE `workspaces` ADD `follow_up_root_causes` text DEFAULT '["product","service","billing","delivery","communication","other"]' NOT NULL;--> statement-breakpoint
ALTER TABLE `surveys` ADD `follow_ups` text DEFAULT 'negative' NOT NULL;--> statement-breakpoint
ALTER TABLE `surveys` ADD `review_url` text;--> statement-breakpoint
ALTER TABLE `surveys` ADD `default_owner_person_id` text;--> statement-breakpoint
ALTER TABLE `surveys` ADD `follow_up_priorities` text;--> statement-breakpoint
ALTER TABLE `webhook_endpoints` ADD `format` text DEFAULT 'standard' NOT NULL;--> statement-breakpoint
-- Follow-ups follow their response (issue 16). One trigger on the columns the derive step writes
-- (db/responses.ts, `deriveStatements`), so that every write that changes a response's answer or
-- status (a click, the outage queue's consumer, a thank-you confirmation or comment, a burst
-- sweep, an admin override) opens, logs, reopens or withdraws its follow-up inside its own atomic
-- write, with no code of its own and no extra round trip. It runs only when the status or the
-- answer really changed (the derive step sets them on every click), and only for a response that
-- may qualify or already has a follow-up: a happy customer's click costs one index probe.
--
-- "Qualifies": counted, and negative (or neutral too under `negative-and-neutral`; NPS passives
-- are neutral, schema/scales.ts); `off` qualifies nothing. The time of the change is the latest
-- event of the response (the write that changed it has just added or reclassified one; the
-- response_events_response_id_idx index answers max(at) at once), so the rules follow the app's
-- injected clock. Due hours and priorities fall back to the defaults when a workspace or survey
-- holds none for a priority or an answer, so bad settings can never fail a click.
-- The default priority: NPS 0-3 and the lowest answer of the other scales (thumbs 0, else 1) high.
-- Statements, in order: (1) a change of the counted answer is logged; (2) a resolved follow-up
-- whose response qualifies again reopens (logged, a fresh due time, told again when overdue);
-- (3) a vote withdrawn (counted -> bot or pending) is logged on a follow-up someone touched, and
-- withdraws one nobody touched, with its log and the never-attempted deliveries of its events;
-- (4) a response that qualifies and has none opens one (owner: the member whose agent name
-- matches, else the survey's default owner if still a member, else none), logged as created.
CREATE TRIGGER `followups_follow_response` AFTER UPDATE OF `status`, `score`, `sentiment` ON `responses`
WHEN (OLD.status <> NEW.status OR OLD.score <> NEW.score OR OLD.sentiment <> NEW.sentiment)
  AND ((NEW.status = 'counted' AND NEW.sentiment <> 'positive') OR EXISTS (SELECT 1 FROM followups f WHERE f.response_id = NEW.id))
BEGIN
  INSERT INTO followup_log (followup_id, at, actor_person_id, action, "from", "to")
  SELECT f.id, coalesce((SELECT max(e.at) FROM response_events e WHERE e.response_id = NEW.id), NEW.last_answered_at), NULL, 'answer',
    CASE WHEN OLD.status = 'counted' THEN OLD.score END, NEW.score
  FROM followups f
  WHERE f.response_id = NEW.id AND NEW.status = 'counted' AND (OLD.status <> 'counted' OR OLD.score <> NEW.score);

  INSERT INTO followup_log (followup_id, at, actor_person_id, action, "from", "to")
  SELECT f.id, coalesce((SELECT max(e.at) FROM response_events e WHERE e.response_id = NEW.id), NEW.last_answered_at), NULL, 'reopened', 'resolved', 'open'
  FROM followups f JOIN surveys s ON s.id = NEW.survey_id
  WHERE f.response_id = NEW.id AND f.status = 'resolved'
    AND NEW.status = 'counted' AND s.follow_ups <> 'off'
    AND (NEW.sentiment = 'negative' OR (NEW.sentiment = 'neutral' AND s.follow_ups = 'negative-and-neutral'))
    AND NOT (OLD.status = 'counted' AND (OLD.sentiment = 'negative' OR (OLD.sentiment = 'neutral' AND s.follow_ups = 'negative-and-neutral')));

  UPDATE followups SET
    status = 'open', resolved_at = NULL, root_cause = NULL, solved = NULL, overdue_notified_at = NULL,
    updated_at = coalesce((SELECT max(e.at) FROM response_events e WHERE e.response_id = NEW.id), NEW.last_answered_at),
    due_at = coalesce((SELECT max(e.at) FROM response_events e WHERE e.response_id = NEW.id), NEW.last_answered_at)
      + 3600000 * coalesce((SELECT json_extract(w.follow_up_due_hours, '$.' || followups.priority) FROM workspaces w WHERE w.id = NEW.workspace_id),
                           CASE followups.priority WHEN 'critical' THEN 4 WHEN 'high' THEN 24 WHEN 'medium' THEN 72 ELSE 168 END)
  WHERE response_id = NEW.id AND status = 'resolved'
    AND EXISTS (SELECT 1 FROM surveys s WHERE s.id = NEW.survey_id
      AND NEW.status = 'counted' AND s.follow_ups <> 'off'
      AND (NEW.sentiment = 'negative' OR (NEW.sentiment = 'neutral' AND s.follow_ups = 'negative-and-neutral'))
      AND NOT (OLD.status = 'counted' AND (OLD.sentiment = 'negative' OR (OLD.sentiment = 'neutral' AND s.follow_ups = 'negative-and-neutral'))));

  INSERT INTO followup_log (followup_id, at, actor_person_id, action, "from", "to")
  SELECT f.id, coalesce((SELECT max(e.at) FROM response_events e WHERE e.response_id = NEW.id), NEW.last_answered_at), NULL, 'withdrawn', OLD.status, NEW.status
  FROM followups f
  WHERE f.response_id = NEW.id AND f.touched AND OLD.status = 'counted' AND NEW.status <> 'counted';

  DELETE FROM webhook_deliveries
  WHERE OLD.status = 'counted' AND NEW.status <> 'counted'
    AND EXISTS (SELECT 1 FROM followups f WHERE f.response_id = NEW.id AND NOT f.touched)
    AND event_id IN (SELECT ev.id FROM webhook_events ev WHERE ev.response_id = NEW.id AND ev.type LIKE 'followup.%')
    AND +status = 'pending' AND attempts = 0 AND claimed_by IS NULL;

  DELETE FROM followup_log
  WHERE OLD.status = 'counted' AND NEW.status <> 'counted'
    AND followup_id IN (SELECT f.id FROM followups f WHERE f.response_id = NEW.id AND NOT f.touched);

  DELETE FROM followup_notes
  WHERE OLD.status = 'counted' AND NEW.status <> 'counted'
    AND followup_id IN (SELECT f.id FROM followups f WHERE f.response_id = NEW.id AND NOT f.touched);

  DELETE FROM followups
  WHERE response_id = NEW.id AND NOT touched AND OLD.status = 'counted' AND NEW.status <> 'counted';

  INSERT INTO followups (id, workspace_id, survey_id, response_id, status, priority, owner_person_id, due_at, created_at, updated_at, created_cause_id)
  SELECT 'fu_' || lower(hex(randomblob(10))), NEW.workspace_id, NEW.survey_id, NEW.id, 'new', p.priority,
    coalesce(
      (SELECT a.person_id FROM member_agent_names a JOIN memberships m ON m.person_id = a.person_id AND m.workspace_id = a.workspace_id
        WHERE a.workspace_id = NEW.workspace_id AND a.name_key = lower(trim(NEW.agent))),
      (SELECT m.person_id FROM memberships m WHERE m.person_id = p.default_owner AND m.workspace_id = NEW.workspace_id)),
    p.at + 3600000 * coalesce((SELECT json_extract(w.follow_up_due_hours, '$.' || p.priority) FROM workspaces w WHERE w.id = NEW.workspace_id),
                              CASE p.priority WHEN 'critical' THEN 4 WHEN 'high' THEN 24 WHEN 'medium' THEN 72 ELSE 168 END),
    p.at, p.at, NEW.counted_cause_id
  FROM (SELECT
          CASE WHEN json_extract(s.follow_up_priorities, '$."' || NEW.score || '"') IN ('low', 'medium', 'high', 'critical')
               THEN json_extract(s.follow_up_priorities, '$."' || NEW.score || '"')
               WHEN NEW.score <= CASE s.scale WHEN 'nps' THEN 3 WHEN 'thumbs' THEN 0 ELSE 1 END THEN 'high'
               ELSE 'medium' END AS priority,
          s.default_owner_person_id AS default_owner,
          coalesce((SELECT max(e.at) FROM response_events e WHERE e.response_id = NEW.id), NEW.last_answered_at) AS at
        FROM surveys s
        WHERE s.id = NEW.survey_id AND NEW.status = 'counted' AND s.follow_ups <> 'off'
          AND (NEW.sentiment = 'negative' OR (NEW.sentiment = 'neutral' AND s.follow_ups = 'negative-and-neutral'))) p
  WHERE NOT EXISTS (SELECT 1 FROM followups f WHERE f.response_id = NEW.id);

  INSERT INTO followup_log (followup_id, at, actor_person_id, action, "from", "to")
  SELECT f.id, f.created_at, NULL, 'created', NULL, NEW.score
  FROM followups f
  WHERE f.response_id = NEW.id AND NOT EXISTS (SELECT 1 FROM followup_log l WHERE l.followup_id = f.id);
END;
--> statement-breakpoint
-- Deleting a response (the erasure of a customer's data) deletes its follow-up, notes and log in
-- the same statement: erasure needs to know nothing about follow-ups. BEFORE, as the follow-up
-- holds a foreign key to the response.
CREATE TRIGGER `followups_erase_with_response` BEFORE DELETE ON `responses`
BEGIN
  DELETE FROM followup_log WHERE followup_id IN (SELECT id FROM followups WHERE response_id = OLD.id);
  DELETE FROM followup_notes WHERE followup_id IN (SELECT id FROM followups WHERE response_id = OLD.id);
  DELETE FROM followups WHERE response_id = OLD.id;
END;
