import { expect } from 'vitest';
import { API_ROUTES } from '../../worker/routes/api/contract';
import { ErrorEnvelope } from '../../worker/services/schemas';
import type { Harness } from './harness';

/** A browser-like click: what a person's mail client opens. */
export const BROWSER_HEADERS = {
  'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  accept: 'text/html,application/xhtml+xml',
  'accept-language': 'en-GB,en;q=0.9',
  'sec-fetch-site': 'none',
  'sec-fetch-mode': 'navigate',
  'sec-fetch-user': '?1',
  'sec-fetch-dest': 'document',
};

/** Small API client over a harness; failure messages include the response body. */
export class Api {
  constructor(
    private readonly h: Harness,
    readonly apiKey: string,
  ) {}

  async call(method: string, path: string, body?: unknown, expected?: number): Promise<{ status: number; json: any; headers: Headers }> {
    const res = await this.h.fetch(`/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${this.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    if (expected !== undefined) expect(res.status, `${method} ${path} → ${text}`).toBe(expected);
    return { status: res.status, json, headers: res.headers };
  }

  async createSurvey(input: Record<string, unknown> = {}) {
    const { json } = await this.call('POST', '/surveys', { name: 'Support', scale: 'csat3', question: 'How did we do?', ...input }, 201);
    return json as { id: string; scale: string };
  }

  async mint(survey: string, subject = 'T-1', recipient = 'ann@example.com', extra: Record<string, unknown> = {}) {
    const { json } = await this.call('POST', '/links', { survey, subject, recipient, ...extra }, 201);
    return json as { links: { score: number; label: string; url: string }[]; expiresAt: string };
  }

  async responses(query = '') {
    const { json } = await this.call('GET', `/responses${query}`, undefined, 200);
    return json as { data: any[]; next: string | null };
  }

  async response(id: string) {
    return (await this.call('GET', `/responses/${id}`, undefined, 200)).json;
  }
}

/** Each API route's method and path template (`/webhooks/{id}`) as a matcher of concrete paths. */
const ROUTE_MATCHERS = API_ROUTES.map((route) => ({
  route,
  method: route.method.toUpperCase(),
  pattern: new RegExp(`^${route.path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
}));

type Schema = { safeParse(input: unknown): { success: boolean; data?: unknown; error?: { issues: unknown[] } } };

/** What `schema` makes of `json`, failing with the issues, the route and the body when it does not match. */
export function expectToMatch(schema: Schema, json: unknown, what: string) {
  const parsed = schema.safeParse(json);
  expect(parsed.success ? [] : parsed.error!.issues, `${what} does not match its declared schema`).toEqual([]);
  // The schemas strip what they do not declare: a field the document does not declare fails here.
  expect(parsed.data, `${what} holds a field its schema does not declare`).toEqual(json);
}

/**
 * Every answer the contract suites get from `/api/v1` is checked against the contract the OpenAPI
 * document is made of (`worker/routes/api/contract.ts`): the route (method and path template) must
 * declare the status, and a JSON body must match the schema declared for it. Paths of no route
 * must answer the 404 error envelope. The zod schemas run inside workerd too, so the check holds
 * on both runtimes.
 */
export function checkAnswer(method: string, path: string, res: Response, json: unknown, text: string) {
  const pathname = path.split('?')[0]!;
  const what = `${method} ${path} → ${res.status} ${text.slice(0, 2000)}`;
  const isJson = /^application\/json\b/.test(res.headers.get('content-type') ?? '');
  const match = ROUTE_MATCHERS.find((m) => m.method === method && m.pattern.test(pathname));
  if (!match) {
    expect(res.status, `${what}: no route declares this path, so only 404 may answer`).toBe(404);
    expect(isJson, what).toBe(true);
    expectToMatch(ErrorEnvelope, json, what);
    return;
  }
  const declared = (match.route.responses as Record<number, { content?: Record<string, { schema: Schema }> }>)[res.status];
  expect(declared, `${what}: ${match.route.method.toUpperCase()} ${match.route.path} does not declare ${res.status}`).toBeDefined();
  if (declared!.content?.['text/csv']) {
    expect(res.headers.get('content-type'), `${what}: declared as text/csv`).toBe('text/csv; charset=utf-8');
    return;
  }
  const schema = declared!.content?.['application/json']?.schema;
  if (!schema) {
    expect(text, `${what}: declared without a body`).toBe('');
    return;
  }
  expect(isJson, `${what}: declared as application/json`).toBe(true);
  expectToMatch(schema, json, `${match.route.method.toUpperCase()} ${match.route.path} ${res.status}: ${what}`);
}

/**
 * A harness's fetch that checks every answer from `/api/v1` with `checkAnswer`: the harnesses of
 * both runtimes wrap theirs, so every API answer of every suite meets its declared schema, whether
 * it came through `Api.call` or a hand-made request.
 */
export function checkingApiAnswers(fetch: (path: string, init?: RequestInit) => Promise<Response>) {
  return async function fetchCheckingApiAnswers(path: string, init?: RequestInit): Promise<Response> {
    const res = await fetch(path, init);
    if (!path.startsWith('/api/v1/')) return res;
    const text = await res.clone().text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    checkAnswer((init?.method ?? 'GET').toUpperCase(), path.slice('/api/v1'.length), res, json, text);
    return res;
  };
}

/** The path part of a minted URL (the service under test may sit on any origin). */
export function pathOf(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}

/** Clicks a link like a person; returns the response id it redirected to. */
export async function click(h: Harness, url: string, headers: Record<string, string> = BROWSER_HEADERS): Promise<string> {
  const res = await h.fetch(pathOf(url), { headers });
  const body = res.status === 303 ? '' : await res.text();
  expect(res.status, `click ${url} → ${body}`).toBe(303);
  const location = res.headers.get('location') ?? '';
  expect(location).toMatch(/^\/t\/rsp_[0-9a-z]{36}$/);
  return location.slice(3);
}

export async function page(h: Harness, path: string, headers: Record<string, string> = BROWSER_HEADERS) {
  const res = await h.fetch(path, { headers });
  return { res, html: await res.text() };
}

/** The hidden form token of a thank-you page. */
export function formTokenOf(html: string): string {
  const match = /name="form_token" value="([^"]+)"/.exec(html);
  expect(match, 'page has a form token').toBeTruthy();
  return match![1]!;
}

export function postComment(h: Harness, responseId: string, fields: Record<string, string>, headers: Record<string, string> = BROWSER_HEADERS) {
  return h.fetch(`/t/${responseId}/comment`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

/** Changes the answer from the thank-you page, like a person would. */
export async function changeAnswer(h: Harness, responseId: string, score: number): Promise<void> {
  const res = await h.fetch(`/t/${responseId}/answer/${score}`, { headers: BROWSER_HEADERS });
  const body = res.status === 303 ? '' : await res.text();
  expect(res.status, `change ${responseId} to ${score} → ${body}`).toBe(303);
}

/** Types a comment on the thank-you page and sends it. */
export async function comment(h: Harness, responseId: string, text: string): Promise<void> {
  const { html } = await page(h, `/t/${responseId}`);
  const res = await postComment(h, responseId, { comment: text, form_token: formTokenOf(html) });
  const body = res.status === 303 ? '' : await res.text();
  expect(res.status, `comment on ${responseId} → ${body}`).toBe(303);
}
