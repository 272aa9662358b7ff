import type { KeyRing } from '../../worker/lib/key-ring';

/**
 * What the contract suite needs from a runtime. The same suite runs against the Node server (real
 * HTTP, embedded libSQL file) and inside workerd (the Workers entry, libSQL over HTTP).
 */
export interface Harness {
  runtime: 'node' | 'workers';
  /** A request to the service (path relative to its origin). Redirects are never followed. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** The service's link and form keys, to craft tokens the way an attacker or an old link would. */
  linkKeys: KeyRing;
  formKeys: KeyRing;
  /** A fresh workspace and its API key, as the CLI would create it. */
  newWorkspace(name?: string): Promise<{ id: string; apiKey: string }>;
  /** A one-time setup link for a workspace's owner, as `npm start` or the CLI prints it (`…/app/setup/<token>`). */
  setupLink(workspaceId: string): Promise<string>;
  /** An invitation link, as `npm run cli -- member invite` prints it (`…/app/invite/<token>`). */
  inviteLink(workspaceId: string, email: string, role: 'owner' | 'admin' | 'member'): Promise<string>;
  /** What the service reported through its `logError` seam so far (errors of ours, never a client's bad input). */
  loggedErrors: { message: string; fields: Record<string, unknown> }[];
  /** The test webhook receiver's base URL (a real HTTP server in Node). */
  receiverUrl: string;
  /** Moves the service's clock forward (retries and leases are scheduled on it). */
  advanceClock(ms: number): void;
  /** Runs the webhook dispatcher once, as the Node timer or the Workers Cron Trigger would, and waits for it. */
  dispatch(): Promise<void>;
  /** Runs the periodic maintenance once (pruning old vote counters), as the Node timer or the Workers Cron Trigger would. */
  maintain(): Promise<void>;
  /** Waits for background work started by earlier requests (first webhook attempts). */
  settle(): Promise<void>;
  /** A dispatcher that claims the due deliveries and dies before sending them. Returns how many it claimed. */
  crashAfterClaim(): Promise<number>;
  /** Reads the service's database directly (what the API does not show: counters, the outbox, its size). */
  query(sql: string, args?: (string | number | null)[]): Promise<Record<string, unknown>[]>;
  /**
   * The same service whose database cannot be reached (on Workers, its vote queue cannot take a
   * message either: nothing can keep the vote, so a click must be an honest 503 there too).
   */
  withDatabaseDown(): Promise<Pick<Harness, 'fetch'> & { close(): Promise<void> }>;
  close(): Promise<void>;
}
