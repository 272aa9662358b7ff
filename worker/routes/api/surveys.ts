import type { AppDeps } from '../../app-env';
import { getSurvey as findSurvey, insertSurvey, listSurveys as findSurveys } from '../../db/surveys';
import { AppError } from '../../lib/errors';
import { surveyJson } from '../../services/representations';
import { surveyQuestion } from '../../services/schemas';
import { changeSurveyFollowUps } from '../../services/followups';
import { createSurvey, getSurvey, listSurveys, updateSurvey } from './contract';
import { apiRouter } from './router';

/** `/api/v1/surveys`: create, list, get and change (follow-up rule, review page) surveys of the caller's workspace. */
export function surveyRoutes(deps: AppDeps) {
  return apiRouter()
    .openapi(createSurvey, async function createOneSurvey(c) {
      const body = c.req.valid('json');
      const locale = body.locale ?? null;
      const survey = await insertSurvey(deps.db, c.get('workspace').id, { name: body.name, scale: body.scale, locale, ...surveyQuestion(body, locale) }, deps.clock());
      return c.json(surveyJson(survey), 201, { Location: `/api/v1/surveys/${survey.id}` });
    })
    .openapi(listSurveys, async function listAllSurveys(c) {
      const surveys = await findSurveys(deps.db, c.get('workspace').id);
      return c.json({ data: surveys.map(surveyJson) }, 200);
    })
    .openapi(getSurvey, async function getOneSurvey(c) {
      const survey = await findSurvey(deps.db, c.get('workspace').id, c.req.valid('param').id);
      if (!survey) throw new AppError('NOT_FOUND', 'No survey with this id in your workspace.');
      return c.json(surveyJson(survey), 200);
    })
    .openapi(updateSurvey, async function changeOneSurvey(c) {
      const survey = await changeSurveyFollowUps(deps, c.get('workspace').id, c.req.valid('param').id, c.req.valid('json'));
      return c.json(surveyJson(survey), 200);
    });
}
