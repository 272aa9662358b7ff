import { AppError } from '../lib/errors';
import { DAY_MS, dayKey, dayStart, localDay, zoneTransitions } from '../lib/time-zones';

/**
 * The dashboard's periods (issue 15): whole local days of the workspace's time zone, a preset or
 * a custom from–to, and the previous period of the same length to compare with. Dates travel as
 * `YYYY-MM-DD` (local, `to` inclusive) so that a URL reads like the period it shows; the report
 * takes instants (`from` inclusive, `to` exclusive), which `startOfLocalDay` turns them into with
 * the zone's transitions the reports' own days are counted with (`lib/time-zones.ts`).
 */

export const PERIOD_PRESETS = ['7d', '30d', '90d', 'this-month', 'last-month', 'custom'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];
export const DEFAULT_PERIOD: PeriodPreset = '30d';
/** The longest custom period: two years of days (a trend by month covers it in 24 points). */
export const MAX_PERIOD_DAYS = 731;

export const TREND_STEPS = ['day', 'week', 'month'] as const;
export type TrendStep = (typeof TREND_STEPS)[number];

/** A span of whole local days. */
export interface DaySpan {
  /** First day, `YYYY-MM-DD`. */
  fromDate: string;
  /** Last day (inclusive), `YYYY-MM-DD`. */
  toDate: string;
  /** Instants: the first day's local midnight, the midnight after the last day (exclusive). */
  from: number;
  to: number;
  days: number;
}

export interface Period extends DaySpan {
  preset: PeriodPreset;
  previous: DaySpan;
  /** The trend's step: chosen, or by the period's length. */
  step: TrendStep;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The local date (`YYYY-MM-DD`) of an instant in a zone: the day the reports count it on. */
export function localDate(ms: number, timeZone: string): string {
  return dayKey(localDay(zoneTransitions(timeZone), ms));
}

/** The first instant of a local date in a zone (its midnight, or the end of a DST gap over it). */
export function startOfLocalDay(date: string, timeZone: string): number {
  return dayStart(zoneTransitions(timeZone), Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

/** `YYYY-MM-DD` plus `days` (calendar arithmetic, no zone involved). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function daysBetween(fromDate: string, toDate: string): number {
  return Math.round((Date.parse(`${toDate}T00:00:00Z`) - Date.parse(`${fromDate}T00:00:00Z`)) / DAY_MS) + 1;
}

/** True for a real calendar date written `YYYY-MM-DD` (2026-02-30 is not one). */
export function isDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === text;
}

/** The days from `fromDate` to `toDate` (inclusive) as a span with its instants. */
export function daySpan(fromDate: string, toDate: string, timeZone: string): DaySpan {
  return { fromDate, toDate, from: startOfLocalDay(fromDate, timeZone), to: startOfLocalDay(addDays(toDate, 1), timeZone), days: daysBetween(fromDate, toDate) };
}

/** The step a trend takes by default: days up to a month, weeks up to half a year, then months. */
export function defaultStep(days: number): TrendStep {
  return days <= 31 ? 'day' : days <= 184 ? 'week' : 'month';
}

function invalid(field: 'period' | 'from' | 'to' | 'step', message: string): never {
  throw new AppError('VALIDATION_FAILED', message, { field });
}

/** The preset a dashboard URL names: its `period`, else custom when it has dates, else the default (unchecked). */
export function presetOf(query: { period?: string; from?: string; to?: string }): string {
  return query.period || (query.from || query.to ? 'custom' : DEFAULT_PERIOD);
}

/**
 * The period a dashboard URL asks for (`period`, `from`, `to`, `step`), in whole days of the zone,
 * as of `now`. Presets end today (this month: from its first day to today; last month: the whole
 * calendar month). The previous period is the same number of days just before. Throws
 * VALIDATION_FAILED naming the field for a preset, date or step it cannot take.
 */
export function resolvePeriod(query: { period?: string; from?: string; to?: string; step?: string }, now: Date, timeZone: string): Period {
  const preset = presetOf(query) as PeriodPreset;
  if (!PERIOD_PRESETS.includes(preset)) invalid('period', `"period" must be one of ${PERIOD_PRESETS.join(', ')}.`);
  const today = localDate(now.getTime(), timeZone);
  let fromDate: string;
  let toDate = today;
  if (preset === 'custom') {
    const from = query.from?.trim() ?? '';
    const to = query.to?.trim() ?? '';
    if (!isDate(from)) invalid('from', '"from" must be a date (YYYY-MM-DD).');
    if (!isDate(to)) invalid('to', '"to" must be a date (YYYY-MM-DD).');
    if (to < from) invalid('to', '"to" must be on or after "from".');
    if (daysBetween(from, to) > MAX_PERIOD_DAYS) invalid('to', `A period is at most ${MAX_PERIOD_DAYS} days.`);
    fromDate = from;
    toDate = to;
  } else if (preset === 'this-month') {
    fromDate = `${today.slice(0, 8)}01`;
  } else if (preset === 'last-month') {
    toDate = addDays(`${today.slice(0, 8)}01`, -1);
    fromDate = `${toDate.slice(0, 8)}01`;
  } else {
    fromDate = addDays(today, 1 - Number(preset.slice(0, -1)));
  }
  const span = daySpan(fromDate, toDate, timeZone);
  const step = query.step ? (query.step as TrendStep) : defaultStep(span.days);
  if (!TREND_STEPS.includes(step)) invalid('step', `"step" must be one of ${TREND_STEPS.join(', ')}.`);
  const previous = daySpan(addDays(fromDate, -span.days), addDays(fromDate, -1), timeZone);
  return { ...span, preset, previous, step };
}
