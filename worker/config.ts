import { BURST_HOLD_SECONDS } from './lib/classify';
import { type KeyRing, parseKeyRing } from './lib/key-ring';

/**
 * Configuration, validated once before the app runs. Every setting is read here and nowhere else;
 * routes receive the parsed `Config` from the composition root.
 */
export interface Config {
  /** `PORT`: where the Node server listens (default 8787). Ignored on Workers. */
  port: number;
  /** `DATABASE_URL`: `file:./data/clickback.db` (Node default), `libsql://…` or `https://…` (Turso). */
  databaseUrl: string;
  /** `DATABASE_AUTH_TOKEN`: Turso auth token; unset for a local file. Secret. */
  databaseAuthToken: string | undefined;
  /** `PUBLIC_URL`: base of minted links, no trailing slash (default `http://localhost:$PORT`). */
  publicUrl: string;
  /** `LINK_KEYS`: `kid:base64url-32-bytes,…`; encrypts link tokens (first issues, all open). Secret. */
  linkKeys: KeyRing;
  /** `FORM_KEYS`: same form; signs comment-form tokens. Kept apart from link keys. Secret. */
  formKeys: KeyRing;
  /** `LINK_TTL_DAYS`: how long a minted link accepts answers (default 90). */
  linkTtlDays: number;
  /**
   * `ALLOW_INSECURE_WEBHOOKS`: `1` lets webhook endpoints be plain `http://` on loopback addresses
   * (a receiver on your own machine). Development only; off by default.
   */
  allowInsecureWebhooks: boolean;

  // Vote stuffing: what one network or browser can count, and how fast it may click.
  /**
   * `SIGNATURE_VOTES_PER_NETWORK`: how many responses one network (IPv4 /24, IPv6 /48) may create
   * through one signature link per UTC day (default 20, 1–100000). One office can hold many real
   * customers of one agent; a flood from one network counts at most this many. Clicks beyond it
   * are kept as aggregated evidence only: no response, no event, no webhook, no follow-up.
   */
  signatureVotesPerNetwork: number;
  /**
   * `SIGNATURE_VOTES_PER_BROWSER`: the same per browser (the `cb_browser` cookie) and link per UTC
   * day (default 3, 1–100000): a real customer rarely answers more than a few tickets of one agent
   * in a day; forged ticket/email hints from one browser stop there.
   */
  signatureVotesPerBrowser: number;
  /**
   * `VOTE_RATE_LIMIT`: requests per minute per network (IPv4 /24, IPv6 /48) on the vote routes
   * (`/r/…`, `/s/…`, the thank-you page's answer links and POSTs) before they are answered 429
   * (default 120, 0 = off). On Node an in-memory limiter per process; on Workers the rate-limiting
   * binding `VOTE_RATE_LIMITER` of wrangler.toml, whose `simple.limit` is what applies there (this
   * value then only turns it off with 0, or limits per isolate when the binding is missing).
   */
  voteRateLimit: number;
  /**
   * `NEGATIVE_SETTLE_SECONDS`: how long a `feedback.negative` webhook waits after the vote is
   * counted (default 60, 0–3600). Within it a burst that turns out to be a scanner withdraws the
   * event, and a comment typed right away rides along in it. Never shorter than the vote settle.
   */
  negativeSettleSeconds: number;
  /**
   * `VOTE_SETTLE_SECONDS`: how long every webhook event of a vote (`feedback.created`, `updated`,
   * `negative`) waits after the vote is counted (default 6: the longest burst window and a second,
   * 0–3600). A click that counts at once may be the first of a scanner's burst; within this window
   * the burst withdraws its events, so robots never reach the CRM. 0 sends at once (tests).
   */
  voteSettleSeconds: number;
  /**
   * `TRUST_PROXY`: how many reverse proxies in front of the Node server add to X-Forwarded-For
   * (default 0: use the socket address, ignore forwarded headers, which anyone can send). With 1 or
   * more, the client address is the X-Forwarded-For entry that many hops from the right. Ignored on
   * Workers, where Cloudflare sets CF-Connecting-IP itself.
   */
  trustProxy: number;
  /**
   * `TRUST_PROXY_CLOUDFLARE`: `1` when the outermost of those proxies is Cloudflare (default 0).
   * Only then is CF-Connecting-IP the client address: behind any other proxy a client can send
   * that header itself and pick the network its clicks are classified by. Needs `TRUST_PROXY` ≥ 1,
   * and the origin should accept connections from Cloudflare's addresses only.
   */
  trustProxyCloudflare: boolean;
  /**
   * `SHUTDOWN_DEADLINE_SECONDS`: Node only. On SIGTERM the server stops taking requests, answers
   * the ones in flight and closes keep-alive connections; background webhook sends get this long
   * to finish (default 10, 0–300). What is left stays queued (its lease runs out) for the next start.
   */
  shutdownDeadlineSeconds: number;
  /**
   * `DATABASE_SYNCHRONOUS`: Node's embedded file only. `full` syncs the WAL to disk at every commit,
   * so an acknowledged vote survives a power cut; `normal` syncs at checkpoints only (durable across
   * a crash of the process, not of the machine). See docs/operations.md for the measured cost.
   */
  databaseSynchronous: DatabaseSynchronous;

  // Retention: what is kept, and for how long.
  /**
   * `SIGNAL_RETENTION_DAYS`: after this many days an event's request signals (truncated address,
   * user agent, Accept-Language, ASN, AS organization, country) are cleared; its classification
   * and reason stay (default 30, 1–3650). Long enough to judge a burst or a dispute, short enough
   * that the signals do not outlive their use.
   */
  signalRetentionDays: number;
  /**
   * `RESPONSE_RETENTION_DAYS`: responses whose last answer or comment is older than this many days
   * are deleted with their history, contacts and webhook rows (default unset: kept; 1–36500).
   */
  responseRetentionDays: number | null;
}

export type RawEnv = Record<string, string | undefined>;

export type DatabaseSynchronous = 'normal' | 'full';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const DEFAULT_PORT = 8787;
/**
 * NORMAL: FULL with group commit cost the click benchmark 13% of its clicks/s (medians of 4
 * interleaved pairs, docs/operations.md#durability), over the 10% the durability was worth.
 */
const DEFAULT_SYNCHRONOUS: DatabaseSynchronous = 'normal';

/** Parses settings from environment-like input; throws ConfigError listing every problem at once. */
export function loadConfig(env: RawEnv, defaults: { databaseUrl?: string } = {}): Config {
  const problems: string[] = [];
  const text = (name: string) => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const integer = (name: string, fallback: number, min: number, max: number) => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const keys = (name: string) => {
    const raw = text(name);
    if (raw === undefined) {
      problems.push(`${name} is required (generate one with: npm run cli -- keys generate)`);
      return undefined;
    }
    try {
      return parseKeyRing(name, raw);
    } catch (error) {
      problems.push((error as Error).message);
      return undefined;
    }
  };

  const port = integer('PORT', DEFAULT_PORT, 1, 65535);
  const databaseUrl = text('DATABASE_URL') ?? defaults.databaseUrl;
  if (!databaseUrl) problems.push('DATABASE_URL is required (libsql://… or https://… for Turso)');
  else if (!/^(file:|libsql:\/\/|https?:\/\/|wss?:\/\/)/.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with file:, libsql://, https:// or http://');
  }
  let publicUrl = text('PUBLIC_URL') ?? `http://localhost:${port}`;
  try {
    const url = new URL(publicUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme');
    publicUrl = url.href.replace(/\/+$/, '');
  } catch {
    problems.push(`PUBLIC_URL must be an http(s) URL (got "${publicUrl}")`);
  }
  const linkKeys = keys('LINK_KEYS');
  const formKeys = keys('FORM_KEYS');
  // By the secret's bytes, whatever the key ids: a form key that is also a link key would let
  // whoever holds one purpose's key act for the other.
  for (const linkKid of linkKeys?.kids ?? []) {
    for (const formKid of formKeys?.kids ?? []) {
      if (equalBytes(linkKeys!.find(linkKid)!, formKeys!.find(formKid)!)) {
        problems.push(`LINK_KEYS and FORM_KEYS must not share a secret (LINK_KEYS "${linkKid}" is FORM_KEYS "${formKid}"): generate a separate key for each`);
      }
    }
  }
  const linkTtlDays = integer('LINK_TTL_DAYS', 90, 1, 3650);
  const insecure = text('ALLOW_INSECURE_WEBHOOKS') ?? '0';
  if (!/^(0|1|true|false)$/.test(insecure)) problems.push(`ALLOW_INSECURE_WEBHOOKS must be 1 or 0 (got "${insecure}")`);
  const allowInsecureWebhooks = insecure === '1' || insecure === 'true';

  const signatureVotesPerNetwork = integer('SIGNATURE_VOTES_PER_NETWORK', 20, 1, 100_000);
  const signatureVotesPerBrowser = integer('SIGNATURE_VOTES_PER_BROWSER', 3, 1, 100_000);
  const voteRateLimit = integer('VOTE_RATE_LIMIT', 120, 0, 1_000_000);

  const negativeSettleSeconds = integer('NEGATIVE_SETTLE_SECONDS', 60, 0, 3600);
  const voteSettleSeconds = integer('VOTE_SETTLE_SECONDS', BURST_HOLD_SECONDS, 0, 3600);
  const trustProxyText = text('TRUST_PROXY');
  const trustProxy = trustProxyText === 'true' ? 1 : trustProxyText === 'false' ? 0 : integer('TRUST_PROXY', 0, 0, 10);
  const cloudflareText = text('TRUST_PROXY_CLOUDFLARE') ?? '0';
  if (!/^(0|1|true|false)$/.test(cloudflareText)) problems.push(`TRUST_PROXY_CLOUDFLARE must be 1 or 0 (got "${cloudflareText}")`);
  const trustProxyCloudflare = cloudflareText === '1' || cloudflareText === 'true';
  if (trustProxyCloudflare && trustProxy === 0) problems.push('TRUST_PROXY_CLOUDFLARE=1 needs TRUST_PROXY=1 or more (the proxies in front of the server, Cloudflare included)');

  const shutdownDeadlineSeconds = integer('SHUTDOWN_DEADLINE_SECONDS', 10, 0, 300);
  const synchronousText = (text('DATABASE_SYNCHRONOUS') ?? DEFAULT_SYNCHRONOUS).toLowerCase();
  if (synchronousText !== 'normal' && synchronousText !== 'full') problems.push(`DATABASE_SYNCHRONOUS must be full or normal (got "${synchronousText}")`);
  const databaseSynchronous: DatabaseSynchronous = synchronousText === 'normal' ? 'normal' : 'full';

  const signalRetentionDays = integer('SIGNAL_RETENTION_DAYS', 30, 1, 3650);
  const responseRetentionDays = text('RESPONSE_RETENTION_DAYS') === undefined ? null : integer('RESPONSE_RETENTION_DAYS', 0, 1, 36_500);

  if (problems.length || !databaseUrl || !linkKeys || !formKeys) throw new ConfigError(problems);
  return { port, databaseUrl, databaseAuthToken: text('DATABASE_AUTH_TOKEN'), publicUrl, linkKeys, formKeys, linkTtlDays, allowInsecureWebhooks, negativeSettleSeconds, voteSettleSeconds, trustProxy, trustProxyCloudflare, shutdownDeadlineSeconds, databaseSynchronous, signatureVotesPerNetwork, signatureVotesPerBrowser, voteRateLimit, signalRetentionDays, responseRetentionDays };
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** How long a vote's webhook events wait before their first attempt (ms). */
export interface SettleWindows {
  /** Every vote event: `VOTE_SETTLE_SECONDS`. */
  voteMs: number;
  /** `feedback.negative`: `NEGATIVE_SETTLE_SECONDS` (and at least `voteMs`). */
  negativeMs: number;
}

export function settleWindows(config: Pick<Config, 'voteSettleSeconds' | 'negativeSettleSeconds'>): SettleWindows {
  return { voteMs: config.voteSettleSeconds * 1000, negativeMs: config.negativeSettleSeconds * 1000 };
}
