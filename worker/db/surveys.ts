import { and, desc, eq } from 'drizzle-orm';
import { surveys } from '../../schema';
import type { Scale } from '../../schema/scales';
import { newId } from '../lib/ids';
import type { Db } from './index';

export type Survey = typeof surveys.$inferSelect;

export interface NewSurvey {
  name: string;
  scale: Scale;
  question: string;
  questionI18n: Record<string, string>;
  locale: string | null;
}

export async function insertSurvey(db: Db, workspaceId: string, input: NewSurvey, now: Date): Promise<Survey> {
  const survey: Survey = { id: newId('survey'), workspaceId, createdAt: now.getTime(), ...input };
  await db.insert(surveys).values(survey);
  return survey;
}

/** A survey of this workspace, or null (another workspace's id is simply not found). */
export async function getSurvey(db: Db, workspaceId: string, surveyId: string): Promise<Survey | null> {
  const [row] = await db
    .select()
    .from(surveys)
    .where(and(eq(surveys.id, surveyId), eq(surveys.workspaceId, workspaceId)))
    .limit(1);
  return row ?? null;
}

export async function listSurveys(db: Db, workspaceId: string): Promise<Survey[]> {
  return db.select().from(surveys).where(eq(surveys.workspaceId, workspaceId)).orderBy(desc(surveys.createdAt), desc(surveys.id));
}
