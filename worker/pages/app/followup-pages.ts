import { html, raw } from 'hono/html';
import type { AppLocale } from '../../../schema';
import { FOLLOW_UP_PRIORITIES, FOLLOW_UP_RULES, FOLLOW_UP_STATUSES, type FollowUpPriority, type FollowUpRule, type FollowUpStatus } from '../../../schema/followup-settings';
import { scaleAnswers, type Scale } from '../../../schema/scales';
import { answerLabel } from '../../lib/i18n';
import type { ResponseEventJson, ResponseJson } from '../../services/schemas';
import { appPage, errorSummary, type FieldError, formToken, type Html, notice, type Viewer } from './layout';
import type { AppMessages } from './messages';
import { when } from './settings-pages';
import { choice } from './survey-pages';

interface PageInput {
  locale: AppLocale;
  t: AppMessages;
  viewer: Viewer;
}

/** The inbox's three views: the viewer's own, nobody's, everyone's. */
export const INBOX_VIEWS = ['mine', 'unassigned', 'all'] as const;
export type InboxView = (typeof INBOX_VIEWS)[number];

/** The inbox's filters as typed in its GET form (validated by the route, shown back as they came). */
export interface InboxFilters {
  status: string;
  priority: string;
  owner: string;
  survey: string;
  overdue: string;
  q: string;
  sort: string;
}

export const EMPTY_INBOX_FILTERS: InboxFilters = { status: 'active', priority: '', owner: '', survey: '', overdue: '', q: '', sort: 'due' };

/** The sort orders the inbox offers, in the order of its select. */
export const INBOX_SORTS = ['due', '-due', '-created', 'created'] as const;

/** A member as the owner selects show them. */
export interface MemberChoice {
  personId: string;
  name: string;
}

/** One row of the inbox. */
export interface FollowUpRow {
  id: string;
  status: FollowUpStatus;
  priority: FollowUpPriority;
  ownerName: string | null;
  surveyName: string;
  /** The customer's email, else null (anonymous). */
  recipient: string | null;
  subject: string | null;
  /** The answer's label in the app's language. */
  answer: string;
  dueAt: number;
  overdue: boolean;
}

/** Everything the detail page shows. */
export interface FollowUpView {
  id: string;
  status: FollowUpStatus;
  priority: FollowUpPriority;
  ownerPersonId: string | null;
  ownerName: string | null;
  surveyId: string;
  surveyName: string;
  dueAt: number;
  overdue: boolean;
  createdAt: number;
  resolvedAt: number | null;
  rootCause: string | null;
  solved: boolean | null;
  response: ResponseJson & { events: ResponseEventJson[] };
  /** The same customer's other responses in the workspace, newest first. */
  otherResponses: { id: string; surveyName: string; subject: string; label: string; at: number }[];
  notes: { id: string; authorName: string | null; text: string; at: number }[];
  log: { at: number; actorName: string | null; action: string; from: string | null; to: string | null }[];
}

/** What the detail page's forms hold after a rejected post (as typed). */
export interface FollowUpFormValues {
  rootCause: string;
  solved: string;
  note: string;
}

export const EMPTY_FOLLOW_UP_FORM: FollowUpFormValues = { rootCause: '', solved: '', note: '' };

/** The query string of an inbox view with its filters (and a cursor): empty and default filters are left out. */
export function inboxQuery(view: InboxView, filters: InboxFilters, cursor?: string | null): string {
  const query = new URLSearchParams({ view });
  for (const [key, value] of Object.entries(filters) as [keyof InboxFilters, string][]) {
    if (value !== '' && value !== EMPTY_INBOX_FILTERS[key] && !(key === 'owner' && view !== 'all')) query.set(key, value);
  }
  if (cursor) query.set('cursor', cursor);
  return query.toString();
}

/** The customer as a list shows them: email, else ticket, else "anonymous". */
function customerOf(t: AppMessages, row: { recipient: string | null; subject: string | null }): string {
  return row.recipient || row.subject || t.followUps.anonymous;
}

/** An "Overdue" tag: the word itself, not a colour, says it. */
function overdueTag(t: AppMessages, overdue: boolean): Html {
  return overdue ? html` <strong class="tag">${t.followUps.overdue}</strong>` : html``;
}

function ownerOptions(t: AppMessages, members: MemberChoice[]) {
  return [{ value: '', text: t.followUps.unassigned }, ...members.map((m) => ({ value: m.personId, text: m.name }))];
}

/** The inbox: views, filters, the list with its bulk reassign form, the next page, the export. */
export function inboxPage(
  p: PageInput & { view: InboxView; filters: InboxFilters; rows: FollowUpRow[]; next: string | null; first: boolean; members: MemberChoice[]; surveys: { id: string; name: string }[]; canManage: boolean; errors: FieldError[]; message: string | null },
): Html {
  const { t, viewer, filters, view } = p;
  const f = t.followUps;
  const tabs = html`<nav aria-label="${f.views}"><ul class="tabs">${INBOX_VIEWS.map(
    (v) => html`<li><a href="/app/follow-ups?${inboxQuery(v, { ...filters, owner: '' })}"${v === view ? raw(' aria-current="page"') : ''}>${f.tabs[v]}</a></li>`,
  )}</ul></nav>`;
  const filterForm = html`<form method="get" action="/app/follow-ups" class="card filters" novalidate><h2 class="small">${f.filters}</h2><input type="hidden" name="view" value="${view}">${choice({
    id: 'status',
    label: f.status,
    options: [{ value: 'active', text: f.active }, { value: 'any', text: f.any }, ...FOLLOW_UP_STATUSES.map((s) => ({ value: s, text: f.statuses[s] }))],
    selected: filters.status,
    errors: p.errors,
  })}${choice({ id: 'priority', label: f.priority, options: [{ value: '', text: f.any }, ...[...FOLLOW_UP_PRIORITIES].reverse().map((v) => ({ value: v, text: f.priorities[v] }))], selected: filters.priority, errors: p.errors })}${
    view === 'all'
      ? choice({ id: 'owner', label: f.owner, options: [{ value: '', text: f.anyone }, { value: 'unassigned', text: f.unassigned }, ...p.members.map((m) => ({ value: m.personId, text: m.name }))], selected: filters.owner, errors: p.errors })
      : ''
  }${choice({ id: 'survey', label: f.survey, options: [{ value: '', text: f.anySurvey }, ...p.surveys.map((s) => ({ value: s.id, text: s.name }))], selected: filters.survey, errors: p.errors })}<div class="choice"><input type="checkbox" id="overdue" name="overdue" value="1"${
    filters.overdue === '1' ? raw(' checked') : ''
  }> <label for="overdue">${f.overdueOnly}</label></div><label for="q">${f.search}</label><input type="text" id="q" name="q" value="${filters.q}" autocomplete="off">${choice({
    id: 'sort',
    label: f.sort,
    options: INBOX_SORTS.map((s) => ({ value: s, text: f.sorts[s] })),
    selected: filters.sort,
    errors: p.errors,
  })}<button type="submit">${f.apply}</button></form>`;
  const rows = p.rows.map((r) => {
    const who = customerOf(t, r);
    return html`<tr><td><input type="checkbox" id="select-${r.id}" name="ids" value="${r.id}" form="reassign"><label class="skip" for="select-${r.id}">${f.select(who)}</label></td><td><a href="/app/follow-ups/${r.id}">${who}</a>${
      r.subject && r.recipient ? html`<p class="hint">${r.subject}</p>` : ''
    }</td><td>${r.surveyName}<p class="hint">${r.answer}</p></td><td>${f.statuses[r.status]}</td><td>${f.priorities[r.priority]}</td><td>${r.ownerName ?? f.unassigned}</td><td>${when(p.locale, r.dueAt)}${overdueTag(t, r.overdue)}</td></tr>`;
  });
  const list = p.rows.length
    ? html`<form method="post" action="/app/follow-ups/reassign" id="reassign" novalidate>${formToken(viewer.formToken)}<input type="hidden" name="back" value="${inboxQuery(view, filters)}"><table><caption class="skip">${f.title}</caption><thead><tr><th scope="col"><span class="skip">${f.selectAll}</span></th><th scope="col">${f.customer}</th><th scope="col">${f.survey}</th><th scope="col">${f.status}</th><th scope="col">${f.priority}</th><th scope="col">${f.owner}</th><th scope="col">${f.due}</th></tr></thead><tbody>${rows}</tbody></table><fieldset class="inline card">${choice(
        { id: 'owner-to', label: f.reassignTo, options: ownerOptions(t, p.members), selected: '', errors: p.errors },
      )}<button type="submit">${f.reassign}</button></fieldset></form>`
    : html`<p>${f.none}</p>`;
  const pages = html`<p>${p.first ? '' : html`<a href="/app/follow-ups?${inboxQuery(view, filters)}">${f.first}</a> `}${p.next ? html`<a href="/app/follow-ups?${inboxQuery(view, filters, p.next)}">${f.next}</a>` : ''}</p>`;
  return appPage({
    ...p,
    title: p.errors.length ? `${t.problem}: ${f.title}` : f.title,
    section: 'followUps',
    body: html`${errorSummary(t, p.errors)}${notice(p.message)}<h1>${f.title}</h1><p>${f.intro}</p>${tabs}${filterForm}<p><a href="/app/follow-ups/export.csv?${inboxQuery(view, filters)}" download>${f.exportCsv}</a>${
      p.canManage ? html` · <a href="/app/follow-ups/settings">${f.settings}</a>` : ''
    }</p>${list}${pages}`,
  });
}

/** One follow-up: the response, the customer's other responses, the forms to work it, notes and the log. */
export function followUpPage(p: PageInput & { followUp: FollowUpView; members: MemberChoice[]; rootCauses: string[]; noteMax: number; errors: FieldError[]; values: FollowUpFormValues; message: string | null }): Html {
  const { t, viewer, locale, followUp: fu, errors, values } = p;
  const f = t.followUps;
  const r = fu.response;
  const who = customerOf(t, { recipient: r.recipient || null, subject: r.subject || null });
  const token = formToken(viewer.formToken);
  const facts = html`<dl class="stats"><div><dt>${f.status}</dt><dd>${f.statuses[fu.status]}</dd></div><div><dt>${f.priority}</dt><dd>${f.priorities[fu.priority]}</dd></div><div><dt>${f.owner}</dt><dd>${
    fu.ownerName ?? f.unassigned
  }</dd></div><div><dt>${f.due}</dt><dd class="small">${when(locale, fu.dueAt)}${overdueTag(t, fu.overdue && fu.status !== 'resolved')}</dd></div></dl><p>${f.survey}: <a href="/app/surveys/${fu.surveyId}">${fu.surveyName}</a> · ${f.opened} ${when(locale, fu.createdAt)}${
    fu.resolvedAt === null ? '' : html` · ${f.resolvedAt} ${when(locale, fu.resolvedAt)}`
  }</p>${fu.rootCause === null ? '' : html`<p>${f.rootCause}: <strong>${fu.rootCause}</strong> · ${f.solved} <strong>${fu.solved ? f.yes : f.no}</strong></p>`}`;
  const response = html`<h2>${f.response}</h2><div class="card"><p>${t.answer}: <strong>${r.label}</strong> <span class="tag">${t.responseStatuses[r.status] ?? r.status}</span></p><p>${t.comment}: ${r.comment ?? html`<span class="muted">${f.noComment}</span>`}</p><p>${f.ticket}: ${
    r.subject || '—'
  } · ${t.recipient}: ${r.recipient || '—'}${r.agent ? html` · ${f.agent}: ${r.agent}` : ''}</p><p><a href="/app/responses/${r.id}">${t.openResponse(r.subject || r.id)}</a></p></div><h3>${t.clicks}</h3><table><thead><tr><th scope="col">${t.answered}</th><th scope="col">${t.answer}</th><th scope="col">${t.responseStatus}</th><th scope="col">${t.reason}</th></tr></thead><tbody>${r.events.map(
    (e) => html`<tr><td>${when(locale, e.at)}</td><td>${e.kind}${e.score === null ? '' : ` · ${e.score}`}</td><td><span class="tag">${t.responseStatuses[e.status] ?? e.status}</span></td><td>${e.reason ?? ''}</td></tr>`,
  )}</tbody></table>`;
  const others = html`<h2>${f.otherResponses}</h2>${
    fu.otherResponses.length
      ? html`<table><thead><tr><th scope="col">${t.subject}</th><th scope="col">${f.survey}</th><th scope="col">${t.answer}</th><th scope="col">${t.answered}</th></tr></thead><tbody>${fu.otherResponses.map(
          (o) => html`<tr><td><a href="/app/responses/${o.id}">${o.subject || o.id}</a></td><td>${o.surveyName}</td><td>${o.label}</td><td>${when(locale, o.at)}</td></tr>`,
        )}</tbody></table>`
      : html`<p>${f.noOtherResponses}</p>`
  }`;
  // Resolving has its own form (it asks for the root cause); nothing goes back to new.
  const statusChoices = FOLLOW_UP_STATUSES.filter((s) => s !== 'resolved' && (s !== 'new' || fu.status === 'new')).map((s) => ({ value: s, text: f.statuses[s] }));
  const solvedError = errors.find((e) => e.field === 'solved-yes');
  const work = html`<h2>${f.work}</h2><div class="card"><form method="post" action="/app/follow-ups/${fu.id}/status" class="inline">${token}${choice({
    id: 'status',
    label: f.changeStatus,
    options: statusChoices,
    selected: fu.status === 'resolved' ? 'open' : fu.status,
    errors,
  })}<button type="submit">${f.saveStatus}</button></form><form method="post" action="/app/follow-ups/${fu.id}/priority" class="inline">${token}${choice({
    id: 'priority',
    label: f.changePriority,
    options: [...FOLLOW_UP_PRIORITIES].reverse().map((v) => ({ value: v, text: f.priorities[v] })),
    selected: fu.priority,
    errors,
  })}<button type="submit">${f.savePriority}</button></form><form method="post" action="/app/follow-ups/${fu.id}/owner" class="inline">${token}${choice({
    id: 'owner',
    label: f.changeOwner,
    options: ownerOptions(t, p.members),
    selected: fu.ownerPersonId ?? '',
    errors,
  })}<button type="submit">${f.saveOwner}</button></form></div>${
    fu.status === 'resolved'
      ? ''
      : html`<h3>${f.resolve}</h3><form method="post" action="/app/follow-ups/${fu.id}/resolve" class="card" novalidate>${token}<p class="hint">${f.resolveHint}</p>${choice({
          id: 'root-cause',
          label: f.rootCause,
          options: [{ value: '', text: '—' }, ...p.rootCauses.map((c) => ({ value: c, text: c }))],
          selected: values.rootCause,
          errors,
        })}<fieldset${solvedError ? raw(' class="invalid" aria-describedby="solved-error"') : ''}><legend>${f.solved}</legend>${solvedError ? html`<p class="field-error" id="solved-error">${solvedError.message}</p>` : ''}${(
          [
            ['yes', f.yes],
            ['no', f.no],
          ] as const
        ).map(([v, text]) => html`<div class="choice"><input type="radio" id="solved-${v}" name="solved" value="${v}"${values.solved === v ? raw(' checked') : ''}> <label for="solved-${v}">${text}</label></div>`)}</fieldset><button type="submit">${f.resolve}</button></form>`
  }`;
  const noteError = errors.find((e) => e.field === 'note');
  const notes = html`<h2>${f.notes}</h2>${
    fu.notes.length ? html`<ul class="notes">${fu.notes.map((n) => html`<li class="card"><p class="hint">${n.authorName ?? f.system} · ${when(locale, n.at)}</p><p class="pre">${n.text}</p></li>`)}</ul>` : html`<p>${f.noNotes}</p>`
  }<form method="post" action="/app/follow-ups/${fu.id}/notes" novalidate>${token}<div${noteError ? raw(' class="invalid"') : ''}><label for="note">${f.note}</label><p class="hint" id="note-hint">${f.noteHint(p.noteMax)}</p>${
    noteError ? html`<p class="field-error" id="note-error">${noteError.message}</p>` : ''
  }<textarea id="note" name="note" rows="4" maxlength="${p.noteMax}" aria-describedby="note-hint${noteError ? ' note-error' : ''}"${noteError ? raw(' aria-invalid="true"') : ''}>${values.note}</textarea></div><button type="submit">${f.addNote}</button></form>`;
  const shown = (action: string, value: string | null) =>
    value === null ? '—' : action === 'status' ? (f.statuses[value as FollowUpStatus] ?? value) : action === 'priority' ? (f.priorities[value as FollowUpPriority] ?? value) : value;
  const log = html`<h2>${f.log}</h2><table><thead><tr><th scope="col">${f.when}</th><th scope="col">${f.who}</th><th scope="col">${f.what}</th><th scope="col">${f.from}</th><th scope="col">${f.to}</th></tr></thead><tbody>${fu.log.map(
    (l) => html`<tr><td>${when(locale, l.at)}</td><td>${l.actorName ?? f.system}</td><td>${f.actions[l.action] ?? l.action}</td><td>${shown(l.action, l.from)}</td><td>${shown(l.action, l.to)}</td></tr>`,
  )}</tbody></table>`;
  return appPage({
    ...p,
    title: errors.length ? `${t.problem}: ${f.titleOf(who)}` : f.titleOf(who),
    section: 'followUps',
    body: html`${errorSummary(t, errors)}${notice(p.message)}<p><a href="/app/follow-ups">${f.back}</a></p><h1>${f.titleOf(who)}</h1>${facts}${response}${work}${notes}${others}${log}`,
  });
}

/** What the settings form holds (as typed). */
export interface FollowUpSettingsValues {
  dueHours: Record<FollowUpPriority, string>;
  rootCauses: string;
}

/** The workspace's follow-up settings (owners and admins): due hours per priority, the root causes. */
export function followUpSettingsPage(p: PageInput & { values: FollowUpSettingsValues; errors: FieldError[]; message: string | null }): Html {
  const { t, viewer, values, errors } = p;
  const f = t.followUps;
  const rootError = errors.find((e) => e.field === 'root-causes');
  return appPage({
    ...p,
    title: errors.length ? `${t.problem}: ${f.settings}` : f.settings,
    section: 'followUps',
    body: html`${errorSummary(t, errors)}${notice(p.message)}<p><a href="/app/follow-ups">${f.back}</a></p><h1>${f.settings}</h1><p>${f.settingsIntro}</p><form method="post" action="/app/follow-ups/settings" novalidate>${formToken(viewer.formToken)}<fieldset><legend>${f.dueHours}</legend>${[
      ...FOLLOW_UP_PRIORITIES,
    ]
      .reverse()
      .map((priority) => {
        const id = `due-${priority}`;
        const error = errors.find((e) => e.field === id);
        return html`<div${error ? raw(' class="invalid"') : ''}><label for="${id}">${f.dueHoursOf(f.priorities[priority])}</label>${error ? html`<p class="field-error" id="${id}-error">${error.message}</p>` : ''}<input type="text" inputmode="numeric" id="${id}" name="${id}" value="${values.dueHours[priority]}"${
          error ? raw(` aria-describedby="${id}-error" aria-invalid="true"`) : ''
        }></div>`;
      })}</fieldset><div${rootError ? raw(' class="invalid"') : ''}><label for="root-causes">${f.rootCauses}</label><p class="hint" id="root-causes-hint">${f.rootCausesHint}</p>${
      rootError ? html`<p class="field-error" id="root-causes-error">${rootError.message}</p>` : ''
    }<textarea id="root-causes" name="root-causes" rows="8" aria-describedby="root-causes-hint${rootError ? ' root-causes-error' : ''}"${rootError ? raw(' aria-invalid="true"') : ''}>${values.rootCauses}</textarea></div><button type="submit">${f.saveSettings}</button></form>`,
  });
}

/** What a survey's follow-up form holds (as typed). */
export interface SurveyFollowUpValues {
  rule: string;
  defaultOwner: string;
  /** By answer: '' = the default priority. */
  priorities: Record<string, string>;
  reviewUrl: string;
}

/** The id of the priority select of one answer. */
export function priorityField(score: number): string {
  return `priority-${score}`;
}

/**
 * A survey's follow-up settings: the rule, the default owner, the priority per answer and the
 * review page. Owners and admins get the form; members see the settings.
 */
export function surveyFollowUpSection(p: {
  locale: AppLocale;
  t: AppMessages;
  viewer: Viewer;
  surveyId: string;
  scale: Scale;
  canManage: boolean;
  members: MemberChoice[];
  values: SurveyFollowUpValues;
  defaults: Record<string, FollowUpPriority>;
  reviewClicks: number;
  errors: FieldError[];
}): Html {
  const { t, values, errors } = p;
  const f = t.followUps;
  const answer = (score: number) => answerLabel(p.locale, p.scale, score).text;
  const priorityOf = (score: number) => f.priorities[(values.priorities[String(score)] || p.defaults[String(score)] || 'medium') as FollowUpPriority];
  if (!p.canManage) {
    const owner = p.members.find((m) => m.personId === values.defaultOwner)?.name ?? f.unassigned;
    return html`<h2>${f.surveyHeading}</h2><dl class="stats"><div><dt>${f.rule}</dt><dd class="small">${f.rules[values.rule as FollowUpRule] ?? values.rule}</dd></div><div><dt>${f.defaultOwner}</dt><dd class="small">${owner}</dd></div><div><dt>${f.reviewClicks}</dt><dd>${p.reviewClicks}</dd></div></dl><p>${f.reviewUrl}: ${
      values.reviewUrl || '—'
    }</p><h3>${f.priorityRule}</h3><ul>${scaleAnswers(p.scale).map((s) => html`<li>${answer(s)}: ${priorityOf(s)}</li>`)}</ul>`;
  }
  const ruleError = errors.find((e) => e.field === 'rule-negative');
  const urlError = errors.find((e) => e.field === 'review-url');
  return html`<h2 id="follow-ups">${f.surveyHeading}</h2><form method="post" action="/app/surveys/${p.surveyId}/follow-ups" novalidate>${formToken(p.viewer.formToken)}<fieldset${
    ruleError ? raw(' class="invalid"') : ''
  }><legend>${f.rule}</legend>${ruleError ? html`<p class="field-error">${ruleError.message}</p>` : ''}${FOLLOW_UP_RULES.map(
    (rule) => html`<div class="choice"><input type="radio" id="rule-${rule}" name="rule" value="${rule}"${values.rule === rule ? raw(' checked') : ''}> <label for="rule-${rule}">${f.rules[rule]}</label></div>`,
  )}</fieldset>${choice({ id: 'default-owner', label: f.defaultOwner, options: ownerOptions(t, p.members), selected: values.defaultOwner, errors })}<p class="hint">${f.defaultOwnerHint}</p><fieldset><legend>${f.priorityRule}</legend>${scaleAnswers(
    p.scale,
  ).map((score) =>
    choice({
      id: priorityField(score),
      label: answer(score),
      options: [{ value: '', text: f.defaultPriority(f.priorities[p.defaults[String(score)] ?? 'medium']) }, ...[...FOLLOW_UP_PRIORITIES].reverse().map((v) => ({ value: v, text: f.priorities[v] }))],
      selected: values.priorities[String(score)] ?? '',
      errors,
    }),
  )}</fieldset><div${urlError ? raw(' class="invalid"') : ''}><label for="review-url">${f.reviewUrl}</label><p class="hint" id="review-url-hint">${f.reviewUrlHint}</p>${
    urlError ? html`<p class="field-error" id="review-url-error">${urlError.message}</p>` : ''
  }<input type="url" id="review-url" name="review-url" value="${values.reviewUrl}" autocomplete="off" aria-describedby="review-url-hint${urlError ? ' review-url-error' : ''}"${urlError ? raw(' aria-invalid="true"') : ''}></div><p>${f.reviewClicks}: <strong>${p.reviewClicks}</strong></p><button type="submit">${f.saveSurvey}</button></form>`;
}
