import { Hono } from 'hono';
import type { AppContext, AppDeps } from '../../app-env';
import type { AppLocale } from '../../../schema';
import { FOLLOW_UP_PRIORITIES, FOLLOW_UP_RULES, FOLLOW_UP_STATUSES, type FollowUpPriority, type FollowUpRule, type FollowUpStatus } from '../../../schema/followup-settings';
import { scaleAnswers, type Scale } from '../../../schema/scales';
import { listMembers } from '../../db/members';
import { reviewClickCounts } from '../../db/review-clicks';
import { listSurveys, type Survey } from '../../db/surveys';
import { AppError } from '../../lib/errors';
import { LINE_BREAKING } from '../../lib/fields';
import { answerLabel } from '../../lib/i18n';
import { addFollowUpNote, changeFollowUpSettings, changeSurveyFollowUps, exportFollowUpsCsv, type FollowUp, type FollowUpDetail, type FollowUpQuery, getFollowUp, getFollowUpSettings, listFollowUps, MAX_NOTE_LENGTH, reassignFollowUps, updateFollowUp } from '../../services/followups';
import { requireManager } from '../../services/members';
import { getResponseWithEvents } from '../../services/responses';
import type { FieldError, Viewer } from '../../pages/app/layout';
import type { AppMessages } from '../../pages/app/messages';
import {
  EMPTY_FOLLOW_UP_FORM,
  EMPTY_INBOX_FILTERS,
  type FollowUpFormValues,
  followUpPage,
  type FollowUpRow,
  followUpSettingsPage,
  type FollowUpSettingsValues,
  INBOX_SORTS,
  INBOX_VIEWS,
  type InboxFilters,
  inboxPage,
  inboxQuery,
  type InboxView,
  priorityField,
  surveyFollowUpSection,
  type SurveyFollowUpValues,
} from '../../pages/app/followup-pages';
import { deliverSoon } from '../deliver-soon';
import { readFormFields, readFormLists } from '../read-form';
import { actorOf, localeOf, requireSession, type TeamContext, type TeamEnv, viewerOf } from './context';

/** One page of the inbox. */
const INBOX_PAGE_SIZE = 50;

/** Notices after a redirect (`?done=…`): only these keys, never text from the URL. */
const FOLLOW_UP_NOTICES = ['saved', 'noteAdded', 'reassigned'] as const;

function followUpNotice(c: TeamContext, t: AppMessages): string | null {
  const key = c.req.query('done');
  if (key === 'reassigned') {
    const n = Number(c.req.query('n'));
    return t.followUps.reassigned(Number.isInteger(n) && n >= 0 ? n : 0);
  }
  return FOLLOW_UP_NOTICES.find((k) => k === key) ? t.followUps[key as 'saved' | 'noteAdded'] : null;
}

/** The inbox's view and filters from a query string, as typed (unknown keys are dropped). */
function inboxInput(params: URLSearchParams): { view: InboxView; filters: InboxFilters; cursor: string } {
  const view = INBOX_VIEWS.find((v) => v === params.get('view')) ?? 'mine';
  const filters = { ...EMPTY_INBOX_FILTERS };
  for (const key of Object.keys(filters) as (keyof InboxFilters)[]) {
    const value = params.get(key);
    if (value !== null) filters[key] = value.slice(0, 400);
  }
  return { view, filters, cursor: params.get('cursor') ?? '' };
}

/**
 * The service's query for a view and its filters, or the filters' problems as field errors. The
 * service checks them again (the API's rules); this names the field the page shows.
 */
function inboxQueryOf(t: AppMessages, view: InboxView, filters: InboxFilters, cursor: string): { query: FollowUpQuery; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const f = t.followUps;
  let status: FollowUpStatus[] | undefined;
  if (filters.status === 'active' || filters.status === '') status = FOLLOW_UP_STATUSES.filter((s) => s !== 'resolved');
  else if (filters.status === 'any') status = undefined;
  else if ((FOLLOW_UP_STATUSES as readonly string[]).includes(filters.status)) status = [filters.status as FollowUpStatus];
  else errors.push({ field: 'status', message: t.errors.responseStatus });
  let priority: FollowUpPriority[] | undefined;
  if ((FOLLOW_UP_PRIORITIES as readonly string[]).includes(filters.priority)) priority = [filters.priority as FollowUpPriority];
  else if (filters.priority !== '') errors.push({ field: 'priority', message: f.errors.priority });
  if (!(INBOX_SORTS as readonly string[]).includes(filters.sort)) errors.push({ field: 'sort', message: f.errors.sort });
  if (filters.q.length > 320 || LINE_BREAKING.test(filters.q)) errors.push({ field: 'q', message: f.errors.q });
  const owner = view === 'mine' ? 'me' : view === 'unassigned' ? 'unassigned' : filters.owner || undefined;
  return {
    query: {
      status,
      priority,
      owner,
      survey: filters.survey || undefined,
      overdue: filters.overdue === '1' ? true : undefined,
      q: filters.q.trim() || undefined,
      sort: filters.sort as FollowUpQuery['sort'],
      cursor: cursor || undefined,
      limit: INBOX_PAGE_SIZE,
    },
    errors,
  };
}

/** A service's VALIDATION_FAILED on the inbox's query as the field it names (a bad cursor: the first filter). */
function queryProblem(t: AppMessages, error: unknown): FieldError {
  if (error instanceof AppError && error.code === 'VALIDATION_FAILED') {
    const field = (error.details as { field?: string } | undefined)?.field;
    if (field === 'owner') return { field: 'owner', message: t.followUps.errors.owner };
    return { field: 'status', message: t.errors.cursor };
  }
  throw error;
}

function rowOf(locale: AppLocale, f: FollowUp): FollowUpRow {
  return {
    id: f.id,
    status: f.status,
    priority: f.priority,
    ownerName: f.owner?.name ?? null,
    surveyName: f.survey.name,
    recipient: f.response.recipient || null,
    subject: f.response.subject || null,
    answer: labelIn(locale, f.survey.scale as Scale, f.response.score),
    dueAt: Date.parse(f.dueAt),
    overdue: f.overdue,
  };
}

/** An answer as the app shows it: the face or number and its words, in the page's language. */
function labelIn(locale: AppLocale, scale: Scale, score: number): string {
  const label = answerLabel(locale, scale, score);
  return label.mark === String(score) ? `${score} – ${label.text}` : `${label.mark} ${label.text}`;
}

/** The service refused the owner a form names: not a member here, or not a member id at all. */
function isOwnerProblem(error: unknown): boolean {
  return error instanceof AppError && (error.code === 'OWNER_NOT_A_MEMBER' || (error.code === 'VALIDATION_FAILED' && (error.details as { field?: string } | undefined)?.field === 'owner'));
}

/** `deliverSoon` from an app page: a TeamContext is an AppContext with one more variable (Hono's `set` makes the types invariant). */
function sendSoon(deps: AppDeps, c: TeamContext): void {
  deliverSoon(deps, c as unknown as AppContext);
}

/** A textarea's lines, trimmed, without empty lines or repeats (case-insensitively, as stored). */
export function lines(text: string): string[] {
  const seen = new Set<string>();
  return text
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter((l) => {
      const key = asciiLower(l);
      if (!l || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/** SQLite's `lower()`: ASCII letters only, as `member_agent_names.name_key` is computed. */
function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (ch) => ch.toLowerCase());
}

/**
 * The team app's follow-ups (issue 16): the inbox, one follow-up, the workspace's follow-up
 * settings, a survey's follow-up rule and review page, and members' agent names. Every member
 * works follow-ups; owners and admins change the rules. The pages call the service the API calls.
 */
export function followUpAppRoutes(deps: AppDeps) {
  const { db } = deps;
  const app = new Hono<TeamEnv>();
  const signedIn = requireSession(deps);

  async function membersOfWorkspace(c: TeamContext) {
    return (await listMembers(db, c.get('signedIn').workspace.id)).map((m) => ({ personId: m.personId, name: m.name }));
  }

  async function renderInbox(c: TeamContext, params: URLSearchParams, extraErrors: FieldError[] = []) {
    const s = c.get('signedIn');
    const { locale, t } = localeOf(c, s.person.locale);
    const { view, filters, cursor } = inboxInput(params);
    const { query, errors } = inboxQueryOf(t, view, filters, cursor);
    let page: { data: FollowUp[]; next: string | null } = { data: [], next: null };
    if (!errors.length) {
      try {
        page = await listFollowUps(deps, s.workspace.id, query, s.person.id);
      } catch (error) {
        errors.push(queryProblem(t, error));
      }
    }
    const allErrors = [...extraErrors, ...errors];
    const [members, surveys] = await Promise.all([membersOfWorkspace(c), listSurveys(db, s.workspace.id)]);
    return c.html(
      inboxPage({
        locale,
        t,
        viewer: await viewerOf(c, deps),
        view,
        filters,
        rows: page.data.map((f) => rowOf(locale, f)),
        next: page.next,
        first: !cursor,
        members,
        surveys: surveys.map((sv) => ({ id: sv.id, name: sv.name })),
        canManage: s.workspace.role !== 'member',
        errors: allErrors,
        message: followUpNotice(c, t),
      }),
      allErrors.length ? 400 : 200,
    );
  }

  app.get('/follow-ups', signedIn, (c) => renderInbox(c, new URL(c.req.url).searchParams));

  app.get('/follow-ups/export.csv', signedIn, async function exportCsv(c) {
    const s = c.get('signedIn');
    const { t } = localeOf(c, s.person.locale);
    const params = new URL(c.req.url).searchParams;
    const { view, filters } = inboxInput(params);
    const { query, errors } = inboxQueryOf(t, view, filters, '');
    if (errors.length) return renderInbox(c, params);
    // The stream starts sending at once: the service refuses a bad query before it exists.
    let stream: ReadableStream<Uint8Array>;
    try {
      stream = exportFollowUpsCsv(deps, s.workspace.id, { ...query, limit: undefined }, s.person.id);
    } catch (error) {
      return renderInbox(c, params, [queryProblem(t, error)]);
    }
    return c.body(stream, 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="follow-ups.csv"' });
  });

  app.post('/follow-ups/reassign', signedIn, async function reassign(c) {
    const s = c.get('signedIn');
    const { t } = localeOf(c, s.person.locale);
    const field = await readFormFields(c, 'the reassign form');
    const ids = (await readFormLists(c, 'the reassign form'))('ids');
    // Back to the view the form was on, rebuilt from its known filters (never a URL from the form).
    const shown = inboxInput(new URLSearchParams(field('back')));
    const back = new URLSearchParams(inboxQuery(shown.view, shown.filters));
    if (!ids.length) return renderInbox(c, back, [{ field: 'reassign', message: t.followUps.errors.selection }]);
    // A reassign form carries one page of the inbox at most.
    if (ids.length > INBOX_PAGE_SIZE) throw new AppError('FORM_MALFORMED', 'Too many follow-ups in one form.');
    const owner = field('owner-to') || null;
    let n: number;
    try {
      n = await reassignFollowUps(deps, s.workspace.id, ids, owner, s.person.id);
    } catch (error) {
      if (isOwnerProblem(error)) {
        return renderInbox(c, back, [{ field: 'owner-to', message: t.followUps.errors.owner }]);
      }
      throw error;
    }
    // A new owner queues followup.assigned: its first attempt goes out now.
    if (n) sendSoon(deps, c);
    back.set('done', 'reassigned');
    back.set('n', String(n));
    return c.redirect(`/app/follow-ups?${back.toString()}`, 303);
  });

  // The workspace's settings (owners and admins)

  async function renderSettings(c: TeamContext, values: FollowUpSettingsValues | null, errors: FieldError[] = []) {
    const s = c.get('signedIn');
    const { locale, t } = localeOf(c, s.person.locale);
    const settings = await getFollowUpSettings(deps, s.workspace.id);
    const shown = values ?? {
      dueHours: Object.fromEntries(FOLLOW_UP_PRIORITIES.map((p) => [p, String(settings.dueHours[p])])) as Record<FollowUpPriority, string>,
      rootCauses: settings.rootCauses.join('\n'),
    };
    return c.html(followUpSettingsPage({ locale, t, viewer: await viewerOf(c, deps), values: shown, errors, message: followUpNotice(c, t) }), errors.length ? 400 : 200);
  }

  app.get('/follow-ups/settings', signedIn, (c) => {
    requireManager(actorOf(c));
    return renderSettings(c, null);
  });

  app.post('/follow-ups/settings', signedIn, async function saveSettings(c) {
    requireManager(actorOf(c));
    const field = await readFormFields(c, 'the settings form');
    const { t } = localeOf(c, c.get('signedIn').person.locale);
    const values: FollowUpSettingsValues = {
      dueHours: Object.fromEntries(FOLLOW_UP_PRIORITIES.map((p) => [p, field(`due-${p}`)])) as Record<FollowUpPriority, string>,
      rootCauses: field('root-causes'),
    };
    // Whole numbers are the form's to read; their range and the list are the service's to check.
    const errors: FieldError[] = [];
    const dueHours = {} as Record<FollowUpPriority, number>;
    for (const p of [...FOLLOW_UP_PRIORITIES].reverse()) {
      const text = values.dueHours[p].trim();
      if (/^\d{1,6}$/.test(text)) dueHours[p] = Number(text);
      else errors.push({ field: `due-${p}`, message: t.followUps.errors.dueHours });
    }
    if (errors.length) return renderSettings(c, values, errors);
    try {
      await changeFollowUpSettings(deps, c.get('signedIn').workspace.id, { dueHours, rootCauses: lines(values.rootCauses) });
    } catch (error) {
      const named = error instanceof AppError && error.code === 'VALIDATION_FAILED' ? (error.details as { field?: string } | undefined)?.field : undefined;
      if (named === 'rootCauses') return renderSettings(c, values, [{ field: 'root-causes', message: t.followUps.errors.rootCauses }]);
      if (named?.startsWith('dueHours.')) return renderSettings(c, values, [{ field: `due-${named.slice('dueHours.'.length)}`, message: t.followUps.errors.dueHours }]);
      throw error;
    }
    return c.redirect('/app/follow-ups/settings?done=saved', 303);
  });

  // One follow-up

  async function renderFollowUp(c: TeamContext, followUp: FollowUpDetail | null, errors: FieldError[] = [], values: FollowUpFormValues = EMPTY_FOLLOW_UP_FORM) {
    const s = c.get('signedIn');
    const { locale, t } = localeOf(c, s.person.locale);
    const fu = followUp ?? (await getFollowUp(deps, s.workspace.id, c.req.param('id') ?? ''));
    const [response, members, settings] = await Promise.all([getResponseWithEvents(db, s.workspace.id, fu.response.id), membersOfWorkspace(c), getFollowUpSettings(deps, s.workspace.id)]);
    const page = followUpPage({
      locale,
      t,
      viewer: await viewerOf(c, deps),
      followUp: {
        id: fu.id,
        status: fu.status,
        priority: fu.priority,
        ownerPersonId: fu.owner?.id ?? null,
        ownerName: fu.owner?.name ?? null,
        surveyId: fu.survey.id,
        surveyName: fu.survey.name,
        dueAt: Date.parse(fu.dueAt),
        overdue: fu.overdue,
        createdAt: Date.parse(fu.createdAt),
        resolvedAt: fu.resolvedAt === null ? null : Date.parse(fu.resolvedAt),
        rootCause: fu.resolution?.rootCause ?? null,
        solved: fu.resolution?.solved ?? null,
        response: { ...response, label: labelIn(locale, fu.survey.scale as Scale, response.score) },
        otherResponses: fu.otherResponses.map((o) => ({ id: o.id, surveyName: o.survey.name, subject: o.subject, label: o.label, at: Date.parse(o.firstAnsweredAt) })),
        notes: fu.notes.map((n) => ({ id: n.id, authorName: n.author?.name ?? null, text: n.text, at: Date.parse(n.at) })),
        log: fu.log.map((l) => ({ at: Date.parse(l.at), actorName: l.actor?.name ?? null, action: l.action, from: l.from, to: l.to })),
      },
      members,
      rootCauses: settings.rootCauses,
      noteMax: MAX_NOTE_LENGTH,
      errors,
      values,
      message: followUpNotice(c, t),
    });
    return c.html(page, errors.length ? 400 : 200);
  }

  app.get('/follow-ups/:id', signedIn, (c) => renderFollowUp(c, null));

  /** Applies a change from one of the detail page's forms, then back to the page (PRG). */
  async function change(c: TeamContext, patch: Parameters<typeof updateFollowUp>[3]) {
    const s = c.get('signedIn');
    const updated = await updateFollowUp(deps, s.workspace.id, c.req.param('id') ?? '', patch, s.person.id);
    if (updated.webhooksQueued) sendSoon(deps, c);
    return c.redirect(`/app/follow-ups/${updated.id}?done=saved`, 303);
  }

  app.post('/follow-ups/:id/status', signedIn, async function changeStatus(c) {
    const status = (await readFormFields(c, 'the status form'))('status');
    // Resolving has its own form (it asks for the root cause).
    if (!FOLLOW_UP_STATUSES.includes(status as FollowUpStatus) || status === 'resolved') throw new AppError('FORM_MALFORMED', 'Unknown status.');
    const s = c.get('signedIn');
    const current = await getFollowUp(deps, s.workspace.id, c.req.param('id'));
    if (status === 'new' && current.status !== 'new') {
      const { t } = localeOf(c, s.person.locale);
      return renderFollowUp(c, current, [{ field: 'status', message: t.followUps.errors.backToNew }]);
    }
    return change(c, { status: status as FollowUpStatus });
  });

  app.post('/follow-ups/:id/priority', signedIn, async function changePriority(c) {
    const priority = (await readFormFields(c, 'the priority form'))('priority');
    if (!FOLLOW_UP_PRIORITIES.includes(priority as FollowUpPriority)) throw new AppError('FORM_MALFORMED', 'Unknown priority.');
    return change(c, { priority: priority as FollowUpPriority });
  });

  app.post('/follow-ups/:id/owner', signedIn, async function changeOwner(c) {
    const owner = (await readFormFields(c, 'the owner form'))('owner');
    try {
      return await change(c, { owner: owner || null });
    } catch (error) {
      if (isOwnerProblem(error)) {
        const { t } = localeOf(c, c.get('signedIn').person.locale);
        return renderFollowUp(c, null, [{ field: 'owner', message: t.followUps.errors.owner }]);
      }
      throw error;
    }
  });

  app.post('/follow-ups/:id/resolve', signedIn, async function resolve(c) {
    const field = await readFormFields(c, 'the resolve form');
    const s = c.get('signedIn');
    const { t } = localeOf(c, s.person.locale);
    const values = { ...EMPTY_FOLLOW_UP_FORM, rootCause: field('root-cause'), solved: field('solved') };
    const current = await getFollowUp(deps, s.workspace.id, c.req.param('id'));
    const settings = await getFollowUpSettings(deps, s.workspace.id);
    const errors: FieldError[] = [];
    if (!settings.rootCauses.includes(values.rootCause)) errors.push({ field: 'root-cause', message: t.followUps.errors.rootCause });
    if (values.solved !== 'yes' && values.solved !== 'no') errors.push({ field: 'solved-yes', message: t.followUps.errors.solved });
    if (errors.length) return renderFollowUp(c, current, errors, values);
    return change(c, { status: 'resolved', resolution: { rootCause: values.rootCause, solved: values.solved === 'yes' } });
  });

  app.post('/follow-ups/:id/notes', signedIn, async function addNote(c) {
    const text = (await readFormFields(c, 'the note form'))('note');
    const s = c.get('signedIn');
    if (!text.trim() || text.length > MAX_NOTE_LENGTH) {
      const { t } = localeOf(c, s.person.locale);
      const current = await getFollowUp(deps, s.workspace.id, c.req.param('id'));
      return renderFollowUp(c, current, [{ field: 'note', message: t.followUps.errors.note(MAX_NOTE_LENGTH) }], { ...EMPTY_FOLLOW_UP_FORM, note: text.slice(0, MAX_NOTE_LENGTH * 2) });
    }
    const id = c.req.param('id');
    await addFollowUpNote(deps, s.workspace.id, id, text, s.person.id);
    return c.redirect(`/app/follow-ups/${id}?done=noteAdded#note`, 303);
  });

  return app;
}

/** A survey's follow-up settings as its form shows them. */
export function surveyFollowUpValues(survey: Survey): SurveyFollowUpValues {
  return {
    rule: survey.followUps,
    defaultOwner: survey.defaultOwnerPersonId ?? '',
    priorities: Object.fromEntries(Object.entries(survey.followUpPriorities ?? {})),
    reviewUrl: survey.reviewUrl ?? '',
  };
}

/** The service's field names for a survey's follow-up settings, as the form's field ids. */
const SURVEY_FIELDS: Record<string, string> = { followUps: 'rule-negative', reviewUrl: 'review-url', defaultOwner: 'default-owner', owner: 'default-owner' };

/**
 * Saves a survey's follow-up form through the service the API uses (`changeSurveyFollowUps`, which
 * checks the review page like a webhook URL: https, a public host). Returns the values as typed and
 * the problems as field errors (none: saved).
 */
export async function saveSurveyFollowUpForm(deps: AppDeps, t: AppMessages, survey: Survey, field: (name: string) => string): Promise<{ values: SurveyFollowUpValues; errors: FieldError[] }> {
  const values: SurveyFollowUpValues = {
    rule: field('rule'),
    defaultOwner: field('default-owner'),
    priorities: Object.fromEntries(scaleAnswers(survey.scale).map((score) => [String(score), field(priorityField(score))])),
    reviewUrl: field('review-url'),
  };
  const errors: FieldError[] = [];
  // The selects and radios name what the service names only as a whole: each gets its own error.
  if (!FOLLOW_UP_RULES.includes(values.rule as FollowUpRule)) errors.push({ field: 'rule-negative', message: t.followUps.errors.rule });
  for (const [score, priority] of Object.entries(values.priorities)) {
    if (priority !== '' && !FOLLOW_UP_PRIORITIES.includes(priority as FollowUpPriority)) errors.push({ field: priorityField(Number(score)), message: t.followUps.errors.priority });
  }
  if (errors.length) return { values, errors };
  const chosen = Object.entries(values.priorities).filter(([, p]) => p !== '') as [string, FollowUpPriority][];
  try {
    await changeSurveyFollowUps(deps, survey.workspaceId, survey.id, {
      followUps: values.rule as FollowUpRule,
      defaultOwner: values.defaultOwner || null,
      priorities: chosen.length ? Object.fromEntries(chosen) : null,
      reviewUrl: values.reviewUrl.trim() || null,
    });
  } catch (error) {
    const named = error instanceof AppError && (error.code === 'VALIDATION_FAILED' || error.code === 'OWNER_NOT_A_MEMBER') ? SURVEY_FIELDS[(error.details as { field?: string } | undefined)?.field ?? ''] : undefined;
    if (!named) throw error;
    const messages: Record<string, string> = { 'rule-negative': t.followUps.errors.rule, 'review-url': t.followUps.errors.reviewUrl, 'default-owner': t.followUps.errors.owner };
    errors.push({ field: named, message: messages[named]! });
  }
  return { values, errors };
}

/**
 * The default priority of each answer, for the form to name it (the rule itself lives in the
 * trigger of migration 0019: NPS 0–3 and the lowest answer of other scales are high, else medium).
 */
function defaultPriorities(scale: Scale): Record<string, FollowUpPriority> {
  const answers = scaleAnswers(scale);
  return Object.fromEntries(answers.map((score) => [String(score), (scale === 'nps' ? score <= 3 : score === answers[0]) ? 'high' : 'medium']));
}

/** The follow-ups section of a survey's page: the form for owners and admins, the settings for members. */
export async function surveyFollowUps(c: TeamContext, deps: AppDeps, survey: Survey, input: { viewer: Viewer; canManage: boolean; values?: SurveyFollowUpValues; errors?: FieldError[] }) {
  const s = c.get('signedIn');
  const { locale, t } = localeOf(c, s.person.locale);
  const [members, clicks] = await Promise.all([listMembers(deps.db, s.workspace.id), reviewClickCounts(deps.db, s.workspace.id)]);
  return surveyFollowUpSection({
    locale,
    t,
    viewer: input.viewer,
    surveyId: survey.id,
    scale: survey.scale,
    canManage: input.canManage,
    members: members.map((m) => ({ personId: m.personId, name: m.name })),
    values: input.values ?? surveyFollowUpValues(survey),
    defaults: defaultPriorities(survey.scale),
    reviewClicks: clicks.get(survey.id) ?? 0,
    errors: input.errors ?? [],
  });
}
