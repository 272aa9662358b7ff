import { getSurvey } from '../db/surveys';
import { EMAIL_TEMPLATES } from '../generated/emails';
import { AppError } from '../lib/errors';
import { LINE_BREAKING } from '../lib/fields';
import type { SnippetStyle } from '../lib/helpdesk-presets';
import { escapeHtml } from '../lib/html';
import { answerLabel, isLocale, type Locale, questionIn } from '../lib/i18n';
import { answerTable } from '../lib/snippet-html';
import { SNIPPET_MESSAGES } from '../lib/snippet-i18n';
import type { ServiceDeps } from './deps';
import { mintLinks } from './links';
import { assertPublicRecipient } from './signature-links';
import type { z } from '@hono/zod-openapi';
import type { RenderedEmail as RenderedEmailSchema } from './schemas';

export interface RenderEmailInput {
  surveyId: string;
  /** What the feedback is about (the ticket ref) and who answers: go into the per-message links. */
  subject: string;
  recipient: string;
  agent?: string | null;
  /** Segment properties kept with the response (issue 15). */
  properties?: Record<string, string> | null;
  /** A preview: the message is not counted as sent. */
  preview?: boolean;
  locale?: Locale;
  style?: SnippetStyle;
  /** The workspace's colour (`#rrggbb`) and an https logo URL. */
  brand?: { color?: string; logoUrl?: string };
}

/** The API's `RenderedEmail` shape (`schemas.ts`). */
export type RenderedEmail = z.infer<typeof RenderedEmailSchema>;

export const DEFAULT_BRAND_COLOR = '#0b57d0';
const BRAND_SENTINEL = /#010203/g;
const ON_BRAND_SENTINEL = /#040506/g;

/** Black or white, whichever reads better on `hex` (WCAG 2.2 relative luminance). */
export function textColorOn(hex: string): string {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + i * 2, 3 + i * 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
  // Contrast with white is 1.05/(L+0.05), with near-black (#1b1f24, L≈0.014) (L+0.05)/0.064.
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.064 ? '#ffffff' : '#1b1f24';
}

/** Text for a one-line email header: every control or line-breaking character becomes a space. */
export function headerText(text: string): string {
  return text.replace(new RegExp(LINE_BREAKING.source, 'g'), ' ').replace(/ {2,}/g, ' ').trim();
}

/**
 * The "How did we do?" email of one message: per-message links (recipient and ticket inside the
 * encrypted token), the compiled MJML template filled with escaped, localized text.
 */
export async function renderSurveyEmail(deps: ServiceDeps, workspace: { id: string; name: string }, input: RenderEmailInput): Promise<RenderedEmail> {
  // Before the survey lookup: a bad field is a 400 whether or not the survey exists.
  assertPublicRecipient(input.recipient);
  const workspaceId = workspace.id;
  const survey = await getSurvey(deps.db, workspaceId, input.surveyId);
  if (!survey) throw new AppError('NOT_FOUND', 'No survey with this id in your workspace.');
  const locale: Locale = input.locale ?? (isLocale(survey.locale) ? survey.locale : 'en');
  const minted = await mintLinks(deps, workspaceId, {
    surveyId: survey.id,
    subject: input.subject,
    recipient: input.recipient,
    agent: input.agent ?? null,
    properties: input.properties ?? undefined,
    preview: input.preview,
  });
  const t = SNIPPET_MESSAGES[locale];
  const name = workspace.name;
  // Defence in depth: names are validated as one line where they are stored, but an older row or
  // a future path must still not put a line break (a new header) into the subject.
  const subject = t.emailSubject(headerText(name));
  const question = questionIn(locale, survey);
  const color = input.brand?.color ?? DEFAULT_BRAND_COLOR;
  const links = minted.links.map(({ score, url }) => ({ score, url }));
  const values: Record<string, string> = {
    LANG: locale,
    SUBJECT: escapeHtml(subject),
    INTRO: escapeHtml(t.emailIntro),
    WORKSPACE: escapeHtml(name),
    LOGO_URL: escapeHtml(input.brand?.logoUrl ?? ''),
    QUESTION: escapeHtml(question),
    SCALE_ROW: answerTable({ locale, scale: survey.scale, style: input.style ?? 'emoji', links, assetBase: deps.config.publicUrl }),
    OUTRO: escapeHtml(t.emailOutro),
    WHY: escapeHtml(t.emailWhy(name, input.subject)),
  };
  let html: string = EMAIL_TEMPLATES.survey;
  if (!input.brand?.logoUrl) html = html.replace(/<!--logo-->[\s\S]*?<!--\/logo-->/g, '');
  // One pass, so text that happens to contain @@…@@ is never filled in again.
  html = html
    .replace(/@@([A-Z_]+)@@/g, (match, key: string) => values[key] ?? match)
    .replace(BRAND_SENTINEL, color)
    .replace(ON_BRAND_SENTINEL, textColorOn(color));
  const text = [
    t.emailIntro,
    '',
    question,
    t.textChoose,
    ...minted.links.map(({ score, url }) => {
      const label = answerLabel(locale, survey.scale, score);
      return `${label.mark === String(score) ? label.text : `${label.mark} ${label.text}`}: ${url}`;
    }),
    '',
    t.emailOutro,
    '',
    '--',
    t.emailWhy(name, input.subject),
  ].join('\n');
  return {
    subject,
    html,
    text,
    links: minted.links.map(({ score, url }) => ({ score, label: answerLabel(locale, survey.scale, score).text, url })),
    expiresAt: minted.expiresAt,
  };
}
