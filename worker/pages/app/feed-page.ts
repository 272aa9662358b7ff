import { html, raw } from 'hono/html';
import type { AppLocale } from '../../../schema';
import { SENTIMENTS, type Scale } from '../../../schema/scales';
import { answerLabel } from '../../lib/i18n';
import type { ResponseJson } from '../../services/schemas';
import { appPage, errorSummary, type FieldError, type Html, type Viewer } from './layout';
import type { AppMessages } from './messages';
import { dateFormat } from './formats';
import { choice } from './survey-pages';
import { isDate } from '../../services/report-periods';

/**
 * Every filter of the feed (`/app/responses`), as its URL parameter. The dashboard links to the
 * feed with these, and the Export button sends the same ones, so a view, its link and its CSV
 * are the same rows. `subject`, `recipient` and `since` are the API's own filters, kept so older
 * links still work; the form offers the search (`q`) and the period (`from`–`to`) instead.
 */
export const FEED_FILTERS = ['survey', 'q', 'agent', 'sentiment', 'score', 'status', 'from', 'to', 'property', 'comment', 'subject', 'recipient', 'since'] as const;
export type FeedFilter = (typeof FEED_FILTERS)[number];
export type FeedFilters = Record<FeedFilter, string>;

/** The filters of a URL's query (absent = ''), trimmed. */
export function feedFiltersOf(query: (name: string) => string | undefined): FeedFilters {
  return Object.fromEntries(FEED_FILTERS.map((name) => [name, (query(name) ?? '').trim()])) as FeedFilters;
}

/** `path?filters` with only the filters that are set, in a stable order (then the page's cursor). */
export function feedHref(filters: Partial<FeedFilters>, path = '/app/responses', cursor?: string): string {
  const query = new URLSearchParams(FEED_FILTERS.flatMap((name) => (filters[name] ? [[name, filters[name]!]] : [])));
  if (cursor) query.set('cursor', cursor);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/**
 * A date field's input type: `date`, unless it holds text that is not a date (what a person typed
 * or edited in the URL), which a date input would silently empty: then plain text, shown with its error.
 */
export function dateType(value: string): 'date' | 'text' {
  return value === '' || isDate(value) ? 'date' : 'text';
}

interface FeedInput {
  locale: AppLocale;
  t: AppMessages;
  viewer: Viewer;
  filters: FeedFilters;
  surveys: { id: string; name: string; scale: Scale }[];
  responses: ResponseJson[];
  next: string | null;
  errors: FieldError[];
  /** The workspace's time zone: dates are shown, and `from`–`to` read, in it. */
  timeZone: string;
}

/** A date and time in the workspace's zone, in the page's language. */
function when(locale: AppLocale, iso: string, timeZone: string): string {
  return dateFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso));
}

/** A labelled optional filter input, with its error beside it. */
function filterInput(p: FeedInput, id: FeedFilter, label: string, type: 'text' | 'date' | 'search', hint?: string): Html {
  const error = p.errors.find((e) => e.field === id);
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`<div${error ? raw(' class="invalid"') : ''}><label for="${id}">${label}</label>${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : ''}${
    error ? html`<p class="field-error" id="${id}-error">${error.message}</p>` : ''
  }<input id="${id}" name="${id}" type="${type === 'date' ? dateType(p.filters[id]) : type}" value="${p.filters[id]}" autocomplete="off"${described ? html` aria-describedby="${described}"` : ''}${error ? raw(' aria-invalid="true"') : ''}></div>`;
}

function filterSelect(p: FeedInput, id: FeedFilter, label: string, options: [string, string][]): Html {
  return choice({ id, label, options: options.map(([value, text]) => ({ value, text })), selected: p.filters[id], errors: p.errors });
}

/**
 * The feed (issue 15): the workspace's responses with their comments, newest first, filtered by
 * survey, search (ticket ref or email), agent, sentiment, answer, status, period, property and
 * "with a comment only"; every filter in the URL; the Export button downloads the CSV of exactly
 * this view (every matching row, not just this page).
 */
export function feedPage(p: FeedInput): Html {
  const { t, locale, filters } = p;
  const r = t.reports;
  const scales = new Map(p.surveys.map((s) => [s.id, s]));
  const rows = p.responses.map((row) => {
    const survey = scales.get(row.survey);
    const label = survey ? answerLabel(locale, survey.scale, row.score).text : row.label;
    return html`<tr><td>${when(locale, row.firstAnsweredAt, p.timeZone)}</td><td><a href="/app/responses/${row.id}" aria-label="${t.openResponse(row.subject)}">${row.subject}</a><p class="hint">${row.recipient}</p></td><td>${
      survey ? html`${survey.name}<p class="hint">` : html`<p class="hint">`
    }${label} (${row.score})</p></td><td><span class="tag">${r.sentiments[row.sentiment]}</span>${row.status === 'counted' ? '' : html` <span class="tag">${t.responseStatuses[row.status] ?? row.status}</span>`}</td><td>${
      row.agent ?? '—'
    }</td><td class="comment">${row.comment ?? ''}</td></tr>`;
  });
  const status = filters.status || 'counted';
  const nextHref = p.next ? feedHref(filters, '/app/responses', p.next) : null;
  const legacy = ([['subject', t.subject], ['recipient', t.recipient], ['since', t.since]] as const).filter(([name]) => filters[name]);
  return appPage({
    ...p,
    title: p.errors.length ? `${t.problem}: ${r.feedTitle}` : r.feedTitle,
    section: 'responses',
    body: html`${errorSummary(t, p.errors)}<h1>${r.feedTitle}</h1><p>${r.feedIntro}</p><form method="get" action="/app/responses" novalidate class="card filters">${legacy.map(([name, label]) => filterInput(p, name, label, 'text'))}
${filterSelect(p, 'survey', r.surveyFilter, [['', r.allSurveys], ...p.surveys.map((s): [string, string] => [s.id, s.name])])}
${filterInput(p, 'q', r.search, 'search', r.searchHint)}
${filterInput(p, 'agent', r.agent, 'text', r.agentHint)}
${filterSelect(p, 'sentiment', r.sentiment, [['', r.anySentiment], ...SENTIMENTS.map((s): [string, string] => [s, r.sentiments[s]!])])}
${filterInput(p, 'score', r.scoreFilter, 'text', r.scoreHint)}
${filterSelect(p, 'status', t.responseStatus, ['counted', 'pending', 'bot', 'all'].map((s): [string, string] => [s, t.responseStatuses[s]!]))}
${filterInput(p, 'from', r.from, 'date')}${filterInput(p, 'to', r.to, 'date')}
${filterInput(p, 'property', r.property, 'text', r.propertyHint)}
<div class="choice"><input type="checkbox" id="comment" name="comment" value="1"${filters.comment === '1' ? raw(' checked') : ''}> <label for="comment">${r.withComment}</label></div>
<button type="submit">${t.filter}</button></form>
<p><a href="${feedHref({ ...filters, status }, '/app/responses/export')}" download>${r.export}</a> <span class="hint">${r.exportHint}</span></p>${
      p.responses.length
        ? html`<table class="feed"><thead><tr><th scope="col">${t.answered}</th><th scope="col">${r.customer}</th><th scope="col">${t.answer}</th><th scope="col">${r.sentiment}</th><th scope="col">${r.agent}</th><th scope="col">${t.comment}</th></tr></thead><tbody>${rows}</tbody></table>`
        : html`<p>${t.noResponses}</p>`
    }${nextHref ? html`<p><a href="${nextHref}">${t.nextPage}</a></p>` : ''}`,
  });
}
