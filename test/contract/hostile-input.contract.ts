import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_BODY_LIMIT_BYTES } from '../../worker/app';
import { HISTORY_LIMITS } from '../../worker/db/responses';
import { Api, BROWSER_HEADERS, click, formTokenOf, page, postComment } from './client';
import type { Harness } from './harness';

/**
 * Hostile input gets a clear answer on both runtimes: oversized API bodies (declared, chunked or
 * streamed without a length) are refused with 413 while they are read; form posts that cannot be
 * parsed answer 400 with the friendly page and log nothing; every answer carries HSTS when the
 * service is on https; a leaked thank-you page cannot grow a response's history without bound.
 */
export function hostileInputContract(start: (env?: Record<string, string>) => Promise<Harness>) {
  let h: Harness;
  let api: Api;

  beforeAll(async () => {
    h = await start();
    api = new Api(h, (await h.newWorkspace('Hostile')).apiKey);
  });
  afterAll(async () => {
    await h?.close();
  });

  let seq = 0;
  /** A fresh response (one click on a new message) and its thank-you page. */
  async function response(headers: Record<string, string> = BROWSER_HEADERS) {
    const survey = await api.createSurvey({ scale: 'csat3' });
    const minted = await api.mint(survey.id, `X-${++seq}-${Date.now()}`, `hostile${seq}@example.com`);
    const id = await click(h, minted.links.find((l) => l.score === 1)!.url, headers);
    return { id, html: (await page(h, `/t/${id}`, headers)).html };
  }

  /** A body of `size` bytes, delivered as a stream of 16 KB chunks with no Content-Length. */
  function streamOf(size: number): ReadableStream<Uint8Array> {
    let sent = 0;
    return new ReadableStream({
      pull(controller) {
        if (sent >= size) return controller.close();
        const chunk = new Uint8Array(Math.min(16 * 1024, size - sent)).fill(0x20);
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
  }

  async function expectEnvelope(res: Response, status: number, code: string) {
    const text = await res.text();
    expect(res.status, text).toBe(status);
    expect(JSON.parse(text), text).toMatchObject({ error: { code, requestId: expect.stringMatching(/^req_/) } });
  }

  describe('JSON API bodies', () => {
    describe('happy path', () => {
      it(`accepts a body of exactly ${API_BODY_LIMIT_BYTES} bytes (then validates it as usual)`, async () => {
        const name = 'n'.repeat(API_BODY_LIMIT_BYTES - JSON.stringify({ name: '', scale: 'csat3', question: 'Q?' }).length);
        const body = JSON.stringify({ name, scale: 'csat3', question: 'Q?' });
        expect(body.length).toBe(API_BODY_LIMIT_BYTES);
        const res = await h.fetch('/api/v1/surveys', { method: 'POST', headers: { authorization: `Bearer ${api.apiKey}`, 'content-type': 'application/json' }, body });
        // The name is too long for a survey: a validation error, not a size error.
        await expectEnvelope(res, 400, 'VALIDATION_FAILED');
      });
    });

    describe('rejects', () => {
      const oversized = API_BODY_LIMIT_BYTES + 1;
      it.each([
        ['a declared Content-Length', () => ({ body: JSON.stringify({ name: 'x'.repeat(oversized) }) })],
        ['a chunked body', () => ({ body: JSON.stringify({ name: 'x'.repeat(oversized) }), headers: { 'transfer-encoding': 'chunked' } })],
        ['a stream with no length', () => ({ body: streamOf(2 * 1024 * 1024), duplex: 'half' })],
      ] as const)('refuses a body over the limit sent with %s (413 envelope)', async (_how, make) => {
        const { headers = {}, ...init } = make() as { body: BodyInit; headers?: Record<string, string> };
        const res = await h.fetch('/api/v1/surveys', { method: 'POST', ...init, headers: { authorization: `Bearer ${api.apiKey}`, 'content-type': 'application/json', ...headers } });
        await expectEnvelope(res, 413, 'PAYLOAD_TOO_LARGE');
        expect(h.loggedErrors).toEqual([]);
      });

      it('refuses an oversized body before looking at the API key', async () => {
        const res = await h.fetch('/api/v1/links', { method: 'POST', headers: { 'content-type': 'application/json' }, body: ' '.repeat(API_BODY_LIMIT_BYTES * 2) });
        await expectEnvelope(res, 413, 'PAYLOAD_TOO_LARGE');
      });
    });
  });

  describe('POST /t/:id/comment, /confirm, /contact with a body that is not a form', () => {
    const boundary = 'cbBoundary7MA4YWxkTrZu0gW';
    const part = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const cases: [string, string, string][] = [
      ['multipart without a boundary', 'multipart/form-data', part('comment', 'hi')],
      ['multipart with another boundary than the body', 'multipart/form-data; boundary=other', `${part('comment', 'hi')}--${boundary}--\r\n`],
      ['multipart cut short', `multipart/form-data; boundary=${boundary}`, `--${boundary}\r\nContent-Disposition: form-data; name="comment"\r\n\r\nhal`],
      ['multipart that is not multipart at all', `multipart/form-data; boundary=${boundary}`, '{"comment":"hi"}'],
    ];

    describe('rejects', () => {
      for (const path of ['comment', 'confirm', 'contact']) {
        it.each(cases)(`/t/:id/${path}: %s answers 400 with the friendly page and logs nothing`, async (_name, type, body) => {
          const { id } = await response();
          const res = await h.fetch(`/t/${id}/${path}`, { method: 'POST', headers: { ...BROWSER_HEADERS, 'content-type': type }, body });
          const html = await res.text();
          expect(res.status, html).toBe(400);
          expect(res.headers.get('content-type')).toMatch(/text\/html/);
          expect(html).toContain('Ref. req_');
          expect(h.loggedErrors).toEqual([]);
        });
      }

      it('a urlencoded body of junk is read as a form: the comment is refused for its token (403), not a 500', async () => {
        const { id } = await response();
        const res = await h.fetch(`/t/${id}/comment`, { method: 'POST', headers: { ...BROWSER_HEADERS, 'content-type': 'application/x-www-form-urlencoded' }, body: '%zz=%&&==&comment=%E0%A4%A&form_token' });
        expect(res.status, await res.text()).toBe(403);
        expect(h.loggedErrors).toEqual([]);
      });

      it('a huge field is refused while it is read (413 page), streamed or declared', async () => {
        const { id, html } = await response();
        const fields = { comment: 'x'.repeat(1024 * 1024), form_token: formTokenOf(html) };
        const declared = await postComment(h, id, fields);
        expect(declared.status, await declared.text()).toBe(413);
        const streamed = await h.fetch(`/t/${id}/comment`, { method: 'POST', headers: { ...BROWSER_HEADERS, 'content-type': 'application/x-www-form-urlencoded' }, body: streamOf(1024 * 1024), duplex: 'half' } as RequestInit);
        expect(streamed.status, await streamed.text()).toBe(413);
        expect(h.loggedErrors).toEqual([]);
      });
    });
  });

  describe('a leaked thank-you page posted to over and over', () => {
    // Every post is a write; in workerd each is several HTTP round trips to the test database.
    const posts = () => (h.runtime === 'node' ? 1000 : 40);

    describe('security', () => {
      it(`1,000 comments (40 in workerd) keep the comment one value and at most ${HISTORY_LIMITS.commented} comment events`, async () => {
        const { id, html } = await response();
        const token = formTokenOf(html);
        const n = posts();
        for (let i = 0; i < n; i++) {
          const res = await postComment(h, id, { comment: `spam ${i}`, form_token: token });
          expect(res.status, await res.text()).toBe(303);
        }
        const r = await api.response(id);
        expect(r.comment).toBe(`spam ${n - 1}`);
        const comments = r.events.filter((e: { kind: string }) => e.kind === 'commented');
        expect(comments.length).toBeLessThanOrEqual(HISTORY_LIMITS.commented + 1);
        expect(comments.length).toBeGreaterThanOrEqual(HISTORY_LIMITS.commented);
        expect(r.events.length).toBeLessThanOrEqual(HISTORY_LIMITS.commented + 2);
        expect(h.loggedErrors).toEqual([]);
      });

      it(`1,000 confirmations (40 in workerd) keep at most ${HISTORY_LIMITS.confirmed} confirmation events`, async () => {
        // A click without the signs of a person waits for a confirmation from its page.
        const weak = { 'user-agent': BROWSER_HEADERS['user-agent'], accept: 'text/html' };
        const { id, html } = await response(weak);
        const m = /action="\/t\/[^"]+\/confirm"[^>]*>\s*<input type="hidden" name="form_token" value="([^"]+)"><input type="hidden" name="event" value="([^"]+)">/.exec(html);
        expect(m, html).toBeTruthy();
        const n = posts();
        for (let i = 0; i < n; i++) {
          const res = await h.fetch(`/t/${id}/confirm`, {
            method: 'POST',
            headers: { ...BROWSER_HEADERS, 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ form_token: m![1]!, event: m![2]!, via: 'pointerdown', js: '1' }).toString(),
          });
          expect(res.status, await res.text()).toBe(204);
        }
        const r = await api.response(id);
        expect(r.status).toBe('counted');
        const confirmations = r.events.filter((e: { kind: string }) => e.kind === 'confirmed');
        expect(confirmations.length).toBeLessThanOrEqual(HISTORY_LIMITS.confirmed + 1);
        expect(confirmations.length).toBeGreaterThanOrEqual(HISTORY_LIMITS.confirmed);
        expect(h.loggedErrors).toEqual([]);
      });
    });
  });

  describe('GET /r/:token/:score with another spelling of a valid token', () => {
    describe('security', () => {
      it('answers 400 and records nothing: a token is one string', async () => {
        const survey = await api.createSurvey({ scale: 'csat3' });
        const subject = `S-${++seq}-${Date.now()}`;
        const { links } = await api.mint(survey.id, subject, 'spelling@example.com');
        const url = new URL(links[0]!.url);
        // The tag (last part, 22 characters) has 4 spare bits: set one of them.
        const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
        const respelled = url.pathname.replace(/([A-Za-z0-9_-])(\/\d+)$/, (_m, last: string, rest: string) => alphabet[alphabet.indexOf(last) ^ 1]! + rest);
        expect(respelled).not.toBe(url.pathname);
        const res = await h.fetch(respelled, { headers: BROWSER_HEADERS });
        expect(res.status, await res.text()).toBe(400);
        expect((await api.responses(`?subject=${subject}`)).data).toEqual([]);
      });
    });
  });

  describe('Strict-Transport-Security', () => {
    describe('security', () => {
      it('is sent on every answer (pages, redirects, errors, the API) when PUBLIC_URL is https', async () => {
        const { id } = await response();
        for (const path of [`/t/${id}`, '/r/nonsense/1', '/api/v1/surveys', '/healthz', '/nowhere']) {
          const res = await h.fetch(path, { headers: BROWSER_HEADERS });
          expect(res.headers.get('strict-transport-security'), `${path} → ${res.status}`).toBe('max-age=63072000; includeSubDomains');
        }
      });

      it('is not sent when PUBLIC_URL is plain http (a browser would ignore it, and it would pin a development host)', async () => {
        const plain = await start({ PUBLIC_URL: 'http://localhost:8787' });
        try {
          const res = await plain.fetch('/healthz');
          expect(res.status).toBe(200);
          expect(res.headers.get('strict-transport-security')).toBeNull();
        } finally {
          await plain.close();
        }
      });
    });
  });
}
