import {
  DEFAULT_DUE_HOURS,
  FOLLOW_UP_PRIORITIES,
  FOLLOW_UP_RULES,
  FOLLOW_UP_STATUSES,
  type FollowUpPriority,
  type FollowUpRule,
  type FollowUpStatus,
} from '../../schema/followup-settings';
import type { WebhookEventType } from '../../schema/webhooks';
import { type Survey, updateSurveyFollowUpSettings } from '../db/surveys';
import { checkWebhookUrl, UnsafeUrlError } from '../lib/url-safety';
import {
  findMember,
  type FollowUpChange,
  type FollowUpLogRow,
  type FollowUpNoteRow,
  type FollowUpRow,
  followUpMetricRows,
  getFollowUpHistory,
  getFollowUpRow,
  getWorkspaceFollowUpSettings,
  listFollowUpRows,
  type OtherResponseRow,
  type PersonRef,
  listMemberAgentNames,
  queueOverdue,
  setMemberAgentNames,
  setWorkspaceFollowUpSettings,
  writeFollowUpChange,
} from '../db/followups';
import { CSV_BOM, csvRow } from '../lib/csv';
import { decodeKeyCursor, encodeKeyCursor, iso } from './representations';
import { AppError } from '../lib/errors';
import { LINE_BREAKING } from '../lib/fields';
import { answerLabel } from '../lib/i18n';
import { isId, newId } from '../lib/ids';
import type { Db } from '../db';
import type { FollowUpDetailJson, FollowUpJson, FollowUpMetricsJson, FollowUpNoteJson } from './schemas';

export type { FollowUpPriority, FollowUpStatus };

/**
 * Follow-ups (issue 16), shared by the API (`routes/api/followups.ts`), the team app and the CSV
 * export: one computation for all. They open by themselves (the triggers of migration 0019); here
 * people list, read and work them. `actorPersonId` is the person acting, or null for the system:
 * the API key acts as the system (its changes and notes are logged with no person).
 */
export interface FollowUpDeps {
  db: Db;
  clock: () => Date;
}

export interface FollowUpQuery {
  status?: FollowUpStatus[];
  priority?: FollowUpPriority[];
  owner?: 'me' | 'unassigned' | string /* person id */;
  survey?: string;
  overdue?: boolean;
  q?: string /* customer email or ticket ref */;
  sort?: 'due' | '-due' | 'created' | '-created';
  cursor?: string;
  limit?: number;
}

export type FollowUp = FollowUpJson;
export type FollowUpNote = FollowUpNoteJson;
export type FollowUpDetail = FollowUpDetailJson;
export type FollowUpLogEntry = FollowUpDetailJson['log'][number];

export interface FollowUpPatch {
  status?: FollowUpStatus;
  priority?: FollowUpPriority;
  /** A member's person id or sign-in email; null = unassigned. */
  owner?: string | null;
  /** Required when resolving: the root cause (from the workspace's list) and whether the problem was solved. */
  resolution?: { rootCause: string; solved: boolean };
}

export type FollowUpMetrics = FollowUpMetricsJson;

export const MAX_NOTE_LENGTH = 5000;
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
/** Follow-ups stamped overdue per sweep: a backlog is worked through over a few runs, never in one long write. */
export const OVERDUE_BATCH = 200;

function followUpJson(row: FollowUpRow, now: number): FollowUp {
  return {
    id: row.id,
    status: row.status,
    priority: row.priority,
    owner: row.owner,
    survey: { id: row.surveyId, name: row.surveyName, scale: row.scale },
    response: {
      id: row.response.id,
      subject: row.response.subject,
      recipient: row.response.recipient,
      agent: row.response.agent,
      score: row.response.score,
      label: answerLabel('en', row.scale, row.response.score).text,
      sentiment: row.response.sentiment,
      status: row.response.status,
      comment: row.response.comment,
      firstAnsweredAt: iso(row.response.firstAnsweredAt)!,
      lastAnsweredAt: iso(row.response.lastAnsweredAt)!,
    },
    dueAt: iso(row.dueAt)!,
    overdue: isOverdue(row, now),
    createdAt: iso(row.createdAt)!,
    updatedAt: iso(row.updatedAt)!,
    firstActionAt: iso(row.firstActionAt),
    resolvedAt: iso(row.resolvedAt),
    resolution: row.status === 'resolved' && row.rootCause !== null ? { rootCause: row.rootCause, solved: row.solved === true } : null,
  };
}

const isOverdue = (row: Pick<FollowUpRow, 'status' | 'dueAt'>, now: number) => row.status !== 'resolved' && row.dueAt <= now;

function noteJson(note: FollowUpNoteRow): FollowUpNote {
  return { id: note.id, author: note.author, text: note.text, at: iso(note.at)! };
}

function logJson(entry: FollowUpLogRow): FollowUpLogEntry {
  return { at: iso(entry.at)!, actor: entry.actor, action: entry.action, from: entry.from, to: entry.to };
}

function otherResponseJson(row: OtherResponseRow): FollowUpDetail['otherResponses'][number] {
  return {
    id: row.id,
    survey: { id: row.surveyId, name: row.surveyName },
    subject: row.subject,
    score: row.score,
    label: answerLabel('en', row.scale, row.score).text,
    sentiment: row.sentiment,
    status: row.status,
    firstAnsweredAt: iso(row.firstAnsweredAt)!,
  };
}

function checkedList<T extends string>(values: readonly T[] | undefined, allowed: readonly T[], field: string): T[] | undefined {
  if (values === undefined) return undefined;
  for (const value of values) {
    if (!allowed.includes(value)) throw new AppError('VALIDATION_FAILED', `"${field}" must be one or more of ${allowed.join(', ')}.`, { field });
  }
  return [...new Set(values)];
}

/** The filters of a query as the database reads them (checked: a bad value is a VALIDATION_FAILED, never a 500). */
function filtersOf(query: FollowUpQuery, viewerPersonId: string | null, now: number) {
  const sort = query.sort ?? 'due';
  if (!['due', '-due', 'created', '-created'].includes(sort)) throw new AppError('VALIDATION_FAILED', '"sort" must be due, -due, created or -created.', { field: 'sort' });
  const limit = query.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new AppError('VALIDATION_FAILED', `"limit" must be a whole number from 1 to ${MAX_LIMIT}.`, { field: 'limit' });
  let owner: string | null | undefined;
  if (query.owner === 'me') {
    if (!viewerPersonId) throw new AppError('VALIDATION_FAILED', '"owner=me" needs a signed-in person: an API key is no member. Pass a member id, or "unassigned".', { field: 'owner' });
    owner = viewerPersonId;
  } else if (query.owner === 'unassigned') owner = null;
  else if (query.owner !== undefined && query.owner !== '') {
    if (!isId('person', query.owner)) throw new AppError('VALIDATION_FAILED', '"owner" must be me, unassigned or a member id (per_…).', { field: 'owner' });
    owner = query.owner;
  }
  const q = query.q?.trim();
  if (q && (q.length > 320 || LINE_BREAKING.test(q))) throw new AppError('VALIDATION_FAILED', '"q" must be one line of at most 320 characters (a customer email or a ticket ref).', { field: 'q' });
  return {
    status: checkedList(query.status, FOLLOW_UP_STATUSES, 'status'),
    priority: checkedList(query.priority, FOLLOW_UP_PRIORITIES, 'priority'),
    owner,
    surveyId: query.survey || undefined,
    overdue: query.overdue,
    q: q || undefined,
    sort: sort as 'due' | '-due' | 'created' | '-created',
    now,
    limit,
    after: query.cursor ? decodeKeyCursor(query.cursor, { field: 'cursor' }) : undefined,
  };
}

/**
 * One page of a workspace's follow-ups: `{ data, next }`, `next` the opaque cursor of the following
 * page or null on the last. Sorted by due time (soonest first) unless `sort` says otherwise.
 */
export async function listFollowUps(deps: FollowUpDeps, workspaceId: string, query: FollowUpQuery, viewerPersonId: string | null): Promise<{ data: FollowUp[]; next: string | null }> {
  const now = deps.clock().getTime();
  const filters = filtersOf(query, viewerPersonId, now);
  const rows = await listFollowUpRows(deps.db, workspaceId, filters);
  const page = rows.slice(0, filters.limit);
  const last = page.at(-1);
  const keyOf = (row: FollowUpRow) => (filters.sort.endsWith('due') ? row.dueAt : row.createdAt);
  return { data: page.map((row) => followUpJson(row, now)), next: rows.length > filters.limit && last ? encodeKeyCursor(keyOf(last), last.id) : null };
}

async function mustGetRow(deps: FollowUpDeps, workspaceId: string, id: string): Promise<FollowUpRow> {
  const row = isId('followUp', id) ? await getFollowUpRow(deps.db, workspaceId, id) : null;
  if (!row) throw new AppError('NOT_FOUND', 'No follow-up with this id in your workspace.');
  return row;
}

/** One follow-up with its response, notes, log and the customer's other responses. */
export async function getFollowUp(deps: FollowUpDeps, workspaceId: string, id: string): Promise<FollowUpDetail> {
  const row = await mustGetRow(deps, workspaceId, id);
  const history = await getFollowUpHistory(deps.db, row);
  return {
    ...followUpJson(row, deps.clock().getTime()),
    notes: history.notes.map(noteJson),
    log: history.log.map(logJson),
    otherResponses: history.otherResponses.map(otherResponseJson),
  };
}

/**
 * Changes a follow-up's status, priority or owner, logging each change with its actor and queuing
 * `followup.assigned` (a new owner, or none) and `followup.resolved`. Resolving needs `resolution`
 * (a root cause from the workspace's list, and whether the problem was solved). A new priority
 * moves the due time (opening time + the workspace's hours for it). Nothing goes back to `new`.
 * Returns the follow-up as it is now, and whether webhooks were queued.
 */
export async function updateFollowUp(
  deps: FollowUpDeps,
  workspaceId: string,
  id: string,
  patch: FollowUpPatch,
  actorPersonId: string | null,
): Promise<FollowUpDetail & { webhooksQueued: boolean }> {
  const row = await mustGetRow(deps, workspaceId, id);
  const settings = await getWorkspaceFollowUpSettings(deps.db, workspaceId);
  const now = deps.clock().getTime();
  const change: FollowUpChange = { set: {}, log: [], events: [] };
  const events = new Set<WebhookEventType>();

  if (patch.status !== undefined && !FOLLOW_UP_STATUSES.includes(patch.status)) {
    throw new AppError('VALIDATION_FAILED', `"status" must be one of ${FOLLOW_UP_STATUSES.join(', ')}.`, { field: 'status' });
  }
  if (patch.priority !== undefined && !FOLLOW_UP_PRIORITIES.includes(patch.priority)) {
    throw new AppError('VALIDATION_FAILED', `"priority" must be one of ${FOLLOW_UP_PRIORITIES.join(', ')}.`, { field: 'priority' });
  }
  const status = patch.status ?? row.status;
  if (patch.status === 'new' && row.status !== 'new') throw new AppError('VALIDATION_FAILED', '"status" cannot go back to new: use open.', { field: 'status' });
  if (patch.resolution !== undefined && status !== 'resolved') {
    throw new AppError('VALIDATION_FAILED', '"resolution" is given only when resolving ("status": "resolved").', { field: 'resolution' });
  }
  if (patch.status === 'resolved' && row.status !== 'resolved' && patch.resolution === undefined) {
    throw new AppError('VALIDATION_FAILED', `"resolution" is required when resolving: {"rootCause": one of ${settings?.rootCauses.join(', ')}, "solved": true or false}.`, { field: 'resolution' });
  }
  if (patch.resolution !== undefined) {
    const { rootCause, solved } = patch.resolution;
    if (typeof rootCause !== 'string' || !settings?.rootCauses.includes(rootCause)) {
      throw new AppError('VALIDATION_FAILED', `"resolution.rootCause" must be one of your workspace's root causes: ${settings?.rootCauses.join(', ')}.`, { field: 'resolution.rootCause' });
    }
    if (typeof solved !== 'boolean') throw new AppError('VALIDATION_FAILED', '"resolution.solved" must be true or false.', { field: 'resolution.solved' });
  }

  if (patch.status !== undefined && patch.status !== row.status) {
    change.set.status = patch.status;
    change.log.push({ action: 'status', from: row.status, to: patch.status });
    if (row.firstActionAt === null) change.set.firstActionAt = now;
    if (patch.status === 'resolved') {
      change.set.resolvedAt = now;
      events.add('followup.resolved');
    } else if (row.status === 'resolved') {
      // Reopened by hand: the resolution no longer holds (the log keeps it).
      Object.assign(change.set, { resolvedAt: null, rootCause: null, solved: null });
    }
  }
  if (patch.resolution !== undefined && (patch.resolution.rootCause !== row.rootCause || patch.resolution.solved !== row.solved)) {
    change.set.rootCause = patch.resolution.rootCause;
    change.set.solved = patch.resolution.solved;
    change.log.push({ action: 'resolution', from: row.rootCause === null ? null : `${row.rootCause}; solved: ${row.solved}`, to: `${patch.resolution.rootCause}; solved: ${patch.resolution.solved}` });
  }
  if (patch.priority !== undefined && patch.priority !== row.priority) {
    change.set.priority = patch.priority;
    change.log.push({ action: 'priority', from: row.priority, to: patch.priority });
    const hours = settings?.dueHours[patch.priority] ?? DEFAULT_DUE_HOURS[patch.priority];
    change.set.dueAt = row.createdAt + hours * 3_600_000;
    // Told again when the new due time passes, if it is still ahead.
    if (change.set.dueAt > now) change.set.overdueNotifiedAt = null;
  }
  if (patch.owner !== undefined) {
    const owner = patch.owner === null ? null : await mustFindMember(deps, workspaceId, patch.owner);
    if ((owner?.id ?? null) !== (row.owner?.id ?? null)) {
      change.set.ownerPersonId = owner?.id ?? null;
      change.log.push({ action: 'owner', from: row.owner?.email ?? null, to: owner?.email ?? null });
      events.add('followup.assigned');
    }
  }
  change.events = [...events];
  let webhooksQueued = false;
  if (change.log.length) {
    const done = await writeFollowUpChange(deps.db, { workspaceId, id, responseId: row.responseId, actorPersonId, at: now, expectUpdatedAt: row.updatedAt, change });
    if (!done.written) throw new AppError('CONFLICT', 'The follow-up changed meanwhile: read it again and retry.');
    webhooksQueued = done.webhooksQueued;
  }
  return { ...(await getFollowUp(deps, workspaceId, id)), webhooksQueued };
}

async function mustFindMember(deps: FollowUpDeps, workspaceId: string, idOrEmail: unknown): Promise<PersonRef> {
  if (typeof idOrEmail !== 'string' || !idOrEmail.trim() || idOrEmail.length > 320) {
    throw new AppError('VALIDATION_FAILED', '"owner" must be a member id (per_…), a member\'s email, or null.', { field: 'owner' });
  }
  const member = await findMember(deps.db, workspaceId, idOrEmail.trim());
  // The same answer whether the person exists elsewhere or not at all: nothing leaks across workspaces.
  if (!member) throw new AppError('OWNER_NOT_A_MEMBER', 'The owner must be a member of your workspace (by id or email).', { field: 'owner' });
  return member;
}

/** Gives many follow-ups one owner (or none); returns how many changed. Ids not in the workspace are NOT_FOUND. */
export async function reassignFollowUps(deps: FollowUpDeps, workspaceId: string, ids: string[], owner: string | null, actorPersonId: string | null): Promise<number> {
  if (owner !== null) await mustFindMember(deps, workspaceId, owner);
  const rows = await Promise.all([...new Set(ids)].map((id) => mustGetRow(deps, workspaceId, id)));
  let changed = 0;
  for (const row of rows) {
    const before = row.owner?.id ?? null;
    const after = await updateFollowUp(deps, workspaceId, row.id, { owner }, actorPersonId);
    if ((after.owner?.id ?? null) !== before) changed++;
  }
  return changed;
}

/** Adds a note (1 to 5,000 characters) and marks the follow-up touched. */
export async function addFollowUpNote(deps: FollowUpDeps, workspaceId: string, id: string, text: unknown, actorPersonId: string | null): Promise<FollowUpNote> {
  if (typeof text !== 'string' || !text.trim()) throw new AppError('VALIDATION_FAILED', '"text" is required: the note.', { field: 'text' });
  if (text.length > MAX_NOTE_LENGTH) throw new AppError('VALIDATION_FAILED', `"text" must be at most ${MAX_NOTE_LENGTH} characters.`, { field: 'text' });
  const row = await mustGetRow(deps, workspaceId, id);
  const now = deps.clock().getTime();
  const note = { id: newId('followUpNote'), text: text.trim() };
  const done = await writeFollowUpChange(deps.db, {
    workspaceId,
    id,
    responseId: row.responseId,
    actorPersonId,
    at: now,
    expectUpdatedAt: row.updatedAt,
    change: { set: {}, log: [{ action: 'note', from: null, to: note.id }], note, events: [] },
  });
  if (!done.written) throw new AppError('CONFLICT', 'The follow-up changed meanwhile: retry.');
  const author = actorPersonId ? (await findMember(deps.db, workspaceId, actorPersonId)) : null;
  return { id: note.id, author, text: note.text, at: iso(now)! };
}

function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The loop's figures for follow-ups opened in [from, to) (of one survey, if given): open and
 * overdue counts, medians to first action and to resolution, the share resolved by the due time,
 * and the recovery rate (see `FollowUpMetrics`). Self-contained: reports call it as it is.
 */
export async function followUpMetrics(deps: FollowUpDeps, workspaceId: string, range: { surveyId?: string; from: number; to: number }): Promise<FollowUpMetrics> {
  if (!Number.isFinite(range.from) || !Number.isFinite(range.to) || range.from >= range.to) {
    throw new AppError('VALIDATION_FAILED', '"from" must be before "to".', { field: 'from' });
  }
  const now = deps.clock().getTime();
  const { followUps, recovery } = await followUpMetricRows(deps.db, workspaceId, range);
  const resolved = followUps.filter((f) => f.status === 'resolved' && f.resolvedAt !== null);
  const open = followUps.filter((f) => f.status !== 'resolved');
  const overdue = open.filter((f) => f.dueAt <= now);
  const judged = resolved.length + overdue.length;
  return {
    from: iso(range.from)!,
    to: iso(range.to)!,
    open: open.length,
    overdue: overdue.length,
    medianFirstActionMs: median(followUps.filter((f) => f.firstActionAt !== null).map((f) => f.firstActionAt! - f.createdAt)),
    medianResolutionMs: median(resolved.map((f) => f.resolvedAt! - f.createdAt)),
    resolvedWithinDueShare: judged ? resolved.filter((f) => f.resolvedAt! <= f.dueAt).length / judged : null,
    recoveryRate: recovery.withNext ? recovery.recovered / recovery.withNext : null,
    recovery: { customers: recovery.customers, withNextResponse: recovery.withNext, recovered: recovery.recovered },
    opened: followUps.length,
    resolved: resolved.length,
  };
}

const CSV_HEADER = ['id', 'status', 'priority', 'owner', 'survey', 'ticket', 'customer', 'agent', 'answer', 'label', 'sentiment', 'comment', 'created', 'due', 'overdue', 'resolved', 'root cause', 'solved'];

/**
 * The follow-ups a query selects (every page of it, whatever `limit` and `cursor` say) as CSV,
 * with the rules of the responses export (`lib/csv.ts`: formula cells neutralised, UTF-8 BOM),
 * streamed a page at a time. VALIDATION_FAILED at once, before the stream, for a bad query.
 */
export function exportFollowUpsCsv(deps: FollowUpDeps, workspaceId: string, query: FollowUpQuery, viewerPersonId: string | null): ReadableStream<Uint8Array> {
  // A query the list would refuse is refused here, before the stream exists: never half a file.
  filtersOf({ ...query, limit: MAX_LIMIT }, viewerPersonId, deps.clock().getTime());
  const encoder = new TextEncoder();
  let cursor: string | undefined;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(CSV_BOM + csvRow(CSV_HEADER)));
      }
      const page = await listFollowUps(deps, workspaceId, { ...query, cursor, limit: MAX_LIMIT }, viewerPersonId);
      const text = page.data
        .map((f) =>
          csvRow([
            f.id, f.status, f.priority, f.owner?.email ?? null, f.survey.name, f.response.subject, f.response.recipient, f.response.agent,
            f.response.score, f.response.label, f.response.sentiment, f.response.comment, f.createdAt, f.dueAt, f.overdue, f.resolvedAt,
            f.resolution?.rootCause ?? null, f.resolution ? f.resolution.solved : null,
          ]),
        )
        .join('');
      if (text) controller.enqueue(encoder.encode(text));
      if (!page.next) controller.close();
      else cursor = page.next;
    },
  });
}

/**
 * Queues `followup.overdue` for follow-ups whose due time passed (once each, `OVERDUE_BATCH` at a
 * time), from the dispatcher's runs: the Node timer and the Workers Cron Trigger. Returns whether
 * deliveries were queued.
 */
export async function sweepOverdueFollowUps(deps: FollowUpDeps): Promise<boolean> {
  let queued = false;
  for (let round = 0; round < 5; round++) {
    const { stamped, webhooksQueued } = await queueOverdue(deps.db, deps.clock().getTime(), OVERDUE_BATCH);
    queued ||= webhooksQueued;
    if (stamped < OVERDUE_BATCH) break;
  }
  return queued;
}

/** What an admin may change of a survey's follow-ups (the API takes `followUps` and `reviewUrl`; the team app all four). */
export interface SurveyFollowUpInput {
  followUps?: FollowUpRule;
  /** https only, a public host (the webhook URL checks), or null to remove it. */
  reviewUrl?: string | null;
  /** A member by id or email, or null. */
  defaultOwner?: string | null;
  /** Answer → priority (`{"0": "critical"}`); answers not named take the default; null = the default for all. */
  priorities?: Record<string, FollowUpPriority> | null;
}

/** Checks and stores a survey's follow-up settings; returns the survey as stored. */
export async function changeSurveyFollowUps(deps: FollowUpDeps, workspaceId: string, surveyId: string, input: SurveyFollowUpInput): Promise<Survey> {
  if (input.followUps !== undefined && !FOLLOW_UP_RULES.includes(input.followUps)) {
    throw new AppError('VALIDATION_FAILED', `"followUps" must be one of ${FOLLOW_UP_RULES.join(', ')}.`, { field: 'followUps' });
  }
  let reviewUrl: string | null | undefined = input.reviewUrl;
  if (typeof reviewUrl === 'string') {
    try {
      // Review pages are public https pages: the same checks as a webhook URL, never plain http.
      reviewUrl = checkWebhookUrl(reviewUrl.trim(), { allowInsecure: false });
    } catch (error) {
      if (error instanceof UnsafeUrlError) throw new AppError('VALIDATION_FAILED', `"reviewUrl" is not allowed: ${error.message}.`, { field: 'reviewUrl' });
      throw error;
    }
  }
  let defaultOwnerPersonId: string | null | undefined;
  if (input.defaultOwner !== undefined) defaultOwnerPersonId = input.defaultOwner === null ? null : (await mustFindMember(deps, workspaceId, input.defaultOwner)).id;
  if (input.priorities) {
    for (const [answer, priority] of Object.entries(input.priorities)) {
      if (!/^\d{1,2}$/.test(answer) || !FOLLOW_UP_PRIORITIES.includes(priority)) {
        throw new AppError('VALIDATION_FAILED', `"priorities" maps answers to one of ${FOLLOW_UP_PRIORITIES.join(', ')}.`, { field: 'priorities' });
      }
    }
  }
  const survey = await updateSurveyFollowUpSettings(deps.db, workspaceId, surveyId, {
    followUps: input.followUps,
    reviewUrl,
    defaultOwnerPersonId,
    followUpPriorities: input.priorities,
  });
  if (!survey) throw new AppError('NOT_FOUND', 'No survey with this id in your workspace.');
  return survey;
}

/** Bounds of the workspace settings: a due time within a year, a short list of short root causes. */
const MAX_DUE_HOURS = 24 * 365;
const MAX_ROOT_CAUSES = 30;
const MAX_ROOT_CAUSE_LENGTH = 60;
const MAX_AGENT_NAMES = 20;
const MAX_AGENT_NAME_LENGTH = 100;

/** The workspace's follow-up settings: due hours per priority and the root causes a resolution picks from. */
export async function getFollowUpSettings(deps: FollowUpDeps, workspaceId: string): Promise<{ dueHours: Record<FollowUpPriority, number>; rootCauses: string[] }> {
  const settings = await getWorkspaceFollowUpSettings(deps.db, workspaceId);
  if (!settings) throw new AppError('NOT_FOUND', 'No such workspace.');
  // A priority the stored JSON lacks falls back to the default, as the opening trigger does.
  return { dueHours: { ...DEFAULT_DUE_HOURS, ...settings.dueHours }, rootCauses: settings.rootCauses };
}

/**
 * Changes the workspace's due hours (whole hours, 1 to a year, per priority; those not given stay)
 * and root-cause list (1 to 30 distinct one-line names). Follow-ups already open keep their due
 * time; resolved ones keep their root cause even when it leaves the list.
 */
export async function changeFollowUpSettings(
  deps: FollowUpDeps,
  workspaceId: string,
  input: { dueHours?: Partial<Record<FollowUpPriority, number>>; rootCauses?: string[] },
): Promise<{ dueHours: Record<FollowUpPriority, number>; rootCauses: string[] }> {
  const current = await getFollowUpSettings(deps, workspaceId);
  let dueHours: Record<FollowUpPriority, number> | undefined;
  if (input.dueHours !== undefined) {
    dueHours = { ...current.dueHours };
    for (const [priority, hours] of Object.entries(input.dueHours)) {
      if (!FOLLOW_UP_PRIORITIES.includes(priority as FollowUpPriority)) {
        throw new AppError('VALIDATION_FAILED', `"dueHours" has a key per priority: ${FOLLOW_UP_PRIORITIES.join(', ')}.`, { field: 'dueHours' });
      }
      if (!Number.isInteger(hours) || hours! < 1 || hours! > MAX_DUE_HOURS) {
        throw new AppError('VALIDATION_FAILED', `"dueHours.${priority}" must be a whole number of hours from 1 to ${MAX_DUE_HOURS}.`, { field: `dueHours.${priority}` });
      }
      dueHours[priority as FollowUpPriority] = hours!;
    }
  }
  let rootCauses: string[] | undefined;
  if (input.rootCauses !== undefined) {
    rootCauses = [...new Set((Array.isArray(input.rootCauses) ? input.rootCauses : []).map((cause) => (typeof cause === 'string' ? cause.trim() : '')))];
    const bad = !Array.isArray(input.rootCauses) || rootCauses.length < 1 || rootCauses.length > MAX_ROOT_CAUSES || rootCauses.some((cause) => !cause || cause.length > MAX_ROOT_CAUSE_LENGTH || LINE_BREAKING.test(cause));
    if (bad) {
      throw new AppError('VALIDATION_FAILED', `"rootCauses" must be 1 to ${MAX_ROOT_CAUSES} names of one line, at most ${MAX_ROOT_CAUSE_LENGTH} characters each.`, { field: 'rootCauses' });
    }
  }
  await setWorkspaceFollowUpSettings(deps.db, workspaceId, { dueHours, rootCauses });
  return getFollowUpSettings(deps, workspaceId);
}

/** Each member's agent names in the workspace, by person id. */
export async function agentNamesOf(deps: FollowUpDeps, workspaceId: string): Promise<Map<string, string[]>> {
  const names = new Map<string, string[]>();
  for (const { personId, name } of await listMemberAgentNames(deps.db, workspaceId)) names.set(personId, [...(names.get(personId) ?? []), name]);
  return names;
}

/**
 * Replaces the names a member goes by in the help desk (`maria`, `Maria Rossi`): a response whose
 * `agent` is one of them (case-insensitively, ASCII letters) opens its follow-up with that member
 * as owner. A name another member of the workspace already has is a CONFLICT.
 */
export async function changeAgentNames(deps: FollowUpDeps, workspaceId: string, personId: string, names: string[]): Promise<string[]> {
  const member = await findMember(deps.db, workspaceId, personId);
  if (!member || member.id !== personId) throw new AppError('NOT_FOUND', 'No member with this id in your workspace.');
  const cleaned: string[] = [];
  const keys = new Set<string>();
  for (const raw of Array.isArray(names) ? names : [null]) {
    const name = typeof raw === 'string' ? raw.trim() : '';
    if (!name || name.length > MAX_AGENT_NAME_LENGTH || LINE_BREAKING.test(name)) {
      throw new AppError('VALIDATION_FAILED', `"agentNames" must be names of one line, at most ${MAX_AGENT_NAME_LENGTH} characters each.`, { field: 'agentNames' });
    }
    // SQLite's lower() folds ASCII letters only: the key is made the way the trigger compares.
    const key = name.replace(/[A-Z]/g, (c) => c.toLowerCase());
    if (!keys.has(key)) cleaned.push(name);
    keys.add(key);
  }
  if (cleaned.length > MAX_AGENT_NAMES) throw new AppError('VALIDATION_FAILED', `"agentNames" holds at most ${MAX_AGENT_NAMES} names.`, { field: 'agentNames' });
  const taken = [...(await agentNamesOf(deps, workspaceId)).entries()].filter(([id]) => id !== personId).flatMap(([, list]) => list);
  const clash = taken.find((name) => keys.has(name.replace(/[A-Z]/g, (c) => c.toLowerCase())));
  if (clash) throw new AppError('CONFLICT', `Another member already goes by "${clash}".`, { field: 'agentNames' });
  try {
    await setMemberAgentNames(deps.db, workspaceId, personId, cleaned);
  } catch (error) {
    // A concurrent change gave the name to someone else first (the unique index per workspace).
    if (/UNIQUE/i.test(String(error))) throw new AppError('CONFLICT', 'Another member already goes by one of these names.', { field: 'agentNames' });
    throw error;
  }
  return cleaned;
}
