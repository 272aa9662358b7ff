import { scaleAnswers } from '../../schema/scales';
import { getSurvey } from '../db/surveys';
import { AppError } from '../lib/errors';
import { answerLabel } from '../lib/i18n';
import { mintLinkToken } from '../lib/link-token';
import type { ServiceDeps } from './deps';
import { assertNotSuppressed } from './privacy';
import { assertPublicRecipient } from './signature-links';
import type { z } from '@hono/zod-openapi';
import type { Links } from './schemas';

export interface MintLinksInput {
  surveyId: string;
  subject: string;
  recipient: string;
  agent?: string | null;
  /** Overrides LINK_TTL_DAYS for these links. */
  expiresInDays?: number;
}

/** The API's `Links` shape (`schemas.ts`). */
export type MintedLinks = z.infer<typeof Links>;

/**
 * Mints the links of one message: ONE token for the message, and one URL per answer with the
 * score as a path segment outside the token (`/r/<token>/<score>`).
 */
export async function mintLinks(deps: ServiceDeps, workspaceId: string, input: MintLinksInput): Promise<MintedLinks> {
  assertPublicRecipient(input.recipient);
  const survey = await getSurvey(deps.db, workspaceId, input.surveyId);
  if (!survey) throw new AppError('NOT_FOUND', 'No survey with this id in your workspace.');
  await assertNotSuppressed(deps, workspaceId, input.recipient);
  const days = input.expiresInDays ?? deps.config.linkTtlDays;
  const expiresAt = Math.floor(deps.clock().getTime() / 1000) + days * 86_400;
  const token = await mintLinkToken(deps.config.linkKeys, {
    workspaceId,
    surveyId: survey.id,
    scale: survey.scale,
    subject: input.subject,
    recipient: input.recipient,
    agent: input.agent ?? null,
    expiresAt,
  });
  const base = `${deps.config.publicUrl}/r/${token}`;
  return {
    survey: survey.id,
    expiresAt: new Date(expiresAt * 1000).toISOString(),
    links: scaleAnswers(survey.scale).map((score) => ({ score, label: answerLabel('en', survey.scale, score).text, url: `${base}/${score}` })),
  };
}
