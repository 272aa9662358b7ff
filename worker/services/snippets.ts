import { getSurvey } from '../db/surveys';
import { AppError } from '../lib/errors';
import { HELPDESK_PRESETS, type PresetName, type SnippetStyle } from '../lib/helpdesk-presets';
import { answerLabel, type Locale, isLocale, questionIn } from '../lib/i18n';
import { snippetHtml, snippetText } from '../lib/snippet-html';
import { SNIPPET_MESSAGES } from '../lib/snippet-i18n';
import type { ServiceDeps } from './deps';
import { signatureLinkUrls } from './signature-links';
import type { z } from '@hono/zod-openapi';
import type { Snippet as SnippetSchema } from './schemas';

export interface SnippetRequest {
  surveyId: string;
  preset: PresetName;
  style: SnippetStyle;
  /** Who the snippet belongs to: stored on the signature link and named in the note. */
  agent?: string | null;
  locale?: Locale;
}

/** The API's `Snippet` shape (`schemas.ts`). */
export type Snippet = z.infer<typeof SnippetSchema>;

/**
 * A snippet to paste into a signature, macro or template: the survey's question in `locale`, one
 * link per answer (the signature link of (survey, agent), with the preset's placeholders) and a
 * note naming the agent.
 */
export async function buildSnippet(deps: ServiceDeps, workspaceId: string, request: SnippetRequest): Promise<Snippet> {
  const survey = await getSurvey(deps.db, workspaceId, request.surveyId);
  if (!survey) throw new AppError('NOT_FOUND', 'No survey with this id in your workspace.');
  const preset = HELPDESK_PRESETS[request.preset];
  const locale: Locale = request.locale ?? (isLocale(survey.locale) ? survey.locale : 'en');
  const agent = request.agent ?? null;
  const { link, urls } = await signatureLinkUrls(deps, survey, agent, preset);
  const t = SNIPPET_MESSAGES[locale];
  const content = {
    locale,
    scale: link.scale,
    question: questionIn(locale, survey),
    note: agent ? t.agentAsks(agent) : t.oneClick,
    links: urls,
  };
  return {
    html: snippetHtml({ ...content, style: request.style, assetBase: deps.config.publicUrl }),
    text: snippetText({ ...content, choose: t.textChoose }),
    links: urls.map(({ score, url }) => ({ score, label: answerLabel(locale, link.scale, score).text, url })),
    signatureLink: link.id,
    preset: { name: preset.name, title: preset.title, pasteInto: preset.pasteInto, placeholders: preset.placeholders, source: preset.source },
  };
}
