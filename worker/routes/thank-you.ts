import { Hono } from 'hono';
import type { AppContext, AppDeps, AppEnv } from '../app-env';
import { getResponseWithSurvey } from '../db/responses';
import { recordReviewClick } from '../db/review-clicks';
import { AppError } from '../lib/errors';
import { mintFormToken, verifyFormToken } from '../lib/form-token';
import { isLocale, pickLocale, questionIn } from '../lib/i18n';
import { isId } from '../lib/ids';
import { requestSignals } from '../lib/signals';
import { pageCsp, scriptPageCsp } from '../pages/layout';
import { renderDeleteConfirmPage, renderDeletedPage, renderQueuedThankYouPage, renderThankYouPage, type ThankYouView } from '../pages/thank-you';
import { isQueuedClick } from '../services/queued-votes';
import { declinePrefetch, isPrefetch } from './prefetch';
import { changeAnswer, confirmAnswer } from '../services/capture';
import { normalizeComment, submitComment } from '../services/comments';
import { isAnonymousSignatureVote } from '../services/signature-links';
import { deleteOwnAnswer } from '../services/privacy';
import { deliverSoon } from './deliver-soon';
import { limitForm, readFormFields } from './read-form';

/**
 * The survey's review page, if it names one that is still an https address (the settings check it
 * on saving; this keeps a row edited by hand from sending customers anywhere else).
 */
function reviewTarget(survey: { reviewUrl: string | null }): URL | null {
  if (!survey.reviewUrl) return null;
  try {
    const url = new URL(survey.reviewUrl);
    return url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

/** How long a rendered comment form stays valid. */
const FORM_TTL_SECONDS = 7 * 86_400;
/** How long the confirmation step of "Delete my answer" stays valid: a decision made now, not a page left open. */
const DELETE_TTL_SECONDS = 30 * 60;
/** A 2000-character comment is at most ~24 KB form-encoded; anything larger is not a comment. */
const MAX_FORM_BYTES = 64 * 1024;

/**
 * The thank-you page, addressed by the unguessable response id (`/t/:id`): shows the answer, lets
 * the customer change it (`/t/:id/answer/:score`) and leave a comment (`POST /t/:id/comment`).
 */
export function thankYouRoutes(deps: AppDeps) {
  async function load(responseId: string) {
    const found = isId('response', responseId) ? await getResponseWithSurvey(deps.db, responseId) : null;
    if (!found) throw new AppError('RESPONSE_NOT_FOUND', 'No such response.');
    return found;
  }

  /**
   * The page shows the counted answer; or, when the last click still waits for a sign of a person
   * (or nothing is counted yet), that click, with a confirmation bound to it. Such a page carries
   * the confirm script, allowed by its hash in its own CSP.
   */
  async function view(c: AppContext, responseId: string, extra: Partial<ThankYouView> = {}) {
    const { response, survey, lastClick } = await load(responseId);
    const locale = pickLocale(c.req.header('accept-language'), survey.locale);
    const unconfirmed = lastClick && lastClick.score !== null && lastClick.status !== 'counted' && (response.status !== 'counted' || lastClick.status === 'pending');
    const shown = unconfirmed && lastClick.score !== null && !(response.status === 'counted' && lastClick.score === response.score) ? lastClick : null;
    const now = deps.clock();
    const reviewOrigin = reviewTarget(survey)?.origin ?? null;
    const html = renderThankYouPage({
      locale,
      responseId: response.id,
      question: questionIn(locale, survey),
      scale: survey.scale,
      score: shown?.score ?? response.score,
      comment: response.comment,
      formToken: await mintFormToken(deps.config.formKeys, response.id, now, FORM_TTL_SECONDS),
      confirm: shown ? { eventId: shown.id, token: await mintFormToken(deps.config.formKeys, `${response.id}/${shown.id}`, now, FORM_TTL_SECONDS, 'confirm') } : undefined,
      contact: isAnonymousSignatureVote(response) ? { saved: c.req.query('contact') === '1', invalid: c.req.query('contact') === 'invalid' ? '' : undefined } : undefined,
      review: reviewOrigin !== null,
      ...extra,
    });
    const formTargets = reviewOrigin ? [reviewOrigin] : [];
    if (shown) c.header('Content-Security-Policy', await scriptPageCsp(formTargets));
    else if (reviewOrigin) c.header('Content-Security-Policy', await pageCsp(formTargets));
    return html;
  }

  return new Hono<AppEnv>()
    .get('/t/:id', async function thankYouPage(c) {
      const id = c.req.param('id');
      const notice = c.req.query('saved') === '1' ? 'commentSaved' : c.req.query('confirmed') === '1' ? 'confirmed' : undefined;
      return c.html(await view(c, id, notice ? { notice } : {}));
    })
    .on(['OPTIONS'], ['/t/:id', '/t/:id/answer/:score'], function pageOptions(c) {
      return c.body(null, 204, { Allow: 'GET, HEAD' });
    })
    .get('/t/:id/answer/:score', async function changeAnswerLink(c) {
      const { id, score } = c.req.param();
      if (!isId('response', id)) throw new AppError('RESPONSE_NOT_FOUND', 'No such response.');
      if (c.req.method === 'HEAD') return c.body(null, 200, { 'Content-Type': 'text/html; charset=utf-8' });
      if (isPrefetch(c.req.raw.headers)) return declinePrefetch(c);
      const changed = await changeAnswer(deps, id, score, requestSignals(c.req.raw, deps.clientInfo(c)));
      if (isQueuedClick(changed)) {
        // The database is down (the page with this link was loaded before): the change waits on
        // the queue, and its page cannot be read yet, so the queued page answers (see routes/click.ts).
        c.header('Cache-Control', 'no-store');
        return c.html(renderQueuedThankYouPage(pickLocale(c.req.header('accept-language')), changed.answer), 200);
      }
      if (changed.webhooksQueued) deliverSoon(deps, c);
      return c.redirect(`/t/${id}`, 303);
    })
    .post('/t/:id/confirm', limitForm(4096), async function postConfirm(c) {
      const id = c.req.param('id');
      const field = await readFormFields(c, 'the confirmation');
      const confirmed = await confirmAnswer(deps, {
        responseId: id,
        clickEventId: field('event'),
        formToken: field('form_token'),
        via: field('via'),
        signals: requestSignals(c.req.raw, deps.clientInfo(c)),
      });
      if (confirmed.webhooksQueued) deliverSoon(deps, c);
      // The same answer to a robot as to a person: nothing tells a scanner it was recognised.
      if (field('js') === '1') return c.body(null, 204);
      return c.redirect(`/t/${id}?confirmed=1`, 303);
    })
    // "Delete my answer": the page's form (its comment-form token) leads to a confirmation step;
    // only that step's own token deletes, so one stray post (a scanner submitting forms) does not.
    .post('/t/:id/delete', limitForm(4096), async function askToDelete(c) {
      const id = c.req.param('id');
      const field = await readFormFields(c, 'the form');
      const { survey } = await load(id);
      if (!(await verifyFormToken(deps.config.formKeys, field('form_token'), id, deps.clock()))) throw new AppError('FORM_TOKEN_INVALID', 'The form has expired or was changed.');
      const locale = pickLocale(c.req.header('accept-language'), survey.locale);
      return c.html(renderDeleteConfirmPage(locale, id, await mintFormToken(deps.config.formKeys, id, deps.clock(), DELETE_TTL_SECONDS, 'delete')));
    })
    .post('/t/:id/delete/confirm', limitForm(4096), async function confirmDelete(c) {
      const id = c.req.param('id');
      const field = await readFormFields(c, 'the form');
      const { survey } = await load(id);
      const locale = pickLocale(c.req.header('accept-language'), survey.locale);
      const token = field('form_token');
      const { deleted } = await deleteOwnAnswer(deps, id, token, requestSignals(c.req.raw, deps.clientInfo(c)));
      if (!deleted) return c.html(renderDeleteConfirmPage(locale, id, token, true), 403);
      return c.redirect(`/t/${id}/deleted?lang=${locale}`, 303);
    })
    .get('/t/:id/deleted', function deletedPage(c) {
      // The response is gone: the language rides in the redirect. The same page for any id (it
      // reveals nothing, and the ids are unguessable).
      const lang = c.req.query('lang');
      return c.html(renderDeletedPage(isLocale(lang) ? lang : pickLocale(c.req.header('accept-language'))));
    })
    .get('/t/:id/review', function reviewLink(c) {
      // A link scanner that finds this address counts nothing: only the page's form does.
      const id = c.req.param('id');
      if (!isId('response', id)) throw new AppError('RESPONSE_NOT_FOUND', 'No such response.');
      return c.redirect(`/t/${id}`, 303);
    })
    .post('/t/:id/review', limitForm(4096), async function postReview(c) {
      const id = c.req.param('id');
      const field = await readFormFields(c, 'the review invitation');
      const { response, survey } = await load(id);
      const target = reviewTarget(survey);
      if (!target) throw new AppError('RESPONSE_NOT_FOUND', 'This survey names no review page.');
      if (!(await verifyFormToken(deps.config.formKeys, field('form_token'), response.id, deps.clock()))) {
        throw new AppError('FORM_TOKEN_INVALID', 'The form token is missing, expired or not for this response.');
      }
      await recordReviewClick(deps.db, { responseId: response.id, workspaceId: response.workspaceId, surveyId: survey.id }, deps.clock());
      // Referrer-Policy: no-referrer (security headers) keeps this page's address, a capability
      // to the response, from reaching the review site.
      return c.redirect(target.href, 303);
    })
    .post('/t/:id/comment', limitForm(MAX_FORM_BYTES), async function postComment(c) {
      const id = c.req.param('id');
      const field = await readFormFields(c, 'the comment form');
      const comment = field('comment');
      if (!isId('response', id)) throw new AppError('RESPONSE_NOT_FOUND', 'No such response.');
      const { text, problem } = normalizeComment(comment);
      if (problem) {
        // Keep what they typed: show the form again with the reason, store nothing.
        return c.html(await view(c, id, { commentError: problem, draft: comment.slice(0, 20_000) }), 422);
      }
      const saved = await submitComment(deps, id, field('form_token'), text, requestSignals(c.req.raw, deps.clientInfo(c)));
      if (saved.webhooksQueued) deliverSoon(deps, c);
      return c.redirect(`/t/${id}?saved=1`, 303);
    });
}
