import { scaleAnswers, type Scale } from '../../schema/scales';
import { type ContactView, contactForm } from './contact-form';
import { escapeHtml } from '../lib/html';
import { answerLabel, type Locale, MESSAGES } from '../lib/i18n';
import { layout } from './layout';

export const COMMENT_MAX_LENGTH = 2000;

export interface ThankYouView {
  locale: Locale;
  responseId: string;
  question: string;
  scale: Scale;
  score: number;
  comment: string | null;
  formToken: string;
  /**
   * When the answer shown waits for a sign of a person: the click to confirm and its token. The
   * page then asks for confirmation, with a plain button (no JavaScript needed) and PAGE_SCRIPT.
   */
  confirm?: { eventId: string; token: string };
  /** A confirmation to show (after a comment was stored, or the answer confirmed without JavaScript). */
  notice?: 'commentSaved' | 'confirmed';
  /** A problem with the comment just submitted, shown next to the form with the text kept. */
  commentError?: 'commentEmpty' | 'commentTooLong';
  /** The text to put back in the box after an error. */
  draft?: string;
  /** After an anonymous signature-link vote: the optional email or ticket number form. */
  contact?: ContactView;
  /**
   * The survey names a review page: invite to a public review. Whether to show it depends on the
   * survey alone, never on the answer (review gating is forbidden), so it takes no score.
   */
  review?: boolean;
}

/**
 * The invitation to a public review: a form to `/t/:id/review` (a POST with the page's form token,
 * so link scanners, which follow links but submit no forms, count no clicks).
 */
function reviewInvitation(locale: Locale, base: string, formToken: string): string {
  const t = MESSAGES[locale];
  return `<form method="post" action="${base}/review" class="review">
<input type="hidden" name="form_token" value="${escapeHtml(formToken)}">
<p>${escapeHtml(t.reviewInvite)}</p><button type="submit">${escapeHtml(t.reviewButton)}</button>
</form>`;
}

/**
 * The page after a click: the question, the answer given (highlighted), every other answer as a
 * plain link to change it, and a comment form. Works without JavaScript; no external requests.
 */
export function renderThankYouPage(view: ThankYouView): string {
  const t = MESSAGES[view.locale];
  const base = `/t/${encodeURIComponent(view.responseId)}`;
  const scores = scaleAnswers(view.scale);
  // Number scales (NPS, CES) show bare numbers with the meaning of both ends underneath;
  // face scales show each face with its word.
  const numeric = answerLabel(view.locale, view.scale, scores[0]!).mark === String(scores[0]);
  const answers = scores
    .map((score) => {
      const label = answerLabel(view.locale, view.scale, score);
      const inner = `<span class="m" aria-hidden="true">${escapeHtml(label.mark)}</span>${numeric ? '' : `<span class="t">${escapeHtml(label.text)}</span>`}`;
      if (score === view.score) {
        return `<li><span aria-current="true" title="${escapeHtml(label.text)}">${inner}<span class="sr">${escapeHtml(label.text)} (${escapeHtml(t.yourAnswer)})</span></span></li>`;
      }
      return `<li><a href="${base}/answer/${score}" rel="nofollow" title="${escapeHtml(label.text)}" aria-label="${escapeHtml(label.text)}">${inner}</a></li>`;
    })
    .join('');
  const chosen = answerLabel(view.locale, view.scale, view.score);
  const chosenText = numeric ? chosen.text : `${chosen.mark} ${chosen.text}`;
  const legend = numeric
    ? `<p class="muted legend" aria-hidden="true"><span>${escapeHtml(answerLabel(view.locale, view.scale, scores[0]!).text)}</span><span>${escapeHtml(answerLabel(view.locale, view.scale, scores.at(-1)!).text)}</span></p>`
    : '';
  const notice = view.notice ? `<p class="ok" role="status">${escapeHtml(t[view.notice])}</p>` : '';
  const error = view.commentError ? `<p class="err" role="alert" id="comment-error">${escapeHtml(t[view.commentError])}</p>` : '';
  const text = view.draft ?? view.comment ?? '';
  const confirm = view.confirm
    ? `<form method="post" action="${base}/confirm" id="cf" class="ok">
<input type="hidden" name="form_token" value="${escapeHtml(view.confirm.token)}"><input type="hidden" name="event" value="${escapeHtml(view.confirm.eventId)}">
<p>${escapeHtml(t.confirmPrompt)}</p><button type="submit" name="via" value="button">${escapeHtml(t.confirmButton)}</button>
</form>`
    : '';
  const body = `<div class="card">
<h1>${escapeHtml(t.thanksTitle)}</h1>
${confirm || `<p>${escapeHtml(t.recorded)}</p>`}
<p class="q">${escapeHtml(view.question)}</p>
<p>${escapeHtml(t.yourAnswer)}: <strong>${escapeHtml(chosenText)}</strong></p>
<p class="muted" id="change-hint">${escapeHtml(t.changeAnswer)}</p>
<nav aria-labelledby="change-hint"><ul class="answers">${answers}</ul>${legend}</nav>
${notice}
<form method="post" action="${base}/comment" accept-charset="utf-8">
<input type="hidden" name="form_token" value="${escapeHtml(view.formToken)}">
<label for="comment">${escapeHtml(t.commentLabel)}</label>
<textarea id="comment" name="comment" maxlength="${COMMENT_MAX_LENGTH}" aria-describedby="comment-hint${view.commentError ? ' comment-error' : ''}"${view.commentError ? ' aria-invalid="true"' : ''}>${escapeHtml(text)}</textarea>
<p class="muted" id="comment-hint">${escapeHtml(t.commentHint)}</p>
${error}<button type="submit">${escapeHtml(view.comment ? t.commentUpdate : t.commentSend)}</button>
</form>
${view.contact ? contactForm(view.locale, view.responseId, view.formToken, view.contact) : ''}
${view.review ? reviewInvitation(view.locale, base, view.formToken) : ''}
<form method="post" action="${base}/delete">
<input type="hidden" name="form_token" value="${escapeHtml(view.formToken)}">
<p class="muted">${escapeHtml(t.deleteOffer)}</p><button type="submit">${escapeHtml(t.deleteButton)}</button>
</form>
<p class="muted">${escapeHtml(t.footer)}</p>
</div>`;
  return layout(view.locale, t.thanksTitle, body, { script: Boolean(view.confirm) });
}

/**
 * The page after a click whose vote waits on the queue (the database could not be reached): the
 * answer given, from the link itself, and an honest word that it will appear shortly. No question
 * (it lives in the database), no links to change the answer and no comment form: there is no
 * response to attach them to yet, and a form that cannot be saved would lose what was typed.
 */
export function renderQueuedThankYouPage(locale: Locale, answer: { scale: Scale; score: number } | null): string {
  const t = MESSAGES[locale];
  // A signature link does not say its scale: its answer can only be named once the link is read.
  const chosen = answer && answerLabel(locale, answer.scale, answer.score);
  const shown = chosen ? (chosen.mark === String(answer!.score) ? chosen.text : `${chosen.mark} ${chosen.text}`) : null;
  const body = `<div class="card">
<h1>${escapeHtml(t.thanksTitle)}</h1>
<p role="status">${escapeHtml(t.queued)}</p>
${shown ? `<p>${escapeHtml(t.yourAnswer)}: <strong>${escapeHtml(shown)}</strong></p>` : ''}
<p class="muted">${escapeHtml(t.queuedLater)}</p>
<p class="muted">${escapeHtml(t.footer)}</p>
</div>`;
  return layout(locale, t.thanksTitle, body);
}

/**
 * The page after a signature-link click refused by its source's daily cap (nothing was recorded):
 * a plain thanks, the same for a person and a script, with nothing to change or confirm.
 */
export function renderThanksOnlyPage(locale: Locale): string {
  const t = MESSAGES[locale];
  return layout(locale, t.thanksTitle, `<div class="card"><h1>${escapeHtml(t.thanksTitle)}</h1><p class="muted">${escapeHtml(t.footer)}</p></div>`);
}

/**
 * The confirmation step of "Delete my answer" (GOV.UK style: one question, one button, a way
 * back). Its token (purpose `delete`) is what the deletion needs: the first post alone deletes
 * nothing. `refused`: the last confirmation came from a robot, so nothing was deleted.
 */
export function renderDeleteConfirmPage(locale: Locale, responseId: string, token: string, refused = false): string {
  const t = MESSAGES[locale];
  const base = `/t/${encodeURIComponent(responseId)}`;
  const body = `<div class="card">
<h1>${escapeHtml(t.deleteTitle)}</h1>
${refused ? `<p class="err" role="alert">${escapeHtml(t.deleteRefused)}</p>` : ''}
<p>${escapeHtml(t.deleteWarning)}</p>
<form method="post" action="${base}/delete/confirm">
<input type="hidden" name="form_token" value="${escapeHtml(token)}">
<button type="submit">${escapeHtml(t.deleteConfirm)}</button>
</form>
<p><a href="${base}">${escapeHtml(t.deleteCancel)}</a></p>
</div>`;
  return layout(locale, t.deleteTitle, body);
}

/** After "Delete my answer": says it is done; shows nothing of what was deleted. */
export function renderDeletedPage(locale: Locale): string {
  const t = MESSAGES[locale];
  return layout(locale, t.deletedTitle, `<div class="card"><h1>${escapeHtml(t.deletedTitle)}</h1><p class="ok" role="status">${escapeHtml(t.deletedBody)}</p></div>`);
}
