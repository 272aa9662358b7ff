import type { Db } from '../db';
import { hasPeople } from '../db/members';
import { countWorkspaces, createWorkspace, listWorkspaces } from '../db/workspaces';
import { createSetupLink } from '../services/auth';

/**
 * First start of a fresh install: create a default workspace and print its API key once, so a
 * support lead can call the API straight away, and a one-time setup link (24 h) for its owner to
 * open the team app. As long as nobody has an account (a setup link that expired unused, or an
 * install from before the team app), each start prints a new setup link for the first workspace.
 */
export async function ensureFirstWorkspace(db: Db, now: Date, log: (line: string) => void, publicUrl: string): Promise<void> {
  let workspaceId: string;
  if ((await countWorkspaces(db)) === 0) {
    const { workspace, apiKey } = await createWorkspace(db, 'Default workspace', now);
    log(`notice: created workspace ${workspace.id} ("${workspace.name}").`);
    log(`        Its API key is shown only this once; keep it safe:\n\n          ${apiKey}\n`);
    workspaceId = workspace.id;
  } else {
    if (await hasPeople(db)) return;
    const [first] = await listWorkspaces(db);
    if (!first) return;
    workspaceId = first.id;
  }
  const setupUrl = await createSetupLink(db, { workspaceId, now, publicUrl });
  log(`notice: open this link to set up the team app's owner account (works once, for 24 hours):\n\n          ${setupUrl}\n`);
}
