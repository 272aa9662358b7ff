import { html, raw } from 'hono/html';
import type { AppLocale } from '../../../schema';
import { type Scale, sentimentOf } from '../../../schema/scales';
import { answerLabel } from '../../lib/i18n';
import type { FollowUpMetrics } from '../../services/followups';
import type { Period, TrendStep } from '../../services/report-periods';
import { PERIOD_PRESETS, TREND_STEPS } from '../../services/report-periods';
import type { Report, ReportGroup, ReportScore, ScoreMetric } from '../../services/reports';
import { distributionChart, trendChart } from './charts';
import { dateType, feedHref, type FeedFilters } from './feed-page';
import { appPage, errorSummary, type FieldError, type Html, type Viewer } from './layout';
import type { AppMessages } from './messages';
import { dateFormat, numberFormat } from './formats';
import { choice } from './survey-pages';

interface PageInput {
  locale: AppLocale;
  t: AppMessages;
  viewer: Viewer;
}

/** Under this many counted responses an agent gets no rank (issue 15). */
export const MIN_RANKED_RESPONSES = 5;

/** The y axis of each metric: its whole range, so the eye compares trends across periods. */
const METRIC_DOMAINS: Record<ScoreMetric, readonly [number, number]> = { csat: [0, 100], up: [0, 100], nps: [-100, 100], ces: [1, 7] };

/**
 * A score as the page writes it: one decimal (CES, a mean from 1 to 7, two), in the page's
 * language. The contract tests format the API's numbers with it to compare them with the page.
 */
export function formatScore(locale: AppLocale, metric: ScoreMetric, value: number): string {
  const digits = metric === 'ces' ? 2 : 1;
  return numberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

function formatCount(locale: AppLocale, n: number): string {
  return numberFormat(locale).format(n);
}

/** A signed change (+3.2, −1.0; 0.0 without a sign). */
function formatChange(locale: AppLocale, metric: ScoreMetric, delta: number): string {
  const text = formatScore(locale, metric, Math.abs(delta));
  const rounded = Number(text.replace(',', '.'));
  return rounded === 0 ? text : `${delta > 0 ? '+' : '−'}${text}`;
}

/**
 * A duration as people say it: its two largest units, rounded to the minute ("3 h 20 min",
 * "2 d 4 h"; "2 g 4 h" in Italian), seconds under a minute. The contract tests use it too.
 */
export function formatDuration(locale: AppLocale, ms: number): string {
  if (ms < 60_000) return `${Math.max(0, Math.round(ms / 1000))} s`;
  const minutes = Math.round(ms / 60_000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const dayUnit = locale === 'it' ? 'g' : 'd';
  if (d > 0) return h > 0 ? `${d} ${dayUnit} ${h} h` : `${d} ${dayUnit}`;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  return `${m} min`;
}

/** A share from 0 to 1 as a percentage with one decimal, in the page's language. */
export function formatShare(locale: AppLocale, share: number): string {
  return `${formatScore(locale, 'csat', share * 100)}%`;
}

/** A local date (`YYYY-MM-DD`) as the page shows it. */
function day(locale: AppLocale, date: string): string {
  return dateFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}

/** A trend period's axis label: day and month, or month and year for months. */
function shortDay(locale: AppLocale, date: string, step: TrendStep): string {
  const options: Intl.DateTimeFormatOptions = step === 'month' ? { month: 'short', year: '2-digit', timeZone: 'UTC' } : { day: 'numeric', month: 'short', timeZone: 'UTC' };
  return dateFormat(locale, options).format(new Date(`${date}T00:00:00Z`));
}

function scoreText(p: PageInput, score: ReportScore): string {
  return score.value === null ? p.t.reports.noScore : formatScore(p.locale, score.metric, score.value);
}

function intervalText(p: PageInput, score: ReportScore): string {
  return score.low === null || score.high === null ? '—' : p.t.reports.interval(formatScore(p.locale, score.metric, score.low), formatScore(p.locale, score.metric, score.high));
}

/** The Reports page: the workspace's surveys, each a link to its dashboard. */
export function reportsIndexPage(p: PageInput & { surveys: { id: string; name: string; scale: Scale; archived: boolean }[] }): Html {
  const r = p.t.reports;
  return appPage({
    ...p,
    title: r.title,
    section: 'reports',
    body: html`<h1>${r.title}</h1><p>${r.intro}</p>${
      p.surveys.length
        ? html`<ul class="report-list">${p.surveys.map(
            (s) => html`<li><a href="/app/reports/${s.id}" aria-label="${r.openReport(s.name)}">${s.name}</a> <span class="tag">${s.scale}</span>${s.archived ? html` <span class="tag">${p.t.archived}</span>` : ''}</li>`,
          )}</ul>`
        : html`<p>${r.noSurveys}</p>`
    }`,
  });
}

/** What the dashboard shows: the survey's reports for the period, the previous one, by agent and by a property. */
export interface DashboardInput extends PageInput {
  survey: { id: string; name: string; scale: Scale };
  /** What the form shows (as typed, also when it was refused). */
  form: { period: string; from: string; to: string; step: string; property: string };
  errors: FieldError[];
  /** Null when the period could not be read (the page then shows the form and its errors). */
  view: {
    period: Period;
    report: Report;
    previous: Report;
    agents: Report;
    /** The property names the survey's responses carry, and the report by the chosen one. */
    propertyNames: string[];
    byProperty: Report | null;
    /** The local dates of each time group (from its instants, in the workspace's zone). */
    groupDates: { from: string; to: string }[];
    /** The survey's follow-ups opened in the period (issue 16), as `GET /api/v1/reports` answers them. */
    followUps: FollowUpMetrics;
  } | null;
}

/** The period picker: a GET form that works without script. */
function periodForm(p: DashboardInput): Html {
  const r = p.t.reports;
  const error = (field: string) => p.errors.find((e) => e.field === field);
  const select = (id: string, label: string, options: [string, string][], selected: string) =>
    choice({ id, label, options: options.map(([value, text]) => ({ value, text })), selected, errors: p.errors });
  const date = (id: 'from' | 'to', label: string) => {
    const e = error(id);
    return html`<div${e ? raw(' class="invalid"') : ''}><label for="${id}">${label}</label>${e ? html`<p class="field-error" id="${id}-error">${e.message}</p>` : ''}<input type="${dateType(p.form[id])}" id="${id}" name="${id}" value="${p.form[id]}"${
      e ? raw(` aria-describedby="${id}-error" aria-invalid="true"`) : ''
    }></div>`;
  };
  const names = p.view?.propertyNames ?? [];
  return html`<form method="get" action="/app/reports/${p.survey.id}" novalidate class="card period">
${select('period', r.period, PERIOD_PRESETS.map((v): [string, string] => [v, r.periods[v]!]), p.form.period)}<p class="hint">${r.periodHint}</p>
<div class="inline">${date('from', r.from)}${date('to', r.to)}</div>
${select('step', r.step, [['', '—'], ...TREND_STEPS.map((v): [string, string] => [v, r.steps[v]!])], p.form.step)}
${names.length ? select('property', r.propertyName, [['', '—'], ...names.map((n): [string, string] => [n, n])], p.form.property) : ''}
<button type="submit">${r.show}</button></form>`;
}

/**
 * One survey's dashboard (issue 15), read at a glance: the headline score with its interval, n,
 * response rate and change; what was not counted; the trend; the answers; the agents; a property.
 * Every bar, point and row links to the responses behind it.
 */
export function dashboardPage(p: DashboardInput): Html {
  const { t } = p;
  const r = t.reports;
  const v = p.view;
  const body = v ? dashboardBody(p, v) : html``;
  return appPage({
    ...p,
    title: p.errors.length ? `${t.problem}: ${p.survey.name}` : `${p.survey.name} – ${r.title}`,
    section: 'reports',
    body: html`${errorSummary(t, p.errors)}<p><a href="/app/reports">${r.backToReports}</a></p><h1>${p.survey.name}</h1>${periodForm(p)}${body}`,
  });
}

function dashboardBody(p: DashboardInput, v: NonNullable<DashboardInput['view']>): Html {
  const { t, locale } = p;
  const r = t.reports;
  const { report, previous, period } = v;
  const metric = report.score.metric;
  const metricName = r.metrics[metric]!;
  // The feed's filters of this view: the survey and the period's days.
  const base: Partial<FeedFilters> = { survey: p.survey.id, from: period.fromDate, to: period.toDate };
  const change =
    report.score.value !== null && previous.score.value !== null ? formatChange(locale, metric, report.score.value - previous.score.value) : null;
  const headline = html`<dl class="stats headline">
<div><dt>${metricName}</dt><dd>${scoreText(p, report.score)}</dd><dd class="hint">${intervalText(p, report.score)}</dd>${
    metric === 'ces' && report.score.easy != null ? html`<dd class="hint">${r.easy(formatScore(locale, 'csat', report.score.easy))}</dd>` : ''
  }</div>
<div><dt>${r.counted}</dt><dd><a href="${feedHref(base)}">${formatCount(locale, report.counted)}</a></dd></div>
<div><dt>${r.responseRate}</dt><dd>${report.responseRate === null ? '—' : formatShare(locale, report.responseRate)}</dd><dd class="hint">${
    report.responseRate === null ? r.noRate : r.rateOf(formatCount(locale, report.sent))
  }</dd></div>
<div><dt>${r.change}</dt><dd>${change ?? '—'}</dd>${change === null ? html`<dd class="hint">${r.noChange}</dd>` : ''}<dd class="hint">${r.previous(day(locale, period.previous.fromDate), day(locale, period.previous.toDate), scoreText(p, previous.score))}</dd></div>
</dl><p class="formula">${r.formulas[report.survey.scale]}</p><p class="hint">${r.span(day(locale, period.fromDate), day(locale, period.toDate))}. ${r.timeZone(report.timeZone)}</p>
<p>${r.notCounted} <a href="${feedHref({ ...base, status: 'pending' })}">${r.pending(report.pending)}</a>, <a href="${feedHref({ ...base, status: 'bot' })}">${r.bots(report.bot)}</a>.</p>`;
  return html`${headline}${trendSection(p, v, base)}${distributionSection(p, report, base)}${agentsSection(p, v.agents, base)}${propertySection(p, v, base)}${followUpSection(p, v.followUps)}`;
}

function trendSection(p: DashboardInput, v: NonNullable<DashboardInput['view']>, base: Partial<FeedFilters>): Html {
  const { t, locale } = p;
  const r = t.reports;
  const { report, period } = v;
  const metric = report.score.metric;
  const groups = report.groups ?? [];
  const label = (i: number) => {
    const d = v.groupDates[i]!;
    return d.from === d.to ? day(locale, d.from) : r.span(day(locale, d.from), day(locale, d.to));
  };
  const points = groups.map((g, i) => ({
    label: shortDay(locale, v.groupDates[i]!.from, period.step),
    value: g.score.value,
    low: g.score.low,
    high: g.score.high,
    href: feedHref({ ...base, from: v.groupDates[i]!.from, to: v.groupDates[i]!.to }),
    description: `${label(i)}: ${scoreText(p, g.score)}, n = ${g.counted}`,
  }));
  const rows = groups.map(
    (g, i) =>
      html`<tr><th scope="row"><a href="${points[i]!.href}" aria-label="${r.showResponses(label(i))}">${label(i)}</a></th><td>${scoreText(p, g.score)}</td><td>${intervalText(p, g.score)}</td><td>${formatCount(locale, g.counted)}</td></tr>`,
  );
  const stepName = r.steps[period.step]!;
  return html`<h2>${r.trend}</h2><div class="chart-pair">${trendChart({
    id: 'trend',
    title: r.trendTitle(r.metrics[metric]!, stepName),
    description: r.trendDesc(day(locale, period.fromDate), day(locale, period.toDate)),
    points,
    domain: METRIC_DOMAINS[metric],
    format: (n) => formatScore(locale, metric === 'ces' ? 'csat' : metric, n),
    empty: r.noData,
  })}<table class="numbers"><caption>${r.trendTitle(r.metrics[metric]!, stepName)}</caption><thead><tr><th scope="col">${r.periodCol}</th><th scope="col">${r.score}</th><th scope="col">${r.intervalCol}</th><th scope="col">${r.responsesCol}</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function distributionSection(p: DashboardInput, report: Report, base: Partial<FeedFilters>): Html {
  const { t, locale } = p;
  const r = t.reports;
  const scale = report.survey.scale;
  const bars = report.distribution.map((d) => {
    const answer = answerLabel(locale, scale, d.score).text;
    return {
      label: scale === 'nps' ? String(d.score) : answer,
      count: d.count,
      tone: sentimentOf(scale, d.score),
      href: feedHref({ ...base, score: String(d.score) }),
      description: `${answer} (${d.score}): ${d.count}`,
    };
  });
  const rows = report.distribution.map(
    (d, i) =>
      html`<tr><th scope="row"><a href="${bars[i]!.href}" aria-label="${r.showResponses(`${answerLabel(locale, scale, d.score).text} (${d.score})`)}">${answerLabel(locale, scale, d.score).text} (${d.score})</a></th><td>${formatCount(locale, d.count)}</td></tr>`,
  );
  return html`<h2>${r.distribution}</h2><div class="chart-pair">${distributionChart({
    id: 'distribution',
    title: r.distributionTitle,
    description: r.distributionDesc(report.counted),
    bars,
    format: (n) => formatCount(locale, n),
    empty: r.noData,
  })}<table class="numbers"><caption>${r.distributionTitle}</caption><thead><tr><th scope="col">${r.answerCol}</th><th scope="col">${r.responsesCol}</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

/**
 * The agents ranked by the lower end of their interval (issue 15): a few lucky votes have a wide
 * interval and a low lower end, so they do not top the list. Under MIN_RANKED_RESPONSES an agent
 * is listed after the ranked ones, with "too few responses" instead of a rank.
 */
export function rankAgents(groups: ReportGroup[]): { group: ReportGroup; rank: number | null }[] {
  const lower = (g: ReportGroup) => g.score.low ?? Number.NEGATIVE_INFINITY;
  const ranked = groups
    .filter((g) => g.counted >= MIN_RANKED_RESPONSES)
    .sort((a, b) => lower(b) - lower(a) || (b.score.value ?? 0) - (a.score.value ?? 0) || b.counted - a.counted || a.key.localeCompare(b.key));
  const rest = groups.filter((g) => g.counted < MIN_RANKED_RESPONSES).sort((a, b) => b.counted - a.counted || a.key.localeCompare(b.key));
  return [...ranked.map((group, i) => ({ group, rank: i + 1 })), ...rest.map((group) => ({ group, rank: null }))];
}

function agentsSection(p: DashboardInput, agents: Report, base: Partial<FeedFilters>): Html {
  const { t, locale } = p;
  const r = t.reports;
  const rows = rankAgents(agents.groups ?? []).map(({ group, rank }) => {
    const name = group.key === '' ? r.noAgent : group.key;
    return html`<tr><td>${rank === null ? html`<span class="hint">${r.tooFew}</span>` : rank}</td><th scope="row"><a href="${feedHref({ ...base, agent: group.key === '' ? '-' : group.key })}" aria-label="${r.showResponses(
      name,
    )}">${name}</a></th><td>${formatCount(locale, group.counted)}</td><td>${scoreText(p, group.score)}</td><td>${intervalText(p, group.score)}</td></tr>`;
  });
  return html`<h2>${r.agents}</h2><p class="hint">${r.agentsIntro}</p>${
    rows.length
      ? html`<table class="agents"><thead><tr><th scope="col">${r.rank}</th><th scope="col">${r.agent}</th><th scope="col">${r.responsesCol}</th><th scope="col">${r.score}</th><th scope="col">${r.intervalCol}</th></tr></thead><tbody>${rows}</tbody></table>`
      : html`<p>${r.noAgents}</p>`
  }`;
}

function propertySection(p: DashboardInput, v: NonNullable<DashboardInput['view']>, base: Partial<FeedFilters>): Html {
  const { t, locale } = p;
  const r = t.reports;
  if (!v.byProperty || !p.form.property) return html``;
  const name = p.form.property;
  const rows = (v.byProperty.groups ?? []).map(
    (g) =>
      html`<tr><th scope="row"><a href="${feedHref({ ...base, property: `${name}:${g.key}` })}" aria-label="${r.showResponses(`${name}: ${g.key}`)}">${g.key}</a></th><td>${formatCount(locale, g.counted)}</td><td>${scoreText(
        p,
        g.score,
      )}</td><td>${intervalText(p, g.score)}</td></tr>`,
  );
  return html`<h2>${r.properties}: ${name}</h2><p class="hint">${r.propertyIntro}</p>${
    rows.length
      ? html`<table class="by-property"><thead><tr><th scope="col">${r.value}</th><th scope="col">${r.responsesCol}</th><th scope="col">${r.score}</th><th scope="col">${r.intervalCol}</th></tr></thead><tbody>${rows}</tbody></table>`
      : html`<p>${r.noData}</p>`
  }`;
}

/**
 * The follow-ups of the period (issue 16): open and overdue (linking to the inbox, filtered by the
 * survey), the medians to first action and to resolution, the share resolved within the due time,
 * and the recovery rate with its n. A figure with nothing to measure shows "—" and says why.
 */
function followUpSection(p: DashboardInput, m: FollowUpMetrics): Html {
  const { locale } = p;
  const f = p.t.reports.followUps;
  const inbox = `/app/follow-ups?view=all&survey=${encodeURIComponent(p.survey.id)}`;
  const figure = (name: string, value: string | null, hint: string) =>
    html`<div><dt>${name}</dt><dd>${value ?? '—'}</dd>${hint ? html`<dd class="hint">${hint}</dd>` : ''}</div>`;
  const judged = m.resolved + m.overdue;
  const withinDue = m.resolvedWithinDueShare === null ? null : Math.round(m.resolvedWithinDueShare * judged);
  const recoveryHint =
    m.recoveryRate !== null ? f.recoveryOf(m.recovery.recovered, m.recovery.withNextResponse) : m.recovery.customers === 0 ? f.noUnhappy : f.noLaterAnswer(m.recovery.customers);
  return html`<h2>${f.title}</h2><p class="hint">${f.intro}</p><p>${f.opened(m.opened)}</p><dl class="stats followups">
<div><dt>${f.open}</dt><dd><a href="${inbox}" aria-label="${f.seeOpen}">${formatCount(locale, m.open)}</a></dd></div>
<div><dt>${f.overdue}</dt><dd><a href="${`${inbox}&overdue=1`}" aria-label="${f.seeOverdue}">${formatCount(locale, m.overdue)}</a></dd></div>
${figure(f.firstAction, m.medianFirstActionMs === null ? null : formatDuration(locale, m.medianFirstActionMs), m.medianFirstActionMs === null ? f.noFirstAction : '')}
${figure(f.resolution, m.medianResolutionMs === null ? null : formatDuration(locale, m.medianResolutionMs), m.medianResolutionMs === null ? f.noResolution : '')}
${figure(f.withinDue, m.resolvedWithinDueShare === null ? null : formatShare(locale, m.resolvedWithinDueShare), withinDue === null ? f.noWithinDue : f.withinDueOf(withinDue, judged))}
${figure(f.recovery, m.recoveryRate === null ? null : formatShare(locale, m.recoveryRate), recoveryHint)}
</dl><p class="hint">${f.inboxHint} ${f.recoveryFormula}</p>`;
}
