import { Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { AppDeps, AppEnv } from '../app-env';
import { requestSignals } from '../lib/signals';
import { parseScore } from '../services/capture';
import { HINT_PARAMS, newBrowserId, openSignatureLink, recordSignatureClick, saveContact } from '../services/signature-links';
import { deliverSoon } from './deliver-soon';
import { limitForm, readFormFields } from './read-form';

/** The first-party cookie that makes anonymous signature votes one response per browser. */
export const BROWSER_COOKIE = 'cb_browser';
const BROWSER_ID_PATTERN = /^[0-9a-hjkmnp-tv-z]{20}$/;

/**
 * `GET /s/:token/:score?t=…&e=…`: a customer clicked an answer in a signature or macro.
 * Records the vote and answers 303 to the thank-you page, like a per-message link.
 */
export function signatureClickRoutes(deps: AppDeps) {
  const secure = deps.config.publicUrl.startsWith('https:');
  return new Hono<AppEnv>().get('/s/:token/:score', async function signatureClick(c) {
    const { token, score } = c.req.param();
    if (c.req.method === 'HEAD') {
      // Link checkers and previews: say whether the link works, record nothing.
      parseScore((await openSignatureLink(deps, token)).link.scale, score);
      return c.body(null, 200, { 'Content-Type': 'text/html; charset=utf-8' });
    }
    const known = getCookie(c, BROWSER_COOKIE);
    const browserId = known && BROWSER_ID_PATTERN.test(known) ? known : newBrowserId();
    const recorded = await recordSignatureClick(deps, {
      token,
      score,
      hints: { ticket: c.req.query(HINT_PARAMS.ticket), email: c.req.query(HINT_PARAMS.email) },
      browserId,
      signals: requestSignals(c.req.raw, deps.clientInfo(c)),
    });
    if (recorded.anonymous && browserId !== known) {
      // Lax: sent on the top-level GET that a click in a mail client is. 400 days is browsers' cap.
      setCookie(c, BROWSER_COOKIE, browserId, { path: '/s/', httpOnly: true, secure, sameSite: 'Lax', maxAge: 400 * 86_400 });
    }
    if (recorded.webhooksQueued) deliverSoon(deps, c);
    return c.redirect(`/t/${recorded.id}`, 303);
  })
    .post('/t/:id/contact', limitForm(8 * 1024), async function postContact(c) {
      // After an anonymous signature vote, the thank-you page may ask for an email or ticket number.
      const id = c.req.param('id');
      const field = await readFormFields(c, 'the form');
      const saved = await saveContact(deps, id, field('form_token'), field('contact'));
      return c.redirect(`/t/${id}?contact=${saved ? '1' : 'invalid'}`, 303);
    });
}
