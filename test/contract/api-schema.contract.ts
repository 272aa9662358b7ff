import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES, openApiDocument } from '../../worker/routes/api/contract';
import { Api } from './client';
import type { Harness } from './harness';

/**
 * The API's contract on each runtime: the OpenAPI document is served without a key and is the one
 * the schemas generate; every route refuses unknown body fields and query parameters with
 * 400 VALIDATION_FAILED naming them; `details` names each bad field by its path. (Every answer
 * the suites receive is also checked against its route's declared schema, in `client.ts`.)
 */
export function apiSchemaContract(start: () => Promise<Harness>) {
  let h: Harness;
  let api: Api;

  beforeAll(async () => {
    h = await start();
    api = new Api(h, (await h.newWorkspace('Schemas')).apiKey);
  });
  afterAll(() => h?.close());

  /** A concrete path of a route template (ids that exist nowhere: validation comes first). */
  const concrete = (path: string) => path.replace('{deliveryId}', 'whd_0000000000000000').replace('{id}', 'x_0000000000000000');
  const keyed = API_ROUTES.filter((route) => route.path !== '/openapi.json');
  const withBody = keyed.filter((route) => 'body' in (route.request ?? {}));

  describe('GET /api/v1/openapi.json', () => {
    it('happy path: served without an API key, the document the schemas generate', async () => {
      const res = await h.fetch('/api/v1/openapi.json');
      const text = await res.text();
      expect(res.status, text).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
    });

    it('security: the rest of /api/v1 still needs the key', async () => {
      const res = await h.fetch('/api/v1/surveys');
      expect(res.status, await res.text()).toBe(401);
    });
  });

  describe('/api/v1 validation', () => {
    describe('rejects', () => {
      it.each(withBody.map((route) => [route.method.toUpperCase(), route.path] as const))('%s %s: an unknown body field → 400 naming it', async (method, path) => {
        const { status, json } = await api.call(method, concrete(path), { bogus: 1 });
        expect(status, JSON.stringify(json)).toBe(400);
        expect(json.error.code).toBe('VALIDATION_FAILED');
        expect(json.error.details.fields).toContainEqual({ path: 'bogus', message: 'is not a field of this request.' });
        expect(json.error.message).toContain('"bogus" is not a field of this request.');
      });

      it.each(keyed.map((route) => [route.method.toUpperCase(), route.path] as const))('%s %s: an unknown query parameter → 400 naming it', async (method, path) => {
        const body = withBody.some((route) => route.path === path && route.method.toUpperCase() === method) ? {} : undefined;
        const { status, json } = await api.call(method, `${concrete(path)}?bogus=1`, body);
        expect(status, JSON.stringify(json)).toBe(400);
        expect(json.error.details).toEqual({ field: 'bogus', fields: [{ path: 'bogus', message: 'is not a parameter of this request.' }] });
      });

      it('details names each bad field by its path, nested ones too', async () => {
        const { status, json } = await api.call('POST', '/surveys', { name: '', scale: 'stars', question: { en: '', xx_yy: 'q' }, locale: 'xx', colour: 'red' });
        expect(status, JSON.stringify(json)).toBe(400);
        expect(json.error.details).toEqual({
          field: 'name',
          fields: [
            { path: 'name', message: 'must be 1 to 200 characters without control characters.' },
            { path: 'scale', message: 'must be one of csat3, csat5, nps, ces7, thumbs.' },
            { path: 'question.en', message: 'must be 1 to 500 characters without control characters.' },
            { path: 'question.xx_yy', message: 'must be a language code such as en or pt-BR.' },
            { path: 'locale', message: 'must be one of en, it, de, fr, es or null.' },
            { path: 'colour', message: 'is not a field of this request.' },
          ],
        });
        expect(json.error.message).toBe(
          '"name" must be 1 to 200 characters without control characters. "scale" must be one of csat3, csat5, nps, ces7, thumbs. ' +
            '"question.en" must be 1 to 500 characters without control characters. "question.xx_yy" must be a language code such as en or pt-BR. ' +
            '"locale" must be one of en, it, de, fr, es or null. "colour" is not a field of this request.',
        );
      });

      it.each([
        ['a missing field', '/links', { subject: 'T', recipient: 'a@example.com' }, { path: 'survey', message: 'is required.' }],
        ['a list item', '/webhooks', { url: 'https://crm.example.com/hook', events: ['feedback.negative', 'feedback.maybe'] }, { path: 'events.1', message: 'must be one of feedback.negative, feedback.created, feedback.updated, feedback.commented, followup.created, followup.assigned, followup.resolved, followup.overdue.' }],
        ['a nested object', '/emails/render', { survey: 'sv_0000000000000000', subject: 'T', recipient: 'a@example.com', brand: { color: 'red' } }, { path: 'brand.color', message: 'must be #rrggbb.' }],
        ['a nested unknown field', '/emails/render', { survey: 'sv_0000000000000000', subject: 'T', recipient: 'a@example.com', brand: { colour: '#000000' } }, { path: 'brand.colour', message: 'is not a field of this request.' }],
        ['a wrong type', '/links', { survey: 'sv_0000000000000000', subject: 'T', recipient: 'a@example.com', expiresInDays: '7' }, { path: 'expiresInDays', message: 'must be a whole number from 1 to 3650.' }],
      ])('%s: POST %s → 400 naming it', async (_name, path, body, problem) => {
        const { status, json } = await api.call('POST', path, body);
        expect(status, JSON.stringify(json)).toBe(400);
        expect(json.error.details.fields).toEqual([problem]);
      });

      it.each([
        ['not JSON', 'application/json', '{nope', 400, 'VALIDATION_FAILED'],
        ['a JSON array', 'application/json', '[]', 400, 'VALIDATION_FAILED'],
        ['a form', 'application/x-www-form-urlencoded', 'name=x', 415, 'UNSUPPORTED_MEDIA_TYPE'],
        ['no content type', '', '{}', 415, 'UNSUPPORTED_MEDIA_TYPE'],
        ['another JSON media type', 'application/vnd.api+json', '{}', 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ])('a body that is %s → %i %s in the envelope', async (_name, contentType, body, status, code) => {
        const res = await h.fetch('/api/v1/surveys', { method: 'POST', headers: { authorization: `Bearer ${api.apiKey}`, ...(contentType ? { 'content-type': contentType } : {}) }, body });
        const json = (await res.json()) as { error: { code: string; requestId: string } };
        expect(res.status, JSON.stringify(json)).toBe(status);
        expect(json.error).toMatchObject({ code, requestId: expect.stringMatching(/^req_/) });
      });
    });
  });
}
