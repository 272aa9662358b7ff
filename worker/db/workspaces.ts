import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { apiKeys, workspaces } from '../../schema';
import { sha256Hex, timingSafeEqual } from '../lib/encoding';
import { stringField } from '../lib/fields';
import { newId, randomBase32 } from '../lib/ids';
import type { Db } from './index';

export type Workspace = typeof workspaces.$inferSelect;

/** API keys look like `cbk_<52 base32 chars>` (260 bits); the prefix makes leaked keys easy to scan for. */
export const API_KEY_PREFIX = 'cbk_';

/** How long a workspace name may be: it is shown in emails' subject lines. */
export const WORKSPACE_NAME_MAX = 100;

/**
 * Creates a workspace and its first API key; the key is returned only here. The name goes into
 * every survey email's subject header, so it is one line (VALIDATION_FAILED otherwise).
 */
export async function createWorkspace(db: Db, name: string, now: Date): Promise<{ workspace: Workspace; apiKey: string }> {
  const workspace: Workspace = { id: newId('workspace'), name: stringField({ name }, 'name', WORKSPACE_NAME_MAX, true), createdAt: now.getTime(), timeZone: 'UTC' };
  const { key, row } = await newApiKeyRow(workspace.id, 'default', now);
  await db.batch([db.insert(workspaces).values(workspace), db.insert(apiKeys).values(row)]);
  return { workspace, apiKey: key };
}

/** How long an API key's name may be: a label to recognise it in lists. */
export const API_KEY_NAME_MAX = 100;

/**
 * Adds another API key to a workspace (for rotation); the key is returned only here. The CLI and
 * the team app both come here, so the name is checked once: 1 to 100 characters on one line
 * (VALIDATION_FAILED, field `name`, otherwise).
 */
export async function createApiKey(db: Db, workspaceId: string, name: string, now: Date): Promise<{ id: string; apiKey: string }> {
  const { key, row } = await newApiKeyRow(workspaceId, stringField({ name }, 'name', API_KEY_NAME_MAX, true), now);
  await db.insert(apiKeys).values(row);
  return { id: row.id, apiKey: key };
}

async function newApiKeyRow(workspaceId: string, name: string, now: Date) {
  const key = `${API_KEY_PREFIX}${randomBase32(260)}`;
  const row = {
    id: newId('apiKey'),
    workspaceId,
    name,
    hash: await sha256Hex(key),
    prefix: key.slice(0, 12),
    createdAt: now.getTime(),
  };
  return { key, row };
}

/** A workspace's API keys, newest first: never the key, only its first characters. */
export async function listApiKeys(db: Db, workspaceId: string) {
  return db
    .select({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, createdAt: apiKeys.createdAt, revokedAt: apiKeys.revokedAt })
    .from(apiKeys)
    .where(eq(apiKeys.workspaceId, workspaceId))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
}

/** Revokes a key; answers false when the workspace has no such active key. */
export async function revokeApiKey(db: Db, workspaceId: string, keyId: string, now: Date): Promise<boolean> {
  const result = await db
    .update(apiKeys)
    .set({ revokedAt: now.getTime() })
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.workspaceId, workspaceId), isNull(apiKeys.revokedAt)));
  return result.rowsAffected > 0;
}

/**
 * The workspace an API key belongs to, or null. The key is looked up by its SHA-256 digest (an
 * index probe that reveals nothing usable about the key) and the digest compared in constant time.
 */
export async function findWorkspaceByApiKey(db: Db, key: string): Promise<Workspace | null> {
  if (!key.startsWith(API_KEY_PREFIX) || key.length > 100) return null;
  const hash = await sha256Hex(key);
  const [row] = await db
    .select({ hash: apiKeys.hash, workspace: workspaces })
    .from(apiKeys)
    .innerJoin(workspaces, eq(workspaces.id, apiKeys.workspaceId))
    .where(and(eq(apiKeys.hash, hash), isNull(apiKeys.revokedAt)))
    .limit(1);
  return row && timingSafeEqual(row.hash, hash) ? row.workspace : null;
}

export async function listWorkspaces(db: Db): Promise<Workspace[]> {
  return db.select().from(workspaces).orderBy(workspaces.createdAt);
}

export async function countWorkspaces(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(workspaces);
  return Number(row?.n ?? 0);
}

/** A workspace's IANA time zone (reports' days), or null when there is no such workspace. */
export async function getWorkspaceTimeZone(db: Db, workspaceId: string): Promise<string | null> {
  const [row] = await db.select({ timeZone: workspaces.timeZone }).from(workspaces).where(eq(workspaces.id, workspaceId)).limit(1);
  return row?.timeZone ?? null;
}
