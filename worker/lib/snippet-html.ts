import { type Scale, sentimentOf } from '../../schema/scales';
import { FACE_OF_MARK } from './face-png';
import type { SnippetStyle } from './helpdesk-presets';
import { escapeHtml } from './html';
import { answerLabel, type Locale } from './i18n';

/**
 * The markup of snippets and of the answer row of survey emails. Written for the narrowest
 * renderers it will meet: signature editors (which keep attributes and inline styles but drop
 * `<style>`, classes and anything unknown) and Outlook's Word engine (tables, `bgcolor`, no flex,
 * grid, SVG or `data:` URIs). So: nested presentation tables, inline styles, HTML attributes.
 * Text colour is left to the client except on coloured cells, so dark modes can invert it.
 */

export interface AnswerLink {
  score: number;
  /** The link as the helpdesk will see it (placeholders verbatim). */
  url: string;
}

/** Number scales (NPS, CES) show numbers; face scales show faces. */
export function isNumericScale(locale: Locale, scale: Scale, firstScore: number): boolean {
  return answerLabel(locale, scale, firstScore).mark === String(firstScore);
}

/** Cell colours by sentiment: text contrast is at least 4.5:1 on each (WCAG 2.2 AA). */
const CELL_COLOURS = {
  negative: { bg: '#c5221f', fg: '#fff' },
  neutral: { bg: '#f9ab00', fg: '#1b1f24' },
  positive: { bg: '#137333', fg: '#fff' },
} as const;

/** `<td>` cells of the answers, for one `<tr>`. `assetBase` is where the face PNGs are served. */
export function answerCells(options: { locale: Locale; scale: Scale; style: SnippetStyle; links: AnswerLink[]; assetBase: string }): string {
  const { locale, scale, style, links, assetBase } = options;
  const numeric = isNumericScale(locale, scale, links[0]!.score);
  return links
    .map(({ score, url }) => {
      const label = answerLabel(locale, scale, score);
      const href = escapeHtml(url);
      const title = escapeHtml(label.text);
      if (numeric && style !== 'text') {
        const { bg, fg } = CELL_COLOURS[sentimentOf(scale, score)];
        // `bgcolor` alone: every client (Outlook's Word engine included) honours it, and eleven
        // repeated inline backgrounds would cost 300 characters of the 4,000 budget.
        return `<td bgcolor="${bg}" width="28" align="center" style="border-radius:4px"><a href="${href}" style="display:block;padding:6px 0;color:${fg};text-decoration:none"><b>${score}</b></a></td>`;
      }
      if (style === 'text') {
        // No link colour: a fixed blue is unreadable on dark backgrounds; the client's own link
        // colour follows its light or dark mode.
        return `<td style="padding:0 10px 0 0"><a href="${href}">${escapeHtml(numeric ? String(score) : label.text)}</a></td>`;
      }
      if (style === 'image') {
        const face = FACE_OF_MARK[label.mark];
        return `<td style="padding:0 6px 0 0"><a href="${href}" title="${title}"><img src="${escapeHtml(`${assetBase}/f/${face}.png`)}" width="36" height="36" alt="${escapeHtml(label.mark)}" style="display:block;border:0"></a></td>`;
      }
      return `<td style="padding:0 6px 0 0"><a href="${href}" title="${title}" style="font-size:28px;line-height:36px;text-decoration:none">${escapeHtml(label.mark)}</a></td>`;
    })
    .join('');
}

/** The answer row as a table of its own, with the meaning of both ends under number scales. */
export function answerTable(options: Parameters<typeof answerCells>[0]): string {
  const { locale, scale, style, links } = options;
  const numeric = isNumericScale(locale, scale, links[0]!.score);
  const spacing = numeric && style !== 'text' ? '3' : '0';
  const row = `<table role="presentation" cellpadding="0" cellspacing="${spacing}" border="0"><tr>${answerCells(options)}</tr></table>`;
  if (!numeric) return row;
  const first = answerLabel(locale, scale, links[0]!.score).text;
  const last = answerLabel(locale, scale, links.at(-1)!.score).text;
  return `${row}<div style="font-size:12px">${escapeHtml(first)} · ${escapeHtml(last)}</div>`;
}

export interface SnippetInput {
  locale: Locale;
  scale: Scale;
  style: SnippetStyle;
  question: string;
  /** The line under the answers (who asks, "one click is enough"). */
  note: string;
  links: AnswerLink[];
  assetBase: string;
}

/** A complete snippet: question, answers, note. */
export function snippetHtml(input: SnippetInput): string {
  return (
    `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:20px">` +
    `<tr><td style="padding:0 0 6px"><b>${escapeHtml(input.question)}</b></td></tr>` +
    `<tr><td>${answerTable(input)}</td></tr>` +
    `<tr><td style="padding:6px 0 0;font-size:12px">${escapeHtml(input.note)}</td></tr></table>`
  );
}

/** The plain-text version: the question and one line per answer. */
export function snippetText(input: Omit<SnippetInput, 'style' | 'assetBase'> & { choose: string }): string {
  const lines = input.links.map(({ score, url }) => {
    const label = answerLabel(input.locale, input.scale, score);
    return `${label.mark === String(score) ? label.text : `${label.mark} ${label.text}`}: ${url}`;
  });
  return [input.question, input.choose, ...lines, '', input.note].join('\n');
}
