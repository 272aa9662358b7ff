import type { Db } from '../db';
import { countWorkspaces, createWorkspace } from '../db/workspaces';

/**
 * First start of a fresh install: create a default workspace and print its API key once, so a
 * support lead can call the API straight away. Later starts do nothing.
 */
export async function ensureFirstWorkspace(db: Db, now: Date, log: (line: string) => void): Promise<void> {
  if ((await countWorkspaces(db)) > 0) return;
  const { workspace, apiKey } = await createWorkspace(db, 'Default workspace', now);
  log(`notice: created workspace ${workspace.id} ("${workspace.name}").`);
  log(`        Its API key is shown only this once; keep it safe:\n\n          ${apiKey}\n`);
}
