/** The values of follow-ups (issue 16), apart from the tables so `workspaces.ts` and `surveys.ts` can use them. */

export const FOLLOW_UP_STATUSES = ['new', 'open', 'resolved', 'escalated'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];

export const FOLLOW_UP_PRIORITIES = ['low', 'medium', 'high', 'critical'] as const;
export type FollowUpPriority = (typeof FOLLOW_UP_PRIORITIES)[number];

/** A survey's rule: which counted answers open a follow-up (NPS passives are `neutral`). */
export const FOLLOW_UP_RULES = ['negative', 'negative-and-neutral', 'off'] as const;
export type FollowUpRule = (typeof FOLLOW_UP_RULES)[number];

/** Hours from opening to due, per priority, unless the workspace changed them. */
export const DEFAULT_DUE_HOURS: Record<FollowUpPriority, number> = { critical: 4, high: 24, medium: 72, low: 168 };

/** The root causes a resolution picks from, unless the workspace changed the list. */
export const DEFAULT_ROOT_CAUSES = ['product', 'service', 'billing', 'delivery', 'communication', 'other'] as const;

/** What the log records (`followup_log.action`). */
export const FOLLOW_UP_LOG_ACTIONS = ['created', 'status', 'priority', 'owner', 'answer', 'withdrawn', 'reopened', 'resolution', 'note'] as const;
export type FollowUpLogAction = (typeof FOLLOW_UP_LOG_ACTIONS)[number];
