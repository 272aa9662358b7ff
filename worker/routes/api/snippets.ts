import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../app-env';
import { disableSignatureLink, getResponseContact } from '../../db/signature-links';
import { AppError } from '../../lib/errors';
import { isPresetName, isSnippetStyle, PRESET_NAMES, SNIPPET_STYLES } from '../../lib/helpdesk-presets';
import { isLocale, LOCALES } from '../../lib/i18n';
import { isId } from '../../lib/ids';
import { buildSnippet } from '../../services/snippets';
import { stringField } from '../../lib/fields';
import { jsonBody } from './validate';

/** `POST /api/v1/snippets`: `{"survey","preset","style"}` (optional `"agent"`, `"locale"`) → `{"html","text","links",…}`. */
export function snippetRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().post('/', async function createSnippet(c) {
    const body = await jsonBody(c);
    const preset = body.preset ?? 'plain';
    const style = body.style ?? 'emoji';
    if (!isPresetName(preset)) throw new AppError('VALIDATION_FAILED', `"preset" must be one of ${PRESET_NAMES.join(', ')}.`, { field: 'preset' });
    if (!isSnippetStyle(style)) throw new AppError('VALIDATION_FAILED', `"style" must be one of ${SNIPPET_STYLES.join(', ')}.`, { field: 'style' });
    const locale = body.locale ?? undefined;
    if (locale !== undefined && !isLocale(locale)) throw new AppError('VALIDATION_FAILED', `"locale" must be one of ${LOCALES.join(', ')}.`, { field: 'locale' });
    const snippet = await buildSnippet(deps, c.get('workspace').id, {
      surveyId: stringField(body, 'survey', 64, true),
      preset,
      style,
      agent: stringField(body, 'agent', 100) ?? null,
      locale,
    });
    return c.json(snippet, 201);
  });
}

/** `DELETE /api/v1/signature-links/:id`: revokes a signature link (its votes stay). */
export function signatureLinkRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().delete('/:id', async function disableLink(c) {
    const id = c.req.param('id');
    const done = isId('signatureLink', id) && (await disableSignatureLink(deps.db, c.get('workspace').id, id, deps.clock()));
    if (!done) throw new AppError('NOT_FOUND', 'No enabled signature link with this id in your workspace.');
    return c.json({ id, disabled: true });
  });
}

/** `GET /api/v1/responses/:id/contact`: what an anonymous signature voter told us (self-reported). */
export function responseContactRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().get('/:id/contact', async function getContact(c) {
    const id = c.req.param('id');
    const contact = isId('response', id) ? await getResponseContact(deps.db, c.get('workspace').id, id) : null;
    if (!contact) throw new AppError('NOT_FOUND', 'No contact was left with this response.');
    return c.json({ response: id, email: contact.email, ticket: contact.ticket, createdAt: new Date(contact.createdAt).toISOString() });
  });
}
