import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import { surveys } from '../../schema';
import type { Scale } from '../../schema/scales';
import { stringField } from '../lib/fields';
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

/** Longest survey name and question (in each language). */
export const SURVEY_NAME_MAX = 200;
export const SURVEY_QUESTION_MAX = 500;

/**
 * Stores a survey. Its text reaches pages, snippets and emails, so it is checked here, where every
 * caller (API, CLI) stores it: one line each, within the lengths (VALIDATION_FAILED otherwise).
 */
/** The question and its translations, each one line within SURVEY_QUESTION_MAX (VALIDATION_FAILED otherwise). */
function checkedQuestion(input: Pick<NewSurvey, 'question' | 'questionI18n'>): Pick<NewSurvey, 'question' | 'questionI18n'> {
  return {
    question: stringField({ question: input.question }, 'question', SURVEY_QUESTION_MAX, true),
    questionI18n: Object.fromEntries(Object.keys(input.questionI18n).map((lang) => [lang, stringField(input.questionI18n, lang, SURVEY_QUESTION_MAX, true)])),
  };
}

export async function insertSurvey(db: Db, workspaceId: string, input: NewSurvey, now: Date): Promise<Survey> {
  const survey: Survey = {
    id: newId('survey'),
    workspaceId,
    createdAt: now.getTime(),
    archivedAt: null,
    followUps: 'negative',
    reviewUrl: null,
    defaultOwnerPersonId: null,
    followUpPriorities: null,
    ...input,
    name: stringField({ name: input.name }, 'name', SURVEY_NAME_MAX, true),
    ...checkedQuestion(input),
  };
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

/**
 * Changes a survey's question and translations, checked as `insertSurvey` checks them. Returns
 * the survey as stored, or null when this workspace has no such survey.
 */
export async function updateSurveyQuestion(db: Db, workspaceId: string, surveyId: string, input: Pick<NewSurvey, 'question' | 'questionI18n'>): Promise<Survey | null> {
  const [row] = await db
    .update(surveys)
    .set(checkedQuestion(input))
    .where(and(eq(surveys.id, surveyId), eq(surveys.workspaceId, workspaceId)))
    .returning();
  return row ?? null;
}

/**
 * Archives (at `now`) or reopens (`now` null) a survey. Archiving twice keeps the first time.
 * Returns the survey as stored, or null when this workspace has no such survey.
 */
export async function setSurveyArchived(db: Db, workspaceId: string, surveyId: string, now: Date | null): Promise<Survey | null> {
  const [row] = await db
    .update(surveys)
    .set({ archivedAt: now ? sql`coalesce(${surveys.archivedAt}, ${now.getTime()})` : null })
    .where(and(eq(surveys.id, surveyId), eq(surveys.workspaceId, workspaceId)))
    .returning();
  return row ?? null;
}

/** Whether a survey exists and is archived: asked only after a vote wrote nothing, to say "closed" rather than "not found". */
export async function isSurveyArchived(db: Db, surveyId: string): Promise<boolean> {
  const [row] = await db.select({ id: surveys.id }).from(surveys).where(and(eq(surveys.id, surveyId), isNotNull(surveys.archivedAt))).limit(1);
  return row !== undefined;
}

/** The follow-up settings of a survey (issue 16), as `services/followups.ts` checked them. */
export interface SurveyFollowUpSettings {
  followUps?: Survey['followUps'];
  reviewUrl?: string | null;
  defaultOwnerPersonId?: string | null;
  followUpPriorities?: Survey['followUpPriorities'];
}

/** Changes a survey's follow-up settings; returns the survey as stored, or null when this workspace has no such survey. */
export async function updateSurveyFollowUpSettings(db: Db, workspaceId: string, surveyId: string, settings: SurveyFollowUpSettings): Promise<Survey | null> {
  const set = Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
  if (!Object.keys(set).length) return getSurvey(db, workspaceId, surveyId);
  const [row] = await db
    .update(surveys)
    .set(set)
    .where(and(eq(surveys.id, surveyId), eq(surveys.workspaceId, workspaceId)))
    .returning();
  return row ?? null;
}
