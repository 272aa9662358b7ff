import type { Hono, MiddlewareHandler } from 'hono';
import type { AppDeps } from '../../app-env';
import { createApiKey, listApiKeys, revokeApiKey } from '../../db/workspaces';
import { AppError } from '../../lib/errors';
import { isId } from '../../lib/ids';
import { getResponseWithEvents, overrideResponseStatus } from '../../services/responses';
import {
  changeEndpoint,
  createEndpoint,
  getEndpointJson,
  listDeliveryPage,
  listEndpointsJson,
  pingEndpoint,
  removeEndpoint,
  replayEvent,
  retryDeliveryNow,
  rotateSecret,
  type WebhookServiceDeps,
} from '../../services/webhooks';
import { requireManager } from '../../services/members';
import { customerOfResponse, eraseCustomer } from '../../services/privacy';
import type { FieldError } from '../../pages/app/layout';
import type { AppMessages } from '../../pages/app/messages';
import { apiKeysPage, confirmPage, endpointPage, type EndpointValues, erasedPage, erasePage, responsePage, shownOncePage, webhooksPage } from '../../pages/app/settings-pages';
import { readFormFields } from '../read-form';
import { actorOf, localeOf, type TeamContext, type TeamEnv, viewerOf } from './context';

/** Notices after a redirect on these pages (`?done=…`): only these keys, never text from the URL. */
const SETTINGS_NOTICES = ['keyRevoked', 'endpointSaved', 'endpointPaused', 'endpointResumed', 'endpointDeleted', 'pingSent', 'retried', 'replayed', 'overridden', 'cannotPing', 'cannotRetry'] as const;
type SettingsNotice = (typeof SETTINGS_NOTICES)[number];

function settingsNotice(c: TeamContext, t: AppMessages): string | null {
  const key = c.req.query('done') as SettingsNotice | undefined;
  return key && SETTINGS_NOTICES.includes(key) ? t[key] : null;
}

/**
 * Which message a service's VALIDATION_FAILED becomes, by the field it names: the page shows it in
 * the error summary and beside that field (the form's own id for the field).
 */
const FIELD_MESSAGES: Record<string, { id: string; key: keyof AppMessages['errors'] }> = {
  name: { id: 'name', key: 'keyName' },
  url: { id: 'url', key: 'webhookUrl' },
  events: { id: 'events-feedback.negative', key: 'webhookEvents' },
  description: { id: 'description', key: 'webhookDescription' },
  event: { id: 'event', key: 'eventId' },
  since: { id: 'since', key: 'since' },
  status: { id: 'status', key: 'responseStatus' },
};

/** A service's validation error as a field error of the page, or the error itself again when it is anything else. */
function fieldErrorOf(t: AppMessages, error: unknown): FieldError {
  if (error instanceof AppError && error.code === 'VALIDATION_FAILED') {
    const named = (error.details as { field?: string } | undefined)?.field;
    const known = named ? FIELD_MESSAGES[named] : undefined;
    if (known) return { field: known.id, message: t.errors[known.key] };
    // A cursor names no field: the first filter gets the message, so the summary still links somewhere.
    return { field: 'survey', message: t.errors.cursor };
  }
  throw error;
}

/** Every field of a posted form, repeated ones (checkboxes) included; requireSession has parsed it already. */
async function formValues(c: TeamContext, name: string): Promise<string[]> {
  return (await c.req.formData()).getAll(name).filter((v): v is string => typeof v === 'string');
}

/**
 * The team app's Webhooks, API keys and Responses pages (issue 14). Each calls the service the API
 * and the CLI call (`services/webhooks.ts`, `services/responses.ts`, `db/workspaces.ts`), so the
 * three answer the same. Webhooks and API keys are for owners and admins (a member gets 403, GET
 * and POST alike); Responses are for everyone, the override for owners and admins.
 */
export function registerSettingsRoutes(app: Hono<TeamEnv>, deps: AppDeps, signedIn: MiddlewareHandler<TeamEnv>): void {
  const { db, clock } = deps;
  const hooks: WebhookServiceDeps = { db, clock, config: deps.config, dispatcher: deps.dispatcher };

  const managerOnly: MiddlewareHandler<TeamEnv> = async function checkManager(c, next) {
    requireManager(actorOf(c));
    await next();
  };

  async function page(c: TeamContext) {
    const s = c.get('signedIn');
    return { ...localeOf(c, s.person.locale), viewer: await viewerOf(c, deps), workspaceId: s.workspace.id };
  }

  // API keys

  async function renderKeys(c: TeamContext, errors: FieldError[], name: string, status: 200 | 400 = 200) {
    const p = await page(c);
    return c.html(apiKeysPage({ ...p, keys: await listApiKeys(db, p.workspaceId), errors, name, message: settingsNotice(c, p.t) }), status);
  }

  app.get('/api-keys', signedIn, managerOnly, (c) => renderKeys(c, [], ''));

  app.post('/api-keys', signedIn, managerOnly, async function createKey(c) {
    const name = (await readFormFields(c, 'the API key form'))('name');
    const p = await page(c);
    let created: { id: string; apiKey: string };
    try {
      created = await createApiKey(db, p.workspaceId, name, clock());
    } catch (error) {
      return renderKeys(c, [fieldErrorOf(p.t, error)], name, 400);
    }
    const { t } = p;
    return c.html(shownOncePage({ ...p, section: 'apiKeys', title: t.keyCreatedTitle, intro: t.keyCreatedIntro(name.trim()), label: t.keyLabel, value: created.apiKey, back: { href: '/app/api-keys', text: t.backToApiKeys } }));
  });

  async function activeKey(c: TeamContext, workspaceId: string) {
    const id = c.req.param('id') ?? '';
    const key = isId('apiKey', id) ? (await listApiKeys(db, workspaceId)).find((k) => k.id === id && k.revokedAt === null) : undefined;
    if (!key) throw new AppError('NOT_FOUND', 'No active API key with this id in this workspace.');
    return key;
  }

  app.get('/api-keys/:id/revoke', signedIn, managerOnly, async function confirmRevoke(c) {
    const p = await page(c);
    const key = await activeKey(c, p.workspaceId);
    const { t } = p;
    return c.html(confirmPage({ ...p, section: 'apiKeys', title: t.revokeKeyTitle, intro: t.revokeKeyIntro(key.name), action: `/app/api-keys/${key.id}/revoke`, button: t.revokeKey, back: '/app/api-keys' }));
  });

  app.post('/api-keys/:id/revoke', signedIn, managerOnly, async function revokeKey(c) {
    const id = c.req.param('id');
    if (!isId('apiKey', id) || !(await revokeApiKey(db, actorOf(c).workspaceId, id, clock()))) throw new AppError('NOT_FOUND', 'No active API key with this id in this workspace.');
    return c.redirect('/app/api-keys?done=keyRevoked', 303);
  });

  // Webhooks

  const noEndpointValues: EndpointValues = { url: '', events: ['feedback.negative'], description: '' };

  async function readEndpointForm(c: TeamContext): Promise<EndpointValues> {
    const field = await readFormFields(c, 'the endpoint form');
    return { url: field('url'), events: await formValues(c, 'events'), description: field('description') };
  }

  /** The form as the service takes it: no event ticked is an empty list (refused), an empty description none. */
  function endpointInput(values: EndpointValues) {
    return { url: values.url, events: values.events, description: values.description.trim() === '' ? undefined : values.description };
  }

  async function renderWebhooks(c: TeamContext, errors: FieldError[], values: EndpointValues, status: 200 | 400 = 200) {
    const p = await page(c);
    return c.html(webhooksPage({ ...p, endpoints: await listEndpointsJson(hooks, p.workspaceId), errors, values, message: settingsNotice(c, p.t) }), status);
  }

  app.get('/webhooks', signedIn, managerOnly, (c) => renderWebhooks(c, [], noEndpointValues));

  app.post('/webhooks', signedIn, managerOnly, async function addEndpoint(c) {
    const values = await readEndpointForm(c);
    const p = await page(c);
    let created: Awaited<ReturnType<typeof createEndpoint>>;
    try {
      created = await createEndpoint(hooks, p.workspaceId, endpointInput(values));
    } catch (error) {
      return renderWebhooks(c, [fieldErrorOf(p.t, error)], values, 400);
    }
    return showSecret(c, p, created);
  });

  function showSecret(c: TeamContext, p: Awaited<ReturnType<typeof page>>, endpoint: { id: string; secret: string }) {
    const { t } = p;
    return c.html(shownOncePage({ ...p, section: 'webhooks', title: t.secretTitle, intro: t.secretIntro, label: t.secretLabel, value: endpoint.secret, back: { href: `/app/webhooks/${endpoint.id}`, text: t.backToEndpoint } }));
  }

  async function renderEndpoint(c: TeamContext, extra: { errors: FieldError[]; values?: EndpointValues; replayEvent?: string }, status: 200 | 400 = 200) {
    const p = await page(c);
    const endpoint = await getEndpointJson(hooks, p.workspaceId, c.req.param('id') ?? '');
    const query = { status: c.req.query('status') || undefined, cursor: c.req.query('cursor') || undefined };
    let list: Awaited<ReturnType<typeof listDeliveryPage>>;
    const errors = [...extra.errors];
    try {
      list = await listDeliveryPage(hooks, p.workspaceId, endpoint.id, query);
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'VALIDATION_FAILED')) throw error;
      // A filter or page link someone edited: the first page, unfiltered, and say so.
      errors.push({ field: 'delivery-status', message: p.t.errors.cursor });
      list = await listDeliveryPage(hooks, p.workspaceId, endpoint.id, {});
      status = 400;
    }
    const values = extra.values ?? { url: endpoint.url, events: endpoint.events, description: endpoint.description ?? '' };
    return c.html(
      endpointPage({ ...p, endpoint, deliveries: list.data, status: query.status ?? '', next: list.next, errors, values, replayEvent: extra.replayEvent ?? '', message: settingsNotice(c, p.t) }),
      status,
    );
  }

  app.get('/webhooks/:id', signedIn, managerOnly, (c) => renderEndpoint(c, { errors: [] }));

  app.post('/webhooks/:id', signedIn, managerOnly, async function saveEndpoint(c) {
    const values = await readEndpointForm(c);
    const { t } = localeOf(c, c.get('signedIn').person.locale);
    const id = c.req.param('id');
    try {
      // An emptied description clears it (null), as `PATCH` with `"description": null` does.
      await changeEndpoint(hooks, actorOf(c).workspaceId, id, { ...endpointInput(values), description: values.description.trim() === '' ? null : values.description });
    } catch (error) {
      return renderEndpoint(c, { errors: [fieldErrorOf(t, error)], values }, 400);
    }
    return c.redirect(`/app/webhooks/${id}?done=endpointSaved`, 303);
  });

  app.post('/webhooks/:id/status', signedIn, managerOnly, async function pauseOrResume(c) {
    const status = (await readFormFields(c, 'the form'))('status');
    if (status !== 'active' && status !== 'paused') throw new AppError('FORM_MALFORMED', 'Unknown endpoint status.');
    const id = c.req.param('id');
    await changeEndpoint(hooks, actorOf(c).workspaceId, id, { status });
    return c.redirect(`/app/webhooks/${id}?done=${status === 'paused' ? 'endpointPaused' : 'endpointResumed'}`, 303);
  });

  app.post('/webhooks/:id/rotate', signedIn, managerOnly, async function rotate(c) {
    const p = await page(c);
    return showSecret(c, p, await rotateSecret(hooks, p.workspaceId, c.req.param('id')));
  });

  app.post('/webhooks/:id/ping', signedIn, managerOnly, async function ping(c) {
    const id = c.req.param('id');
    try {
      await pingEndpoint(hooks, actorOf(c).workspaceId, id);
    } catch (error) {
      if (error instanceof AppError && error.code === 'CONFLICT') return c.redirect(`/app/webhooks/${id}?done=cannotPing`, 303);
      throw error;
    }
    return c.redirect(`/app/webhooks/${id}?done=pingSent`, 303);
  });

  app.post('/webhooks/:id/deliveries/:deliveryId/retry', signedIn, managerOnly, async function retry(c) {
    const id = c.req.param('id');
    try {
      await retryDeliveryNow(hooks, actorOf(c).workspaceId, id, c.req.param('deliveryId'));
    } catch (error) {
      if (error instanceof AppError && error.code === 'CONFLICT') return c.redirect(`/app/webhooks/${id}?done=cannotRetry`, 303);
      throw error;
    }
    // Due now: the dispatcher's next pass sends it (the same path as the API's retry).
    return c.redirect(`/app/webhooks/${id}?done=retried`, 303);
  });

  app.post('/webhooks/:id/replay', signedIn, managerOnly, async function replay(c) {
    const event = (await readFormFields(c, 'the replay form'))('event').trim();
    const { t } = localeOf(c, c.get('signedIn').person.locale);
    const id = c.req.param('id');
    try {
      await replayEvent(hooks, actorOf(c).workspaceId, id, event);
    } catch (error) {
      // An unknown event of a known endpoint is a field error; an unknown endpoint stays a 404.
      if (error instanceof AppError && error.code === 'NOT_FOUND' && (error.details as { field?: string } | undefined)?.field === 'event') {
        return renderEndpoint(c, { errors: [{ field: 'event', message: t.errors.eventId }], replayEvent: event }, 400);
      }
      throw error;
    }
    return c.redirect(`/app/webhooks/${id}?done=replayed`, 303);
  });

  app.get('/webhooks/:id/delete', signedIn, managerOnly, async function confirmDelete(c) {
    const p = await page(c);
    const endpoint = await getEndpointJson(hooks, p.workspaceId, c.req.param('id'));
    const { t } = p;
    return c.html(
      confirmPage({ ...p, section: 'webhooks', title: t.deleteEndpointTitle, intro: t.deleteEndpointIntro(endpoint.url), action: `/app/webhooks/${endpoint.id}/delete`, button: t.deleteEndpoint, back: `/app/webhooks/${endpoint.id}` }),
    );
  });

  app.post('/webhooks/:id/delete', signedIn, managerOnly, async function deleteEndpoint(c) {
    await removeEndpoint(hooks, actorOf(c).workspaceId, c.req.param('id'));
    return c.redirect('/app/webhooks?done=endpointDeleted', 303);
  });

  // Responses

  async function responseOf(c: TeamContext, workspaceId: string) {
    const id = c.req.param('id') ?? '';
    if (!isId('response', id)) throw new AppError('NOT_FOUND', 'No response with this id in your workspace.');
    return getResponseWithEvents(db, workspaceId, id);
  }

  app.get('/responses/:id', signedIn, async function showResponse(c) {
    const p = await page(c);
    const response = await responseOf(c, p.workspaceId);
    return c.html(responsePage({ ...p, response, canOverride: p.viewer.role !== 'member', message: settingsNotice(c, p.t) }));
  });

  app.get('/responses/:id/override', signedIn, managerOnly, async function confirmOverride(c) {
    const p = await page(c);
    const response = await responseOf(c, p.workspaceId);
    const status = c.req.query('status');
    if (status !== 'counted' && status !== 'bot') throw new AppError('NOT_FOUND', 'Choose counted or bot from the response page.');
    const { t } = p;
    return c.html(
      confirmPage({
        ...p,
        section: 'responses',
        title: t.overrideTitle(t.responseStatuses[status]!.toLowerCase()),
        intro: t.overrideIntro,
        action: `/app/responses/${response.id}/override`,
        button: status === 'counted' ? t.markCounted : t.markBot,
        fields: { status },
        back: `/app/responses/${response.id}`,
      }),
    );
  });

  app.post('/responses/:id/override', signedIn, managerOnly, async function override(c) {
    const status = (await readFormFields(c, 'the form'))('status');
    const workspaceId = actorOf(c).workspaceId;
    const response = await responseOf(c, workspaceId);
    try {
      await overrideResponseStatus(deps, workspaceId, response.id, { status }, 'app');
    } catch (error) {
      if (error instanceof AppError && error.code === 'VALIDATION_FAILED') throw new AppError('FORM_MALFORMED', error.message);
      throw error;
    }
    return c.redirect(`/app/responses/${response.id}?done=overridden`, 303);
  });

  // "Erase this customer's data": the same erasure as the API and the CLI, after a confirmation.

  app.get('/responses/:id/erase', signedIn, managerOnly, async function confirmErase(c) {
    const p = await page(c);
    const response = await responseOf(c, p.workspaceId);
    return c.html(erasePage({ ...p, responseId: response.id, customer: await customerOfResponse(deps, p.workspaceId, response) }));
  });

  app.post('/responses/:id/erase', signedIn, managerOnly, async function erase(c) {
    const suppress = (await readFormFields(c, 'the form'))('suppress') === '1';
    const p = await page(c);
    const response = await responseOf(c, p.workspaceId);
    const customer = await customerOfResponse(deps, p.workspaceId, response);
    const erased = await eraseCustomer(deps, p.workspaceId, response.id, customer, { suppress });
    // The outcome is shown at once (the counts exist only now); a repeated post finds no response: 404.
    return c.html(erasedPage({ ...p, customer, erased }));
  });
}
