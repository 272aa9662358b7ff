import { and, asc, eq, gt, lte, ne, sql } from 'drizzle-orm';
import { invitations, memberships, people, responses, sessions, signatureLinks, signInAttempts, surveys, webhookEndpoints, workspaces, type Role } from '../../schema';
import type { Db } from './index';

export type Person = typeof people.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type Invitation = typeof invitations.$inferSelect;

/** A person's account by (lower-cased) email, or null. */
export async function findPersonByEmail(db: Db, email: string): Promise<Person | null> {
  const [row] = await db.select().from(people).where(eq(people.email, email)).limit(1);
  return row ?? null;
}

/** Whether any account exists (the Node start prints a setup link while none does); reads one row at most. */
export async function hasPeople(db: Db): Promise<boolean> {
  const rows = await db.select({ id: people.id }).from(people).limit(1);
  return rows.length > 0;
}

export async function findPerson(db: Db, personId: string): Promise<Person | null> {
  const [row] = await db.select().from(people).where(eq(people.id, personId)).limit(1);
  return row ?? null;
}

/** One membership of a workspace with the person's name and email, or null (also for another workspace's person). */
export async function findMember(db: Db, workspaceId: string, personId: string) {
  const [row] = await db
    .select({ personId: memberships.personId, role: memberships.role, name: people.name, email: people.email, createdAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(people, eq(people.id, memberships.personId))
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.personId, personId)))
    .limit(1);
  return row ?? null;
}

export type Member = NonNullable<Awaited<ReturnType<typeof findMember>>>;

/** A workspace's members, owners first, then by name. */
export async function listMembers(db: Db, workspaceId: string): Promise<Member[]> {
  return db
    .select({ personId: memberships.personId, role: memberships.role, name: people.name, email: people.email, createdAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(people, eq(people.id, memberships.personId))
    .where(eq(memberships.workspaceId, workspaceId))
    .orderBy(sql`case ${memberships.role} when 'owner' then 0 when 'admin' then 1 else 2 end`, asc(people.name));
}

/** The workspaces a person belongs to, with their role, by name. */
export async function listPersonWorkspaces(db: Db, personId: string) {
  return db
    .select({ id: workspaces.id, name: workspaces.name, role: memberships.role })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(eq(memberships.personId, personId))
    .orderBy(asc(workspaces.name));
}

export async function countOwners(db: Db, workspaceId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)` })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.role, 'owner')));
  return Number(row?.n ?? 0);
}

/**
 * Changes a member's role unless that would leave the workspace without an owner: the check and
 * the change are one statement, so two owners demoting each other at once cannot both succeed.
 */
export async function setRole(db: Db, workspaceId: string, personId: string, role: Role): Promise<boolean> {
  const result = await db.run(sql`UPDATE memberships SET role = ${role}
    WHERE workspace_id = ${workspaceId} AND person_id = ${personId}
      AND (${role} = 'owner' OR role <> 'owner' OR (SELECT count(*) FROM memberships WHERE workspace_id = ${workspaceId} AND role = 'owner') > 1)`);
  return result.rowsAffected > 0;
}

/** Removes a membership (and that person's sessions in the workspace) unless it is the last owner's; one atomic batch. */
export async function removeMembership(db: Db, workspaceId: string, personId: string): Promise<boolean> {
  const [removed] = await db.batch([
    db.run(sql`DELETE FROM memberships WHERE workspace_id = ${workspaceId} AND person_id = ${personId}
      AND (role <> 'owner' OR (SELECT count(*) FROM memberships WHERE workspace_id = ${workspaceId} AND role = 'owner') > 1)`),
    // Only when the membership went: changes() is the DELETE's count.
    db.run(sql`DELETE FROM sessions WHERE person_id = ${personId} AND workspace_id = ${workspaceId} AND changes() > 0`),
  ]);
  return removed.rowsAffected > 0;
}

export async function updatePerson(db: Db, personId: string, fields: Partial<Pick<Person, 'name' | 'locale'>>): Promise<void> {
  await db.update(people).set(fields).where(eq(people.id, personId));
}

/** A new password, and every other session of the person ends, in one batch. */
export async function changePasswordHash(db: Db, personId: string, passwordHash: string, keepSessionId: string): Promise<void> {
  await db.batch([
    db.update(people).set({ passwordHash }).where(eq(people.id, personId)),
    db.delete(sessions).where(and(eq(sessions.personId, personId), ne(sessions.id, keepSessionId))),
  ]);
}

// Sessions

export async function insertSession(db: Db, row: SessionRow): Promise<void> {
  await db.insert(sessions).values(row);
}

/** The live session with this id (the token's hash), its person and role in its current workspace. */
export async function findSession(db: Db, id: string, now: number) {
  const [row] = await db
    .select({ session: sessions, person: people, role: memberships.role, workspaceName: workspaces.name })
    .from(sessions)
    .innerJoin(people, eq(people.id, sessions.personId))
    .innerJoin(workspaces, eq(workspaces.id, sessions.workspaceId))
    .leftJoin(memberships, and(eq(memberships.personId, sessions.personId), eq(memberships.workspaceId, sessions.workspaceId)))
    .where(and(eq(sessions.id, id), gt(sessions.expiresAt, now)))
    .limit(1);
  return row ?? null;
}

export async function touchSession(db: Db, id: string, now: number, expiresAt: number): Promise<void> {
  await db.update(sessions).set({ lastSeenAt: now, expiresAt }).where(eq(sessions.id, id));
}

export async function setSessionWorkspace(db: Db, id: string, workspaceId: string): Promise<void> {
  await db.update(sessions).set({ workspaceId }).where(eq(sessions.id, id));
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, id));
}

/** Ends one of the person's sessions; false when the person has no such session. */
export async function deletePersonSession(db: Db, personId: string, id: string): Promise<boolean> {
  const result = await db.delete(sessions).where(and(eq(sessions.id, id), eq(sessions.personId, personId)));
  return result.rowsAffected > 0;
}

export async function deleteOtherSessions(db: Db, personId: string, keepId: string): Promise<number> {
  const result = await db.delete(sessions).where(and(eq(sessions.personId, personId), ne(sessions.id, keepId)));
  return result.rowsAffected;
}

/** The person's live sessions, most recently used first. */
export async function listSessions(db: Db, personId: string, now: number): Promise<SessionRow[]> {
  return db
    .select()
    .from(sessions)
    .where(and(eq(sessions.personId, personId), gt(sessions.expiresAt, now)))
    .orderBy(sql`${sessions.lastSeenAt} desc`);
}

// Invitations and setup links

export async function insertInvitation(db: Db, row: Invitation): Promise<void> {
  await db.insert(invitations).values(row);
}

export async function findInvitation(db: Db, id: string): Promise<(Invitation & { workspaceName: string }) | null> {
  const [row] = await db
    .select({ invitation: invitations, workspaceName: workspaces.name })
    .from(invitations)
    .innerJoin(workspaces, eq(workspaces.id, invitations.workspaceId))
    .where(eq(invitations.id, id))
    .limit(1);
  return row ? { ...row.invitation, workspaceName: row.workspaceName } : null;
}

/**
 * Uses an invitation and, in the same atomic batch, creates what it grants: the person (when new),
 * the membership and a session. Each insert runs only if the statement before it changed a row
 * (`changes()`), starting from the claim of the still-unused, unexpired invitation: a link used
 * twice at once signs in one browser, and nothing is half-written.
 * @returns false when the invitation was used or expired in the meantime.
 */
export async function acceptInvitation(
  db: Db,
  input: { invitationId: string; now: number; newPerson: Person | null; personId: string; workspaceId: string; role: Role; session: SessionRow },
): Promise<boolean> {
  const { now, newPerson: p, session: s } = input;
  const statements = [db.run(sql`UPDATE invitations SET used_at = ${now} WHERE id = ${input.invitationId} AND used_at IS NULL AND expires_at > ${now}`)];
  if (p) {
    statements.push(
      db.run(sql`INSERT INTO people (id, email, name, password_hash, locale, created_at) SELECT ${p.id}, ${p.email}, ${p.name}, ${p.passwordHash}, ${p.locale}, ${p.createdAt} WHERE changes() > 0`),
    );
  }
  statements.push(
    db.run(sql`INSERT INTO memberships (person_id, workspace_id, role, created_at) SELECT ${input.personId}, ${input.workspaceId}, ${input.role}, ${now} WHERE changes() > 0`),
    db.run(
      sql`INSERT INTO sessions (id, person_id, workspace_id, created_at, last_seen_at, expires_at, user_agent) SELECT ${s.id}, ${s.personId}, ${s.workspaceId}, ${s.createdAt}, ${s.lastSeenAt}, ${s.expiresAt}, ${s.userAgent} WHERE changes() > 0`,
    ),
  );
  const results = await db.batch(statements as [(typeof statements)[number], ...(typeof statements)[number][]]);
  return results[0].rowsAffected > 0 && results[results.length - 1]!.rowsAffected > 0;
}

// Sign-in throttling

/** Failed sign-ins for an email since `since`. */
export async function countFailures(db: Db, email: string, since: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)` })
    .from(signInAttempts)
    .where(and(eq(signInAttempts.email, email), gt(signInAttempts.at, since)));
  return Number(row?.n ?? 0);
}

/** Records a failure and drops this email's failures older than the window (the table stays small). */
export async function recordFailure(db: Db, email: string, now: number, windowStart: number): Promise<void> {
  await db.batch([db.delete(signInAttempts).where(and(eq(signInAttempts.email, email), lte(signInAttempts.at, windowStart))), db.insert(signInAttempts).values({ email, at: now })]);
}

export async function clearFailures(db: Db, email: string): Promise<void> {
  await db.delete(signInAttempts).where(eq(signInAttempts.email, email));
}

// The home page's next steps

/** How far a workspace has come: surveys, snippets (signature links), webhook endpoints, responses. */
export async function workspaceProgress(db: Db, workspaceId: string) {
  const count = (table: typeof surveys | typeof signatureLinks | typeof webhookEndpoints | typeof responses) =>
    db.select({ n: sql<number>`count(*)` }).from(table).where(eq(table.workspaceId, workspaceId));
  const [s, l, w, r] = await db.batch([count(surveys), count(signatureLinks), count(webhookEndpoints), count(responses)]);
  const n = (rows: { n: number }[]) => Number(rows[0]?.n ?? 0);
  return { surveys: n(s), snippets: n(l), webhooks: n(w), responses: n(r) };
}
