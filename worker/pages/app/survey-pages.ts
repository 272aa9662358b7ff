import { html, raw } from 'hono/html';
import type { AppLocale } from '../../../schema';
import { SCALES, type Scale } from '../../../schema/scales';
import type { Survey } from '../../db/surveys';
import { LOCALES } from '../../lib/i18n';
import { appPage, errorSummary, field, type FieldError, formToken, type Html, notice, type Viewer } from './layout';
import type { AppMessages } from './messages';

interface PageInput {
  locale: AppLocale;
  t: AppMessages;
  viewer: Viewer;
}

/** What the create form holds (as typed, so a rejected form comes back as it was sent). */
export interface SurveyFormValues {
  name: string;
  scale: string;
  question: string;
  translations: Record<string, string>;
  locale: string;
}

export const EMPTY_SURVEY_FORM: SurveyFormValues = { name: '', scale: 'csat5', question: '', translations: {}, locale: '' };

/** The id of a translation's input, as the error summary links to it. */
export function translationField(language: string): string {
  return `translation-${language}`;
}

function day(locale: AppLocale, ms: number): string {
  return new Intl.DateTimeFormat(locale === 'it' ? 'it-IT' : 'en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(ms));
}

/** A labelled select with its error message, wired like `field`. */
export function choice(input: { id: string; label: string; options: { value: string; text: string }[]; selected: string; errors: FieldError[] }): Html {
  const error = input.errors.find((e) => e.field === input.id);
  return html`<div${error ? raw(' class="invalid"') : ''}><label for="${input.id}">${input.label}</label>${error ? html`<p class="field-error" id="${input.id}-error">${error.message}</p>` : ''}<select id="${input.id}" name="${input.id}"${
    error ? raw(` aria-describedby="${input.id}-error" aria-invalid="true"`) : ''
  }>${input.options.map((o) => html`<option value="${o.value}"${o.value === input.selected ? raw(' selected') : ''}>${o.text}</option>`)}</select></div>`;
}

/** The optional translation inputs, one per customer language. */
function translationFields(t: AppMessages, values: Record<string, string>, errors: FieldError[]): Html {
  return html`<fieldset><legend>${t.translations}</legend><p class="hint">${t.translationsHint}</p>${LOCALES.map((language) => {
    const id = translationField(language);
    const error = errors.find((e) => e.field === id);
    return html`<div${error ? raw(' class="invalid"') : ''}><label for="${id}">${t.translationIn(t.surveyLanguages[language])}</label>${
      error ? html`<p class="field-error" id="${id}-error">${error.message}</p>` : ''
    }<input id="${id}" name="${id}" type="text" lang="${language}" value="${values[language] ?? ''}"${error ? raw(` aria-describedby="${id}-error" aria-invalid="true"`) : ''}></div>`;
  })}</fieldset>`;
}

/** Surveys: every survey of the workspace; the create form for owners and admins. */
export function surveysPage(p: PageInput & { surveys: Survey[]; reviewClicks?: Map<string, number>; canManage: boolean; errors: FieldError[]; values: SurveyFormValues; message: string | null }): Html {
  const { t, viewer, values, errors } = p;
  const rows = p.surveys.map(
    (s) =>
      html`<tr><td><a href="/app/surveys/${s.id}">${s.name}</a></td><td>${t.scales[s.scale]}</td><td>${day(p.locale, s.createdAt)}</td><td>${
        s.archivedAt === null ? t.open : html`<span class="tag">${t.archived}</span> ${day(p.locale, s.archivedAt)}`
      }</td><td>${s.reviewUrl ? (p.reviewClicks?.get(s.id) ?? 0) : '—'}</td></tr>`,
  );
  const list = p.surveys.length
    ? html`<table><caption class="skip">${t.surveysTitle}</caption><thead><tr><th scope="col">${t.name}</th><th scope="col">${t.scale}</th><th scope="col">${t.createdColumn}</th><th scope="col">${t.status}</th><th scope="col">${t.followUps.reviewClicks}</th></tr></thead><tbody>${rows}</tbody></table>`
    : html`<p>${t.noSurveys}</p>`;
  const form = p.canManage
    ? html`<h2 id="create">${t.createSurveyHeading}</h2><form method="post" action="/app/surveys" novalidate>${formToken(viewer.formToken)}${field({ id: 'name', label: t.name, type: 'text', value: values.name, errors })}${choice({
        id: 'scale',
        label: t.scale,
        options: SCALES.map((s: Scale) => ({ value: s, text: t.scales[s] })),
        selected: values.scale,
        errors,
      })}${choice({
        id: 'locale',
        label: t.surveyLocale,
        options: [{ value: '', text: t.surveyLocaleAuto }, ...LOCALES.map((l) => ({ value: l, text: t.surveyLanguages[l] }))],
        selected: values.locale,
        errors,
      })}${field({ id: 'question', label: t.question, hint: t.questionHint, type: 'text', value: values.question, errors })}${translationFields(t, values.translations, errors)}<button type="submit">${t.createSurvey}</button></form>`
    : '';
  return appPage({
    ...p,
    title: errors.length ? `${t.problem}: ${t.surveysTitle}` : t.surveysTitle,
    section: 'surveys',
    body: html`${errorSummary(t, errors)}${notice(p.message)}<h1>${t.surveysTitle}</h1><p>${t.surveysIntro}</p>${list}${form}`,
  });
}

/** One survey: its question and translations; for owners and admins, the edit and archive forms. */
export function surveyPage(p: PageInput & { survey: Survey; canManage: boolean; errors: FieldError[]; values: { question: string; translations: Record<string, string> }; message: string | null; followUps?: Html }): Html {
  const { t, viewer, survey, errors } = p;
  const facts = html`<dl class="stats"><div><dt>${t.scale}</dt><dd>${t.scales[survey.scale]}</dd></div><div><dt>${t.surveyLocale}</dt><dd>${
    survey.locale && (LOCALES as readonly string[]).includes(survey.locale) ? t.surveyLanguages[survey.locale as (typeof LOCALES)[number]] : t.surveyLocaleAuto
  }</dd></div><div><dt>${t.createdColumn}</dt><dd>${day(p.locale, survey.createdAt)}</dd></div><div><dt>${t.status}</dt><dd>${survey.archivedAt === null ? t.open : t.archived}</dd></div></dl>`;
  const readOnly = html`<h2>${t.question}</h2><p>${survey.question}</p>${
    Object.keys(survey.questionI18n).length
      ? html`<h2>${t.translations}</h2><dl class="stats">${Object.entries(survey.questionI18n).map(([l, q]) => html`<div><dt>${l}</dt><dd lang="${l}">${q}</dd></div>`)}</dl>`
      : ''
  }`;
  const manage = html`<h2>${t.editQuestionHeading}</h2><form method="post" action="/app/surveys/${survey.id}/question" novalidate>${formToken(viewer.formToken)}${field({
    id: 'question',
    label: t.question,
    hint: t.questionHint,
    type: 'text',
    value: p.values.question,
    errors,
  })}${translationFields(t, p.values.translations, errors)}<button type="submit">${t.saveQuestion}</button></form><h2>${t.archiveHeading}</h2>${
    survey.archivedAt === null
      ? html`<p>${t.archiveHint}</p><form method="post" action="/app/surveys/${survey.id}/archive">${formToken(viewer.formToken)}<button class="warning" type="submit">${t.archiveSurvey}</button></form>`
      : html`<p>${t.unarchiveHint}</p><form method="post" action="/app/surveys/${survey.id}/unarchive">${formToken(viewer.formToken)}<button class="secondary" type="submit">${t.unarchiveSurvey}</button></form>`
  }`;
  return appPage({
    ...p,
    title: errors.length ? `${t.problem}: ${survey.name}` : survey.name,
    section: 'surveys',
    body: html`${errorSummary(t, errors)}${notice(p.message)}<p><a href="/app/surveys">${t.backToSurveys}</a></p><h1>${survey.name}</h1>${facts}${p.canManage ? manage : readOnly}${p.followUps ?? ''}`,
  });
}
