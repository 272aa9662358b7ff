import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCALES, scaleAnswers } from '../../schema/scales';
import { HELPDESK_PRESETS, PRESET_NAMES, SNIPPET_STYLES } from '../../worker/lib/helpdesk-presets';
import { Api, BROWSER_HEADERS, formTokenOf, page } from './client';
import type { Harness } from './harness';

/**
 * Snippets and signature links: every scale x style x preset renders within budget and without
 * markup that signature editors or Outlook drop; placeholders sit exactly where the preset says;
 * every link records a vote, with the placeholders substituted (one response per ticket and
 * requester) and without (anonymous, one response per browser by a first-party cookie).
 */

/** What signature editors and Outlook's Word engine strip or refuse. */
export const FORBIDDEN_MARKUP: [string, RegExp][] = [
  ['<style>', /<style\b/i],
  ['class attribute', /\sclass\s*=/i],
  ['flex', /display\s*:\s*(inline-)?flex/i],
  ['grid', /display\s*:\s*(inline-)?grid/i],
  ['SVG', /<svg\b/i],
  ['data: URI', /data:/i],
  ['script', /<script\b/i],
  ['event handler', /\son[a-z]+\s*=/i],
];

/** Character budgets: Gmail's signature limit is 10,000; a 3-face row must fit in 2,000, NPS in 4,000. */
export const BUDGETS: Record<string, number> = { thumbs: 2000, csat3: 2000, csat5: 3000, ces7: 3500, nps: 4000 };

const PLACEHOLDER = /\{\{|\}\}|\{%|%\}/g;

/**
 * Settings this suite runs with: it clicks one signature link hundreds of times from the one test
 * network, so the per-network daily cap is lifted here; `stuffing.contract.ts` proves the caps.
 */
export const SNIPPET_SUITE_ENV = { SIGNATURE_VOTES_PER_NETWORK: '100000' };

export function snippetContract(start: () => Promise<Harness>) {
  let h: Harness;
  let api: Api;
  let other: Api;

  beforeAll(async () => {
    h = await start();
    api = new Api(h, (await h.newWorkspace('Acme')).apiKey);
    other = new Api(h, (await h.newWorkspace('Other')).apiKey);
  });
  afterAll(async () => {
    await h?.close();
  });

  const snippet = async (body: Record<string, unknown>, a = api) => (await a.call('POST', '/snippets', body, 201)).json;
  const get = (url: string, headers: Record<string, string> = BROWSER_HEADERS) => h.fetch(url.slice('https://feedback.example.com'.length), { headers });

  describe('POST /api/v1/snippets', () => {
    describe('happy path', () => {
      it('renders every scale x style x preset within budget, with no forbidden markup and placeholders exactly where the preset says', async () => {
        for (const scale of SCALES) {
          const survey = await api.createSurvey({ scale, question: { en: 'How did we do?', it: 'Com’è andata?', de: 'Wie war es?', fr: 'Comment était-ce ?', es: '¿Qué tal?' } });
          for (const presetName of PRESET_NAMES) {
            const preset = HELPDESK_PRESETS[presetName];
            let urls: string[] | undefined;
            for (const style of SNIPPET_STYLES) {
              const s = await snippet({ survey: survey.id, preset: presetName, style, agent: 'Maria' });
              const where = `${scale}/${style}/${presetName}`;
              expect(s.html.length, where).toBeLessThan(BUDGETS[scale]!);
              for (const [name, pattern] of FORBIDDEN_MARKUP) expect(s.html, `${where}: ${name}`).not.toMatch(pattern);
              expect(s.html).toContain('How did we do?');
              expect(s.html).toContain('Maria');
              expect(s.links.map((l: { score: number }) => l.score)).toEqual(scaleAnswers(scale));
              // The same signature link whatever the style: re-pasting never splits the votes.
              urls ??= s.links.map((l: { url: string }) => l.url);
              expect(s.links.map((l: { url: string }) => l.url), where).toEqual(urls);
              for (const link of s.links as { url: string }[]) {
                expect(link.url.length, link.url).toBeLessThan(200);
                const query = link.url.includes('?') ? link.url.slice(link.url.indexOf('?') + 1).split('&') : [];
                const expected = [
                  ...(preset.placeholders.ticket ? [`t=${preset.placeholders.ticket}`] : []),
                  ...(preset.placeholders.email ? [`e=${preset.placeholders.email}`] : []),
                ];
                expect(query, where).toEqual(expected);
                expect(s.html).toContain(`href="${link.url.replace(/&/g, '&amp;')}"`);
                expect(s.text).toContain(link.url);
              }
              // Placeholders appear in the links and nowhere else.
              const perLink = Object.keys(preset.placeholders).length * 2;
              expect((s.html.match(PLACEHOLDER) ?? []).length, where).toBe(s.links.length * perLink);
              expect(s.html.replace(/href="[^"]*"/g, ''), where).not.toMatch(PLACEHOLDER);
              if (style === 'image' && !['nps', 'ces7'].includes(scale)) {
                const images = [...s.html.matchAll(/<img src="([^"]+)"[^>]* alt="([^"]+)"/g)];
                expect(images, where).toHaveLength(s.links.length);
                for (const [, src] of images) {
                  const res = await get(src!);
                  expect(res.status, src).toBe(200);
                  expect(res.headers.get('content-type')).toBe('image/png');
                  expect(res.headers.get('cache-control')).toMatch(/max-age=31536000/);
                  const png = new Uint8Array(await res.arrayBuffer());
                  expect([...png.slice(1, 4)]).toEqual([80, 78, 71]);
                }
              }
            }
          }
        }
      });

      it('every link records a vote once the helpdesk substitutes its placeholders, identified by ticket and requester', async () => {
        let n = 0;
        for (const scale of SCALES) {
          const survey = await api.createSurvey({ scale });
          for (const presetName of PRESET_NAMES) {
            const preset = HELPDESK_PRESETS[presetName];
            const s = await snippet({ survey: survey.id, preset: presetName, agent: 'maria' });
            for (const link of s.links as { score: number; url: string }[]) {
              const ticket = `TCK-${++n}`;
              const email = `cust+${n}@example.com`;
              // What the helpdesk does when it sends: the raw values in place of its placeholders.
              const sent = link.url.replace(preset.placeholders.ticket ?? '\u0000', ticket).replace(preset.placeholders.email ?? '\u0000', email);
              const res = await get(sent);
              expect(res.status, `${sent} → ${res.status === 303 ? '' : await res.text()}`).toBe(303);
              const id = res.headers.get('location')!.slice(3);
              const r = await api.response(id);
              // Whether it counts yet is bot detection's business (issue 4); the vote itself is stored.
              expect(r).toMatchObject({ survey: survey.id, score: link.score, agent: 'maria' });
              if (preset.placeholders.ticket) {
                expect(r.subject).toBe(ticket);
                expect(r.recipient).toEqual(preset.placeholders.email ? `hint:${email}` : expect.stringMatching(/^browser:/));
                expect(res.headers.get('set-cookie')).toBeNull();
              } else {
                expect(r.subject).toMatch(/^signature:sl_/);
                expect(r.recipient).toMatch(/^browser:/);
              }
              const thanks = await page(h, `/t/${id}`);
              expect(thanks.res.status, thanks.html).toBe(200);
            }
          }
        }
      });

      it('a link whose placeholders were never substituted still works, anonymously: one response per browser', async () => {
        const survey = await api.createSurvey({ scale: 'csat3' });
        for (const presetName of PRESET_NAMES) {
          const s = await snippet({ survey: survey.id, preset: presetName, agent: 'maria' });
          const first = await get(s.links[0].url);
          expect(first.status, await first.clone().text()).toBe(303);
          const cookie = first.headers.get('set-cookie') ?? '';
          expect(cookie).toMatch(/^cb_browser=[0-9a-z]{20};/);
          expect(cookie).toMatch(/HttpOnly/i);
          expect(cookie).toMatch(/SameSite=Lax/i);
          expect(cookie).toMatch(/Path=\/s\//);
          const id = first.headers.get('location')!.slice(3);
          const r = await api.response(id);
          expect(r.subject).toMatch(/^signature:sl_/);
          expect(r.recipient).toMatch(/^browser:[0-9a-z]{20}$/);

          // The same browser changes its answer: the same response.
          const again = await get(s.links[2].url, { ...BROWSER_HEADERS, cookie: cookie.split(';')[0]! });
          expect(again.status).toBe(303);
          expect(again.headers.get('location')).toBe(`/t/${id}`);
          expect(again.headers.get('set-cookie')).toBeNull();
          expect((await api.response(id)).score).toBe(3);

          // Another browser: another response.
          const stranger = await get(s.links[2].url);
          expect(stranger.headers.get('location')).not.toBe(`/t/${id}`);
        }
      });

      it('localizes the question and the note (en, it, de, fr, es), and the thank-you page follows', async () => {
        const survey = await api.createSurvey({ scale: 'csat3', question: { en: 'How did we do?', it: 'Com’è andata?', de: 'Wie war es?', fr: 'Comment était-ce ?', es: '¿Qué tal?' } });
        const expected = { en: ['How did we do?', 'One click is enough.', 'Thank you for your feedback'], it: ['Com’è andata?', 'Basta un clic.', 'Grazie per il tuo feedback'], de: ['Wie war es?', 'Ein Klick genügt.', 'Vielen Dank für Ihr Feedback'], fr: ['Comment était-ce ?', 'Un clic suffit.', 'Merci pour votre avis'], es: ['¿Qué tal?', 'Basta con un clic.', 'Gracias por tu opinión'] };
        for (const [locale, [question, note, thanks]] of Object.entries(expected)) {
          const s = await snippet({ survey: survey.id, preset: 'plain', locale });
          expect(s.html).toContain(question!.replace(/’/g, '’'));
          expect(s.html).toContain(note);
          const res = await get(s.links[0].url, { ...BROWSER_HEADERS, 'accept-language': locale });
          const { html } = await page(h, res.headers.get('location')!, { ...BROWSER_HEADERS, 'accept-language': locale });
          expect(html).toContain(thanks);
        }
      });

      it('after an anonymous vote the thank-you page asks (optionally) for an email or ticket number', async () => {
        const survey = await api.createSurvey({ scale: 'csat3' });
        const s = await snippet({ survey: survey.id, preset: 'zendesk-signature' });
        const res = await get(s.links[2].url);
        const id = res.headers.get('location')!.slice(3);
        const { html } = await page(h, `/t/${id}`);
        expect(html).toContain(`action="/t/${id}/contact"`);
        expect(html).toContain('Your email or ticket number (optional)');
        const post = (contact: string, token = formTokenOf(html)) =>
          h.fetch(`/t/${id}/contact`, { method: 'POST', headers: { ...BROWSER_HEADERS, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ contact, form_token: token }).toString() });
        const bad = await post('not@an address');
        expect(bad.status).toBe(303);
        expect(bad.headers.get('location')).toBe(`/t/${id}?contact=invalid`);
        expect((await page(h, `/t/${id}?contact=invalid`)).html).toContain('Please enter an email address or a ticket number.');
        const good = await post(' Ann@Example.com ');
        expect(good.headers.get('location')).toBe(`/t/${id}?contact=1`);
        expect((await page(h, `/t/${id}?contact=1`)).html).toContain('we have connected your answer');
        expect((await api.call('GET', `/responses/${id}/contact`, undefined, 200)).json).toMatchObject({ response: id, email: 'ann@example.com', ticket: null });
        await other.call('GET', `/responses/${id}/contact`, undefined, 404);
        expect((await post('TCK-42', 'forged')).status).toBe(403);

        // A per-message response (identity known) is never asked.
        const minted = await api.mint(survey.id, 'T-KNOWN', 'known@example.com');
        const known = (await get(minted.links[0]!.url)).headers.get('location')!;
        expect((await page(h, known)).html).not.toContain('/contact"');
      });

      it('HEAD checks a link without recording anything', async () => {
        const survey = await api.createSurvey({ scale: 'thumbs' });
        const s = await snippet({ survey: survey.id, preset: 'plain' });
        const res = await h.fetch(s.links[1].url.slice('https://feedback.example.com'.length), { method: 'HEAD', headers: BROWSER_HEADERS });
        expect(res.status).toBe(200);
        expect((await api.responses(`?survey=${survey.id}&status=all`)).data).toHaveLength(0);
      });
    });

    describe('rejects', () => {
      it.each([
        [{ preset: 'zendesk-macro', style: 'emoji' }, 400, 'survey'],
        [{ survey: 'sv_0000000000000000', preset: 'nope' }, 400, 'preset'],
        [{ survey: 'sv_0000000000000000', style: 'svg' }, 400, 'style'],
        [{ survey: 'sv_0000000000000000', locale: 'pt' }, 400, 'locale'],
        [{ survey: 'sv_0000000000000000' }, 404, undefined],
      ])('%j → %i', async (body, status, field) => {
        const { json } = await api.call('POST', '/snippets', body, status);
        if (field) expect(json.error.details.field).toBe(field);
      });

      it('answers off the scale, tampered tokens and disabled links with friendly pages', async () => {
        const survey = await api.createSurvey({ scale: 'csat3' });
        const s = await snippet({ survey: survey.id, preset: 'zendesk-macro' });
        const url = s.links[0].url as string;
        expect((await get(url.replace('/1?', '/4?'))).status).toBe(400);
        const token = new URL(url).pathname.split('/')[2]!;
        const tampered = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
        const bad = await get(url.replace(token, tampered));
        expect(bad.status).toBe(400);
        expect(await bad.text()).toContain('This link does not work');

        await api.call('DELETE', `/signature-links/${s.signatureLink}`, undefined, 200);
        const closed = await get(url);
        expect(closed.status).toBe(410);
        expect(await closed.text()).toContain('This survey has closed');
        await api.call('DELETE', `/signature-links/${s.signatureLink}`, undefined, 404);
        // A new snippet for the same survey and agent makes a new link.
        const fresh = await snippet({ survey: survey.id, preset: 'zendesk-macro' });
        expect(fresh.signatureLink).not.toBe(s.signatureLink);
        expect((await get(fresh.links[0].url)).status).toBe(303);
      });

      it('ignores hints that are not plausible (placeholders, control characters, not an email)', async () => {
        const survey = await api.createSurvey({ scale: 'thumbs' });
        const s = await snippet({ survey: survey.id, preset: 'plain' });
        const base = s.links[1].url as string;
        const res = await get(`${base}?t=%7B%7Bticket.id%7D%7D&e=not-an-email`);
        const r = await api.response(res.headers.get('location')!.slice(3));
        expect(r.subject).toMatch(/^signature:/);
        expect(r.recipient).toMatch(/^browser:/);
      });
    });

    describe('security', () => {
      it('needs the API key, and another workspace can neither use the survey nor disable the link', async () => {
        const res = await h.fetch('/api/v1/snippets', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
        expect(res.status).toBe(401);
        const survey = await api.createSurvey({ scale: 'csat3' });
        await other.call('POST', '/snippets', { survey: survey.id }, 404);
        const s = await snippet({ survey: survey.id });
        await other.call('DELETE', `/signature-links/${s.signatureLink}`, undefined, 404);
        expect((await get(s.links[0].url)).status).toBe(303);
      });

      it('placeholder hints are not proof: a forged ticket and email cannot change a signed per-message vote', async () => {
        const survey = await api.createSurvey({ scale: 'csat3' });
        const minted = await api.mint(survey.id, 'TCK-SIGNED', 'victim@example.com');
        const signedRes = await get(minted.links.find((l) => l.score === 3)!.url);
        expect(signedRes.status).toBe(303);
        const signedId = signedRes.headers.get('location')!.slice(3);

        const s = await snippet({ survey: survey.id, preset: 'zendesk-macro' });
        const preset = HELPDESK_PRESETS['zendesk-macro'];
        const forged = s.links
          .find((l: { score: number }) => l.score === 1)
          .url.replace(preset.placeholders.ticket!, 'TCK-SIGNED')
          .replace(preset.placeholders.email!, 'victim@example.com');
        const res = await get(forged);
        expect(res.status).toBe(303);
        const hintedId = res.headers.get('location')!.slice(3);
        expect(hintedId).not.toBe(signedId);
        expect(await api.response(signedId)).toMatchObject({ subject: 'TCK-SIGNED', recipient: 'victim@example.com', score: 3 });
        expect(await api.response(hintedId)).toMatchObject({ subject: 'TCK-SIGNED', recipient: 'hint:victim@example.com', score: 1 });
      });

      it('face images are cacheable and embeddable anywhere; unknown names are 404', async () => {
        const res = await h.fetch('/f/grin.png');
        expect(res.status).toBe(200);
        expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
        expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
        expect((await h.fetch('/f/../../etc.png')).status).toBe(404);
        expect((await h.fetch('/f/nope.png')).status).toBe(404);
      });
    });
  });

  describe('POST /api/v1/emails/render', () => {
    describe('happy path', () => {
      it('renders subject, HTML and text with per-message links that record the vote', async () => {
        const survey = await api.createSurvey({ scale: 'csat5', question: { en: 'How did we do?', de: 'Wie war es?' } });
        const { json: email } = await api.call('POST', '/emails/render', { survey: survey.id, subject: 'TICKET-7', recipient: 'ann@example.com', agent: 'maria', brand: { color: '#ffd400', logoUrl: 'https://cdn.example.com/logo.png' } }, 200);
        expect(email.subject).toBe('Acme: how did we do?');
        expect(email.html).toMatch(/^<!doctype html>/i);
        expect(email.html).toContain('How did we do?');
        expect(email.html).toContain('TICKET-7');
        expect(email.html).toContain('#ffd400');
        expect(email.html).toContain('color:#1b1f24'); // dark text on a light brand colour
        expect(email.html).toContain('src="https://cdn.example.com/logo.png"');
        expect(email.html).not.toMatch(/@@[A-Z_]+@@|#010203|#040506/);
        expect(email.links).toHaveLength(5);
        for (const link of email.links) {
          expect(email.html).toContain(`href="${link.url}"`);
          expect(email.text).toContain(link.url);
        }
        const res = await get(email.links[4].url);
        expect(res.status).toBe(303);
        const r = await api.response(res.headers.get('location')!.slice(3));
        expect(r).toMatchObject({ subject: 'TICKET-7', recipient: 'ann@example.com', score: 5 });
      });

      it('is localized, and leaves the logo out when there is none', async () => {
        const survey = await api.createSurvey({ scale: 'nps', question: { en: 'Would you recommend us?', fr: 'Nous recommanderiez-vous ?' } });
        const { json: email } = await api.call('POST', '/emails/render', { survey: survey.id, subject: 'T-8', recipient: 'b@example.com', locale: 'fr' }, 200);
        expect(email.subject).toBe('Acme : comment cela s’est-il passé ?');
        expect(email.html).toContain('lang="fr"');
        expect(email.html).toContain('Nous recommanderiez-vous ?');
        expect(email.html).toContain('Vous recevez cet e-mail');
        expect(email.html).not.toContain('<img');
        expect(email.text).toContain('Choisissez une réponse :');
      });
    });

    describe('rejects', () => {
      it.each([
        [{ subject: 'T', recipient: 'a@example.com' }, 'survey'],
        [{ survey: 'sv_0000000000000000', recipient: 'a@example.com' }, 'subject'],
        [{ survey: 'sv_0000000000000000', subject: 'T', recipient: 'a@example.com', brand: { color: 'red' } }, 'brand.color'],
        [{ survey: 'sv_0000000000000000', subject: 'T', recipient: 'a@example.com', brand: { logoUrl: 'javascript:alert(1)' } }, 'brand.logoUrl'],
        [{ survey: 'sv_0000000000000000', subject: 'T', recipient: 'a@example.com', locale: 'pt' }, 'locale'],
      ])('%j → 400 on %s', async (body, field) => {
        const { json } = await api.call('POST', '/emails/render', body, 400);
        expect(json.error.details.field).toBe(field);
      });
    });

    describe('security', () => {
      it('escapes everything it inserts', async () => {
        const evil = (await h.newWorkspace('<script>alert(1)</script>')).apiKey;
        const a = new Api(h, evil);
        const survey = await a.createSurvey({ question: '<img src=x onerror=alert(1)>' });
        const { json: email } = await a.call('POST', '/emails/render', { survey: survey.id, subject: '"><b>x</b>', recipient: 'c@example.com' }, 200);
        expect(email.html).not.toContain('<script>alert');
        expect(email.html).not.toContain('<img src=x');
        expect(email.html).not.toContain('"><b>x</b>');
        expect(email.html).toContain('&lt;script&gt;');
      });
    });
  });
}
