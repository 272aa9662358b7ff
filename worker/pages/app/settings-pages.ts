import { html, raw } from 'hono/html';
import { WEBHOOK_EVENT_TYPES } from '../../../schema/webhooks';
import type { AppLocale } from '../../../schema';
import type { DeliveryJson, ResponseEventJson, ResponseJson, WebhookEndpointJson } from '../../services/schemas';
import { appPage, errorSummary, field, type FieldError, formToken, type Html, notice, type Section, type Viewer } from './layout';
import type { AppMessages } from './messages';
import { ERASURE_KINDS } from '../../db/privacy';
import type { ErasureResult, ResponseCustomer } from '../../services/privacy';

interface PageInput {
  locale: AppLocale;
  t: AppMessages;
  viewer: Viewer;
}

/** A date and time as the app shows it everywhere: the page's language, in UTC. */
export function when(locale: AppLocale, value: string | number | null): string {
  if (value === null) return '—';
  return new Intl.DateTimeFormat(locale === 'it' ? 'it-IT' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(value)) + ' UTC';
}

function titleOf(t: AppMessages, errors: FieldError[], title: string): string {
  return errors.length ? `${t.problem}: ${title}` : title;
}

/** A secret shown once (a signing secret, an API key): a read-only field to copy, and the way back. */
export function shownOncePage(p: PageInput & { section: Section; title: string; intro: string; label: string; value: string; back: { href: string; text: string } }): Html {
  return appPage({
    ...p,
    narrow: true,
    body: html`<h1>${p.title}</h1><p>${p.intro}</p><label for="shown-once">${p.label}</label><input type="text" id="shown-once" readonly value="${p.value}"><p><a href="${p.back.href}">${p.back.text}</a></p>`,
  });
}

/**
 * The confirmation step of a destructive or weighty action: what will happen, a POST button that
 * does it (with the hidden fields it needs), and a way back that does nothing.
 */
export function confirmPage(p: PageInput & { section: Section; title: string; intro: string; action: string; button: string; fields?: Record<string, string>; back: string }): Html {
  const { t, viewer } = p;
  return appPage({
    ...p,
    narrow: true,
    body: html`<h1>${p.title}</h1><p>${p.intro}</p><form method="post" action="${p.action}">${formToken(viewer.formToken)}${Object.entries(p.fields ?? {}).map(
      ([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`,
    )}<button class="warning" type="submit">${p.button}</button></form><p><a href="${p.back}">${t.cancel}</a></p>`,
  });
}

// API keys

/** API keys: the list (never a key, only its first characters), revoke links, the create form. */
export function apiKeysPage(
  p: PageInput & { keys: { id: string; name: string; prefix: string; createdAt: number; revokedAt: number | null }[]; errors: FieldError[]; name: string; message: string | null },
): Html {
  const { t, viewer, locale } = p;
  const rows = p.keys.map(
    (k) =>
      html`<tr><td>${k.name}</td><td><code>${k.prefix}…</code></td><td>${when(locale, k.createdAt)}</td><td>${
        k.revokedAt === null ? html`<span class="tag">${t.active}</span>` : html`${t.revoked} ${when(locale, k.revokedAt)}`
      }</td><td>${k.revokedAt === null ? html`<a href="/app/api-keys/${k.id}/revoke" aria-label="${t.revokeKeyOf(k.name)}">${t.revokeKey}</a>` : ''}</td></tr>`,
  );
  return appPage({
    ...p,
    title: titleOf(t, p.errors, t.apiKeys),
    section: 'apiKeys',
    body: html`${errorSummary(t, p.errors)}${notice(p.message)}<h1>${t.apiKeys}</h1><p>${t.apiKeysIntro}</p>${
      p.keys.length
        ? html`<table><thead><tr><th scope="col">${t.keyName}</th><th scope="col">${t.keyPrefix}</th><th scope="col">${t.created}</th><th scope="col">${t.endpointStatus}</th><th scope="col"><span class="skip">${t.revokeKey}</span></th></tr></thead><tbody>${rows}</tbody></table>`
        : html`<p>${t.noApiKeys}</p>`
    }
<h2>${t.createKeyHeading}</h2><form method="post" action="/app/api-keys" novalidate>${formToken(viewer.formToken)}
${field({ id: 'name', label: t.keyName, type: 'text', value: p.name, hint: t.keyNameHint, autocomplete: 'off', errors: p.errors })}
<button type="submit">${t.createKey}</button></form>`,
  });
}

// Webhooks

function eventChoices(t: AppMessages, idPrefix: string, chosen: readonly string[], errors: FieldError[]): Html {
  const error = errors.find((e) => e.field === `${idPrefix}-${WEBHOOK_EVENT_TYPES[0]}`);
  return html`<fieldset class="card${error ? ' invalid' : ''}"${error ? raw(` aria-describedby="${idPrefix}-error"`) : ''}><legend>${t.endpointEvents}</legend>${
    error ? html`<p class="field-error" id="${idPrefix}-error">${error.message}</p>` : ''
  }${WEBHOOK_EVENT_TYPES.map(
    (type) =>
      html`<div class="choice"><input type="checkbox" id="${idPrefix}-${type}" name="events" value="${type}"${chosen.includes(type) ? raw(' checked') : ''}> <label for="${idPrefix}-${type}"><code>${type}</code></label></div>`,
  )}</fieldset>`;
}

/** The values of the endpoint form, as typed (so a rejected form comes back filled in). */
export interface EndpointValues {
  url: string;
  events: string[];
  description: string;
}

function endpointFields(t: AppMessages, values: EndpointValues, errors: FieldError[]): Html {
  return html`${field({ id: 'url', label: t.endpointUrl, type: 'text', value: values.url, hint: t.endpointUrlHint, autocomplete: 'off', errors })}
${eventChoices(t, 'events', values.events, errors)}
<div${errors.some((e) => e.field === 'description') ? raw(' class="invalid"') : ''}><label for="description">${t.endpointDescription}</label>${
    errors.find((e) => e.field === 'description') ? html`<p class="field-error" id="description-error">${errors.find((e) => e.field === 'description')!.message}</p>` : ''
  }<input id="description" name="description" type="text" value="${values.description}" autocomplete="off"${
    errors.some((e) => e.field === 'description') ? raw(' aria-describedby="description-error" aria-invalid="true"') : ''
  }></div>`;
}

/** Webhooks: the workspace's endpoints and the form to add one. */
export function webhooksPage(p: PageInput & { endpoints: WebhookEndpointJson[]; errors: FieldError[]; values: EndpointValues; message: string | null }): Html {
  const { t, viewer } = p;
  const rows = p.endpoints.map(
    (e) =>
      html`<tr><td><a href="/app/webhooks/${e.id}" aria-label="${t.openEndpoint(e.url)}"><code>${e.url}</code></a>${e.description ? html`<p class="hint">${e.description}</p>` : ''}</td><td>${e.events.map(
        (type) => html`<code>${type}</code> `,
      )}</td><td><span class="tag">${t.endpointStatuses[e.status] ?? e.status}</span></td></tr>`,
  );
  return appPage({
    ...p,
    title: titleOf(t, p.errors, t.webhooks),
    section: 'webhooks',
    body: html`${errorSummary(t, p.errors)}${notice(p.message)}<h1>${t.webhooks}</h1><p>${t.webhooksIntro}</p>${
      p.endpoints.length
        ? html`<table><thead><tr><th scope="col">${t.endpointUrl}</th><th scope="col">${t.endpointEvents}</th><th scope="col">${t.endpointStatus}</th></tr></thead><tbody>${rows}</tbody></table>`
        : html`<p>${t.noEndpoints}</p>`
    }
<h2>${t.addEndpointHeading}</h2><form method="post" action="/app/webhooks" novalidate>${formToken(viewer.formToken)}
${endpointFields(t, p.values, p.errors)}
<button type="submit">${t.addEndpoint}</button></form>`,
  });
}

/** One endpoint: change it, pause/resume, ping, rotate, delete; its deliveries with retry and replay. */
export function endpointPage(
  p: PageInput & {
    endpoint: WebhookEndpointJson;
    deliveries: DeliveryJson[];
    status: string;
    next: string | null;
    errors: FieldError[];
    values: EndpointValues;
    replayEvent: string;
    message: string | null;
  },
): Html {
  const { t, viewer, locale, endpoint } = p;
  const base = `/app/webhooks/${endpoint.id}`;
  const post = (action: string, text: string, kind: 'secondary' | 'warning' | '' = 'secondary', label?: string, hidden?: Record<string, string>) =>
    html`<form class="inline" method="post" action="${base}${action}">${formToken(viewer.formToken)}${Object.entries(hidden ?? {}).map(
      ([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`,
    )}<button${kind ? raw(` class="${kind}"`) : ''} type="submit"${label ? html` aria-label="${label}"` : ''}>${text}</button></form>`;
  const rows = p.deliveries.map(
    (d) =>
      html`<tr><td><code>${d.event.type}</code><p class="hint"><code>${d.event.id}</code></p></td><td><span class="tag">${t.deliveryStatuses[d.status] ?? d.status}</span></td><td>${d.attempts}</td><td>${
        d.lastStatus ?? ''
      } ${d.lastError ?? ''}${d.lastAttemptAt ? html`<p class="hint">${when(locale, d.lastAttemptAt)}</p>` : ''}</td><td>${d.status === 'pending' ? when(locale, d.nextAttemptAt) : '—'}</td><td>${
        d.status === 'succeeded' ? '' : post(`/deliveries/${d.id}/retry`, t.retry, 'secondary', t.retryOf(d.id))
      }${d.event.type === 'webhook.ping' ? '' : post('/replay', t.replay, 'secondary', t.replayOf(d.event.id), { event: d.event.id })}</td></tr>`,
  );
  const filters = ['', 'pending', 'succeeded', 'failed'].map(
    (s) => html`<option value="${s}"${s === p.status ? raw(' selected') : ''}>${s ? (t.deliveryStatuses[s] ?? s) : t.allStatuses}</option>`,
  );
  const nextHref = p.next ? `${base}?${new URLSearchParams({ ...(p.status ? { status: p.status } : {}), cursor: p.next }).toString()}` : null;
  return appPage({
    ...p,
    title: titleOf(t, p.errors, endpoint.url),
    section: 'webhooks',
    body: html`${errorSummary(t, p.errors)}${notice(p.message)}<p><a href="/app/webhooks">${t.backToWebhooks}</a></p><h1><code>${endpoint.url}</code></h1>
<p>${t.endpointStatus}: <span class="tag">${t.endpointStatuses[endpoint.status] ?? endpoint.status}</span></p>
<div class="inline">${post('/status', endpoint.status === 'active' ? t.pause : t.resume, 'secondary', undefined, { status: endpoint.status === 'active' ? 'paused' : 'active' })}${
      endpoint.status === 'active' ? post('/ping', t.ping) : ''
    }${post('/rotate', t.rotate)}<a href="${base}/delete">${t.deleteEndpoint}</a></div><p class="hint">${t.rotateHint}</p>
<h2>${t.deliveries}</h2><form class="inline" method="get" action="${base}"><label for="delivery-status">${t.endpointStatus}</label><select id="delivery-status" name="status">${filters}</select><button class="secondary" type="submit">${t.filter}</button></form>${
      p.deliveries.length
        ? html`<table><thead><tr><th scope="col">${t.event}</th><th scope="col">${t.endpointStatus}</th><th scope="col">${t.attempts}</th><th scope="col">${t.lastResult}</th><th scope="col">${t.nextAttempt}</th><th scope="col"><span class="skip">${t.retry}</span></th></tr></thead><tbody>${rows}</tbody></table>`
        : html`<p>${t.noDeliveries}</p>`
    }${nextHref ? html`<p><a href="${nextHref}">${t.nextPage}</a></p>` : ''}
<h2>${t.replayHeading}</h2><form method="post" action="${base}/replay" novalidate>${formToken(viewer.formToken)}
${field({ id: 'event', label: t.eventId, type: 'text', value: p.replayEvent, hint: t.eventIdHint, autocomplete: 'off', errors: p.errors })}
<button class="secondary" type="submit">${t.replay}</button></form>
<h2>${t.editEndpoint}</h2><form method="post" action="${base}" novalidate>${formToken(viewer.formToken)}
${endpointFields(t, p.values, p.errors)}
<button type="submit">${t.saveEndpoint}</button></form>`,
  });
}

// Responses

/** One response: its answer, then every click with its signals and why it was classified so; the override for admins. */
export function responsePage(p: PageInput & { response: ResponseJson & { events: ResponseEventJson[] }; canOverride: boolean; message: string | null }): Html {
  const { t, locale, response: r } = p;
  const signals = (e: ResponseEventJson) => {
    const s = e.signals;
    const parts: [string, string | null][] = [
      ['method', s.method],
      ['user-agent', s.userAgent],
      ['accept-language', s.acceptLanguage],
      ['sec-fetch', s.secFetch ? Object.entries(s.secFetch).map(([k, v]) => `${k}=${v}`).join(', ') : null],
      ['ip', s.ipPrefix],
      ['asn', s.asn === null ? null : `${s.asn} ${s.asOrganization ?? ''}`],
      ['country', s.country],
    ];
    return html`<dl>${parts.filter(([, v]) => v).map(([k, v]) => html`<dt>${k}</dt><dd><code>${v}</code></dd>`)}</dl>`;
  };
  const rows = r.events.map(
    (e) =>
      html`<tr><td>${when(locale, e.at)}<p class="hint"><code>${e.id}</code> ${e.kind}${e.score === null ? '' : ` · ${e.score}`}</p></td><td><span class="tag">${t.responseStatuses[e.status] ?? e.status}</span></td><td>${
        e.reason ?? ''
      }</td><td>${signals(e)}</td></tr>`,
  );
  const override = (status: 'counted' | 'bot', text: string) => html`<a href="/app/responses/${r.id}/override?status=${status}">${text}</a> `;
  return appPage({
    ...p,
    title: t.responseTitle,
    section: 'responses',
    body: html`${notice(p.message)}<p><a href="/app/responses">${t.backToResponses}</a></p><h1>${r.subject ?? r.id}</h1><dl class="stats"><div><dt>${t.answer}</dt><dd>${r.label}</dd></div><div><dt>${t.responseStatus}</dt><dd>${
      t.responseStatuses[r.status] ?? r.status
    }</dd></div><div><dt>${t.answered}</dt><dd>${when(locale, r.lastAnsweredAt)}</dd></div></dl><p>${t.recipient}: ${r.recipient ?? '—'}</p>${r.comment ? html`<h2>${t.comment}</h2><p>${r.comment}</p>` : ''}
<h2>${t.clicks}</h2><table><thead><tr><th scope="col">${t.answered}</th><th scope="col">${t.responseStatus}</th><th scope="col">${t.reason}</th><th scope="col">${t.signals}</th></tr></thead><tbody>${rows}</tbody></table>${
      p.canOverride
        ? html`<h2>${t.overrideHeading}</h2><p class="hint">${t.overrideHint}</p><p>${override('counted', t.markCounted)}${override('bot', t.markBot)}</p><h2>${t.eraseHeading}</h2><p class="hint">${t.eraseHint}</p><p><a href="/app/responses/${r.id}/erase">${t.eraseLink}</a></p>`
        : ''
    }`,
  });
}

/** What "Erase this customer's data" is about, in words (the confirmation's and the outcome's). */
function customerIntro(t: AppMessages, customer: ResponseCustomer, texts: 'erase' | 'erased'): string {
  if (customer.kind === 'email') return texts === 'erase' ? t.eraseIntroEmail(customer.email) : t.erasedIntroEmail(customer.email);
  if (customer.kind === 'recipient') return texts === 'erase' ? t.eraseIntroRecipient(customer.recipient) : t.erasedIntroRecipient(customer.recipient);
  return texts === 'erase' ? t.eraseIntroAnonymous : t.erasedIntroAnonymous;
}

/**
 * The confirmation of "Erase this customer's data" (owners and admins): what goes, and, for an
 * address, the choice never to survey it again. Nothing is erased before this form is posted.
 */
export function erasePage(p: PageInput & { responseId: string; customer: ResponseCustomer }): Html {
  const { t, viewer } = p;
  const suppress =
    p.customer.kind === 'email'
      ? html`<div class="choice"><input type="checkbox" id="suppress" name="suppress" value="1" aria-describedby="suppress-hint"> <label for="suppress">${t.suppressLabel}</label></div><p class="hint" id="suppress-hint">${t.suppressHint}</p>`
      : '';
  return appPage({
    ...p,
    title: t.eraseTitle,
    section: 'responses',
    narrow: true,
    body: html`<h1>${t.eraseTitle}</h1><p>${customerIntro(t, p.customer, 'erase')}</p><p>${t.eraseWarning}</p><form method="post" action="/app/responses/${p.responseId}/erase">${formToken(
      viewer.formToken,
    )}${suppress}<button class="warning" type="submit">${t.eraseButton}</button></form><p><a href="/app/responses/${p.responseId}">${t.cancel}</a></p>`,
  });
}

/** After the erasure: how many rows of each kind went (the API's `Erasure`), and whether the address is suppressed. */
export function erasedPage(p: PageInput & { customer: ResponseCustomer; erased: ErasureResult }): Html {
  const { t } = p;
  const rows = ERASURE_KINDS.map((kind) => html`<tr><th scope="row">${t.erasedKinds[kind]}</th><td>${p.erased[kind]}</td></tr>`);
  return appPage({
    ...p,
    title: t.erasedTitle,
    section: 'responses',
    narrow: true,
    body: html`<h1>${t.erasedTitle}</h1><p>${customerIntro(t, p.customer, 'erased')}</p><table><thead><tr><th scope="col">${t.erasedKind}</th><th scope="col">${
      t.erasedCount
    }</th></tr></thead><tbody>${rows}</tbody></table>${p.erased.suppressed ? html`<p>${t.erasedSuppressed}</p>` : ''}<p><a href="/app/responses">${t.backToResponses}</a></p>`,
  });
}
