import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { PING_EVENT_TYPE, WEBHOOK_EVENT_TYPES } from '../../schema/webhooks';
import { openApiText } from '../../scripts/build-openapi';
import { createApp, type AppDeps } from '../../worker/app';
import { API_ROUTES } from '../../worker/routes/api/contract';
import { checkAnswer } from '../contract/client';

const root = resolve(import.meta.dirname, '../..');
const committed = readFileSync(resolve(root, 'openapi.json'), 'utf8');
const doc = JSON.parse(committed) as {
  openapi: string;
  servers: { url: string }[];
  paths: Record<string, Record<string, { operationId?: string; summary?: string; tags?: string[]; security?: unknown[]; responses: Record<string, unknown> }>>;
  webhooks: Record<string, { post: { parameters: { name: string; in: string }[]; requestBody: { content: Record<string, { schema: { $ref: string } }> } } }>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, { type: string; scheme: string }> };
};
const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
const isPublic = (path: string) => path === '/openapi.json';

describe('openapi.json', () => {
  describe('happy path', () => {
    it('is a valid OpenAPI 3.1 document (@readme/openapi-parser)', async () => {
      expect(doc.openapi).toBe('3.1.0');
      const result = await validate(structuredClone(doc) as never);
      expect(result.valid, JSON.stringify(result, null, 2)).toBe(true);
    });

    it('is what the schemas generate now (npm run openapi:build)', () => {
      expect(committed === openApiText(), 'openapi.json is stale: run `npm run openapi:build`').toBe(true);
    });

    it('has no deployment URL in it, so it is the same everywhere', () => {
      expect(doc.servers).toEqual([{ url: '/api/v1' }]);
      expect(committed).not.toMatch(/https?:\/\/(localhost|127\.0\.0\.1|feedback\.example\.com)/);
    });

    it('declares exactly the /api/v1 routes the app mounts', () => {
      const app = createApp({ config: { publicUrl: 'https://feedback.example.com' } } as AppDeps);
      const mounted = new Set(app.routes.filter((r) => r.path.startsWith('/api/v1/') && r.method !== 'ALL').map((r) => `${r.method} ${r.path}`));
      const declared = new Set(API_ROUTES.map((r) => `${r.method.toUpperCase()} /api/v1${r.path.replace(/\{([^}]+)\}/g, ':$1')}`));
      expect([...mounted].sort()).toEqual([...declared].sort());
      expect(operations.map((o) => `${o.method.toUpperCase()} /api/v1${o.path.replace(/\{([^}]+)\}/g, ':$1')}`).sort()).toEqual([...declared].sort());
    });

    it('gives every operation an id, a summary, a tag, the API key and its error answers', () => {
      expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
      expect(new Set(operations.map((o) => o.op.operationId)).size).toBe(operations.length);
      for (const { path, method, op } of operations) {
        const name = `${method.toUpperCase()} ${path}`;
        expect(op.operationId, name).toBeTruthy();
        expect(op.summary, name).toBeTruthy();
        expect(op.tags?.length, name).toBeGreaterThan(0);
        expect(op.security, name).toEqual(isPublic(path) ? [] : [{ apiKey: [] }]);
        const statuses = Object.keys(op.responses);
        expect(statuses, name).toContain('500');
        if (isPublic(path)) continue;
        expect(statuses, name).toEqual(expect.arrayContaining(['400', '401', '503']));
        if ((op as { requestBody?: unknown }).requestBody) expect(statuses, name).toEqual(expect.arrayContaining(['413', '415']));
      }
    });

    it('names the shapes as components', () => {
      for (const name of ['Survey', 'Links', 'Response', 'ResponseWithEvents', 'WebhookEndpoint', 'WebhookEndpointWithSecret', 'Delivery', 'Snippet', 'RenderedEmail', 'Error', 'ValidationDetails']) {
        expect(doc.components.schemas, name).toHaveProperty(name);
      }
    });

    it('holds every webhook event type under `webhooks`, with the Standard Webhooks headers', () => {
      expect(Object.keys(doc.webhooks).sort()).toEqual([...WEBHOOK_EVENT_TYPES, PING_EVENT_TYPE].sort());
      for (const [type, { post }] of Object.entries(doc.webhooks)) {
        expect(post.parameters.filter((p) => p.in === 'header').map((p) => p.name).sort(), type).toEqual(['webhook-id', 'webhook-signature', 'webhook-timestamp']);
        const ref = post.requestBody.content['application/json']!.schema.$ref;
        const schema = doc.components.schemas[ref.split('/').pop()!] as { properties: { type: { const?: string; enum?: string[] } } };
        expect(schema.properties.type.const ?? schema.properties.type.enum?.[0], type).toBe(type);
      }
    });
  });

  describe('rejects', () => {
    const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    const survey = { id: 'sv_1', name: 'n', scale: 'nps', question: 'q', translations: {}, locale: null, createdAt: '2026-01-01T00:00:00.000Z', archivedAt: null, followUps: 'negative', reviewUrl: null };
    it.each([
      ['an undeclared status', 'GET', '/surveys', json(418, { data: [] }), { data: [] }],
      ['a body missing a field', 'GET', '/surveys/sv_1', json(200, { id: 'sv_1' }), { id: 'sv_1' }],
      ['a body with an undeclared field', 'GET', '/surveys/sv_1', json(200, { ...survey, extra: 1 }), { ...survey, extra: 1 }],
      ['an error outside the envelope', 'GET', '/surveys/sv_1', json(404, { message: 'no' }), { message: 'no' }],
      ['an unknown path answering 200', 'GET', '/nothing', json(200, {}), {}],
    ])('the contract client fails on %s', (_name, method, path, res, body) => {
      expect(() => checkAnswer(method, path, res, body, JSON.stringify(body))).toThrow();
    });

    it('the contract client passes a declared answer', () => {
      expect(() => checkAnswer('GET', '/surveys/sv_1', json(200, survey), survey, JSON.stringify(survey))).not.toThrow();
    });
  });
});
