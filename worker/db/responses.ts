import { and, desc, eq, gt, gte, isNotNull, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { InStatement, InValue } from '@libsql/client';
import { linkProperties, responseEvents, responses, surveys } from '../../schema';
import { CLICK_EVENT_KINDS, type ResponseStatus } from '../../schema/responses';
import type { Scale, Sentiment } from '../../schema/scales';
import { newId, newResponseId } from '../lib/ids';
import type { SettleWindows } from '../config';
import { BURST_RULES, type Classification } from '../lib/classify';
import type { RequestSignals } from '../lib/signals';
import type { Db } from './index';
import type { Survey } from './surveys';
import { COMMENT_RULES, FOLLOW_UP_RULES, type OutboxRule, outboxStatements, VOTE_RULES } from './webhooks';

export type ResponseRow = typeof responses.$inferSelect;
export type ResponseEvent = typeof responseEvents.$inferSelect;
export type ResponseWithScale = { response: ResponseRow; scale: Scale; properties: string | null; surveyName?: string };

export interface VoteInput {
  workspaceId: string;
  surveyId: string;
  scale: string;
  subject: string;
  recipient: string;
  agent: string | null;
  /** The link's segment properties (`link_properties`): set on a new response, kept when null. Absent in votes queued before it existed. */
  propertiesId?: string | null;
  score: number;
  sentiment: Sentiment;
  signals: RequestSignals;
  /** What this one request looks like (`lib/classify.ts`); bursts are found in the write. */
  classification: Classification;
  /** How many answers the scale has (a burst may hit every one of them). */
  answers: number;
  at: number;
  /** How long the vote's webhook events wait before they are sent (`config.ts`, `settleWindows`). */
  settle: SettleWindows;
  /** A signature-link vote: the per-source daily cap it is subject to (`SignatureCap`). */
  cap?: SignatureCap | null;
  /**
   * The keyed hashes of the recipient's address under the first two link keys
   * (`services/privacy.ts`): a vote for a suppressed address creates no response, checked inside
   * the same write, so a click stays one round trip. Null when the recipient is not an address.
   */
  suppression?: [string, string | null] | null;
  /**
   * A vote written from the queue after a database outage (`services/queued-votes.ts`): its click
   * event id, minted at click time and carried in the message. The write records it in
   * `queued_votes` first, in the same atomic batch, so a redelivered message fails on that primary
   * key and writes nothing twice. Live clicks leave it unset and their batch is unchanged.
   */
  queuedEventId?: string;
}

/**
 * The per-source cap of a signature-link vote: a vote that would create a new response counts
 * only while its network and its browser have created fewer than their cap of responses through
 * this link this UTC day. Checked and counted inside the vote's own atomic write (`upsertVotes`),
 * so concurrent clicks cannot race past it. A vote on an existing response (a changed answer) is
 * never refused.
 */
export interface SignatureCap {
  linkId: string;
  /** UTC day number of the click. */
  day: number;
  /** `net:<ip prefix>` (or `net:unknown`). */
  network: string;
  /** `browser:<cookie id>` when the browser presented its cookie, else null. */
  browser: string | null;
  perNetwork: number;
  perBrowser: number;
}

/** The columns of an event row after its kind and score, in the order of `signalArgs`. */
const EVENT_SIGNAL_COLUMNS = 'at, method, user_agent, accept_language, sec_fetch, ip_prefix, asn, as_organization, country';
function signalArgs(at: number, s: RequestSignals) {
  return [at, s.method, s.userAgent, s.acceptLanguage, s.secFetch, s.ipPrefix, s.asn, s.asOrganization, s.country];
}

const CLICKS = `(${CLICK_EVENT_KINDS.map((k) => `'${k}'`).join(', ')})`;

/**
 * Bursts, and what they may sweep (`BURST_RULES`, `lib/classify.ts`). A burst is the tool against
 * robots that look like people: by their signals alone they would count. It must never turn a
 * person's vote into a robot's because of clicks that are themselves known robots: a mail gateway
 * that re-checks every link of the message seconds after the customer clicked proves nothing about
 * who made the customer's click. So:
 *
 * - a known robot's click (`bot` by its own signals: a scanner network or agent, no user agent, a
 *   script; or by an admin) takes part in no burst: it is already `bot`, it makes no burst, counts
 *   toward none, and its write sweeps nothing;
 * - a burst is found over the window's other clicks: those that still look like people, and the
 *   clicks of the click's own network already found to be a burst (a scanner that fetches a link
 *   again after its burst is still that burst). Another network's burst, once found, is settled:
 *   it no longer pulls in a later click from elsewhere (the person who clicks after it);
 * - when the rule holds, the robots are the networks that gave two answers or more within the
 *   window: a person gives one (or changes their mind over seconds, not milliseconds). Their clicks
 *   become `bot`; a network that gave one answer, such as the person's beside a fast scanner, keeps
 *   its click, and the click being written notes `beside-burst:<rule>` so that the sweep runs. When
 *   no network gave two (a burst spread over networks, one link each), every click of the window
 *   is the burst's, as before. A click a person confirmed is never swept.
 *
 * A click's network is its AS number when the runtime knows it (Workers' `request.cf`), otherwise
 * its stored address prefix (/24, /48): a cloud scanner spreads its fetches over many addresses of
 * one provider, and a person's carrier is not the scanner's.
 */
const BESIDE_BURST = 'beside-burst:';
type BurstRule = (typeof BURST_RULES)[number];
// The cast: a bound number may arrive as a float (Hrana), where the stored column holds an integer.
const sourceOf = (e: string) => `coalesce('as' || CAST(${e}.asn AS INTEGER), ${e}.ip_prefix, '')`;
/** A click that is `bot` by its own signals or an admin's decision, not by a burst. */
const knownRobot = (e: string) => `(${e}.status = 'bot' AND coalesce(${e}.reason, '') NOT LIKE 'burst:%')`;
const clickInWindow = (b: string, responseId: string, at: string, rule: BurstRule) =>
  `${b}.response_id = ${responseId} AND ${b}.kind IN ${CLICKS} AND ${b}.at > ${at} - ${rule.windowMs}`;

/** The rule holds at click `x` (not a known robot): that many answers within its window. */
function burstHolds(x: string, responseId: string, score: string, at: string, rule: BurstRule): string {
  return `(${x}.status <> 'bot' AND (SELECT count(DISTINCT b.score) FROM response_events b
     WHERE ${clickInWindow('b', responseId, at, rule)} AND b.score <> ${score}
       AND (b.status <> 'bot' OR (b.reason LIKE 'burst:%' AND ${sourceOf('b')} = ${sourceOf(x)}))) + 1 >= ${rule.distinct === 'all' ? `${x}.answers` : rule.distinct})`;
}

/** The network of click `x` gave another answer within the window (known robots aside). */
function otherAnswerOfSource(x: string, responseId: string, score: string, at: string, rule: BurstRule): string {
  return `EXISTS (SELECT 1 FROM response_events f WHERE ${clickInWindow('f', responseId, at, rule)} AND f.score <> ${score}
     AND NOT ${knownRobot('f')} AND ${sourceOf('f')} = ${sourceOf(x)})`;
}

/** Some network gave two answers or more within the window, among the clicks that still look like people. */
function someSourceAnswersTwice(responseId: string, at: string, rule: BurstRule): string {
  return `EXISTS (SELECT 1 FROM response_events a JOIN response_events f
       ON ${clickInWindow('f', 'a.response_id', at, rule)} AND f.status <> 'bot' AND f.score <> a.score AND ${sourceOf('f')} = ${sourceOf('a')}
     WHERE ${clickInWindow('a', responseId, at, rule)} AND a.status <> 'bot')`;
}

/**
 * The click event a response's answer comes from: the latest counted click; without one the latest
 * pending click; without one the latest robot click. By rowid (the order of writing), not `at`.
 */
const deciding = (responseId: string) =>
  `(SELECT e.id FROM response_events e WHERE e.response_id = ${responseId} AND e.kind IN ${CLICKS}
    ORDER BY e.status <> 'counted', e.status <> 'pending', e.rowid DESC LIMIT 1)`;

/** The types of the vote events (`VOTE_RULES`). */
const STANDING_TYPES = VOTE_RULES.map((rule) => `'${rule.type}'`).join(', ');

/**
 * The response's last vote event that still stands: the latest `feedback.created`, `.updated` or
 * `.negative` with a delivery left. The withdrawal trigger deletes the never-attempted deliveries
 * of what a robot's click caused and of what followed it: an event with none left reached no
 * receiver, one with a delivery was sent or is still to be. By the response's events
 * (`webhook_events_response_id_idx`, migration 0011), newest first.
 */
const standingVoteEvent = (responseId: string) =>
  `(SELECT ev.id FROM webhook_events ev WHERE ev.response_id = ${responseId} AND ev.type IN (${STANDING_TYPES})
      AND EXISTS (SELECT 1 FROM webhook_deliveries wd WHERE wd.event_id = ev.id)
    ORDER BY ev.rowid DESC LIMIT 1)`;

/**
 * Statements that re-derive touched responses from their events, after events were written or
 * reclassified, and queue the webhook events of a change of the *counted* answer. `touched`
 * defines a CTE `c (response_id, cause_id, at, wrote_click)`: `wrote_click` is 1 when the cause
 * is a click event that this write stored (it becomes the response's last click).
 *
 * 1. The response takes the deciding event's answer and status; when the counted answer changed,
 *    it is stamped with the cause (`counted_cause_id`), `counted_revision` is bumped and
 *    `previous_sentiment` keeps the counted sentiment before.
 *
 *    Unless a counted click was found to be a robot's in this write (a burst swept it, an admin
 *    flagged it): then the trigger `response_events_withdraw_webhooks` (migrations 0003, 0005,
 *    0011) has withdrawn the never-attempted vote events it caused and those queued after it (they
 *    were reckoned against the robot's answer), and marked the response (`compare_standing`). The
 *    "before" is then what the receivers hold: the last vote event still standing
 *    (`standingVoteEvent`). None: the answer is new to them (`counted_revision` 1, so
 *    `feedback.created`; 0 when nothing is counted). Its answer: nothing is queued (a person's
 *    click that a look-alike scanner outvoted for a moment), and the response is stamped with that
 *    event's cause. Another answer: `feedback.updated`, and `previous_sentiment` is the standing
 *    event's, so `feedback.negative` goes once per move into negative as the receivers saw it. A
 *    robot's event a receiver already got (an admin's decision hours later) stands: the move back
 *    to the person's answer is sent.
 * 2. and 3. the outbox (`outboxStatements`) for responses stamped with these causes, with
 *    `followup.created` for a follow-up the write opened (`FOLLOW_UP_RULES`); `outboxTouched`
 *    may give a cheaper CTE `x` for it (a simpler statement prepares faster on the click path).
 */
function deriveStatements(
  touched: { sql: string; args: InValue[] },
  causeIds: string[],
  rules: OutboxRule[],
  settle: SettleWindows,
  outboxTouched?: { sql: string; args: InValue[] },
): InStatement[] {
  // Whether the receivers are told: against what they hold after a robot was found, else against the response before.
  const changed = `(d.status = 'counted' AND CASE WHEN responses.compare_standing
      THEN d.standing_id IS NULL OR d.standing_score <> d.score
      ELSE responses.status <> 'counted' OR responses.score <> d.score END)`;
  return [
    {
      sql: `WITH ${touched.sql},
            d AS (SELECT c.response_id, c.cause_id, c.at, c.wrote_click, p.score, p.sentiment, p.status,
                    s.id AS standing_id, s.score AS standing_score, s.sentiment AS standing_sentiment, s.cause_id AS standing_cause_id
                  FROM c JOIN response_events p ON p.id = ${deciding('c.response_id')}
                  JOIN responses r ON r.id = c.response_id
                  LEFT JOIN webhook_events s ON s.id = CASE WHEN r.compare_standing THEN ${standingVoteEvent('r.id')} END)
            UPDATE responses SET
              score = d.score,
              sentiment = d.sentiment,
              status = d.status,
              counted_revision = CASE WHEN responses.compare_standing AND d.standing_id IS NULL THEN ${changed} ELSE responses.counted_revision + ${changed} END,
              previous_sentiment = CASE WHEN ${changed}
                THEN (CASE WHEN responses.compare_standing THEN d.standing_sentiment WHEN responses.status = 'counted' THEN responses.sentiment END)
                ELSE responses.previous_sentiment END,
              counted_cause_id = CASE WHEN ${changed} THEN d.cause_id WHEN d.standing_id IS NOT NULL THEN d.standing_cause_id ELSE responses.counted_cause_id END,
              compare_standing = 0,
              last_answered_at = CASE WHEN d.wrote_click THEN d.at ELSE responses.last_answered_at END,
              last_event_id = CASE WHEN d.wrote_click THEN d.cause_id ELSE responses.last_event_id END,
              revision = responses.revision + d.wrote_click
            FROM d WHERE responses.id = d.response_id`,
      args: touched.args,
    },
    ...outboxStatements(
      outboxTouched ?? {
        sql: `${touched.sql},
              x AS (SELECT r.*, c.cause_id, c.at FROM c JOIN responses r ON r.id = c.response_id AND r.counted_cause_id = c.cause_id)`,
        args: touched.args,
      },
      [...rules, ...FOLLOW_UP_RULES],
      causeIds,
      {
        'feedback.created': settle.voteMs,
        'feedback.updated': settle.voteMs,
        'feedback.negative': Math.max(settle.negativeMs, settle.voteMs),
        'followup.created': Math.max(settle.negativeMs, settle.voteMs),
      },
    ),
  ];
}

const identityOf = (v: { surveyId: string; subject: string; recipient: string }) => `${v.surveyId}\u0000${v.subject}\u0000${v.recipient}`;
const placeholders = (rows: number, columns: number) => Array.from({ length: rows }, () => `(${Array(columns).fill('?').join(', ')})`).join(', ');

/**
 * Votes on one response within one write go to successive rounds, so each round's rows are
 * distinct responses and the order in which the engine processes a round does not matter. So do
 * votes through one signature link: each round then reads its link's counters as the rounds
 * before it left them, and a group of concurrent clicks cannot pass the cap together.
 */
function rounds(votes: VoteInput[]): { vote: VoteInput; index: number }[][] {
  const seen = new Map<string, number>();
  const out: { vote: VoteInput; index: number }[][] = [];
  votes.forEach((vote, index) => {
    const key = identityOf(vote);
    const link = vote.cap ? `link\u0000${vote.cap.linkId}` : null;
    const round = Math.max(seen.get(key) ?? 0, link ? (seen.get(link) ?? 0) : 0);
    seen.set(key, round + 1);
    if (link) seen.set(link, round + 1);
    (out[round] ??= []).push({ vote, index });
  });
  return out;
}

/**
 * The SQL of one round of `upsertVotes` for `n` distinct responses, in the order its arguments are
 * built there: (0) the signature-link caps (only in a round with a signature vote), (1) the upsert,
 * (2) the click event, (3) the rest of a burst, (4)-(6) the derived answer and the webhook outbox.
 * The text depends only on `n`, the caps and the settle window, so it is built once per shape and
 * reused: the same text is also what the database's statement cache is keyed by.
 */
function roundSql(n: number, capped: boolean, settle: SettleWindows): string[] {
  const key = `${n}:${capped ? 1 : 0}:${settle.voteMs}:${settle.negativeMs}`;
  let sql = roundSqlCache.get(key);
  if (!sql) {
    if (roundSqlCache.size >= 256) roundSqlCache.clear();
    sql = [...(capped ? [capSql(n)] : []), ...buildRoundSql(n, settle)];
    roundSqlCache.set(key, sql);
  }
  return sql;
}
const roundSqlCache = new Map<string, string[]>();

/**
 * (0) The caps of a round's signature votes, before the upsert. A vote that would create a new
 * response is admitted while its network's and its browser's counts for (link, UTC day) are under
 * their caps: both are counted, and the network's row remembers the admitted click's event id,
 * which the upsert (1) requires. Otherwise the click is refused: it only adds to its network's
 * `excess` (one row per link, day and network, however many clicks), and the upsert skips it, so
 * it has no response, no event and no webhook. Votes on existing responses pass untouched. Within
 * a round every signature vote has its own link (`rounds`), so the counts read here are exact.
 * RETURNs each network row written, to tell an admitted vote from an excess one.
 */
function capSql(n: number): string {
  const same = (source: string) => `(SELECT k.responses FROM signature_vote_counts k WHERE k.link_id = v.link_id AND k.day = v.day AND k.source = ${source})`;
  return `WITH v (link_id, day, net, browser, net_cap, browser_cap, event_id, at, survey_id, workspace_id, scale, subject, recipient) AS (VALUES ${placeholders(n, 13)}),
     a AS (SELECT v.link_id, v.day, v.net, v.browser, v.event_id, v.at,
             coalesce(${same('v.net')}, 0) < v.net_cap AND (v.browser IS NULL OR coalesce(${same('v.browser')}, 0) < v.browser_cap) AS ok
           FROM v JOIN surveys s ON s.id = v.survey_id AND s.workspace_id = v.workspace_id AND s.scale = v.scale AND s.archived_at IS NULL
           WHERE v.link_id IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.survey_id = v.survey_id AND r.subject = v.subject AND r.recipient = v.recipient)),
     w AS (SELECT link_id, day, net AS source, ok AS responses, NOT ok AS excess, CASE WHEN NOT ok THEN at END AS excess_at, CASE WHEN ok THEN event_id END AS event_id FROM a
           UNION ALL
           SELECT link_id, day, browser, 1, 0, NULL, event_id FROM a WHERE ok AND browser IS NOT NULL)
     INSERT INTO signature_vote_counts (link_id, day, source, responses, excess, first_excess_at, last_excess_at, last_event_id)
     SELECT link_id, day, source, responses, excess, excess_at, excess_at, event_id FROM w
     WHERE true
     ON CONFLICT (link_id, day, source) DO UPDATE SET
       responses = responses + excluded.responses,
       excess = excess + excluded.excess,
       first_excess_at = coalesce(first_excess_at, excluded.first_excess_at),
       last_excess_at = coalesce(excluded.last_excess_at, last_excess_at),
       last_event_id = coalesce(excluded.last_event_id, last_event_id)
     RETURNING link_id, source, last_event_id`;
}

function buildRoundSql(n: number, settle: SettleWindows): string[] {
  const ids = Array(n).fill('?').join(', ');
  const v = `v (survey_id, subject, recipient, event_id, at) AS (VALUES ${placeholders(n, 5)})`;
  const statements = [
    // A signature vote inserts only when (0) admitted it (or its response exists already).
    // A suppressed recipient (erasure with `suppress`) creates nothing, by the primary key.
    `WITH v (id, subject, recipient, agent, score, sentiment, at, survey_id, workspace_id, scale, link_id, day, net, event_id, h1, h2, properties_id) AS (VALUES ${placeholders(n, 17)})
     INSERT INTO responses (id, workspace_id, survey_id, subject, recipient, agent, score, sentiment, status, revision, first_answered_at, last_answered_at, properties_id)
     SELECT v.id, s.workspace_id, s.id, v.subject, v.recipient, v.agent, v.score, v.sentiment, 'pending', 0, v.at, v.at, v.properties_id
     FROM v JOIN surveys s ON s.id = v.survey_id AND s.workspace_id = v.workspace_id AND s.scale = v.scale AND s.archived_at IS NULL
     WHERE (v.link_id IS NULL
       OR EXISTS (SELECT 1 FROM signature_vote_counts k WHERE k.link_id = v.link_id AND k.day = v.day AND k.source = v.net AND k.last_event_id = v.event_id)
       OR EXISTS (SELECT 1 FROM responses r WHERE r.survey_id = v.survey_id AND r.subject = v.subject AND r.recipient = v.recipient))
       AND (v.h1 IS NULL OR NOT EXISTS (SELECT 1 FROM suppressed_recipients x WHERE x.workspace_id = v.workspace_id AND x.hash IN (v.h1, v.h2)))
     ON CONFLICT (survey_id, subject, recipient) DO UPDATE SET agent = coalesce(excluded.agent, responses.agent),
       properties_id = coalesce(excluded.properties_id, responses.properties_id)
     RETURNING id, survey_id, subject, recipient`,
    `WITH v (survey_id, subject, recipient, event_id, score, sentiment, status, reason, answers, ${EVENT_SIGNAL_COLUMNS}) AS (VALUES ${placeholders(n, 18)}),
     w AS (SELECT v.*, r.id AS response_id, l.id AS last_id, l.score AS last_score, l.status AS last_status, ${sourceOf('l')} AS last_source, ${BURST_RULES.map(
       (rule, i) => `${burstHolds('v', 'r.id', 'v.score', 'v.at', rule)} AS held${i}`,
     ).join(', ')}
           FROM v JOIN responses r ON r.survey_id = v.survey_id AND r.subject = v.subject AND r.recipient = v.recipient
           LEFT JOIN response_events l ON l.id = r.last_event_id),
     t AS (SELECT w.*, ${BURST_RULES.map(
       (rule, i) => `CASE WHEN w.held${i} THEN (${otherAnswerOfSource('w', 'w.response_id', 'w.score', 'w.at', rule)} OR NOT ${someSourceAnswersTwice('w.response_id', 'w.at', rule)}) END AS condemned${i}`,
     ).join(', ')} FROM w)
     INSERT INTO response_events (id, response_id, kind, score, sentiment, status, reason, ${EVENT_SIGNAL_COLUMNS})
     SELECT t.event_id, t.response_id, CASE WHEN t.last_id IS NULL THEN 'created' WHEN t.last_score <> t.score THEN 'changed' ELSE 'clicked' END,
       t.score, t.sentiment, CASE WHEN ${BURST_RULES.map((_, i) => `t.condemned${i}`).join(' OR ')} THEN 'bot' ELSE t.status END,
       CASE ${BURST_RULES.map((rule, i) => `WHEN t.condemned${i} THEN 'burst:${rule.name}; ' || t.reason`).join(' ')}
            ${BURST_RULES.map((rule, i) => `WHEN t.held${i} THEN t.reason || '; ${BESIDE_BURST}${rule.name}'`).join(' ')} ELSE t.reason END,
       ${EVENT_SIGNAL_COLUMNS.split(', ').map((c) => `t.${c}`).join(', ')}
     FROM t
     WHERE t.last_id IS NULL OR t.last_score <> t.score OR t.last_status <> t.status OR t.last_source <> ${sourceOf('t')}`,
    // The rest of a burst: the earlier clicks in its window of every network that gave two answers
    // or more in it (of every network when none did: a burst spread over networks), a person's
    // confirmed click and robots' clicks excepted (see `burstHolds`).
    `UPDATE response_events AS e SET status = 'bot', reason = CASE ${BURST_RULES.map(
      (rule) => `WHEN n.reason LIKE 'burst:${rule.name};%' OR n.reason LIKE '%; ${BESIDE_BURST}${rule.name}' THEN 'burst:${rule.name}; '`,
    ).join(' ')} END || coalesce(e.reason, '')
     FROM response_events n
     WHERE n.id IN (${ids}) AND (n.reason LIKE 'burst:%' OR n.reason LIKE '%; ${BESIDE_BURST}%')
       AND e.response_id = n.response_id AND e.id <> n.id AND e.kind IN ${CLICKS} AND e.status <> 'bot' AND e.confirmed_at IS NULL
       AND CASE ${BURST_RULES.map(
         (rule) => `WHEN n.reason LIKE 'burst:${rule.name};%' OR n.reason LIKE '%; ${BESIDE_BURST}${rule.name}'
           THEN e.at > n.at - ${rule.windowMs}
             AND (${otherAnswerOfSource('e', 'e.response_id', 'e.score', 'n.at', rule)}
                  OR (n.reason LIKE 'burst:%' AND NOT ${otherAnswerOfSource('n', 'n.response_id', 'n.score', 'n.at', rule)}))`,
       ).join(' ')} ELSE 0 END`,
  ];
  const derived = deriveStatements(
    {
      sql: `${v}, c AS (SELECT r.id AS response_id, v.event_id AS cause_id, v.at, EXISTS (SELECT 1 FROM response_events w WHERE w.id = v.event_id) AS wrote_click
                        FROM v JOIN responses r ON r.survey_id = v.survey_id AND r.subject = v.subject AND r.recipient = v.recipient)`,
      args: [],
    },
    Array<string>(n).fill(''),
    VOTE_RULES,
    settle,
    {
      sql: `${v}, x AS (SELECT r.*, v.event_id AS cause_id, v.at FROM v JOIN responses r
                        ON r.survey_id = v.survey_id AND r.subject = v.subject AND r.recipient = v.recipient AND r.counted_cause_id = v.event_id)`,
      args: [],
    },
  );
  return [...statements, ...derived.map((statement) => (typeof statement === 'string' ? statement : statement.sql))];
}

/**
 * Records votes in ONE atomic write batch (write mode: the write lock is taken up front, so
 * concurrent clicks queue instead of failing on lock upgrade). On the Worker that is one vote and
 * one round trip; on Node, group commit hands in every vote that arrived meanwhile. Per round of
 * distinct responses:
 *
 * 1. a multi-row upsert keyed by (survey, subject, recipient) that inserts only where the survey
 *    exists in that workspace with that scale, and RETURNs the id of every response it touched;
 * 2. the click's event, with its classification and reason, unless the response's last click had
 *    the same answer and the same classification from the same network (the same click again
 *    writes nothing; a person who clicks the answer a look-alike scanner fetched a moment before
 *    is written, so that the burst that sweeps the scanner's click leaves the person's). Burst
 *    detection happens here, in SQL over the response's recent click events (see `burstHolds`):
 *    when this click makes one of `BURST_RULES` true and its network is the burst's, it is `bot`
 *    with reason `burst:<rule>; …`; when it is beside another network's burst, it keeps its
 *    classification and notes `; beside-burst:<rule>`. A known robot's click makes no burst;
 * 3. the rest of such a burst: the clicks of the response in the rule's window from the burst's
 *    networks (not confirmed by a person, not already robots) become `bot` too (no row matches
 *    when there was no burst);
 * 4.–6. `deriveStatements`: the response's answer and status from its events, and the webhook
 *    outbox for a change of the counted answer.
 *
 * Returns, per vote, the response id and whether webhook deliveries were queued by its write, or
 * null when the survey does not exist (nothing was written for it).
 */
export async function upsertVotes(db: Db, votes: VoteInput[]): Promise<VoteOutcome[]> {
  const plan = rounds(votes).map((round) => round.map(({ vote, index }) => ({ vote, index, eventId: vote.queuedEventId ?? newId('event') })));
  const receipts = queuedVoteReceipts(votes);
  /** Where each round's statements start in the batch, and whether it has the caps statement (0). */
  const layout: { start: number; capped: boolean; size: number }[] = [];
  const first = receipts ? 1 : 0;
  const statements: InStatement[] = plan.flatMap((round) => {
    const capped = round.some(({ vote }) => vote.cap);
    const sql = roundSql(round.length, capped, round[0]!.vote.settle);
    layout.push({ start: layout.length ? layout.at(-1)!.start + layout.at(-1)!.size : first, capped, size: sql.length });
    const eventIds = round.map(({ eventId }) => eventId);
    const identities = round.flatMap(({ vote, eventId }) => [vote.surveyId, vote.subject, vote.recipient, eventId, vote.at]);
    const args: InValue[][] = [
      ...(capped
        ? [
            round.flatMap(({ vote, eventId }) => {
              const cap = vote.cap;
              return [cap?.linkId ?? null, cap?.day ?? null, cap?.network ?? null, cap?.browser ?? null, cap?.perNetwork ?? null, cap?.perBrowser ?? null, eventId, vote.at, vote.surveyId, vote.workspaceId, vote.scale, vote.subject, vote.recipient];
            }),
          ]
        : []),
      round.flatMap(({ vote, eventId }) => [
        newResponseId(), vote.subject, vote.recipient, vote.agent, vote.score, vote.sentiment, vote.at, vote.surveyId, vote.workspaceId, vote.scale,
        vote.cap?.linkId ?? null, vote.cap?.day ?? null, vote.cap?.network ?? null, eventId, vote.suppression?.[0] ?? null, vote.suppression?.[1] ?? null, vote.propertiesId ?? null,
      ]),
      round.flatMap(({ vote, eventId }) => [
        vote.surveyId, vote.subject, vote.recipient, eventId, vote.score, vote.sentiment, vote.classification.status, vote.classification.reason, vote.answers, ...signalArgs(vote.at, vote.signals),
      ]),
      eventIds,
      identities,
      identities,
      eventIds,
    ];
    return sql.map((text, i) => ({ sql: text, args: args[i]! }));
  });
  const results = await db.$client.batch(receipts ? [receipts, ...statements] : statements, 'write');
  const recorded: VoteOutcome[] = votes.map(() => null);
  plan.forEach((round, r) => {
    const { start, capped, size } = layout[r]!;
    const upserted = start + (capped ? 1 : 0);
    const touched = new Map((results[upserted]?.rows ?? []).map((row) => [identityOf({ surveyId: String(row.survey_id), subject: String(row.subject), recipient: String(row.recipient) }), String(row.id)]));
    const queued = (results[start + size - 1]?.rowsAffected ?? 0) > 0;
    // The network row (0) wrote for each link, by link: one signature vote per link in a round.
    const counted = new Map(capped ? (results[start]?.rows ?? []).filter((row) => String(row.source).startsWith('net:')).map((row) => [String(row.link_id), row.last_event_id]) : []);
    for (const { vote, index, eventId } of round) {
      const id = touched.get(identityOf(vote));
      if (id) recorded[index] = { id, webhooksQueued: queued };
      else if (vote.cap && counted.has(vote.cap.linkId) && counted.get(vote.cap.linkId) !== eventId) recorded[index] = EXCESS_VOTE;
    }
  });
  return recorded;
}

/**
 * The first statement of a batch that writes queued votes: their receipts. A plain INSERT, not
 * `ON CONFLICT DO NOTHING`: a vote already written must stop the whole batch (a batch is one
 * transaction, rolled back whole on an error), which no later statement could otherwise tell.
 *
 * It also stops a vote that a later click of the same response has overtaken (the customer clicked
 * again once the database was back, before the queue drained; or the queue delivered a later
 * click first): its id becomes NULL, which the NOT NULL column refuses. Written now, the older
 * click would become the answer, since a response's answer comes from its last click written. On
 * time it would have been followed by the later one, which stands. The caller tells these
 * failures from an outage with `queuedVoteState`.
 */
function queuedVoteReceipts(votes: VoteInput[]): InStatement | null {
  const queued = votes.filter((vote) => vote.queuedEventId !== undefined);
  if (!queued.length) return null;
  // The real time, not the app clock: receipts are pruned by age.
  const writtenAt = Date.now();
  return {
    sql: `WITH v (id, at, written_at, survey_id, subject, recipient) AS (VALUES ${placeholders(queued.length, 6)})
          INSERT INTO queued_votes (id, clicked_at, written_at)
          SELECT CASE WHEN ${laterClick('v')} THEN NULL ELSE v.id END, v.at, v.written_at FROM v`,
    args: queued.flatMap((vote) => [vote.queuedEventId!, vote.at, writtenAt, vote.surveyId, vote.subject, vote.recipient]),
  };
}

/** A click of the response of `v` (survey_id, subject, recipient) made after `v.at` is stored. */
const laterClick = (v: string) =>
  `EXISTS (SELECT 1 FROM responses r JOIN response_events e ON e.response_id = r.id
           WHERE r.survey_id = ${v}.survey_id AND r.subject = ${v}.subject AND r.recipient = ${v}.recipient AND e.kind IN ${CLICKS} AND e.at > ${v}.at)`;

/**
 * Why a queued vote's write was refused, if by its receipt: `written` by an earlier delivery, or
 * `superseded` by a later click of its response; null when neither (so it failed for another reason).
 */
export async function queuedVoteState(db: Db, vote: VoteInput): Promise<'written' | 'superseded' | null> {
  const { rows } = await db.$client.execute({
    sql: `WITH v (id, at, survey_id, subject, recipient) AS (VALUES (?, ?, ?, ?, ?))
          SELECT EXISTS (SELECT 1 FROM queued_votes q WHERE q.id = v.id) AS written, ${laterClick('v')} AS superseded FROM v`,
    args: [vote.queuedEventId ?? null, vote.at, vote.surveyId, vote.subject, vote.recipient],
  });
  const row = rows[0];
  return row?.written ? 'written' : row?.superseded ? 'superseded' : null;
}

/** Deletes the receipts of queued votes written before `before` (epoch ms); returns how many. */
export async function pruneQueuedVoteReceipts(db: Db, before: number): Promise<number> {
  const { rowsAffected } = await db.$client.execute({ sql: 'DELETE FROM queued_votes WHERE written_at < ?', args: [before] });
  return rowsAffected;
}

export interface RecordedVote {
  id: string;
  /** Webhook deliveries were queued by this write (the caller starts a dispatch in the background). */
  webhooksQueued: boolean;
}

/** A signature vote refused by its source's daily cap: counted as excess evidence, nothing else written. */
export interface ExcessVote {
  excess: true;
}
export const EXCESS_VOTE: ExcessVote = Object.freeze({ excess: true });

/** What a vote's write did: recorded, refused as excess, or null when its survey does not exist. */
export type VoteOutcome = RecordedVote | ExcessVote | null;

export function isExcessVote(outcome: VoteOutcome): outcome is ExcessVote {
  return outcome !== null && 'excess' in outcome;
}

/**
 * How many `commented` and `confirmed` events a response keeps in its history: the newest ones.
 * A thank-you page's form token is valid for days, so a leaked page could otherwise be posted to
 * without end; each write that adds one of these events prunes the oldest beyond the bound in the
 * same atomic batch. The comment itself is one column that each comment replaces, and the event
 * that last changed the counted answer (`counted_cause_id`) is always kept.
 */
export const HISTORY_LIMITS = { commented: 20, confirmed: 20 } as const;

/** Deletes the oldest events of `kind` so that the one about to be written makes `HISTORY_LIMITS[kind]`. */
function pruneStatement(responseId: string, kind: keyof typeof HISTORY_LIMITS): InStatement {
  return {
    sql: `DELETE FROM response_events WHERE response_id = ? AND kind = ?
            AND id IS NOT (SELECT counted_cause_id FROM responses WHERE id = ?)
            AND rowid NOT IN (SELECT rowid FROM response_events WHERE response_id = ? AND kind = ? ORDER BY rowid DESC LIMIT ?)`,
    args: [responseId, kind, responseId, responseId, kind, HISTORY_LIMITS[kind] - 1],
  };
}

/**
 * Stores a comment (replacing an earlier one), its event and its webhook outbox rows in one atomic
 * batch. A comment is a human interaction: it confirms the response's last click, as the confirm
 * button would. A comment from a robot (`robot` set: a scanner submitting the form) is kept in the
 * history only: the response and its comment do not change. Returns null when the response does
 * not exist.
 */
export async function saveComment(
  db: Db,
  responseId: string,
  comment: string,
  signals: RequestSignals,
  at: number,
  options: { robot: Classification | null; settle: SettleWindows },
): Promise<{ webhooksQueued: boolean } | null> {
  const eventId = newId('event');
  if (options.robot) {
    const results = await db.$client.batch(
      [
        pruneStatement(responseId, 'commented'),
        {
          sql: `INSERT INTO response_events (id, response_id, kind, score, sentiment, status, reason, ${EVENT_SIGNAL_COLUMNS})
                SELECT ?, r.id, 'commented', r.score, r.sentiment, 'bot', ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM responses r WHERE r.id = ?`,
          // The text is kept as evidence in the reason, never shown as the response's comment.
          args: [eventId, `${options.robot.reason}; comment not applied: ${JSON.stringify(comment.slice(0, 200))}`, ...signalArgs(at, signals), responseId],
        },
      ],
      'write',
    );
    return (results[1]?.rowsAffected ?? 0) > 0 ? { webhooksQueued: false } : null;
  }
  const touched = { sql: `c (response_id, cause_id, at, wrote_click) AS (SELECT id, ?, ?, 0 FROM responses WHERE id = ?)`, args: [eventId, at, responseId] };
  const results = await db.$client.batch(
    [
      pruneStatement(responseId, 'commented'),
      // The page of a response that is not counted shows its last click: the comment confirms it.
      ...confirmStatements(responseId, null, 'comment', at, { onlyIfNotCounted: true }),
      {
        sql: `UPDATE responses SET comment = ?, commented_at = ?, revision = revision + 1 WHERE id = ? AND comment IS NOT ?`,
        args: [comment, at, responseId, comment],
      },
      {
        sql: `INSERT INTO response_events (id, response_id, kind, score, sentiment, status, reason, ${EVENT_SIGNAL_COLUMNS})
              SELECT ?, r.id, 'commented', r.score, r.sentiment, 'counted', 'human-interaction:comment', ?, ?, ?, ?, ?, ?, ?, ?, ? FROM responses r WHERE r.id = ? AND changes() > 0`,
        args: [eventId, ...signalArgs(at, signals), responseId],
      },
      ...deriveStatements(touched, [eventId], VOTE_RULES, options.settle),
      ...outboxStatements(
        {
          sql: `x AS (SELECT r.*, ? AS cause_id, r.commented_at AS at FROM responses r
                      WHERE r.id = ? AND EXISTS (SELECT 1 FROM response_events WHERE id = ? AND kind = 'commented'))`,
          args: [eventId, responseId, eventId],
        },
        COMMENT_RULES,
        [eventId],
      ),
      { sql: 'SELECT 1 FROM responses WHERE id = ?', args: [responseId] },
    ],
    'write',
  );
  if (!results.at(-1)?.rows.length) return null;
  return { webhooksQueued: (results.at(-2)?.rowsAffected ?? 0) > 0 || (results.at(-4)?.rowsAffected ?? 0) > 0 };
}

/**
 * Marks a click as a person's: the one given (the event the page showed), or else the response's
 * last click, unless it is counted already. `confirmed_at` keeps later burst rules off it.
 */
function confirmStatements(responseId: string, eventId: string | null, via: string, at: number, options: { onlyIfNotCounted?: boolean } = {}): InStatement[] {
  const guard = options.onlyIfNotCounted ? `AND (SELECT status FROM responses WHERE id = ?) <> 'counted'` : 'AND ? IS NOT NULL';
  return [
    {
      sql: `UPDATE response_events SET status = 'counted', confirmed_at = ?, reason = ? || '; ' || coalesce(reason, '')
            WHERE id = coalesce(?, (SELECT last_event_id FROM responses WHERE id = ?)) AND response_id = ? AND kind IN ${CLICKS} AND status <> 'counted' ${guard}`,
      args: [at, `confirmed:${via}`, eventId, responseId, responseId, responseId],
    },
  ];
}

export type ConfirmOutcome = { status: 'confirmed' | 'robot' | 'unchanged'; webhooksQueued: boolean } | null;

/**
 * A human interaction on the thank-you page (pointer, touch, key, or the confirm button) confirms
 * the click the page showed, bound by the form token. From a robot (`robot` set) it is kept in the
 * history only. One atomic write: the event, the confirmation, the derived response, the outbox.
 */
export async function confirmClick(
  db: Db,
  input: { responseId: string; clickEventId: string; via: string; signals: RequestSignals; at: number; robot: Classification | null; settle: SettleWindows },
): Promise<ConfirmOutcome> {
  const { responseId, clickEventId, via, signals, at, robot } = input;
  const eventId = newId('event');
  const status = robot ? 'bot' : 'counted';
  const reason = robot ? `${robot.reason}; confirmation ignored` : `human-interaction:${via}`;
  const statements: InStatement[] = [
    pruneStatement(responseId, 'confirmed'),
    {
      sql: `INSERT INTO response_events (id, response_id, kind, score, sentiment, status, reason, ${EVENT_SIGNAL_COLUMNS})
            SELECT ?, e.response_id, 'confirmed', e.score, e.sentiment, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
            FROM response_events e WHERE e.id = ? AND e.response_id = ?`,
      args: [eventId, status, reason, ...signalArgs(at, signals), clickEventId, responseId],
    },
  ];
  if (!robot) {
    statements.push(
      ...confirmStatements(responseId, clickEventId, via, at),
      ...deriveStatements({ sql: `c (response_id, cause_id, at, wrote_click) AS (VALUES (?, ?, ?, 0))`, args: [responseId, eventId, at] }, [eventId], VOTE_RULES, input.settle),
    );
  }
  const results = await db.$client.batch(statements, 'write');
  if (!results[1]?.rowsAffected) return null;
  if (robot) return { status: 'robot', webhooksQueued: false };
  return { status: results[2]?.rowsAffected ? 'confirmed' : 'unchanged', webhooksQueued: (results.at(-1)?.rowsAffected ?? 0) > 0 };
}

/**
 * An admin's decision (API or CLI): one click event (or, without one, the last click; for `bot`,
 * every click) is set to `status`, an `overridden` event records who decided, and the response is
 * derived again, queuing the webhooks of a newly counted answer. Null when the response or the
 * event is not in this workspace.
 */
export async function overrideClassification(
  db: Db,
  input: { workspaceId: string; responseId: string; eventId: string | null; status: 'counted' | 'bot'; by: string; at: number; settle: SettleWindows },
): Promise<{ webhooksQueued: boolean } | null> {
  const { workspaceId, responseId, eventId, status, by, at } = input;
  const causeId = newId('event');
  const target = eventId
    ? `id = ?`
    : status === 'bot'
      ? `? IS NULL`
      : `id = coalesce(?, (SELECT last_event_id FROM responses WHERE id = response_events.response_id))`;
  const results = await db.$client.batch(
    [
      {
        sql: `UPDATE response_events SET status = ?, confirmed_at = CASE WHEN ? = 'counted' THEN ? END, reason = ? || '; ' || coalesce(reason, '')
              WHERE response_id = (SELECT id FROM responses WHERE id = ? AND workspace_id = ?) AND kind IN ${CLICKS} AND ${target}`,
        args: [status, status, at, `override:${by}`, responseId, workspaceId, eventId],
      },
      {
        sql: `INSERT INTO response_events (id, response_id, kind, score, sentiment, status, reason, at, method)
              SELECT ?, r.id, 'overridden', NULL, NULL, ?, ?, ?, 'ADMIN' FROM responses r WHERE r.id = ? AND r.workspace_id = ? AND changes() > 0`,
        args: [causeId, status, `override:${by}`, at, responseId, workspaceId],
      },
      ...deriveStatements({ sql: `c (response_id, cause_id, at, wrote_click) AS (SELECT id, ?, ?, 0 FROM responses WHERE id = ? AND workspace_id = ?)`, args: [causeId, at, responseId, workspaceId] }, [causeId], VOTE_RULES, input.settle),
    ],
    'write',
  );
  if (!results[0]?.rowsAffected) return null;
  return { webhooksQueued: (results.at(-1)?.rowsAffected ?? 0) > 0 };
}

/** The click the thank-you page shows and may ask to confirm (`pageClickId`). */
export type LastClick = Pick<ResponseEvent, 'id' | 'score' | 'status'>;

/**
 * The click the thank-you page shows and may ask to confirm: the response's latest click that is
 * not a robot's; without one, the latest that a burst (not its own signals) made a robot's, as a
 * person swept into a burst may confirm it; without one, the last click. A mail gateway re-checks
 * the links in the very second the person's browser loads the page: the page must show, and bind
 * its confirmation to, the person's answer, not the robot's re-check written a moment later.
 */
const pageClickId = sql`coalesce((SELECT p.id FROM response_events p WHERE p.response_id = ${responses.id} AND p.kind IN ${sql.raw(CLICKS)}
  ORDER BY p.status = 'bot', ${sql.raw(knownRobot('p'))}, p.rowid DESC LIMIT 1), ${responses.lastEventId})`;

/** A response with its survey and the click its page shows (`pageClickId`), by the response's (unguessable) id. */
export async function getResponseWithSurvey(db: Db, responseId: string): Promise<{ response: ResponseRow; survey: Survey; lastClick: LastClick | null } | null> {
  const [row] = await db
    .select({ response: responses, survey: surveys, lastClick: { id: responseEvents.id, score: responseEvents.score, status: responseEvents.status } })
    .from(responses)
    .innerJoin(surveys, eq(surveys.id, responses.surveyId))
    .leftJoin(responseEvents, eq(responseEvents.id, pageClickId))
    .where(eq(responses.id, responseId))
    .limit(1);
  return row ?? null;
}

export interface ResponseFilters {
  surveyId?: string;
  subject?: string;
  recipient?: string;
  /** Only this agent's responses ('' = responses without an agent). */
  agent?: string;
  /** Only responses first answered at or after this time (epoch ms). */
  since?: number;
  /** Only responses first answered before this time (epoch ms, exclusive). */
  until?: number;
  /** Only responses whose link had this segment property. */
  property?: { name: string; value: string };
  sentiment?: Sentiment;
  score?: number;
  /** Only responses with a comment. */
  withComment?: boolean;
  /** A ticket ref or recipient that starts with this text (case as stored). */
  search?: string;
  status?: ResponseStatus | 'all';
  limit: number;
  /** Position after which to continue: the last row of the previous page. */
  after?: { firstAnsweredAt: number; id: string };
  /** Newest first (the listing, default) or oldest first (the export). */
  order?: 'desc' | 'asc';
}

/** A page of a workspace's responses, newest first; one row more than `limit` tells that more exist. */
export async function listResponses(db: Db, workspaceId: string, filters: ResponseFilters): Promise<ResponseWithScale[]> {
  const where: (SQL | undefined)[] = [eq(responses.workspaceId, workspaceId)];
  if (filters.surveyId) where.push(eq(responses.surveyId, filters.surveyId));
  if (filters.subject) where.push(eq(responses.subject, filters.subject));
  if (filters.recipient) where.push(eq(responses.recipient, filters.recipient));
  if (filters.since !== undefined) where.push(gte(responses.firstAnsweredAt, filters.since));
  if (filters.until !== undefined) where.push(lt(responses.firstAnsweredAt, filters.until));
  if (filters.agent !== undefined) where.push(filters.agent === '' ? isNull(responses.agent) : eq(responses.agent, filters.agent));
  if (filters.sentiment) where.push(eq(responses.sentiment, filters.sentiment));
  if (filters.score !== undefined) where.push(eq(responses.score, filters.score));
  if (filters.withComment) where.push(isNotNull(responses.comment));
  if (filters.search) {
    // A prefix as a range, so each side can use its index (`responses_subject_idx`, `responses_recipient_idx`).
    const end = `${filters.search}\u{10FFFF}`;
    where.push(or(and(gte(responses.subject, filters.search), lt(responses.subject, end)), and(gte(responses.recipient, filters.search), lt(responses.recipient, end))));
  }
  if (filters.property) {
    const { name, value } = filters.property;
    where.push(sql`${responses.propertiesId} IN (SELECT properties_id FROM link_property_values WHERE name = ${name} AND value = ${value})`);
  }
  if (filters.status && filters.status !== 'all') where.push(eq(responses.status, filters.status));
  const asc = filters.order === 'asc';
  const beyond = asc ? gt : lt;
  if (filters.after) {
    const { firstAnsweredAt, id } = filters.after;
    where.push(or(beyond(responses.firstAnsweredAt, firstAnsweredAt), and(eq(responses.firstAnsweredAt, firstAnsweredAt), beyond(responses.id, id))));
  }
  return db
    .select({ response: responses, scale: surveys.scale, surveyName: surveys.name, properties: linkProperties.properties })
    .from(responses)
    .innerJoin(surveys, eq(surveys.id, responses.surveyId))
    .leftJoin(linkProperties, eq(linkProperties.id, responses.propertiesId))
    .where(and(...where))
    .orderBy(...(asc ? [responses.firstAnsweredAt, responses.id] : [desc(responses.firstAnsweredAt), desc(responses.id)]))
    .limit(filters.limit + 1);
}

/** One response of this workspace, or null. */
export async function getResponse(db: Db, workspaceId: string, responseId: string): Promise<ResponseWithScale | null> {
  const [row] = await db
    .select({ response: responses, scale: surveys.scale, properties: linkProperties.properties })
    .from(responses)
    .innerJoin(surveys, eq(surveys.id, responses.surveyId))
    .leftJoin(linkProperties, eq(linkProperties.id, responses.propertiesId))
    .where(and(eq(responses.id, responseId), eq(responses.workspaceId, workspaceId)))
    .limit(1);
  return row ?? null;
}

/**
 * The history of a response in the order it was written (rowid). Not by `at`: that is when each
 * request arrived, and concurrent clicks may commit in another order than they arrived.
 */
export async function listResponseEvents(db: Db, responseId: string): Promise<ResponseEvent[]> {
  return db.select().from(responseEvents).where(eq(responseEvents.responseId, responseId)).orderBy(sql`rowid`);
}
