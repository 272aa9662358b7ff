import { type Scale, scaleAnswers, sentimentOf } from '../../schema/scales';
import type { Db } from '../db';
import { setTimeZone,
  aggregateStatement, aggregatesHold, type Cell, type CellFilters, type CellKey, type Edge, readReportCells, scanStatement, sentStatement } from '../db/reports';
import { getSurvey, type Survey } from '../db/surveys';
import { getWorkspaceTimeZone } from '../db/workspaces';
import { AppError } from '../lib/errors';
import { differenceOfProportions, tInterval, wilson } from '../lib/intervals';
import { canonicalTimeZone, DAY_MS, dayKey, dayStart, localDay, monthOf, nextMonth, weekOf, type ZoneTransition, zoneTransitions } from '../lib/time-zones';
import { PROPERTY_NAME } from './link-properties';

/**
 * Reports (issue 15): the score of a survey over a period with its 95% interval, its answer
 * distribution and sentiment, what was not counted, the response rate, and breakdowns by time,
 * agent or segment property. ONE computation for the API (`GET /api/v1/reports`), the team app's
 * dashboard and anything else: a number never has two implementations.
 *
 * Counted responses only; a response belongs to the period of its FIRST answer; days, weeks (ISO,
 * from Monday) and months are the workspace's time zone's. Read from the aggregates that triggers
 * keep inside every write of a response (migration 0017), never by scanning the period's
 * responses, except for the partial days at a period's edges (`db/reports.ts`).
 */

export type ReportGroupBy = 'day' | 'week' | 'month' | 'agent' | `property:${string}`;

export interface ReportQuery {
  surveyId: string;
  /** ms, inclusive; default: 30 days before `to`. */
  from?: number;
  /** ms, exclusive; default: now (the injected clock). */
  to?: number;
  /** Only this agent's responses ('' = those without an agent). */
  agent?: string;
  /** Only responses with this property value. */
  property?: { name: string; value: string };
  groupBy?: ReportGroupBy;
}

export type ScoreMetric = 'csat' | 'nps' | 'ces' | 'up';

export interface ReportScore {
  metric: ScoreMetric;
  /** CSAT and % up: 0–100; NPS: −100–100; CES: the mean answer (1–7). Null when counted = 0. */
  value: number | null;
  /** The 95% interval (null when it does not exist: n = 0; CES with n < 2). */
  low: number | null;
  high: number | null;
  /** ces7 only: % of answers 5–7. */
  easy?: number | null;
}

export interface ReportGroup {
  /** day/week/month: local date 'YYYY-MM-DD' of the period's first day; agent name ('' = none); property value. */
  key: string;
  /** ISO instants of the group's period within the report's (time groups only). */
  from?: string;
  to?: string;
  counted: number;
  score: ReportScore;
  distribution: { score: number; count: number }[];
}

export interface Report {
  survey: { id: string; scale: Scale; name?: string };
  from: string;
  to: string;
  timeZone: string;
  counted: number;
  pending: number;
  bot: number;
  /** Messages whose per-message links were minted in the period. */
  sent: number;
  /** counted ÷ sent; null when sent = 0 (signature links have no send). */
  responseRate: number | null;
  score: ReportScore;
  distribution: { score: number; count: number }[];
  sentiment: { negative: number; neutral: number; positive: number };
  groups?: ReportGroup[];
}

/** What a report needs from the composition root (`AppDeps` and `ServiceDeps` both fit). */
export interface ReportDeps {
  db: Db;
  clock: () => Date;
}

/** The default period: the 30 days before `to`. */
export const DEFAULT_REPORT_DAYS = 30;
/** The longest period a report covers: two years (731 days, a leap day included). */
export const MAX_REPORT_DAYS = 731;

const METRICS: Record<Scale, ScoreMetric> = { csat3: 'csat', csat5: 'csat', nps: 'nps', ces7: 'ces', thumbs: 'up' };

function tooLong(): AppError {
  return invalid('to', `A report covers at most ${MAX_REPORT_DAYS} days.`);
}

function invalid(field: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', message, { field });
}

/**
 * Parses `groupBy` as the API and the app carry it; VALIDATION_FAILED (field `groupBy`) otherwise.
 */
export function parseGroupBy(text: string): ReportGroupBy {
  if (text === 'day' || text === 'week' || text === 'month' || text === 'agent') return text;
  if (text.startsWith('property:') && PROPERTY_NAME.test(text.slice('property:'.length))) return text as ReportGroupBy;
  throw invalid('groupBy', '"groupBy" must be day, week, month, agent or property:<name> (a property name: a-z, 0-9, _).');
}

/**
 * The report of one survey of the workspace. NOT_FOUND for a survey that is not the workspace's;
 * VALIDATION_FAILED (with the field) for from ≥ to, a period over two years, or a bad groupBy.
 */
export async function buildReport(deps: ReportDeps, workspaceId: string, query: ReportQuery): Promise<Report> {
  const instants = checkedInstants(deps, query);
  const [survey, timeZone] = await Promise.all([getSurvey(deps.db, workspaceId, query.surveyId), getWorkspaceTimeZone(deps.db, workspaceId)]);
  if (!survey || !timeZone) throw new AppError('NOT_FOUND', 'No survey with this id in your workspace.');
  return reportOf(deps, survey, timeZone, query, instants);
}

/**
 * The same, for a caller that has read the survey (`query.surveyId`'s, of its workspace) and the
 * workspace's time zone already: the dashboard, which asks four reports of one survey.
 */
export async function buildSurveyReport(deps: ReportDeps, survey: Survey, timeZone: string, query: ReportQuery): Promise<Report> {
  return reportOf(deps, survey, timeZone, query, checkedInstants(deps, query));
}

/** The query's period as instants, and every check that needs no read. */
function checkedInstants(deps: ReportDeps, query: ReportQuery): { from: number; to: number } {
  const to = query.to ?? deps.clock().getTime();
  const from = query.from ?? to - DEFAULT_REPORT_DAYS * DAY_MS;
  if (!Number.isFinite(from)) throw invalid('from', '"from" must be an ISO 8601 instant.');
  if (!Number.isFinite(to)) throw invalid('to', '"to" must be an ISO 8601 instant.');
  if (from >= to) throw invalid('from', '"from" must be before "to".');
  // Plainly too long is refused before any read; the exact limit is in the workspace's calendar (below).
  if (to - from > (MAX_REPORT_DAYS + 1) * DAY_MS) throw tooLong();
  if (query.groupBy !== undefined) parseGroupBy(query.groupBy);
  if (query.property && !PROPERTY_NAME.test(query.property.name)) throw invalid('property', '"property" must be name:value with a property name (a-z, 0-9, _).');
  return { from, to };
}

async function reportOf(deps: ReportDeps, survey: Survey, timeZone: string, query: ReportQuery, { from, to }: { from: number; to: number }): Promise<Report> {
  const zone = zoneTransitions(timeZone);
  // At most MAX_REPORT_DAYS local days from `from`, at the same local time: 731 of the dashboard's
  // whole days are accepted even when a clock change makes them an hour longer than 731 × 24 h.
  const firstDay = localDay(zone, from);
  if (to > dayStart(zone, firstDay + MAX_REPORT_DAYS) + (from - dayStart(zone, firstDay))) throw tooLong();
  const period = splitPeriod(zone, from, to);

  const filters: CellFilters = { surveyId: survey.id, agent: query.agent, property: query.property };
  const groupBy = query.groupBy;
  const groupKey: CellKey | null =
    groupBy === undefined ? null : groupBy === 'agent' ? { by: 'agent' } : groupBy.startsWith('property:') ? { by: 'property', name: groupBy.slice('property:'.length) } : { by: 'day' };
  // Time and agent groups partition the responses: the headline is their sum. A property's groups
  // hold only the responses that have it: the headline is read on its own. Time groups show only
  // counted responses: they read those per day (a third of the rows of a year by day), and the
  // headline adds the pending and bot totals of the whole period, read on their own.
  const headlineFromGroups = groupKey !== null && groupKey.by !== 'property';
  const reads: { filters: CellFilters; key: CellKey }[] =
    groupKey === null
      ? [{ filters, key: { by: 'none' } }]
      : groupKey.by === 'day'
        ? [{ filters: { ...filters, statuses: 'counted' }, key: groupKey }, { filters: { ...filters, statuses: 'uncounted' }, key: { by: 'none' } }]
        : headlineFromGroups
          ? [{ filters, key: groupKey }]
          : [{ filters, key: { by: 'none' } }, { filters, key: groupKey }];
  const statements = reads.flatMap((read) => cellStatements(read.filters, read.key, period));
  const { cells, sent } = await readReportCells(deps.db, statements, sentStatement(filters, period.dayFrom, period.dayTo, period.edges));
  const cellsOf = (i: number) => [...cells[2 * i]!, ...cells[2 * i + 1]!];

  const scale = survey.scale;
  const headline = groupKey?.by === 'day' ? [...cellsOf(0), ...cellsOf(1)] : cellsOf(0);
  const totals = tally(scale, headline);
  const report: Report = {
    survey: { id: survey.id, scale, name: survey.name },
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    timeZone,
    counted: totals.counted,
    pending: totals.pending,
    bot: totals.bot,
    sent,
    responseRate: sent > 0 ? totals.counted / sent : null,
    score: scoreOf(scale, totals.distribution),
    distribution: totals.distribution,
    sentiment: sentimentOfDistribution(scale, totals.distribution),
  };
  if (groupBy !== undefined && groupKey !== null) {
    const groupCells = headlineFromGroups ? cellsOf(0) : cellsOf(1);
    report.groups = groupKey.by === 'day' ? timeGroups(scale, zone, groupBy as 'day' | 'week' | 'month', from, to, groupCells) : keyedGroups(scale, groupCells);
  }
  return report;
}

/** A period split into whole local days [dayFrom, dayTo) and the partial days at its edges. */
interface SplitPeriod {
  from: number;
  to: number;
  dayFrom: number;
  dayTo: number;
  edges: Edge[];
}

function splitPeriod(zone: ZoneTransition[], from: number, to: number): SplitPeriod {
  const firstDay = localDay(zone, from);
  const lastDay = localDay(zone, to - 1);
  const dayFrom = dayStart(zone, firstDay) === from ? firstDay : firstDay + 1;
  const dayTo = lastDay + 1 === localDay(zone, to) && dayStart(zone, lastDay + 1) === to ? lastDay + 1 : lastDay;
  const edges: Edge[] = [];
  if (dayFrom > dayTo) {
    // Within one day, or across one midnight with no whole day between.
    if (firstDay === lastDay) edges.push({ from, to, day: firstDay });
    else {
      const midnight = dayStart(zone, lastDay);
      edges.push({ from, to: midnight, day: firstDay }, { from: midnight, to, day: lastDay });
    }
    return { from, to, dayFrom: 0, dayTo: 0, edges };
  }
  if (dayFrom > firstDay) edges.push({ from, to: dayStart(zone, dayFrom), day: firstDay });
  if (dayTo <= lastDay) edges.push({ from: dayStart(zone, dayTo), to, day: lastDay });
  return { from, to, dayFrom, dayTo, edges };
}

/**
 * The two reads of one breakdown: the aggregates of the whole days and the edges from
 * `responses`; or, for a combination no aggregate holds (`aggregatesHold`), the whole period from
 * `responses`.
 */
function cellStatements(filters: CellFilters, key: CellKey, period: SplitPeriod) {
  if (!aggregatesHold(filters, key)) {
    return [null, scanStatement(filters, key, [{ from: period.from, to: period.to, day: 0 }])];
  }
  const aggregate = period.dayFrom < period.dayTo ? aggregateStatement(filters, key, period.dayFrom, period.dayTo) : null;
  return [aggregate, scanStatement(filters, key, period.edges)];
}

interface Tally {
  counted: number;
  pending: number;
  bot: number;
  distribution: { score: number; count: number }[];
}

function tally(scale: Scale, cells: Cell[]): Tally {
  const counts = new Map<number, number>();
  const out = { counted: 0, pending: 0, bot: 0 };
  for (const cell of cells) {
    if (cell.status === 'counted') {
      out.counted += cell.n;
      counts.set(cell.score, (counts.get(cell.score) ?? 0) + cell.n);
    } else if (cell.status === 'pending') out.pending += cell.n;
    else if (cell.status === 'bot') out.bot += cell.n;
  }
  return { ...out, distribution: scaleAnswers(scale).map((score) => ({ score, count: counts.get(score) ?? 0 })) };
}

/**
 * The headline score of a distribution (issue 15): CSAT % top box (3 of 3; 4–5 of 5), % up,
 * NPS (% 9–10 − % 0–6) with Wilson and difference-of-proportions intervals, CES as the mean answer
 * with a t interval and the % of easy answers (5–7).
 */
export function scoreOf(scale: Scale, distribution: { score: number; count: number }[]): ReportScore {
  const metric = METRICS[scale];
  const n = distribution.reduce((sum, d) => sum + d.count, 0);
  // Top box (CSAT, % up), promoters and detractors (NPS), easy answers (CES): the scale's sentiment bands.
  const { positive, negative } = sentimentOfDistribution(scale, distribution);
  if (metric === 'nps') {
    const interval = differenceOfProportions(positive, negative, n);
    return { metric, value: n ? (100 * (positive - negative)) / n : null, low: interval ? 100 * interval.low : null, high: interval ? 100 * interval.high : null };
  }
  if (metric === 'ces') {
    const sum = distribution.reduce((s, d) => s + d.score * d.count, 0);
    const squares = distribution.reduce((s, d) => s + d.score * d.score * d.count, 0);
    const interval = tInterval(n, sum, squares);
    return { metric, value: n ? sum / n : null, low: interval?.low ?? null, high: interval?.high ?? null, easy: n ? (100 * positive) / n : null };
  }
  const interval = wilson(positive, n);
  return { metric, value: n ? (100 * positive) / n : null, low: interval ? 100 * interval.low : null, high: interval ? 100 * interval.high : null };
}

function sentimentOfDistribution(scale: Scale, distribution: { score: number; count: number }[]) {
  const out = { negative: 0, neutral: 0, positive: 0 };
  for (const d of distribution) out[sentimentOf(scale, d.score)] += d.count;
  return out;
}

/** Every day, week or month of the period, empty ones included, in order. */
function timeGroups(scale: Scale, zone: ZoneTransition[], unit: 'day' | 'week' | 'month', from: number, to: number, cells: Cell[]): ReportGroup[] {
  const periodOf = unit === 'day' ? (d: number) => d : unit === 'week' ? weekOf : monthOf;
  const after = unit === 'day' ? (d: number) => d + 1 : unit === 'week' ? (d: number) => d + 7 : nextMonth;
  const byPeriod = new Map<number, Cell[]>();
  for (const cell of cells) {
    const start = periodOf(Number(cell.key));
    let list = byPeriod.get(start);
    if (!list) byPeriod.set(start, (list = []));
    list.push(cell);
  }
  const groups: ReportGroup[] = [];
  const last = localDay(zone, to - 1);
  for (let start = periodOf(localDay(zone, from)); start <= last; start = after(start)) {
    const { counted, distribution } = tally(scale, byPeriod.get(start) ?? []);
    groups.push({
      key: dayKey(start),
      from: new Date(Math.max(from, dayStart(zone, start))).toISOString(),
      to: new Date(Math.min(to, dayStart(zone, after(start)))).toISOString(),
      counted,
      score: scoreOf(scale, distribution),
      distribution,
    });
  }
  return groups;
}

/** Agent or property-value groups with counted responses, most counted first (then by key). */
function keyedGroups(scale: Scale, cells: Cell[]): ReportGroup[] {
  const byKey = new Map<string, Cell[]>();
  for (const cell of cells) {
    const key = String(cell.key ?? '');
    let list = byKey.get(key);
    if (!list) byKey.set(key, (list = []));
    list.push(cell);
  }
  return [...byKey]
    .map(([key, list]) => {
      const { counted, distribution } = tally(scale, list);
      return { key, counted, score: scoreOf(scale, distribution), distribution };
    })
    .filter((group) => group.counted > 0)
    .sort((a, b) => b.counted - a.counted || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** An ISO 8601 instant with its offset (`2026-03-29T00:00:00+01:00`, `…Z`): a bare date names no instant. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses an instant parameter (`from`, `to`, …); VALIDATION_FAILED naming `field` otherwise. */
export function parseInstant(text: string, field: string): number {
  const ms = ISO_INSTANT.test(text) ? Date.parse(text) : Number.NaN;
  if (!Number.isFinite(ms)) throw invalid(field, `"${field}" must be an ISO 8601 instant with its offset, such as 2026-03-01T00:00:00+01:00 or 2026-03-01T00:00:00Z.`);
  return ms;
}

/** Parses `name:value` (the `property` filter of reports, the listing and the export). */
export function parsePropertyFilter(text: string): { name: string; value: string } {
  const at = text.indexOf(':');
  const name = at > 0 ? text.slice(0, at) : '';
  const value = at > 0 ? text.slice(at + 1) : '';
  if (!PROPERTY_NAME.test(name) || !value) throw invalid('property', '"property" must be name:value, such as organization:ACME srl.');
  return { name, value };
}

/** The report query as the API and the app carry it (text parameters), checked field by field. */
export function reportQueryFrom(params: { survey?: string; from?: string; to?: string; agent?: string; property?: string; groupBy?: string }): ReportQuery {
  if (!params.survey) throw invalid('survey', '"survey" is required.');
  return {
    surveyId: params.survey,
    from: params.from ? parseInstant(params.from, 'from') : undefined,
    to: params.to ? parseInstant(params.to, 'to') : undefined,
    agent: params.agent,
    property: params.property ? parsePropertyFilter(params.property) : undefined,
    groupBy: params.groupBy ? parseGroupBy(params.groupBy) : undefined,
  };
}

/**
 * Sets the workspace's time zone (an IANA name `Intl` knows; VALIDATION_FAILED, field `timeZone`,
 * otherwise) and re-buckets its reports' aggregates in the same write (`db/reports.ts`). Returns
 * the canonical name. Callers check the role (owners and admins).
 */
export async function setWorkspaceTimeZone(db: Db, workspaceId: string, name: string): Promise<string> {
  const zone = canonicalTimeZone(name.trim());
  if (!zone) throw invalid('timeZone', '"timeZone" must be an IANA time zone name, such as Europe/Rome or America/New_York.');
  await setTimeZone(db, workspaceId, zone, zoneTransitions(zone));
  return zone;
}
