import type { AppDeps } from '../../app-env';
import { renderSurveyEmail } from '../../services/emails';
import { renderEmail } from './contract';
import { apiRouter } from './router';

/**
 * `POST /api/v1/emails/render`: `{"survey","subject","recipient"}` (optional `"agent"`, `"properties"`, `"locale"`,
 * `"style"`, `"brand":{"color","logoUrl"}`) → `{"subject","html","text","links","expiresAt"}`, for
 * any system that sends mail.
 */
export function emailRoutes(deps: AppDeps) {
  return apiRouter().openapi(renderEmail, async function renderOneEmail(c) {
    const body = c.req.valid('json');
    const email = await renderSurveyEmail(deps, c.get('workspace'), {
      surveyId: body.survey,
      subject: body.subject,
      recipient: body.recipient,
      agent: body.agent ?? null,
      properties: body.properties ?? null,
      locale: body.locale ?? undefined,
      style: body.style ?? 'emoji',
      brand: { color: body.brand?.color ?? undefined, logoUrl: body.brand?.logoUrl ?? undefined },
    });
    return c.json(email, 200);
  });
}
