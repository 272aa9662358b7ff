import type { AppDeps } from '../../app-env';
import { mintLinks } from '../../services/links';
import { createLinks } from './contract';
import { apiRouter } from './router';

/** `POST /api/v1/links`: the links of one message (one URL per answer of the survey's scale). */
export function linkRoutes(deps: AppDeps) {
  return apiRouter().openapi(createLinks, async function createMessageLinks(c) {
    const body = c.req.valid('json');
    const minted = await mintLinks(deps, c.get('workspace').id, {
      surveyId: body.survey,
      subject: body.subject,
      recipient: body.recipient,
      agent: body.agent ?? null,
      properties: body.properties ?? undefined,
      expiresInDays: body.expiresInDays ?? undefined,
    });
    return c.json(minted, 201);
  });
}
