import { and, asc, desc, eq, isNull, lt } from 'drizzle-orm';
import { responseContacts, responses, signatureLinks, signatureVoteCounts, surveys } from '../../schema';
import { newId } from '../lib/ids';
import type { Db } from './index';
import type { Survey } from './surveys';

export type SignatureLink = typeof signatureLinks.$inferSelect;

/**
 * The enabled signature link of (survey, agent), created when there is none: a snippet asked for
 * twice gives the same URLs, so re-pasting a signature does not split its votes.
 */
export async function findOrCreateSignatureLink(db: Db, survey: Survey, agent: string | null, now: Date): Promise<SignatureLink> {
  const where = and(
    eq(signatureLinks.workspaceId, survey.workspaceId),
    eq(signatureLinks.surveyId, survey.id),
    agent === null ? isNull(signatureLinks.agent) : eq(signatureLinks.agent, agent),
    isNull(signatureLinks.disabledAt),
  );
  const [existing] = await db.select().from(signatureLinks).where(where).limit(1);
  if (existing) return existing;
  const row: SignatureLink = {
    id: newId('signatureLink'),
    workspaceId: survey.workspaceId,
    surveyId: survey.id,
    agent,
    scale: survey.scale,
    createdAt: now.getTime(),
    disabledAt: null,
  };
  await db.insert(signatureLinks).values(row);
  return row;
}

/** A signature link with its survey, by id (the id came from a verified token). */
export async function getSignatureLinkWithSurvey(db: Db, id: string): Promise<{ link: SignatureLink; survey: Survey } | null> {
  const [row] = await db
    .select({ link: signatureLinks, survey: surveys })
    .from(signatureLinks)
    .innerJoin(surveys, eq(surveys.id, signatureLinks.surveyId))
    .where(eq(signatureLinks.id, id))
    .limit(1);
  return row ?? null;
}

/** Revokes a signature link of this workspace; false when there is no such link. */
export async function disableSignatureLink(db: Db, workspaceId: string, id: string, now: Date): Promise<boolean> {
  const result = await db
    .update(signatureLinks)
    .set({ disabledAt: now.getTime() })
    .where(and(eq(signatureLinks.id, id), eq(signatureLinks.workspaceId, workspaceId), isNull(signatureLinks.disabledAt)));
  return result.rowsAffected > 0;
}

/** Stores (or replaces) what an anonymous voter told us about themselves. */
export async function saveResponseContact(db: Db, contact: typeof responseContacts.$inferInsert): Promise<void> {
  await db
    .insert(responseContacts)
    .values(contact)
    .onConflictDoUpdate({ target: responseContacts.responseId, set: { email: contact.email, ticket: contact.ticket, createdAt: contact.createdAt } });
}

/** The self-reported contact of a response of this workspace, or null. */
export async function getResponseContact(db: Db, workspaceId: string, responseId: string) {
  const [row] = await db
    .select()
    .from(responseContacts)
    .where(and(eq(responseContacts.responseId, responseId), eq(responseContacts.workspaceId, workspaceId)))
    .limit(1);
  return row ?? null;
}

/** The workspace and recipient of a response (enough to tell an anonymous signature vote). */
export async function getResponseOwner(db: Db, responseId: string): Promise<{ workspaceId: string; recipient: string } | null> {
  const [row] = await db.select({ workspaceId: responses.workspaceId, recipient: responses.recipient }).from(responses).where(eq(responses.id, responseId)).limit(1);
  return row ?? null;
}

/** Deletes the per-source vote counters of UTC days before `beforeDay` (by the day index); returns how many. */
export async function deleteVoteCountsBefore(db: Db, beforeDay: number): Promise<number> {
  const result = await db.delete(signatureVoteCounts).where(lt(signatureVoteCounts.day, beforeDay));
  return result.rowsAffected;
}

export type VoteCount = typeof signatureVoteCounts.$inferSelect;

/** A signature link's per-source counters, newest day first (by the primary key). */
export async function listVoteCounts(db: Db, linkId: string): Promise<VoteCount[]> {
  return db.select().from(signatureVoteCounts).where(eq(signatureVoteCounts.linkId, linkId)).orderBy(desc(signatureVoteCounts.day), asc(signatureVoteCounts.source));
}

/** A signature link of this workspace (enabled or not), or null. */
export async function getSignatureLink(db: Db, workspaceId: string, id: string): Promise<SignatureLink | null> {
  const [row] = await db.select().from(signatureLinks).where(and(eq(signatureLinks.id, id), eq(signatureLinks.workspaceId, workspaceId))).limit(1);
  return row ?? null;
}
