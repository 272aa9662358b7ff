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
  /** The same service whose database cannot be reached. */
  withDatabaseDown(): Promise<Pick<Harness, 'fetch'> & { close(): Promise<void> }>;
  close(): Promise<void>;
}
