import type { AppDeps } from '../../app-env';
import { buildReport, reportQueryFrom } from '../../services/reports';
import { getReport } from './contract';
import { apiRouter } from './router';

/** `GET /api/v1/reports`: a survey's score, interval, distribution and breakdowns over a period (issue 15). */
export function reportRoutes(deps: AppDeps) {
  return apiRouter().openapi(getReport, async function getSurveyReport(c) {
    return c.json(await buildReport(deps, c.get('workspace').id, reportQueryFrom(c.req.valid('query'))), 200);
  });
}
