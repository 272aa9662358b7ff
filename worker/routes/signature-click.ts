import { Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { AppDeps, AppEnv } from '../app-env';
import { requestSignals } from '../lib/signals';
import { parseScore } from '../services/capture';
import { HINT_PARAMS, newBrowserId, openSignatureLink, recordSignatureClick, saveContact } from '../services/signature-links';
import { isExcessVote } from '../db/responses';
import { pickLocale } from '../lib/i18n';
import { renderQueuedThankYouPage, renderThanksOnlyPage } from '../pages/thank-you';
import { isQueuedClick } from '../services/queued-votes';
import { deliverSoon } from './deliver-soon';
import { declinePrefetch, isPrefetch } from './prefetch';
import { limitForm, readFormFields } from './read-form';

/** The first-party cookie that makes anonymous signature votes one response per browser. */
export const BROWSER_COOKIE = 'cb_browser';
const BROWSER_ID_PATTERN = /^[0-9a-hjkmnp-tv-z]{20}$/;

/**
 * `GET /s/:token/:score?t=…&e=…`: a customer clicked an answer in a signature or macro.
 * Records the vote and answers 303 to the thank-you page, like a per-message link. HEAD, OPTIONS
 * and prefetches never record; a click over its source's daily cap records nothing either
 * (`recordSignatureClick`) and gets a plain thank-you page.
 */
export function signatureClickRoutes(deps: AppDeps) {
  const secure = deps.config.publicUrl.startsWith('https:');
  return new Hono<AppEnv>()
    .on(['OPTIONS'], '/s/:token/:score', function signatureClickOptions(c) {
      // CORS preflights and link checkers: never a vote.
      return c.body(null, 204, { Allow: 'GET, HEAD' });
    })
    .get('/s/:token/:score', async function signatureClick(c) {
      const { token, score } = c.req.param();
      if (c.req.method === 'HEAD') {
        // Link checkers and previews: say whether the link works, record nothing.
        parseScore((await openSignatureLink(deps, token)).link.scale, score);
        return c.body(null, 200, { 'Content-Type': 'text/html; charset=utf-8' });
      }
      if (isPrefetch(c.req.raw.headers)) return declinePrefetch(c);
      const known = getCookie(c, BROWSER_COOKIE);
      const knownBrowser = known !== undefined && BROWSER_ID_PATTERN.test(known);
      const browserId = knownBrowser ? known : newBrowserId();
      const recorded = await recordSignatureClick(deps, {
        token,
        score,
        hints: { ticket: c.req.query(HINT_PARAMS.ticket), email: c.req.query(HINT_PARAMS.email) },
        browserId,
        knownBrowser,
        signals: requestSignals(c.req.raw, deps.clientInfo(c)),
      });
      function rememberBrowser() {
        // Lax: sent on the top-level GET that a click in a mail client is. 400 days is browsers' cap.
        if (recorded.anonymous && browserId !== known) setCookie(c, BROWSER_COOKIE, browserId, { path: '/s/', httpOnly: true, secure, sameSite: 'Lax', maxAge: 400 * 86_400 });
      }
      if (isQueuedClick(recorded)) {
        // The database is down and the vote waits on the queue (see routes/click.ts); it will be
        // written under this browser's id, so the browser keeps it, as after a recorded vote.
        rememberBrowser();
        c.header('Cache-Control', 'no-store');
        return c.html(renderQueuedThankYouPage(pickLocale(c.req.header('accept-language')), recorded.answer), 200);
      }
      if (isExcessVote(recorded)) {
        // Over the source's daily cap: nothing was recorded. A plain thanks, not an error, so a
        // person behind a busy network is not told off and a script learns nothing it can tune on.
        c.header('Cache-Control', 'no-store');
        return c.html(renderThanksOnlyPage(pickLocale(c.req.header('accept-language'))), 200);
      }
      rememberBrowser();
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
