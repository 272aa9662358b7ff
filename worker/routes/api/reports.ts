import type { AppDeps } from '../../app-env';
import { followUpMetrics } from '../../services/followups';
import { buildReport, reportQueryFrom } from '../../services/reports';
import { getReport } from './contract';
import { apiRouter } from './router';

/**
 * `GET /api/v1/reports`: a survey's score, interval, distribution and breakdowns over a period
 * (issue 15), and with `include=followUps` the figures of its follow-ups over the same period
 * (issue 16; opt-in because their recovery rate scans the period's unhappy customers). The follow-ups
 * are read after the report, which validates the query, resolves its default period and answers
 * 404 for a survey of another workspace: both then cover exactly the same survey and instants.
 */
export function reportRoutes(deps: AppDeps) {
  return apiRouter().openapi(getReport, async function getSurveyReport(c) {
    const workspaceId = c.get('workspace').id;
    const query = c.req.valid('query');
    const report = await buildReport(deps, workspaceId, reportQueryFrom(query));
    if (query.include !== 'followUps') return c.json(report, 200);
    const followUps = await followUpMetrics(deps, workspaceId, { surveyId: report.survey.id, from: Date.parse(report.from), to: Date.parse(report.to) });
    return c.json({ ...report, followUps }, 200);
  });
}
