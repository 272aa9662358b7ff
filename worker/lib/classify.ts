import { findBotMatch } from 'isbot';
import type { ResponseStatus } from '../../schema/responses';
import { CURRENT, OLD_CHROME_BELOW, SCANNER_AGENT_PATTERNS } from './scanners/agents';
import { SCANNER_NETWORKS } from './scanners/networks';
import type { RequestSignals } from './signals';

/**
 * Tells people from mail-security scanners, from what one request shows. Pure and cheap (no I/O,
 * a few regular expressions and integer compares, the user agent's verdict memoized), so it runs
 * on the click path; and it reads only the stored signals, so a response's history can be
 * classified again when the lists improve.
 *
 * The rules that need more than one request (bursts, confirmations) live in the write itself
 * (`db/responses.ts`), over the response's events, in the same atomic batch.
 */
export interface Classification {
  status: ResponseStatus;
  /** Short, stable text kept with the event: why it was classified so. */
  reason: string;
}

/**
 * A click on an answer link (email or thank-you page). Counted at once only with every strong
 * human sign: a current browser, a user-activated navigation (Fetch Metadata: `Sec-Fetch-Mode:
 * navigate` and `Sec-Fetch-User: ?1`, W3C Fetch Metadata Request Headers §2.3–2.4), an
 * Accept-Language, and not from a mail-security network. A known robot is `bot`; the rest pending.
 */
export function classifyClick(s: RequestSignals): Classification {
  const robot = robotReason(s);
  if (robot) return { status: 'bot', reason: robot };
  const missing: string[] = [];
  if (!agentVerdict(s.userAgent!.trim()).current) missing.push('old-or-unknown-browser');
  const meta = fetchMetadata(s.secFetch);
  if (meta.mode !== 'navigate') missing.push('no-sec-fetch-navigate');
  if (meta.user !== '?1') missing.push('no-sec-fetch-user');
  if (!s.acceptLanguage) missing.push('no-accept-language');
  return missing.length ? { status: 'pending', reason: `weak:${missing.join(',')}` } : { status: 'counted', reason: 'human-navigation' };
}

/**
 * A human interaction reported from the thank-you page (pointer, touch, key, the confirm button,
 * a comment). Scanners run the page's script and press buttons too, so it only confirms when it
 * does not come from a scanner network or agent: "from elsewhere" than the robots.
 */
export function classifyInteraction(s: RequestSignals): Classification | null {
  const robot = robotReason(s);
  return robot ? { status: 'bot', reason: robot } : null;
}

/** Why a request is certainly a robot, or null. */
function robotReason(s: RequestSignals): string | null {
  const ua = s.userAgent?.trim();
  if (!ua) return 'no-user-agent';
  const network = scannerNetwork(s);
  if (network) return `network:${network}`;
  return agentVerdict(ua).robot;
}

interface AgentVerdict {
  /** Why this user agent is certainly a robot, or null. */
  robot: string | null;
  /** A current release of a mainstream browser. */
  current: boolean;
}

/**
 * What a user agent string alone says, memoized: the same few hundred strings (each mail client's
 * browser, each scanner) arrive over and over, and the isbot list plus the scanner patterns are
 * the costliest part of a classification (~10 µs). Bounded: the oldest entry goes first.
 */
function agentVerdict(ua: string): AgentVerdict {
  let verdict = agentVerdicts.get(ua);
  if (verdict === undefined) {
    verdict = { robot: agentRobotReason(ua), current: isCurrentBrowser(ua) };
    if (agentVerdicts.size >= MAX_AGENT_VERDICTS) agentVerdicts.delete(agentVerdicts.keys().next().value!);
    agentVerdicts.set(ua, verdict);
  }
  return verdict;
}
const MAX_AGENT_VERDICTS = 2048;
const agentVerdicts = new Map<string, AgentVerdict>();

function agentRobotReason(ua: string): string | null {
  for (const { pattern } of SCANNER_AGENT_PATTERNS) {
    const match = pattern.exec(ua);
    if (match) return `agent:${match[0].toLowerCase()}`;
  }
  const bot = findBotMatch(ua);
  if (bot) return `isbot:${bot.toLowerCase().slice(0, 40)}`;
  const chrome = /\b(?:Chrome|Chromium|CriOS)\/(\d+)/.exec(ua);
  if (chrome && Number(chrome[1]) < OLD_CHROME_BELOW) return `old-chrome:${chrome[1]}`;
  return null;
}

function isCurrentBrowser(ua: string): boolean {
  const chrome = /\b(?:Chrome|CriOS)\/(\d+)/.exec(ua);
  if (chrome) return Number(chrome[1]) >= CURRENT.chrome;
  const firefox = /\b(?:Firefox|FxiOS)\/(\d+)/.exec(ua);
  if (firefox) return Number(firefox[1]) >= CURRENT.firefox;
  const safari = /\bVersion\/(\d+)[\d.]*\s(?:Mobile\/\S+\s)?Safari\//.exec(ua);
  if (safari) return Number(safari[1]) >= CURRENT.safari;
  return false;
}

function fetchMetadata(json: string | null): Record<string, string> {
  if (!json) return {};
  try {
    return JSON.parse(json) as Record<string, string>;
  } catch {
    return {};
  }
}

// ---------------------------------------------------------------------------------------------
// Networks: by ASN or AS organization (Workers' request.cf), or by the truncated address.
// ---------------------------------------------------------------------------------------------

type V4Range = { network: number; mask: number; name: string };
type V6Range = { groups: number[]; bits: number; name: string };

const V4: V4Range[] = [];
const V6: V6Range[] = [];
const BY_ASN = new Map<number, string>();
for (const net of SCANNER_NETWORKS) {
  for (const asn of net.asns) BY_ASN.set(asn, net.name);
  for (const range of net.ranges) {
    const [address = '', bitsText = ''] = range.split('/');
    const bits = Number(bitsText);
    if (address.includes(':')) {
      if (bits > 48) throw new Error(`scanner range ${range}: IPv6 ranges must be /48 or wider (addresses are stored as /48)`);
      V6.push({ groups: v6Groups(address), bits, name: net.name });
    } else {
      if (bits > 24) throw new Error(`scanner range ${range}: IPv4 ranges must be /24 or wider (addresses are stored as /24)`);
      const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
      V4.push({ network: (v4Number(address) & mask) >>> 0, mask, name: net.name });
    }
  }
}

function v4Number(address: string): number {
  return address.split('.').reduce((n, part) => n * 256 + Number(part), 0) >>> 0;
}

/** The first three 16-bit groups (48 bits) of an IPv6 address or prefix. */
function v6Groups(address: string): number[] {
  const [head = '', tail] = address.split('::');
  const left = head.split(':').filter(Boolean);
  const right = tail === undefined ? [] : tail.split(':').filter(Boolean);
  const all = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return all.slice(0, 3).map((g) => parseInt(g, 16) || 0);
}

/** The mail-security network a request came from, or null. */
export function scannerNetwork(s: Pick<RequestSignals, 'asn' | 'asOrganization' | 'ipPrefix'>): string | null {
  if (s.asn !== null) {
    const byAsn = BY_ASN.get(s.asn);
    if (byAsn) return byAsn;
  }
  if (s.asOrganization) {
    for (const net of SCANNER_NETWORKS) if (net.organization?.test(s.asOrganization)) return net.name;
  }
  const prefix = s.ipPrefix;
  if (!prefix) return null;
  const [address = ''] = prefix.split('/');
  if (address.includes(':')) {
    const groups = v6Groups(address);
    for (const range of V6) {
      let left = range.bits;
      let same = true;
      for (let i = 0; i < 3 && left > 0; i++, left -= 16) {
        const bits = Math.min(16, left);
        const mask = (0xffff << (16 - bits)) & 0xffff;
        if (((groups[i] ?? 0) & mask) !== ((range.groups[i] ?? 0) & mask)) {
          same = false;
          break;
        }
      }
      if (same) return range.name;
    }
    return null;
  }
  const n = v4Number(address);
  for (const range of V4) if (((n & range.mask) >>> 0) === range.network) return range.name;
  return null;
}

/**
 * Bursts are robots: a scanner fetches the answer links of a message one after the other, faster
 * than a person can change their mind. When the click being written makes a rule true (that many
 * different answers of one response within the window), the clicks of that window from the
 * networks that gave two answers or more (from every network when none did) become `bot`, so the
 * response falls back to what it was before the burst. Known robots take no part: a mail gateway
 * re-checking every link after (or before) a person's click never sweeps the person's vote, and a
 * person's one answer beside a look-alike scanner's burst stays theirs. Checked in SQL over the
 * response's recent events, inside the click's own write (`db/responses.ts`, `burstHolds`).
 */
export const BURST_RULES: { name: string; windowMs: number; distinct: number | 'all' }[] = [
  { name: 'every-answer-within-1s', windowMs: 1000, distinct: 'all' },
  { name: 'three-answers-within-5s', windowMs: 5000, distinct: 3 },
];

/**
 * The default of `VOTE_SETTLE_SECONDS` (`config.ts`): the longest burst window and a second for the
 * burst's last write to land. A click that counts at once may still be the first of a scanner's
 * burst; its webhook events are held that long, and the write that finds the burst withdraws them.
 */
export const BURST_HOLD_SECONDS = Math.ceil(Math.max(...BURST_RULES.map((rule) => rule.windowMs)) / 1000) + 1;
