import { scaleAnswers } from '../../schema/scales';
import { getSurvey } from '../db/surveys';
import { AppError } from '../lib/errors';
import { answerLabel } from '../lib/i18n';
import { mintLinkToken } from '../lib/link-token';
import type { InStatement } from '@libsql/client';
import type { ServiceDeps } from './deps';
import { assertNotSuppressed } from './privacy';
import { checkStoredSet, linkPropertiesId, linkPropertiesStatements, parseLinkProperties } from './link-properties';
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
  /** Segment properties kept with the response (`link-properties.ts`); checked here. */
  properties?: unknown;
  /**
   * A preview (the team app's snippet page): the links work, but no message is counted as sent.
   * Every other mint is a message sent, for its survey's response rate.
   */
  preview?: boolean;
}

/** The API's `Links` shape (`schemas.ts`). */
export type MintedLinks = z.infer<typeof Links>;

/**
 * Mints the links of one message: ONE token for the message, and one URL per answer with the
 * score as a path segment outside the token (`/r/<token>/<score>`). One write records what the
 * links need and the send: the properties set (once per distinct set) and the message counted as
 * sent for its survey, minute, agent and set (`reports_sends`, for reports' response rate).
 */
export async function mintLinks(deps: ServiceDeps, workspaceId: string, input: MintLinksInput): Promise<MintedLinks> {
  assertPublicRecipient(input.recipient);
  const properties = parseLinkProperties(input.properties);
  const survey = await getSurvey(deps.db, workspaceId, input.surveyId);
  if (!survey) throw new AppError('NOT_FOUND', 'No survey with this id in your workspace.');
  await assertNotSuppressed(deps, workspaceId, input.recipient);
  const now = deps.clock().getTime();
  const propertiesId = properties ? await linkPropertiesId(workspaceId, properties) : null;
  const propertyStatements = properties && propertiesId ? linkPropertiesStatements(propertiesId, workspaceId, properties, now) : [];
  const writes: InStatement[] = [...propertyStatements];
  if (!input.preview) {
    writes.push({
      sql: 'INSERT INTO reports_sends (survey_id, minute, agent, properties_id, n) VALUES (?, ?, ?, ?, 1) ON CONFLICT DO UPDATE SET n = n + 1',
      args: [survey.id, Math.floor(now / 60_000), input.agent ?? '', propertiesId ?? ''],
    });
  }
  if (writes.length) {
    const results = await deps.db.$client.batch(writes, 'write');
    // The set's statements end with the read of what is stored under its id.
    if (properties) checkStoredSet(results[propertyStatements.length - 1]?.rows[0], workspaceId, properties);
  }
  const days = input.expiresInDays ?? deps.config.linkTtlDays;
  const expiresAt = Math.floor(now / 1000) + days * 86_400;
  const token = await mintLinkToken(deps.config.linkKeys, {
    workspaceId,
    surveyId: survey.id,
    scale: survey.scale,
    subject: input.subject,
    recipient: input.recipient,
    agent: input.agent ?? null,
    expiresAt,
    propertiesId,
  });
  const base = `${deps.config.publicUrl}/r/${token}`;
  return {
    survey: survey.id,
    expiresAt: new Date(expiresAt * 1000).toISOString(),
    links: scaleAnswers(survey.scale).map((score) => ({ score, label: answerLabel('en', survey.scale, score).text, url: `${base}/${score}` })),
  };
}
