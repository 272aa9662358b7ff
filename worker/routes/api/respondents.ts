import type { AppDeps } from '../../app-env';
import { eraseRespondent as erase, exportRespondent as exportAll } from '../../services/privacy';
import { eraseRespondent, exportRespondent } from './contract';
import { apiRouter } from './router';

/**
 * `/api/v1/respondents/{email}`: erasure (DELETE, GDPR art. 17) and access (GET, art. 15) of what
 * the caller's workspace stores about one email address. Nothing crosses workspaces: the same
 * address in another workspace is neither read nor touched.
 */
export function respondentRoutes(deps: AppDeps) {
  return apiRouter()
    .openapi(eraseRespondent, async function eraseOneRespondent(c) {
      const erased = await erase(deps, c.get('workspace').id, c.req.valid('param').email, { suppress: c.req.valid('query').suppress === 'true' });
      return c.json(erased, 200);
    })
    .openapi(exportRespondent, async function exportOneRespondent(c) {
      return c.json(await exportAll(deps, c.get('workspace').id, c.req.valid('param').email), 200);
    });
}
