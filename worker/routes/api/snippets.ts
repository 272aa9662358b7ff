import type { AppDeps } from '../../app-env';
import { disableSignatureLink as disableLink, getResponseContact as findContact } from '../../db/signature-links';
import { AppError } from '../../lib/errors';
import { isId } from '../../lib/ids';
import { buildSnippet } from '../../services/snippets';
import { createSnippet, disableSignatureLink, getResponseContact } from './contract';
import { apiRouter } from './router';

/** `POST /api/v1/snippets`: `{"survey","preset","style"}` (optional `"agent"`, `"locale"`) → `{"html","text","links",…}`. */
export function snippetRoutes(deps: AppDeps) {
  return apiRouter().openapi(createSnippet, async function createOneSnippet(c) {
    const body = c.req.valid('json');
    const snippet = await buildSnippet(deps, c.get('workspace').id, {
      surveyId: body.survey,
      preset: body.preset ?? 'plain',
      style: body.style ?? 'emoji',
      agent: body.agent ?? null,
      locale: body.locale ?? undefined,
    });
    return c.json(snippet, 201);
  });
}

/** `DELETE /api/v1/signature-links/:id`: revokes a signature link (its votes stay). */
export function signatureLinkRoutes(deps: AppDeps) {
  return apiRouter().openapi(disableSignatureLink, async function disableOneLink(c) {
    const { id } = c.req.valid('param');
    const done = isId('signatureLink', id) && (await disableLink(deps.db, c.get('workspace').id, id, deps.clock()));
    if (!done) throw new AppError('NOT_FOUND', 'No enabled signature link with this id in your workspace.');
    return c.json({ id, disabled: true as const }, 200);
  });
}

/** `GET /api/v1/responses/:id/contact`: what an anonymous signature voter told us (self-reported). */
export function responseContactRoutes(deps: AppDeps) {
  return apiRouter().openapi(getResponseContact, async function getContact(c) {
    const { id } = c.req.valid('param');
    const contact = isId('response', id) ? await findContact(deps.db, c.get('workspace').id, id) : null;
    if (!contact) throw new AppError('NOT_FOUND', 'No contact was left with this response.');
    return c.json({ response: id, email: contact.email, ticket: contact.ticket, createdAt: new Date(contact.createdAt).toISOString() }, 200);
  });
}
