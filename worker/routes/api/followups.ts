import type { AppDeps } from '../../app-env';
import { AppError } from '../../lib/errors';
import { addFollowUpNote as addNote, followUpMetrics, getFollowUp as findFollowUp, listFollowUps as findFollowUps, updateFollowUp as changeFollowUp } from '../../services/followups';
import { deliverSoon } from '../deliver-soon';
import { addFollowUpNote, getFollowUp, getFollowUpMetrics, listFollowUps, updateFollowUp } from './contract';
import { apiRouter } from './router';

/** The default period of the metrics: the 30 days before `to`. */
const DEFAULT_PERIOD_MS = 30 * 86_400_000;

function parseInstant(text: string | undefined, field: string): number | undefined {
  if (text === undefined || text === '') return undefined;
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms)) throw new AppError('VALIDATION_FAILED', `"${field}" must be an ISO 8601 date or epoch milliseconds.`, { field });
  return ms;
}

/**
 * `/api/v1/followups`: list, metrics, get one, change one, add a note. The API key acts as the
 * system: it has no person, so the log records its changes with no actor (and `owner=me` means
 * nothing to it). A change that queued webhooks (`followup.assigned`, `followup.resolved`) sends
 * them right after the answer, as a click does.
 */
export function followUpRoutes(deps: AppDeps) {
  return apiRouter()
    .openapi(listFollowUps, async function listAllFollowUps(c) {
      return c.json(await findFollowUps(deps, c.get('workspace').id, c.req.valid('query'), null), 200);
    })
    .openapi(getFollowUpMetrics, async function measureFollowUps(c) {
      const q = c.req.valid('query');
      const to = parseInstant(q.to, 'to') ?? deps.clock().getTime();
      const from = parseInstant(q.from, 'from') ?? to - DEFAULT_PERIOD_MS;
      return c.json(await followUpMetrics(deps, c.get('workspace').id, { surveyId: q.survey || undefined, from, to }), 200);
    })
    .openapi(getFollowUp, async function getOneFollowUp(c) {
      return c.json(await findFollowUp(deps, c.get('workspace').id, c.req.valid('param').id), 200);
    })
    .openapi(updateFollowUp, async function changeOneFollowUp(c) {
      const { webhooksQueued, ...followUp } = await changeFollowUp(deps, c.get('workspace').id, c.req.valid('param').id, c.req.valid('json'), null);
      if (webhooksQueued) deliverSoon(deps, c);
      return c.json(followUp, 200);
    })
    .openapi(addFollowUpNote, async function noteOnFollowUp(c) {
      return c.json(await addNote(deps, c.get('workspace').id, c.req.valid('param').id, c.req.valid('json').text, null), 201);
    });
}
