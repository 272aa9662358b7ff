import { expect } from 'vitest';
import type { Harness } from '../contract/harness';
import clientsJson from './clients.json';
import patternsJson from './patterns.json';

/**
 * Replays the corpus (`clients.json`, `patterns.json`) against a running service through a
 * harness, the way the traffic reached it: each request from its client's headers and network,
 * at its moment on the service's clock. No code here knows a pattern: it only follows the steps.
 */
export interface Client {
  about: string;
  headers: Record<string, string>;
  ip?: string;
  cf?: { asn?: number; asOrganization?: string; country?: string };
}

export interface Step {
  at: number;
  by: string;
  do: 'click' | 'head' | 'options' | 'page' | 'confirm' | 'comment' | 'change';
  score?: number;
  via?: string;
  text?: string;
}

export interface Pattern {
  name: string;
  /** What the pattern proves, with its siblings (the report groups outcomes by family). */
  family: string;
  kind: 'scanner' | 'human';
  scale: string;
  /**
   * Which links the email carried: per-message links (`/r/…`, the default); a signature link
   * (`/s/…`) whose ticket and email placeholders the helpdesk substituted: one response per
   * (ticket, requester) that a gateway re-checks like any other; or an anonymous signature link
   * (no placeholders): one response per browser, kept by a cookie that people's browsers keep and
   * scanners do not, so each robot fetch makes a response of its own beside the person's.
   */
  link?: 'message' | 'signature' | 'anonymous-signature';
  steps: Step[];
  /** `comment`: the response's comment at the end (null: none; left out: not checked). */
  expect: { counted: boolean; recorded?: boolean; score?: number; comment?: string | null };
}

export const CLIENTS = Object.fromEntries(Object.entries(clientsJson).filter(([name]) => !name.startsWith('_'))) as unknown as Record<string, Client>;
export const PATTERNS = (patternsJson as unknown as { patterns: Pattern[] }).patterns;

export interface Outcome {
  pattern: Pattern;
  /** null when nothing was recorded (on an anonymous signature link: the person's response). */
  response: CorpusResponse | null;
  /** The message's other responses: on an anonymous signature link, those of the robots' fetches. */
  others: CorpusResponse[];
  /** Status of every request, in order (for the failure message). */
  answers: string[];
}

/** A response (`GET /api/v1/responses/:id`), as far as the bar reads it. */
export interface CorpusResponse {
  id: string;
  status: string;
  score: number;
  comment: string | null;
  events: CorpusEvent[];
}

/** An event of a response's history (`GET /api/v1/responses/:id`), as far as the bar reads it. */
export interface CorpusEvent {
  kind: string;
  score: number | null;
  status: string;
  reason: string | null;
  signals?: { userAgent: string | null; acceptLanguage: string | null };
}

/** The request init of a client: its headers, and its network as this runtime learns it. */
export function requestOf(h: Harness, client: Client, init: RequestInit & { headers?: Record<string, string> } = {}): RequestInit {
  const headers: Record<string, string> = { ...client.headers, ...init.headers };
  if (client.ip) {
    // Node sits behind a trusted proxy in this suite (TRUST_PROXY=1); Cloudflare sets CF-Connecting-IP.
    if (h.runtime === 'node') headers['x-forwarded-for'] = `${client.ip}`;
    else headers['cf-connecting-ip'] = client.ip;
  }
  const out: RequestInit & { cf?: unknown } = { ...init, headers };
  if (h.runtime === 'workers' && client.cf) out.cf = client.cf;
  return out;
}

type Api = { call(method: string, path: string, body?: unknown, expected?: number): Promise<{ status: number; json: any }> };

/** Runs one pattern on a fresh message (its own survey, subject and recipient). */
export async function replay(h: Harness, api: Api, pattern: Pattern, n: number): Promise<Outcome> {
  const survey = (await api.call('POST', '/surveys', { name: `Corpus ${n}`, scale: pattern.scale, question: 'How did we do?' }, 201)).json;
  const subject = `CORPUS-${n}-${Date.now()}`;
  const recipient = `corpus${n}@example.com`;
  const signature = pattern.link === 'signature' || pattern.link === 'anonymous-signature';
  const minted = (
    signature
      ? await api.call('POST', '/snippets', { survey: survey.id, preset: 'plain' }, 201)
      : await api.call('POST', '/links', { survey: survey.id, subject, recipient }, 201)
  ).json as { links: { score: number; url: string }[]; signatureLink?: string };
  const linkPath = (score: number) => {
    const url = new URL(minted.links.find((l) => l.score === score)!.url);
    // The signature link as the helpdesk sent it: the ticket and the requester substituted.
    return pattern.link === 'signature' ? `${url.pathname}?${new URLSearchParams({ t: subject, e: recipient })}` : url.pathname;
  };
  /**
   * The response each device's last click landed on, by the client's address (a person's page and
   * form posts come from the browser that clicked), and the last one of any device.
   */
  const responseOf = new Map<string, string>();
  let lastResponseId: string | null = null;
  /** The browser cookie (`cb_browser`) of each person's device: people's browsers keep it, scanners do not. */
  const cookies = new Map<string, string>();
  /**
   * What each device's copy of the thank-you page carried (a scanner may replay a stale one), by
   * the client's address: a person's page and their later form post come from the same browser.
   */
  const pages = new Map<string, { confirm?: { token: string; event: string }; commentToken?: string }>();
  const answers: string[] = [];
  let now = 0;
  for (const step of [...pattern.steps].sort((a, b) => a.at - b.at)) {
    if (step.at > now) h.advanceClock(step.at - now);
    now = Math.max(now, step.at);
    const client = CLIENTS[step.by];
    if (!client) throw new Error(`pattern "${pattern.name}": no client "${step.by}" in clients.json`);
    const device = client.ip ?? step.by;
    const person = step.by.startsWith('person');
    const send = async (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) => {
      const cookie = person ? cookies.get(device) : undefined;
      const res = await h.fetch(path, requestOf(h, client, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), ...(cookie ? { cookie } : {}) } }));
      const browser = /\bcb_browser=[^;]+/.exec(res.headers.get('set-cookie') ?? '');
      if (person && browser) cookies.set(device, browser[0]);
      answers.push(`${step.do}${step.score ?? ''}→${res.status}`);
      return res;
    };
    if (step.do === 'click' || step.do === 'head' || step.do === 'options') {
      const method = step.do === 'click' ? 'GET' : step.do.toUpperCase();
      const res = await send(linkPath(step.score!), { method });
      const location = res.headers.get('location');
      if (res.status === 303 && location) responseOf.set(device, (lastResponseId = location.slice(3)));
      await res.arrayBuffer().catch(() => undefined);
      continue;
    }
    const responseId = responseOf.get(device) ?? lastResponseId;
    if (!responseId) {
      answers.push(`${step.do}: no page to act on`);
    } else if (step.do === 'page') {
      const html = await (await send(`/t/${responseId}`)).text();
      const confirm = /<form method="post" action="[^"]*\/confirm"[^>]*>\s*<input type="hidden" name="form_token" value="([^"]+)"><input type="hidden" name="event" value="([^"]+)">/.exec(html);
      const comment = /action="[^"]*\/comment"[^>]*>\s*<input type="hidden" name="form_token" value="([^"]+)">/.exec(html);
      pages.set(client.ip ?? step.by, { confirm: confirm ? { token: confirm[1]!, event: confirm[2]! } : undefined, commentToken: comment?.[1] });
    } else if (step.do === 'confirm') {
      const form = pages.get(client.ip ?? step.by)?.confirm;
      if (!form) {
        answers.push('confirm: the page had no confirmation');
        continue;
      }
      const body = new URLSearchParams({ form_token: form.token, event: form.event, via: step.via ?? 'button', ...(step.via === 'button' ? {} : { js: '1' }) });
      await (await send(`/t/${responseId}/confirm`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() })).arrayBuffer();
    } else if (step.do === 'comment') {
      const token = pages.get(client.ip ?? step.by)?.commentToken ?? '';
      const body = new URLSearchParams({ form_token: token, comment: step.text ?? '' });
      await (await send(`/t/${responseId}/comment`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() })).arrayBuffer();
    } else if (step.do === 'change') {
      await (await send(`/t/${responseId}/answer/${step.score}`)).arrayBuffer();
    }
  }
  await h.settle();
  const get = async (id: string) => (await api.call('GET', `/responses/${id}`, undefined, 200)).json as CorpusResponse;
  if (pattern.link === 'anonymous-signature') {
    // Every response of the message: the person's (where their last click landed) and the robots'.
    const listed = (await api.call('GET', `/responses?status=all&limit=100&subject=${encodeURIComponent(`signature:${minted.signatureLink}`)}`, undefined, 200)).json.data as { id: string }[];
    const people = pattern.steps.filter((s) => s.by.startsWith('person')).map((s) => responseOf.get(CLIENTS[s.by]!.ip ?? s.by));
    const personId = people.at(-1) ?? null;
    const responses = await Promise.all(listed.map(({ id }) => get(id)));
    return { pattern, response: responses.find((r) => r.id === personId) ?? null, others: responses.filter((r) => r.id !== personId), answers };
  }
  const listed = (await api.call('GET', `/responses?status=all&subject=${encodeURIComponent(subject)}`, undefined, 200)).json.data as { id: string }[];
  expect(listed.length).toBeLessThanOrEqual(1);
  return { pattern, response: listed[0] ? await get(listed[0].id) : null, others: [], answers };
}

/**
 * One line per pattern (what it was, what was counted, why), grouped by family, each family with
 * its tally against the bar: robots never counted, people always counted with their last answer.
 */
export function formatOutcomes(runtime: string, outcomes: Outcome[]): string {
  const families = new Map<string, Outcome[]>();
  for (const o of outcomes) families.set(o.pattern.family, [...(families.get(o.pattern.family) ?? []), o]);
  const sections = [...families].map(([family, group]) => {
    const rows = group.map(({ pattern, response, others }) => {
      const counted = response?.status === 'counted' ? `counted ${response.score}${response.comment ? ' + comment' : ''}` : response ? `nothing counted (${response.status})` : 'nothing recorded';
      const ok = meetsBar(pattern, response, others) ? 'ok  ' : 'FAIL';
      const link = { message: '/r/', signature: '/s/', 'anonymous-signature': '/s/ anonymous' }[pattern.link ?? 'message'];
      const robots = others.length ? `; ${others.length} robot responses, ${others.filter((r) => r.status === 'counted').length} counted` : '';
      // Why: the distinct first reasons of the history (e.g. network:microsoft, burst:…).
      const why = [...new Set((response?.events ?? []).map((e) => `${e.kind === 'confirmed' ? 'confirm ' : ''}${(e.reason ?? '').split(';')[0]}`))].join(', ');
      return `  ${ok} ${pattern.kind.padEnd(7)} ${link.padEnd(13)} ${counted.padEnd(26)} ${pattern.name}\n${' '.repeat(25)}└ ${why || '-'}${robots}`;
    });
    return `${family}: ${tallyOf(group)}\n${rows.join('\n')}`;
  });
  return `replay corpus on ${runtime}: ${outcomes.length} patterns, ${tallyOf(outcomes)}\n${sections.join('\n')}`;
}

/** "robots never counted 8/8, people counted with their last answer 16/16" for a group of outcomes. */
export function tallyOf(outcomes: Outcome[]): string {
  const robots = outcomes.filter((o) => o.pattern.kind === 'scanner');
  const people = outcomes.filter((o) => o.pattern.kind === 'human');
  const met = (group: Outcome[]) => group.filter((o) => meetsBar(o.pattern, o.response, o.others)).length;
  return `robots never counted ${met(robots)}/${robots.length}, people counted with their last answer ${met(people)}/${people.length}`;
}

/**
 * The bar. A scanner-only message counts nothing (a comment a scanner posted is history only); a
 * person ends counted with their last answer. In both, no click a robot made ends counted (each
 * click event is told apart by its client's headers: user agent and languages), and no other
 * response of the message (a robot's own, on an anonymous signature link) counts.
 */
export function meetsBar(pattern: Pattern, response: Outcome['response'], others: CorpusResponse[] = []): boolean {
  const e = pattern.expect;
  if (e.recorded === false && (response || others.length)) return false;
  if ([response, ...others].some((r) => robotClicksCounted(pattern, r).length)) return false;
  if (others.some((r) => r.status === 'counted')) return false;
  if (!e.counted) return response?.status !== 'counted' && !response?.comment;
  return response?.status === 'counted' && response.score === e.score && (e.comment === undefined || response.comment === e.comment);
}

/** Click events of the pattern's robots (clients not named `person…`) that ended counted. */
export function robotClicksCounted(pattern: Pattern, response: Outcome['response']): CorpusEvent[] {
  const names = [...new Set(pattern.steps.map((s) => s.by))];
  const robots = names.filter((name) => !name.startsWith('person')).map((name) => CLIENTS[name]!);
  const people = names.filter((name) => name.startsWith('person')).map((name) => CLIENTS[name]!);
  const same = (client: Client, e: CorpusEvent) =>
    (client.headers['user-agent'] ?? null) === (e.signals?.userAgent ?? null) && (client.headers['accept-language'] ?? null) === (e.signals?.acceptLanguage ?? null);
  return (response?.events ?? []).filter(
    (e) => ['created', 'changed', 'clicked'].includes(e.kind) && e.status === 'counted' && robots.some((c) => same(c, e)) && !people.some((c) => same(c, e)),
  );
}
