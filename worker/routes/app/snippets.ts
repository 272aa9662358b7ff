import { Hono } from 'hono';
import type { AppDeps } from '../../app-env';
import { listSurveys } from '../../db/surveys';
import { renderSurveyEmail } from '../../services/emails';
import { requireManager } from '../../services/members';
import { SnippetCreate } from '../../services/schemas';
import { buildSnippet } from '../../services/snippets';
import type { FieldError } from '../../pages/app/layout';
import { type SnippetFormValues, snippetsCsp, snippetsPage } from '../../pages/app/snippet-pages';
import { actorOf, localeOf, requireSession, type TeamEnv, viewerOf } from './context';

/** The sample message of the email preview: per-message links are signed for it, nothing is stored. */
const PREVIEW_MESSAGE = { subject: 'PREVIEW-1', recipient: 'customer@example.com' };

const SNIPPET_FIELDS = ['survey', 'preset', 'style', 'locale', 'agent'] as const;

/**
 * The team app's Snippets page (issue 14): today's snippet builder without an API key, and the
 * survey email preview. A GET form, so it works without script; the snippet and the email come
 * from the API's own services (`buildSnippet`, `renderSurveyEmail`) after the API's own schema.
 * Owners and admins only: the issue lists snippets among the admin's settings, and building a
 * signature snippet creates (or reuses) the survey's signature link for that agent.
 */
export function snippetAppRoutes(deps: AppDeps) {
  const app = new Hono<TeamEnv>();

  app.get('/snippets', requireSession(deps), async function showSnippets(c) {
    requireManager(actorOf(c));
    const s = c.get('signedIn');
    const { locale, t } = localeOf(c, s.person.locale);
    const surveys = await listSurveys(deps.db, s.workspace.id);
    const open = surveys.find((survey) => survey.archivedAt === null) ?? surveys[0];
    const query = (name: string) => c.req.query(name) ?? '';
    const values: SnippetFormValues = { survey: query('survey') || (open?.id ?? ''), preset: query('preset') || 'plain', style: query('style') || 'emoji', locale: query('locale'), agent: query('agent') };
    const errors: FieldError[] = [];
    let snippet = null;
    let email = null;
    if (surveys.length) {
      const parsed = SnippetCreate.safeParse({ survey: values.survey, preset: values.preset, style: values.style, locale: values.locale || null, agent: values.agent.trim() || null });
      if (!parsed.success) {
        const bad = new Set(parsed.error.issues.map((issue) => String(issue.path[0])));
        for (const field of SNIPPET_FIELDS) if (bad.has(field)) errors.push({ field, message: t.snippetErrors[field] });
      } else {
        const body = parsed.data;
        const request = { surveyId: body.survey, agent: body.agent ?? null, locale: body.locale ?? undefined, style: body.style ?? 'emoji' };
        snippet = await buildSnippet(deps, s.workspace.id, { ...request, preset: body.preset ?? 'plain' });
        email = await renderSurveyEmail(deps, { id: s.workspace.id, name: s.workspace.name }, { ...request, ...PREVIEW_MESSAGE, preview: true });
      }
    }
    c.header('Content-Security-Policy', await snippetsCsp(deps.config.publicUrl));
    return c.html(snippetsPage({ locale, t, viewer: await viewerOf(c, deps), surveys, values, errors, snippet, email }), errors.length ? 400 : 200);
  });

  return app;
}
