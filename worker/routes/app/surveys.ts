import { Hono } from 'hono';
import type { z } from '@hono/zod-openapi';
import type { AppDeps } from '../../app-env';
import { reviewClickCounts } from '../../db/review-clicks';
import { getSurvey, insertSurvey, listSurveys, setSurveyArchived, updateSurveyQuestion, type Survey } from '../../db/surveys';
import { AppError } from '../../lib/errors';
import { LOCALES } from '../../lib/i18n';
import { requireManager } from '../../services/members';
import { SurveyCreate, surveyQuestion } from '../../services/schemas';
import type { FieldError } from '../../pages/app/layout';
import type { AppMessages } from '../../pages/app/messages';
import type { SurveyFollowUpValues } from '../../pages/app/followup-pages';
import { EMPTY_SURVEY_FORM, type SurveyFormValues, surveyPage, surveysPage, translationField } from '../../pages/app/survey-pages';
import { readFormFields } from '../read-form';
import { actorOf, localeOf, requireSession, type TeamContext, type TeamEnv, viewerOf } from './context';
import { saveSurveyFollowUpForm, surveyFollowUps } from './followups';

/** Notices shown after a redirect (`?done=…`): only these keys, never text from the URL. */
const SURVEY_NOTICES = ['surveyCreated', 'saved', 'surveyArchived', 'surveyReopened'] as const;

function surveyNotice(c: TeamContext, t: AppMessages): string | null {
  const key = c.req.query('done');
  return SURVEY_NOTICES.find((k) => k === key) ? t[key as (typeof SURVEY_NOTICES)[number]] : null;
}

/** The edit form only: the question and its translations, checked by the API's own schema. */
const QuestionEdit = SurveyCreate.pick({ question: true, translations: true });

/** The non-empty translations typed into the form, by language. */
function typedTranslations(field: (name: string) => string): Record<string, string> {
  return Object.fromEntries(LOCALES.map((l) => [l, field(translationField(l))]).filter(([, text]) => text !== undefined && text.trim() !== ''));
}

/**
 * The zod issues of the API's schema as GOV.UK field errors: one per form field, in the form's
 * order, each linking to its input (a translation's by its language).
 */
function fieldErrors(t: AppMessages, error: z.ZodError): FieldError[] {
  const errors = new Map<string, string>();
  for (const issue of error.issues) {
    const [top, language] = issue.path.map(String);
    if (top === 'translations' && language) errors.set(translationField(language), t.surveyErrors.translation);
    else if (top === 'name' || top === 'scale' || top === 'question' || top === 'locale') errors.set(top, t.surveyErrors[top]);
  }
  const order = ['name', 'scale', 'locale', 'question', ...LOCALES.map(translationField)];
  return [...errors].sort(([a], [b]) => order.indexOf(a) - order.indexOf(b)).map(([field, message]) => ({ field, message }));
}

/**
 * The team app's Surveys pages (issue 14): the list and the create form, one survey with its
 * question, translations and archiving. Everyone signed in reads; owners and admins change. The
 * input is checked by the API's `SurveyCreate` schema and stored by the same `db/surveys` calls.
 */
export function surveyAppRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  const app = new Hono<TeamEnv>();
  const signedIn = requireSession(deps);

  async function renderList(c: TeamContext, errors: FieldError[], values: SurveyFormValues, status: 200 | 400 = 200) {
    const s = c.get('signedIn');
    const { locale, t } = localeOf(c, s.person.locale);
    const [surveys, reviewClicks] = await Promise.all([listSurveys(db, s.workspace.id), reviewClickCounts(db, s.workspace.id)]);
    return c.html(surveysPage({ locale, t, viewer: await viewerOf(c, deps), surveys, reviewClicks, canManage: s.workspace.role !== 'member', errors, values, message: surveyNotice(c, t) }), status);
  }

  async function surveyOf(c: TeamContext): Promise<Survey> {
    const survey = await getSurvey(db, c.get('signedIn').workspace.id, c.req.param('id') ?? '');
    if (!survey) throw new AppError('NOT_FOUND', 'No such survey in this workspace.');
    return survey;
  }

  async function renderSurvey(
    c: TeamContext,
    survey: Survey,
    errors: FieldError[] = [],
    values?: { question: string; translations: Record<string, string> },
    status: 200 | 400 = 200,
    followUps: { values?: SurveyFollowUpValues; errors?: FieldError[] } = {},
  ) {
    const s = c.get('signedIn');
    const { locale, t } = localeOf(c, s.person.locale);
    const canManage = s.workspace.role !== 'member';
    const viewer = await viewerOf(c, deps);
    return c.html(
      surveyPage({
        locale,
        t,
        viewer,
        survey,
        canManage,
        errors,
        values: values ?? { question: survey.question, translations: survey.questionI18n },
        message: surveyNotice(c, t),
        followUps: await surveyFollowUps(c, deps, survey, { viewer, canManage, ...followUps }),
      }),
      status,
    );
  }

  app.get('/surveys', signedIn, (c) => renderList(c, [], EMPTY_SURVEY_FORM));

  app.post('/surveys', signedIn, async function createSurvey(c) {
    requireManager(actorOf(c));
    const field = await readFormFields(c, 'the survey form');
    const { t } = localeOf(c, c.get('signedIn').person.locale);
    const values: SurveyFormValues = { name: field('name'), scale: field('scale'), question: field('question'), translations: typedTranslations(field), locale: field('locale') };
    const parsed = SurveyCreate.safeParse({ name: values.name, scale: values.scale, question: values.question, translations: values.translations, locale: values.locale || null });
    if (!parsed.success) return renderList(c, fieldErrors(t, parsed.error), values, 400);
    const body = parsed.data;
    const locale = body.locale ?? null;
    const survey = await insertSurvey(db, c.get('signedIn').workspace.id, { name: body.name, scale: body.scale, locale, ...surveyQuestion(body, locale) }, clock());
    return c.redirect(`/app/surveys/${survey.id}?done=surveyCreated`, 303);
  });

  app.get('/surveys/:id', signedIn, async (c) => renderSurvey(c, await surveyOf(c)));

  app.post('/surveys/:id/question', signedIn, async function editQuestion(c) {
    requireManager(actorOf(c));
    const survey = await surveyOf(c);
    const field = await readFormFields(c, 'the question form');
    const { t } = localeOf(c, c.get('signedIn').person.locale);
    const values = { question: field('question'), translations: typedTranslations(field) };
    const parsed = QuestionEdit.safeParse(values);
    if (!parsed.success) return renderSurvey(c, survey, fieldErrors(t, parsed.error), values, 400);
    await updateSurveyQuestion(db, survey.workspaceId, survey.id, surveyQuestion(parsed.data, survey.locale));
    return c.redirect(`/app/surveys/${survey.id}?done=saved`, 303);
  });

  app.post('/surveys/:id/follow-ups', signedIn, async function saveFollowUps(c) {
    requireManager(actorOf(c));
    const survey = await surveyOf(c);
    const field = await readFormFields(c, 'the follow-up form');
    const { t } = localeOf(c, c.get('signedIn').person.locale);
    const form = await saveSurveyFollowUpForm(deps, t, survey, field);
    if (form.errors.length) return renderSurvey(c, survey, form.errors, undefined, 400, form);
    return c.redirect(`/app/surveys/${survey.id}?done=saved#follow-ups`, 303);
  });

  for (const [action, archive] of [['archive', true], ['unarchive', false]] as const) {
    app.post(`/surveys/:id/${action}`, signedIn, async function archiveSurvey(c) {
      requireManager(actorOf(c));
      const survey = await surveyOf(c);
      await setSurveyArchived(db, survey.workspaceId, survey.id, archive ? clock() : null);
      return c.redirect(`/app/surveys/${survey.id}?done=${archive ? 'surveyArchived' : 'surveyReopened'}`, 303);
    });
  }

  return app;
}
