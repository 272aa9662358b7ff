import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../app-env';
import { getSurvey, insertSurvey, listSurveys } from '../../db/surveys';
import { AppError } from '../../lib/errors';
import { isLocale, LOCALES } from '../../lib/i18n';
import { isScale, SCALES } from '../../../schema/scales';
import { surveyJson } from '../../services/representations';
import { stringField } from '../../lib/fields';
import { jsonBody } from './validate';

const MAX_QUESTION = 500;

/**
 * The question may be a string (with optional `translations`) or an object of translations
 * `{ "en": "…", "it": "…" }`; the survey's own text is its locale's (or English, or the first).
 */
function parseQuestion(body: Record<string, unknown>, locale: string | null) {
  const raw = body.question;
  const translations: Record<string, string> = {};
  const addTranslations = (value: unknown, field: string) => {
    if (value === undefined || value === null) return;
    if (typeof value !== 'object' || Array.isArray(value)) throw new AppError('VALIDATION_FAILED', `"${field}" must be an object of language: text.`);
    for (const [lang, text] of Object.entries(value)) {
      if (!/^[a-z]{2}(-[A-Z]{2})?$/.test(lang)) throw new AppError('VALIDATION_FAILED', `"${field}" has an invalid language code "${lang}".`);
      translations[lang] = stringField({ [lang]: text }, lang, MAX_QUESTION, true);
    }
  };
  let question: string | undefined;
  if (typeof raw === 'string' || raw === undefined) question = stringField(body, 'question', MAX_QUESTION, true);
  else addTranslations(raw, 'question');
  addTranslations(body.translations, 'translations');
  question ??= translations[locale ?? 'en'] ?? Object.values(translations)[0];
  if (!question) throw new AppError('VALIDATION_FAILED', '"question" is required.', { field: 'question' });
  return { question, questionI18n: translations };
}

/** `/api/v1/surveys`: create, list and get surveys of the caller's workspace. */
export function surveyRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .post('/', async function createSurvey(c) {
      const body = await jsonBody(c);
      const name = stringField(body, 'name', 200, true);
      if (!isScale(body.scale)) throw new AppError('VALIDATION_FAILED', `"scale" must be one of ${SCALES.join(', ')}.`, { field: 'scale' });
      const locale = body.locale ?? null;
      if (locale !== null && !isLocale(locale)) throw new AppError('VALIDATION_FAILED', `"locale" must be one of ${LOCALES.join(', ')} or null.`, { field: 'locale' });
      const survey = await insertSurvey(deps.db, c.get('workspace').id, { name, scale: body.scale, locale, ...parseQuestion(body, locale) }, deps.clock());
      return c.json(surveyJson(survey), 201, { Location: `/api/v1/surveys/${survey.id}` });
    })
    .get('/', async function listAllSurveys(c) {
      const surveys = await listSurveys(deps.db, c.get('workspace').id);
      return c.json({ data: surveys.map(surveyJson) });
    })
    .get('/:id', async function getOneSurvey(c) {
      const survey = await getSurvey(deps.db, c.get('workspace').id, c.req.param('id'));
      if (!survey) throw new AppError('NOT_FOUND', 'No survey with this id in your workspace.');
      return c.json(surveyJson(survey));
    });
}
