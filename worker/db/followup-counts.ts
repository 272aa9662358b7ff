import type { Db } from './index';

/** How many follow-ups a member owns in a workspace that are not resolved (the menu's count). */
export async function countOpenFollowUpsOf(db: Db, workspaceId: string, personId: string): Promise<number> {
  const { rows } = await db.$client.execute({
    sql: "SELECT count(*) AS n FROM followups WHERE workspace_id = ? AND owner_person_id = ? AND status <> 'resolved'",
    args: [workspaceId, personId],
  });
  return Number(rows[0]?.n ?? 0);
}
