/**
 * `npm run demo`: six months of realistic traffic in a fresh workspace, so a newcomer sees a full
 * dashboard in one command (issue 15).
 *
 * Works on the embedded database of `npm start` (DATABASE_URL, default `file:./data/clickback.db`)
 * and refuses while the service runs on it (its instance lock, `worker/node/instance-lock.ts`).
 * Fills the database's only workspace when it is still empty (what the first `npm start` created),
 * otherwise creates a new one. Three surveys: a csat3 survey sent when a ticket closes, an NPS
 * survey at the close of a project (links minted with the properties `organization` and
 * `project`), a ces7 survey; eight agents of different quality (one a new hire with few answers);
 * comments in English and Italian; fewer tickets at the weekend; mail-security scanners that fetch
 * every link of some messages (a listed network, and a look-alike that only the burst rule
 * catches); people whose in-app browser leaves the click waiting for a person.
 *
 * Everything goes through the write path of real traffic: links are minted by `mintLinks`, clicks
 * recorded by `recordClick` (token check, classification, the click's one atomic write, grouped
 * by the group commit as concurrent clicks are), comments by `submitComment` with a form token,
 * each with the clock of the moment it happens and request signals crafted as a browser or a
 * scanner would send them. Nothing is INSERTed behind the service's back, so every aggregate,
 * classification and burst is what the service itself would have made of the same traffic.
 *
 * Usage: npm run demo [-- --volume 0.1] [--days 183] [--seed 7] [--json]
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../worker/config';
import { createDb, type Db } from '../worker/db';
import { applyMigrations } from '../worker/db/migrate';
import { listMembers, workspaceProgress } from '../worker/db/members';
import { insertSurvey, type Survey } from '../worker/db/surveys';
import { createWorkspace, listWorkspaces } from '../worker/db/workspaces';
import { DEFAULT_DATABASE_URL } from '../worker/entry-node';
import { mintFormToken } from '../worker/lib/form-token';
import { requestSignals, type ClientInfo, type RequestSignals } from '../worker/lib/signals';
import { openNodeDatabase, databaseFilePath } from '../worker/node/database';
import { withDevKeys } from '../worker/node/dev-keys';
import { runningInstance } from '../worker/node/instance-lock';
import { loadMigrations } from '../worker/node/migrations';
import { createSetupLink } from '../worker/services/auth';
import { recordClick } from '../worker/services/capture';
import { normalizeComment, submitComment } from '../worker/services/comments';
import type { ServiceDeps } from '../worker/services/deps';
import { mintLinks } from '../worker/services/links';
import { isQueuedClick } from '../worker/services/queued-votes';
import { setWorkspaceTimeZone } from '../worker/services/reports';
import { type Scale, sentimentOf } from '../schema/scales';
import { seededRandom } from './seeded-random';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** The demo team's time zone (the workspace setting the reports count days in). */
const DEMO_TIME_ZONE = 'Europe/Rome';

/** Tickets per weekday (Monday first): Mondays bring the weekend's backlog, Sundays almost nothing. */
const WEEKDAY_FACTOR = [1.3, 1.2, 1.1, 1.0, 0.9, 0.3, 0.2];

/** Eight agents: how likely a customer of theirs is pleased, and whether they improve over time. */
const AGENTS = [
  { name: 'Maria Rossi', quality: 0.9, drift: 0 },
  { name: 'Luca Bianchi', quality: 0.8, drift: 0.1 },
  { name: 'Giulia Conti', quality: 0.85, drift: 0 },
  { name: 'Marco Ferrari', quality: 0.6, drift: 0.2 },
  { name: 'Sara Romano', quality: 0.75, drift: 0 },
  { name: 'Alex Carter', quality: 0.7, drift: -0.1 },
  { name: 'Emma Walsh', quality: 0.88, drift: 0 },
  // A new hire: only the last ten days, so the agents table shows "too few responses".
  { name: 'Noah Patel', quality: 0.7, drift: 0, sinceDaysAgo: 10, share: 0.15 },
];

/** The NPS survey's customers: organisations with their projects and how they feel about us. */
const ORGANIZATIONS = [
  { name: 'ACME srl', projects: ['P-101', 'P-107'], mood: 0.1 },
  { name: 'Globex SpA', projects: ['P-112'], mood: -0.15 },
  { name: 'Initech Ltd', projects: ['P-120', 'P-121', 'P-125'], mood: 0 },
  { name: 'Umbrella GmbH', projects: ['P-131'], mood: -0.3 },
  { name: 'Stark Industries', projects: ['P-140', 'P-141'], mood: 0.2 },
  { name: 'Wayne Enterprises', projects: ['P-150'], mood: 0.05 },
];

const FIRST_NAMES = ['anna', 'paolo', 'chiara', 'davide', 'francesca', 'john', 'sophie', 'liam', 'olivia', 'matteo', 'elena', 'james', 'lucy', 'giorgio', 'federica'];
const DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example.it'];

const COMMENTS: Record<'en' | 'it', Record<'negative' | 'neutral' | 'positive', string[]>> = {
  en: {
    negative: ['It took three emails to get an answer.', 'The problem is still there after the fix.', 'Nobody told me the ticket was closed.', 'Too slow, we lost half a day.'],
    neutral: ['Fine, but the first answer missed my question.', 'OK in the end.', 'Solved, although I had to explain it twice.'],
    positive: ['Quick and clear, thank you!', 'Solved in minutes, great job.', 'Very patient and helpful.', 'Exactly what I needed.'],
  },
  it: {
    negative: ['Ci sono volute tre email per avere una risposta.', 'Il problema c’è ancora dopo la correzione.', 'Nessuno mi ha detto che il ticket era chiuso.', 'Troppo lenti, abbiamo perso mezza giornata.'],
    neutral: ['Va bene, ma la prima risposta non c’entrava.', 'Alla fine tutto ok.', 'Risolto, anche se ho dovuto spiegarlo due volte.'],
    positive: ['Veloci e chiari, grazie!', 'Risolto in pochi minuti, ottimo lavoro.', 'Molto gentili e disponibili.', 'Proprio quello che mi serviva.'],
  },
};

/** What a person's mail client opens: a current browser, a user-activated navigation. */
const BROWSERS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
];

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;

/** Request signals, built from headers and an address the way the service builds them from a real request. */
function signalsOf(headers: Record<string, string>, ip: string): RequestSignals {
  const client: ClientInfo = { ip, asn: null, asOrganization: null, country: null };
  return requestSignals(new Request('https://demo.invalid/', { headers }), client);
}

/** A person clicking in their mail client (Italian or British home networks). */
function personSignals(rng: Rng, language: 'en' | 'it'): RequestSignals {
  const ip = language === 'it' ? `93.${40 + Math.floor(rng() * 20)}.${Math.floor(rng() * 255)}.${1 + Math.floor(rng() * 250)}` : `86.${128 + Math.floor(rng() * 40)}.${Math.floor(rng() * 255)}.${1 + Math.floor(rng() * 250)}`;
  return signalsOf(
    {
      'user-agent': pick(rng, BROWSERS),
      accept: 'text/html,application/xhtml+xml',
      'accept-language': language === 'it' ? 'it-IT,it;q=0.9,en;q=0.6' : 'en-GB,en;q=0.9',
      'sec-fetch-site': 'none',
      'sec-fetch-mode': 'navigate',
      'sec-fetch-user': '?1',
      'sec-fetch-dest': 'document',
    },
    ip,
  );
}

/** An in-app browser that sends no Fetch Metadata: the click waits for a person to confirm it. */
function weakSignals(rng: Rng): RequestSignals {
  return signalsOf({ 'user-agent': pick(rng, BROWSERS), accept: 'text/html', 'accept-language': 'en-US,en;q=0.8' }, `86.${128 + Math.floor(rng() * 40)}.${Math.floor(rng() * 255)}.7`);
}

/** Microsoft Safe Links detonating a message's links: a listed scanner network. */
function safeLinksSignals(rng: Rng): RequestSignals {
  return signalsOf({ 'user-agent': BROWSERS[0]!, accept: 'text/html', 'accept-language': 'en-US' }, `40.107.${Math.floor(rng() * 255)}.${1 + Math.floor(rng() * 250)}`);
}

/** A scanner that looks like a person from an unlisted network: only the burst rule tells. */
function lookAlikeSignals(): RequestSignals {
  return signalsOf(
    { 'user-agent': BROWSERS[0]!, accept: 'text/html', 'accept-language': 'en-US,en;q=0.9', 'sec-fetch-site': 'none', 'sec-fetch-mode': 'navigate', 'sec-fetch-user': '?1', 'sec-fetch-dest': 'document' },
    '198.51.100.23',
  );
}

/** An answer on `scale` from a customer whose satisfaction is `q` (0 to 1). */
function answerOf(rng: Rng, scale: Scale, q: number): number {
  const x = Math.min(0.98, Math.max(0.02, q));
  if (scale === 'csat3') return rng() < x ? 3 : rng() < 0.55 ? 2 : 1;
  if (scale === 'ces7') return Math.min(7, Math.max(1, Math.round(2 + 4.6 * x + (rng() + rng() + rng() - 1.5) * 1.6)));
  // NPS: promoters grow with q, detractors shrink.
  const r = rng();
  if (r < x * 0.7) return 9 + Math.floor(rng() * 2);
  if (r < x * 0.7 + (1 - x) * 0.75) return Math.floor(rng() * 7);
  return 7 + Math.floor(rng() * 2);
}

export interface DemoOptions {
  db: Db;
  deps: ServiceDeps;
  /** Traffic relative to the default (1: about 30,000 messages and as many clicks over six months). */
  volume: number;
  days: number;
  seed: number;
  now: Date;
  log?: (line: string) => void;
}

export interface DemoSummary {
  workspaceId: string;
  created: boolean;
  setupUrl: string | null;
  surveys: { id: string; name: string; scale: Scale; messages: number; clicks: number; comments: number }[];
  clicks: number;
  seconds: number;
}

/** One message's life: minted, maybe scanned, maybe answered (and changed, and commented). */
interface Timeline {
  survey: Survey;
  at: number;
  subject: string;
  recipient: string;
  agent: string | null;
  properties?: Record<string, string>;
  language: 'en' | 'it';
  quality: number;
}

/** Runs `tasks` with at most `limit` at a time (clicks of different messages commit together). */
async function pool<T>(items: T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  async function worker() {
    while (next < items.length) await run(items[next++]!);
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** The workspace to fill: the only one when it is still empty (the first `npm start`'s), else a new one. */
async function demoWorkspace(db: Db, now: Date): Promise<{ id: string; created: boolean }> {
  const all = await listWorkspaces(db);
  if (all.length === 1) {
    const progress = await workspaceProgress(db, all[0]!.id);
    if (progress.surveys === 0 && progress.responses === 0) return { id: all[0]!.id, created: false };
  }
  const { workspace } = await createWorkspace(db, `Demo ${now.toISOString().slice(0, 10)}`, now);
  return { id: workspace.id, created: true };
}

/** Fills a workspace with the demo's traffic; returns what it made. */
export async function runDemo(options: DemoOptions): Promise<DemoSummary> {
  const { db, now } = options;
  const log = options.log ?? (() => {});
  const rng = seededRandom(options.seed);
  const started = performance.now();
  const workspace = await demoWorkspace(db, now);
  // An Italian team: days, weeks and months of the reports are Rome's.
  await setWorkspaceTimeZone(db, workspace.id, DEMO_TIME_ZONE);
  const start = now.getTime() - options.days * DAY_MS;
  const created = new Date(start - DAY_MS);
  const surveys = {
    csat: await insertSurvey(db, workspace.id, { name: 'Ticket closed', scale: 'csat3', question: 'How did we do on this ticket?', questionI18n: { it: 'Come siamo andati con questo ticket?' }, locale: null }, created),
    nps: await insertSurvey(db, workspace.id, { name: 'Project close', scale: 'nps', question: 'How likely are you to recommend us to a colleague?', questionI18n: { it: 'Quanto è probabile che ci consigli a un collega?' }, locale: null }, created),
    ces: await insertSurvey(db, workspace.id, { name: 'Ease of getting help', scale: 'ces7', question: 'How easy was it to get your issue solved?', questionI18n: { it: 'Quanto è stato facile risolvere il problema?' }, locale: null }, created),
  };

  // Every message of the six months, in time order.
  const timelines: Timeline[] = [];
  let ticket = 10_000;
  for (let d = 0; d < options.days; d++) {
    const dayStart = start + d * DAY_MS;
    const weekday = (new Date(dayStart).getUTCDay() + 6) % 7;
    const daysAgo = options.days - d;
    const load = WEEKDAY_FACTOR[weekday]! * options.volume;
    const count = (perDay: number) => Math.floor(perDay * load + rng());
    const agentsToday = AGENTS.filter((a) => a.sinceDaysAgo === undefined || daysAgo <= a.sinceDaysAgo);
    const agentOf = () => {
      // The new hire takes a small share of the tickets.
      const pool = agentsToday.flatMap((a) => Array(Math.round((a.share ?? 1) * 20)).fill(a) as (typeof AGENTS)[number][]);
      return pick(rng, pool);
    };
    const progress = d / options.days;
    const customer = () => {
      const language: 'en' | 'it' = rng() < 0.45 ? 'it' : 'en';
      return { language, recipient: `${pick(rng, FIRST_NAMES)}.${Math.floor(rng() * 5000)}@${pick(rng, DOMAINS)}` };
    };
    const at = () => dayStart + (8 + rng() * 10) * 3_600_000;
    for (let i = count(120); i > 0; i--) {
      const agent = agentOf();
      timelines.push({ survey: surveys.csat, at: at(), subject: `T-${++ticket}`, ...customer(), agent: agent.name, quality: agent.quality + agent.drift * progress });
    }
    for (let i = count(40); i > 0; i--) {
      const agent = agentOf();
      timelines.push({ survey: surveys.ces, at: at(), subject: `T-${++ticket}`, ...customer(), agent: agent.name, quality: agent.quality - 0.05 + agent.drift * progress });
    }
    for (let i = count(6); i > 0; i--) {
      const org = pick(rng, ORGANIZATIONS);
      const project = pick(rng, org.projects);
      timelines.push({ survey: surveys.nps, at: at(), subject: `${project}-close-${++ticket}`, ...customer(), agent: null, properties: { organization: org.name, project }, quality: 0.6 + org.mood });
    }
  }
  timelines.sort((a, b) => a.at - b.at);

  const stats = new Map(Object.values(surveys).map((s) => [s.id, { messages: 0, clicks: 0, comments: 0 }]));
  let clicks = 0;
  const at = (ms: number): ServiceDeps => ({ ...options.deps, clock: () => new Date(ms) });
  const since = performance.now();
  let done = 0;

  await pool(timelines, 64, async function liveMessage(m) {
    const stat = stats.get(m.survey.id)!;
    stat.messages++;
    const minted = await mintLinks(at(m.at), workspace.id, { surveyId: m.survey.id, subject: m.subject, recipient: m.recipient, agent: m.agent, ...(m.properties ? { properties: m.properties } : {}) });
    const tokenOf = (score: number) => new URL(minted.links.find((l) => l.score === score)!.url).pathname.split('/')[2]!;
    const answers = minted.links.map((l) => l.score);
    const click = async (ms: number, score: number, signals: RequestSignals) => {
      const outcome = await recordClick(at(ms), tokenOf(score), String(score), signals);
      clicks++;
      stat.clicks++;
      // null: queued (Workers only) or a suppressed address (none in the demo).
      return outcome === null || isQueuedClick(outcome) ? null : outcome.id;
    };
    // A mail-security scanner fetches every link of one message in eight, minutes after it is sent.
    const scan = rng();
    if (scan < 1 / 8) {
      const signals = scan < 1 / 14 ? safeLinksSignals(rng) : lookAlikeSignals();
      let t = m.at + (1 + rng() * 4) * MINUTE_MS;
      for (const score of answers) await click((t += 50 + rng() * 200), score, signals);
    }
    // Almost one customer in two answers, within two days.
    if (rng() > 0.45) return;
    const answeredAt = m.at + (0.1 + rng() * rng() * 48) * 3_600_000;
    if (answeredAt > now.getTime()) return;
    const score = answerOf(rng, m.survey.scale, m.quality);
    const weak = rng() < 0.05;
    const responseId = await click(answeredAt, score, weak ? weakSignals(rng) : personSignals(rng, m.language));
    if (++done % 2000 === 0) log(`  ${done} answers, ${clicks} clicks (${Math.round(clicks / ((performance.now() - since) / 1000))} clicks/s)`);
    if (!responseId || weak) return;
    // Some change their mind on the thank-you page, a moment later.
    let final = score;
    if (rng() < 0.05) {
      final = answerOf(rng, m.survey.scale, m.quality);
      await click(answeredAt + (20 + rng() * 300) * 1000, final, personSignals(rng, m.language));
    }
    if (rng() < 0.3) {
      const sentiment = sentimentOf(m.survey.scale, final);
      const commentAt = answeredAt + (40 + rng() * 200) * 1000;
      const deps = at(commentAt);
      const token = await mintFormToken(deps.config.formKeys, responseId, new Date(commentAt), 3600);
      await submitComment(deps, responseId, token, normalizeComment(pick(rng, COMMENTS[m.language][sentiment])).text, personSignals(rng, m.language));
      stat.comments++;
    }
  });

  const members = await listMembers(db, workspace.id);
  const setupUrl = members.length ? null : await createSetupLink(db, { workspaceId: workspace.id, now, publicUrl: options.deps.config.publicUrl });
  return {
    workspaceId: workspace.id,
    created: workspace.created,
    setupUrl,
    surveys: Object.values(surveys).map((s) => ({ id: s.id, name: s.name, scale: s.scale, ...stats.get(s.id)! })),
    clicks,
    seconds: (performance.now() - started) / 1000,
  };
}

/** A reason the demo cannot run, said in one line. */
class DemoError extends Error {}

async function main() {
  const { values } = parseArgs({
    options: { volume: { type: 'string', default: '1' }, days: { type: 'string', default: '183' }, seed: { type: 'string', default: '15' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log('Usage: npm run demo [-- --volume 1] [--days 183] [--seed 15] [--json]\nFills a workspace of the embedded database with six months of demo traffic (refused while the service runs).');
    return;
  }
  const volume = Number(values.volume);
  const days = Number(values.days);
  const seed = Number(values.seed);
  if (!(volume > 0 && volume <= 10) || !Number.isInteger(days) || days < 1 || days > 731 || !Number.isInteger(seed)) throw new DemoError('--volume must be a number above 0 up to 10, --days a whole number from 1 to 731, --seed a whole number');
  const log = (line: string) => console.log(line);
  const config = loadConfig(withDevKeys(process.env, resolve('data/dev-keys.json'), log), { databaseUrl: DEFAULT_DATABASE_URL });
  const path = databaseFilePath(config.databaseUrl);
  if (!path) throw new DemoError('npm run demo fills the embedded database of npm start (DATABASE_URL=file:…), not a remote one.');
  const pid = runningInstance(path);
  if (pid !== null) throw new DemoError(`the service is running on ${path} (process ${pid}): stop it first, then run npm run demo and start it again.`);
  // On its own thread, as the server runs it: prepared statements are cached there, and the event loop
  // keeps minting and classifying while a group of clicks is written.
  const client = await openNodeDatabase(config.databaseUrl, undefined, { thread: true, synchronous: 'normal' });
  try {
    await applyMigrations(client, loadMigrations());
    // Concurrent clicks commit in groups, as the server writes them.
    const db = createDb(client, { groupCommit: true });
    const now = new Date();
    if (!values.json) log(`demo: ${days} days of traffic at volume ${volume} into ${path}…`);
    const summary = await runDemo({ db, deps: { db, config, clock: () => now }, volume, days, seed, now, log: values.json ? undefined : log });
    if (values.json) {
      console.log(JSON.stringify({ ...summary, dashboardUrl: `${config.publicUrl}/app/reports` }));
      return;
    }
    log(`\ndemo: ${summary.created ? 'created' : 'filled'} workspace ${summary.workspaceId}: ${summary.clicks} clicks in ${summary.seconds.toFixed(1)} s (${Math.round(summary.clicks / summary.seconds)} clicks/s)`);
    for (const s of summary.surveys) log(`  ${s.name} (${s.scale}, ${s.id}): ${s.messages} messages, ${s.clicks} clicks, ${s.comments} comments`);
    log(
      summary.setupUrl
        ? `\nnotice: open this link to set up the demo workspace's owner account (works once, for 24 hours):\n\n          ${summary.setupUrl}\n`
        : `\nnotice: sign in at ${config.publicUrl}/app/login (the demo workspace is in the workspace switcher).`,
    );
    log(`Start the service (npm start), then open the dashboard: ${config.publicUrl}/app/reports`);
  } finally {
    client.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  main().catch((error: unknown) => {
    console.error(error instanceof DemoError ? `demo: ${error.message}` : error instanceof ConfigError ? `demo: ${error.message}` : error);
    process.exit(1);
  });
}
