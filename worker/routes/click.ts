import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../app-env';
import { pickLocale } from '../lib/i18n';
import { requestSignals } from '../lib/signals';
import { renderQueuedThankYouPage, renderThanksOnlyPage } from '../pages/thank-you';
import { openLink, parseScore, recordClick } from '../services/capture';
import { isQueuedClick } from '../services/queued-votes';
import { deliverSoon } from './deliver-soon';
import { declinePrefetch, isPrefetch } from './prefetch';

/**
 * `GET /r/:token/:score`: a customer clicked an answer in an email.
 * Records the vote, then answers 303 See Other (RFC 9110 §15.4.4) to the thank-you page, so the
 * token leaves the address bar and a reload does not vote again. During a database outage on
 * Workers the vote goes to the queue and the thank-you page is served at once (`queued-votes.ts`). HEAD, OPTIONS and prefetches
 * never record. Whether the click counts at once, waits for confirmation or is a robot is decided
 * in the capture service and its write (`lib/classify.ts`, `db/responses.ts`).
 */
export function clickRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .on(['OPTIONS'], '/r/:token/:score', function clickOptions(c) {
      // CORS preflights and link checkers: never a vote.
      return c.body(null, 204, { Allow: 'GET, HEAD' });
    })
    .get('/r/:token/:score', async function click(c) {
      const { token, score } = c.req.param();
      if (c.req.method === 'HEAD') {
        // Link checkers and previews: say whether the link works, record nothing.
        parseScore((await openLink(deps, token)).scale, score);
        return c.body(null, 200, { 'Content-Type': 'text/html; charset=utf-8' });
      }
      if (isPrefetch(c.req.raw.headers)) return declinePrefetch(c);
      const recorded = await recordClick(deps, token, score, requestSignals(c.req.raw, deps.clientInfo(c)));
      if (!recorded) {
        // The recipient asked never to be surveyed again: nothing was recorded, a plain thanks.
        c.header('Cache-Control', 'no-store');
        return c.html(renderThanksOnlyPage(pickLocale(c.req.header('accept-language'))), 200);
      }
      if (isQueuedClick(recorded)) {
        // The database is down and the vote waits on the queue: no response id to redirect to yet,
        // so the page is drawn from the link (200, never cached). A reload queues the same answer
        // again, which the write stores as nothing new (same answer, same classification).
        c.header('Cache-Control', 'no-store');
        return c.html(renderQueuedThankYouPage(pickLocale(c.req.header('accept-language')), recorded.answer), 200);
      }
      if (recorded.webhooksQueued) deliverSoon(deps, c);
      return c.redirect(`/t/${recorded.id}`, 303);
    });
}
