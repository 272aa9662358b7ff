import { html, raw } from 'hono/html';
import type { AppLocale } from '../../../schema';
import type { Survey } from '../../db/surveys';
import { HELPDESK_PRESETS, PRESET_NAMES, SNIPPET_STYLES } from '../../lib/helpdesk-presets';
import { LOCALES } from '../../lib/i18n';
import type { RenderedEmail } from '../../services/emails';
import type { Snippet } from '../../services/snippets';
import { hashSource } from '../layout';
import { APP_CSS, appPage, errorSummary, type FieldError, type Html, type Viewer } from './layout';
import type { AppMessages } from './messages';
import { choice } from './survey-pages';

/** What the builder's form holds, as the query string sent it. */
export interface SnippetFormValues {
  survey: string;
  preset: string;
  style: string;
  locale: string;
  agent: string;
}

/**
 * The Snippets page's Content-Security-Policy: the app's, plus what the preview IS: the snippet's
 * inline style attributes (attributes cannot run script) and images from PUBLIC_URL (where the
 * image style points). Still no script at all.
 */
export async function snippetsCsp(publicUrl: string): Promise<string> {
  return `default-src 'none'; style-src ${await hashSource(APP_CSS)}; style-src-attr 'unsafe-inline'; img-src 'self' ${new URL(publicUrl).origin}; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;
}

/**
 * Snippets: the builder as a GET form (works without script: the server builds the snippet with
 * the API's own service), the preview, the HTML in a read-only textarea to copy, and the survey
 * email's text as the API renders it.
 */
export function snippetsPage(p: {
  locale: AppLocale;
  t: AppMessages;
  viewer: Viewer;
  surveys: Survey[];
  values: SnippetFormValues;
  errors: FieldError[];
  snippet: Snippet | null;
  email: RenderedEmail | null;
}): Html {
  const { t, values, errors, snippet, email } = p;
  if (!p.surveys.length) {
    return appPage({ ...p, title: t.snippetsTitle, section: 'snippets', body: html`<h1>${t.snippetsTitle}</h1><p>${t.snippetsIntro}</p><p><a href="/app/surveys">${t.snippetNoSurveys}</a></p>` });
  }
  const agentError = errors.find((e) => e.field === 'agent');
  const form = html`<form method="get" action="/app/snippets" novalidate>${choice({
    id: 'survey',
    label: t.snippetSurvey,
    options: p.surveys.map((s) => ({ value: s.id, text: s.archivedAt === null ? s.name : `${s.name} (${t.archived})` })),
    selected: values.survey,
    errors,
  })}${choice({ id: 'preset', label: t.snippetPreset, options: PRESET_NAMES.map((n) => ({ value: n, text: HELPDESK_PRESETS[n].title })), selected: values.preset, errors })}${choice({
    id: 'style',
    label: t.snippetStyle,
    options: SNIPPET_STYLES.map((s) => ({ value: s, text: t.snippetStyles[s] })),
    selected: values.style,
    errors,
  })}${choice({ id: 'locale', label: t.snippetLanguage, options: [{ value: '', text: t.snippetLanguageAuto }, ...LOCALES.map((l) => ({ value: l, text: t.surveyLanguages[l] }))], selected: values.locale, errors })}<div${
    agentError ? raw(' class="invalid"') : ''
  }><label for="agent">${t.snippetAgent}</label><p class="hint" id="agent-hint">${t.snippetAgentHint}</p>${agentError ? html`<p class="field-error" id="agent-error">${agentError.message}</p>` : ''}<input id="agent" name="agent" type="text" autocomplete="off" value="${values.agent}" aria-describedby="agent-hint${
    agentError ? ' agent-error' : ''
  }"${agentError ? raw(' aria-invalid="true"') : ''}></div><button type="submit">${t.buildSnippet}</button></form>`;
  const placeholders = snippet ? Object.values(snippet.preset.placeholders) : [];
  const result = snippet
    ? html`<h2>${t.snippetPreview}</h2><p class="hint">${t.snippetPasteInto(snippet.preset.pasteInto)}${placeholders.length ? html` ${t.snippetPlaceholders(placeholders.join(', '))}` : ''}</p><div class="card" id="snippet-preview">${raw(
        snippet.html,
      )}</div><label for="snippet-html">${t.snippetHtml}</label><p class="hint" id="snippet-html-hint">${t.snippetHtmlHint}</p><textarea id="snippet-html" readonly rows="8" aria-describedby="snippet-html-hint">${snippet.html}</textarea>`
    : '';
  const preview = email
    ? html`<h2>${t.emailPreview}</h2><p>${t.emailPreviewIntro}</p><h3>${t.emailText}</h3><pre class="email-text">${email.text}</pre>`
    : '';
  return appPage({
    ...p,
    title: errors.length ? `${t.problem}: ${t.snippetsTitle}` : t.snippetsTitle,
    section: 'snippets',
    body: html`${errorSummary(t, errors)}<h1>${t.snippetsTitle}</h1><p>${t.snippetsIntro}</p>${form}${result}${preview}`,
  });
}
