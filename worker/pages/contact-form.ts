import { escapeHtml } from '../lib/html';
import type { Locale } from '../lib/i18n';
import { SNIPPET_MESSAGES } from '../lib/snippet-i18n';

/** What the thank-you page shows after an anonymous signature-link vote. */
export interface ContactView {
  /** The contact was just stored. */
  saved?: boolean;
  /** What was typed could not be used (the text is kept in the box). */
  invalid?: string;
}

/**
 * The optional "your email or ticket number" form under the comment form, for votes that came
 * from a signature link without any identity. Posts with the page's form token.
 */
export function contactForm(locale: Locale, responseId: string, formToken: string, view: ContactView): string {
  const t = SNIPPET_MESSAGES[locale];
  if (view.saved) return `<p class="ok" role="status">${escapeHtml(t.contactSaved)}</p>`;
  const error = view.invalid !== undefined ? `<p class="err" role="alert" id="contact-error">${escapeHtml(t.contactInvalid)}</p>` : '';
  return `<form method="post" action="/t/${encodeURIComponent(responseId)}/contact" accept-charset="utf-8">
<input type="hidden" name="form_token" value="${escapeHtml(formToken)}">
<label for="contact">${escapeHtml(t.contactLabel)}</label>
<input id="contact" name="contact" type="text" maxlength="320" autocomplete="email" value="${escapeHtml(view.invalid ?? '')}" aria-describedby="contact-hint${error ? ' contact-error' : ''}">
<p class="muted" id="contact-hint">${escapeHtml(t.contactHint)}</p>
${error}<button type="submit">${escapeHtml(t.contactSend)}</button>
</form>`;
}
