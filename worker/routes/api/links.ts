import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../app-env';
import { mintLinks } from '../../services/links';
import { integerField, stringField } from '../../lib/fields';
import { jsonBody } from './validate';

/** `POST /api/v1/links`: the links of one message (one URL per answer of the survey's scale). */
export function linkRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().post('/', async function createLinks(c) {
    const body = await jsonBody(c);
    const minted = await mintLinks(deps, c.get('workspace').id, {
      surveyId: stringField(body, 'survey', 64, true),
      subject: stringField(body, 'subject', 200, true),
      recipient: stringField(body, 'recipient', 320, true),
      agent: stringField(body, 'agent', 100) ?? null,
      expiresInDays: integerField(body, 'expiresInDays', 1, 3650),
    });
    return c.json(minted, 201);
  });
}
