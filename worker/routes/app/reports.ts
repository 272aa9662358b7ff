import { Hono } from 'hono';
import type { AppDeps } from '../../app-env';
import { listSurveys, getSurvey } from '../../db/surveys';
import { reportPropertyNames } from '../../db/dashboard';
import { getWorkspaceTimeZone } from '../../db/workspaces';
import { AppError } from '../../lib/errors';
import { dayKey, localDay, zoneTransitions } from '../../lib/time-zones';
import { daySpan, isDate, type Period, presetOf, resolvePeriod } from '../../services/report-periods';
import { exportFileName, exportResponsesCsv } from '../../services/export';
import { followUpMetrics } from '../../services/followups';
import { buildSurveyReport } from '../../services/reports';
import { listResponsePage, type ResponseQuery } from '../../services/responses';
import { dashboardPage, type DashboardInput, reportsIndexPage } from '../../pages/app/report-pages';
import { type FeedFilters, feedFiltersOf, feedPage } from '../../pages/app/feed-page';
import type { FieldError } from '../../pages/app/layout';
import type { AppMessages } from '../../pages/app/messages';
import { localeOf, requireSession, type TeamContext, type TeamEnv, viewerOf } from './context';

/** A service's VALIDATION_FAILED as a field error of the page (the field it names), or the error again. */
function fieldErrorOf(t: AppMessages, error: unknown, fallback: string): FieldError {
  if (error instanceof AppError && error.code === 'VALIDATION_FAILED') {
    const named = (error.details as { field?: string } | undefined)?.field;
    // `until` is only ever the form's `to`; a cursor names no field: the first filter gets its message.
    const field = named === 'until' ? 'to' : (named ?? fallback);
    const message = named === undefined ? t.errors.cursor : (t.reports.errors[field] ?? (t.errors as Record<string, string>)[field] ?? t.errors.cursor);
    return { field, message };
  }
  throw error;
}

/**
 * The feed's filters as the listing takes them. `from`–`to` are whole local days of the
 * workspace's zone (as the dashboard's periods are), turned into instants here; the API's `since`
 * still works when no `from` is given.
 */
export function feedQuery(filters: FeedFilters, timeZone: string): ResponseQuery {
  for (const name of ['from', 'to'] as const) {
    if (filters[name] && !isDate(filters[name])) throw new AppError('VALIDATION_FAILED', `"${name}" must be a date (YYYY-MM-DD).`, { field: name });
  }
  if (filters.from && filters.to && filters.to < filters.from) throw new AppError('VALIDATION_FAILED', '"to" must be on or after "from".', { field: 'to' });
  const span = filters.from || filters.to ? daySpan(filters.from || filters.to, filters.to || filters.from, timeZone) : null;
  return {
    survey: filters.survey,
    subject: filters.subject,
    recipient: filters.recipient,
    since: filters.since,
    from: span && filters.from ? new Date(span.from).toISOString() : undefined,
    to: span && filters.to ? new Date(span.to).toISOString() : undefined,
    agent: filters.agent || undefined,
    sentiment: filters.sentiment,
    score: filters.score,
    status: filters.status,
    comment: filters.comment,
    q: filters.q,
    property: filters.property || undefined,
  };
}

/**
 * The team app's Reports (issue 15): the list of surveys, each survey's dashboard, and the feed of
 * responses with its CSV export. Every number comes from `buildSurveyReport` (`buildReport` with
 * the survey and zone already read) and `followUpMetrics`, the computations the API answers with;
 * every row of the feed and the export from the listing's filters. Everyone signed in reads them
 * (members included: reading reports is what a member does).
 */
export function reportAppRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  const app = new Hono<TeamEnv>();
  const signedIn = requireSession(deps);

  async function page(c: TeamContext) {
    const s = c.get('signedIn');
    return { ...localeOf(c, s.person.locale), viewer: await viewerOf(c, deps), workspaceId: s.workspace.id };
  }

  app.get('/reports', signedIn, async function showReports(c) {
    const p = await page(c);
    const surveys = await listSurveys(db, p.workspaceId);
    return c.html(reportsIndexPage({ ...p, surveys: surveys.map((s) => ({ id: s.id, name: s.name, scale: s.scale, archived: s.archivedAt !== null })) }));
  });

  app.get('/reports/:surveyId', signedIn, async function showDashboard(c) {
    const p = await page(c);
    const survey = await getSurvey(db, p.workspaceId, c.req.param('surveyId'));
    if (!survey) throw new AppError('NOT_FOUND', 'No survey with this id in your workspace.');
    const q = (name: string) => (c.req.query(name) ?? '').trim();
    const form = { period: presetOf({ period: q('period'), from: q('from'), to: q('to') }), from: q('from'), to: q('to'), step: q('step'), property: q('property') };
    const input: DashboardInput = { ...p, survey: { id: survey.id, name: survey.name, scale: survey.scale }, form, errors: [], view: null };
    const timeZone = (await getWorkspaceTimeZone(db, p.workspaceId)) ?? 'UTC';
    let period: Period;
    try {
      period = resolvePeriod(form, clock(), timeZone);
    } catch (error) {
      return c.html(dashboardPage({ ...input, errors: [fieldErrorOf(p.t, error, 'period')] }), 400);
    }
    const propertyNames = await reportPropertyNames(db, survey.id);
    if (form.property && !propertyNames.includes(form.property)) form.property = '';
    const span = { surveyId: survey.id, from: period.from, to: period.to };
    const [report, previous, agents, byProperty, followUps] = await Promise.all([
      buildSurveyReport(deps, survey, timeZone, { ...span, groupBy: period.step }),
      buildSurveyReport(deps, survey, timeZone, { surveyId: survey.id, from: period.previous.from, to: period.previous.to }),
      buildSurveyReport(deps, survey, timeZone, { ...span, groupBy: 'agent' }),
      form.property ? buildSurveyReport(deps, survey, timeZone, { ...span, groupBy: `property:${form.property}` }) : null,
      followUpMetrics(deps, p.workspaceId, span),
    ]);
    // Each time group's days in the workspace's zone, for its label and its link to the feed.
    const zone = zoneTransitions(report.timeZone);
    const groupDates = (report.groups ?? []).map((g) => ({
      from: dayKey(localDay(zone, Date.parse(g.from!))),
      to: dayKey(localDay(zone, Date.parse(g.to!) - 1)),
    }));
    if (!form.from) form.from = period.fromDate;
    if (!form.to) form.to = period.toDate;
    return c.html(dashboardPage({ ...input, form, view: { period, report, previous, agents, propertyNames, byProperty, groupDates, followUps } }));
  });

  // The feed: one list code path for the page and its export (which needs no page around it).

  async function listOf(c: TeamContext) {
    const workspaceId = c.get('signedIn').workspace.id;
    const filters = feedFiltersOf((name) => c.req.query(name));
    const timeZone = (await getWorkspaceTimeZone(db, workspaceId)) ?? 'UTC';
    return { workspaceId, filters, timeZone };
  }

  app.get('/responses', signedIn, async function showFeed(c) {
    const [p, { filters, timeZone }] = await Promise.all([page(c), listOf(c)]);
    const surveys = (await listSurveys(db, p.workspaceId)).map((s) => ({ id: s.id, name: s.name, scale: s.scale }));
    const cursor = c.req.query('cursor') || undefined;
    try {
      const list = await listResponsePage(db, p.workspaceId, { ...feedQuery(filters, timeZone), cursor });
      return c.html(feedPage({ ...p, filters, surveys, responses: list.data, next: list.next, errors: [], timeZone }));
    } catch (error) {
      return c.html(feedPage({ ...p, filters, surveys, responses: [], next: null, errors: [fieldErrorOf(p.t, error, 'survey')], timeZone }), 400);
    }
  });

  app.get('/responses/export', signedIn, async function exportFeed(c) {
    const { workspaceId, filters, timeZone } = await listOf(c);
    let query: ResponseQuery;
    let csv: ReadableStream<Uint8Array>;
    try {
      query = feedQuery(filters, timeZone);
      // The filters are checked here, before the first byte: a bad one is a page, never half a file.
      csv = exportResponsesCsv(db, workspaceId, query);
    } catch (error) {
      if (error instanceof AppError && error.code === 'VALIDATION_FAILED') throw new AppError('FORM_MALFORMED', error.message);
      throw error;
    }
    return new Response(csv, {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${exportFileName(workspaceId, query, clock())}"`,
        'cache-control': 'no-store',
      },
    });
  });

  return app;
}
