import { count, eq } from 'drizzle-orm';
import { reviewClicks } from '../../schema';
import type { Db } from './index';

/** Counts a respondent's click on the review invitation: once per response (later clicks are ignored). */
export async function recordReviewClick(db: Db, click: { responseId: string; workspaceId: string; surveyId: string }, now: Date): Promise<void> {
  await db
    .insert(reviewClicks)
    .values({ ...click, at: now.getTime() })
    .onConflictDoNothing();
}

/** Review clicks per survey of a workspace (surveys without any are absent). */
export async function reviewClickCounts(db: Db, workspaceId: string): Promise<Map<string, number>> {
  const rows = await db.select({ surveyId: reviewClicks.surveyId, n: count() }).from(reviewClicks).where(eq(reviewClicks.workspaceId, workspaceId)).groupBy(reviewClicks.surveyId);
  return new Map(rows.map((r) => [r.surveyId, r.n]));
}
