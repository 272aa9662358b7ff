import type { Db } from '../db';
import { isExcessVote, pruneQueuedVoteReceipts, queuedVoteState, type VoteInput } from '../db/responses';
import type { ServiceDeps } from './deps';
import { answerChangeFromQueue, type QueuedAnswerChange } from './capture';
import { type QueuedSignatureClick, signatureVoteFromQueue } from './signature-links';
import { isDatabaseUnavailable } from '../lib/errors';
import { isId, newId } from '../lib/ids';
import { isSuppressedVote, voteSuppression } from './privacy';
import type { Scale } from '../../schema/scales';

/**
 * A vote survives a database outage on Workers. When the click's write fails because the database
 * cannot be reached (`isDatabaseUnavailable`), the vote goes to a Cloudflare Queue instead
 * (`VOTE_QUEUE` in wrangler.toml) and the customer sees a thank-you page drawn from the link
 * itself; the same Worker consumes the queue and writes the vote when the database answers again,
 * through the same atomic write as a live click (`upsertVotes`).
 *
 * Why a message holds the whole `VoteInput`, decided at click time: the consumer must produce what
 * an on-time write would have. Classification reads the request's signals (gone after the
 * request), burst windows and settle windows count from the click's own `at`, and the settle
 * windows are the config of that moment. The consumer decides nothing; it only writes.
 *
 * Why the click event id is minted at click time (`queuedEventId`): it is the message's stable
 * identity. The write inserts it into `queued_votes` first, in its one atomic batch, so a
 * redelivery (a retry after the batch committed but before the ack reached the queue, or a batch
 * delivered twice) fails on that primary key and writes nothing at all: no second event, no
 * second webhook (the consumer then reads the receipt and acknowledges the message). Live clicks skip that statement, so their write costs exactly what it did.
 *
 * Order: a batch is written in click order. A queued click that a later click of the same response
 * has overtaken (stored first: the customer clicked again once the database was back, before the
 * queue drained, or the queue delivered the later click first) is not applied and is logged: a
 * response's answer comes from its last click written, and on time the later click would have
 * followed it and stood (`queuedVoteReceipts`).
 */

/** The version of the message body; a consumer refuses (and logs) a body it does not know. */
export const QUEUED_VOTE_VERSION = 1;

/**
 * The body of one message on the vote queue: the write, exactly as the click would have made it
 * (with `queuedEventId` set); or, for a click whose link or response could not even be read (a
 * signature link, an answer change on the thank-you page), the click itself with everything
 * decided at click time, and the event id its write will use.
 */
export type QueuedVote = { v: typeof QUEUED_VOTE_VERSION; vote: VoteInput } | ({ v: typeof QUEUED_VOTE_VERSION; eventId: string } & UnresolvedClick);

/** A click whose vote can only be built once the database answers (see `QueuedVote`). */
export type UnresolvedClick = { signature: QueuedSignatureClick } | { change: QueuedAnswerChange };

/**
 * The producer seam (`AppDeps.voteQueue`): the Queue binding on Workers. Absent on Node, where the
 * database is a local file: a vote that cannot be written there is an honest 503, as there is no
 * store more durable than that file to keep it in.
 */
export interface VoteQueue {
  send(message: QueuedVote): Promise<void>;
}

/**
 * A click whose vote waits on the queue: what its thank-you page can show without the database
 * (the answer, when the link itself says which scale it is on).
 */
export interface QueuedClick {
  queued: true;
  answer: { scale: Scale; score: number } | null;
}

/** True for the outcome of a click whose vote went to the queue (routes then answer with the queued page). */
export function isQueuedClick(outcome: object): outcome is QueuedClick {
  return 'queued' in outcome;
}

/**
 * How long a receipt in `queued_votes` is kept: longer than a message can live in a queue (at most
 * 14 days of retention, then the dead-letter queue), so a redelivery always finds it.
 */
export const QUEUED_VOTE_RECEIPT_DAYS = 15;

/**
 * The delay before a batch is tried again while the database is still down: 15 s, doubling per
 * attempt, at most 5 minutes. With `max_retries = 100` in wrangler.toml a vote waits out an outage
 * of about 8 hours before it goes to the dead-letter queue.
 */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(15 * 2 ** Math.max(0, attempts - 1), 300);
}

type LogError = (message: string, fields: Record<string, unknown>) => void;

/**
 * Puts a vote the database could not take on the queue. `cause` is that database failure: when
 * the queue cannot take the vote either, it is rethrown, so the customer gets the honest 503
 * ("nothing was saved") exactly as without a queue.
 */
export async function queueVote(deps: { voteQueue: VoteQueue; logError?: LogError }, vote: VoteInput, cause: unknown): Promise<QueuedClick> {
  await send(deps, { v: QUEUED_VOTE_VERSION, vote: { ...vote, queuedEventId: newId('event') } }, cause);
  return { queued: true, answer: { scale: vote.scale as Scale, score: vote.score } };
}

/** Puts a click whose link or response could not be read on the queue (see `queueVote`). */
export async function queueUnresolvedClick(deps: { voteQueue: VoteQueue; logError?: LogError }, click: UnresolvedClick, cause: unknown): Promise<QueuedClick> {
  await send(deps, { v: QUEUED_VOTE_VERSION, eventId: newId('event'), ...click }, cause);
  return { queued: true, answer: null };
}

async function send(deps: { voteQueue: VoteQueue; logError?: LogError }, message: QueuedVote, cause: unknown): Promise<void> {
  try {
    await deps.voteQueue.send(message);
  } catch (error) {
    (deps.logError ?? defaultLog)('vote queue unavailable', { error: String(error) });
    throw cause;
  }
}

/** One message as the consumer sees it: the shape of a Cloudflare Queues `Message`. */
export interface VoteMessage {
  id: string;
  timestamp: Date;
  attempts: number;
  body: unknown;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

export interface QueuedVotesSummary {
  written: number;
  /** Already written by an earlier delivery: acknowledged, nothing written. */
  duplicates: number;
  /** Overtaken by a later click of the same response, which stands: acknowledged, logged, nothing written. */
  superseded: number;
  /** Not written (database still down, or an unexpected failure): retried later. */
  retried: number;
  /** Never writable (unknown body, survey deleted meanwhile): acknowledged and logged. */
  dropped: number;
  /** Some write queued webhook deliveries: the caller starts the dispatcher, as `deliverSoon` does. */
  webhooksQueued: boolean;
}

/**
 * The consumer: writes a batch of queued votes in the order the clicks were made (click time, then
 * arrival), one atomic write each, the same write as a live click. While the database is still
 * down, the message that failed and every later one are retried with a delay, so a later click is
 * never written before an earlier one of the same batch; messages written before are acknowledged.
 */
export async function writeQueuedVotes(deps: ServiceDeps, messages: readonly VoteMessage[]): Promise<QueuedVotesSummary> {
  const log = deps.logError ?? defaultLog;
  const summary: QueuedVotesSummary = { written: 0, duplicates: 0, superseded: 0, retried: 0, dropped: 0, webhooksQueued: false };
  const readable: { message: VoteMessage; queued: Readable }[] = [];
  for (const message of messages) {
    const queued = readQueuedVote(message.body);
    if (queued) {
      readable.push({ message, queued });
    } else {
      log('queued vote dropped: unknown message body', { messageId: message.id });
      message.ack();
      summary.dropped++;
    }
  }
  readable.sort((a, b) => a.queued.at - b.queued.at || a.message.timestamp.getTime() - b.message.timestamp.getTime());

  for (let i = 0; i < readable.length; i++) {
    const { message, queued } = readable[i]!;
    let outcome: 'written' | 'duplicate' | 'superseded' | 'down' | 'failed';
    let vote: VoteInput | { dropped: string } | undefined;
    try {
      vote = await queued.vote(deps);
      // A cap-refused signature vote is written too: as excess evidence, as a live click would be.
      const saved = 'dropped' in vote ? null : await deps.db.$recordVote(vote);
      if (!saved) {
        // The survey or the link was deleted (or disabled) between the click and now: a live click
        // would have been refused. Nothing to write, ever.
        // Or its recipient was suppressed meanwhile (an erasure with `suppress`): the write
        // refused it, as it refuses a live click, and nothing of it is stored.
        const reason = 'dropped' in vote ? vote.dropped : (await isSuppressedVote(deps, vote.workspaceId, vote.suppression)) ? 'RECIPIENT_SUPPRESSED' : 'SURVEY_NOT_FOUND';
        log('queued vote dropped', { reason, messageId: message.id, eventId: queued.eventId });
        message.ack();
        summary.dropped++;
        continue;
      }
      if (!isExcessVote(saved)) summary.webhooksQueued ||= saved.webhooksQueued;
      outcome = 'written';
    } catch (error) {
      outcome = await classifyFailure(deps.db, vote && !('dropped' in vote) ? vote : undefined, error);
      if (outcome === 'superseded') log('queued vote superseded by a later click: not applied', { messageId: message.id, eventId: queued.eventId });
      if (outcome === 'failed') log('queued vote not written', { messageId: message.id, eventId: queued.eventId, attempts: message.attempts, error: String(error) });
    }
    if (outcome === 'down') {
      const waiting = readable.slice(i);
      for (const rest of waiting) rest.message.retry({ delaySeconds: retryDelaySeconds(rest.message.attempts) });
      summary.retried += waiting.length;
      log('database unavailable: queued votes retried later', { waiting: waiting.length, attempts: message.attempts, delaySeconds: retryDelaySeconds(message.attempts) });
      break;
    }
    if (outcome === 'failed') {
      // After max_retries the queue moves it to the dead-letter queue, where it can be inspected.
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      summary.retried++;
      continue;
    }
    message.ack();
    if (outcome === 'written') summary.written++;
    else if (outcome === 'superseded') summary.superseded++;
    else summary.duplicates++;
  }
  return summary;
}

/**
 * Why a queued vote's write failed: the database is still down; or its receipt stopped the batch,
 * which wrote nothing, because the vote was written by an earlier delivery or a later click of its
 * response is stored (`queuedVoteState`); or something else, logged and retried.
 */
async function classifyFailure(db: Db, vote: VoteInput | undefined, error: unknown): Promise<'duplicate' | 'superseded' | 'down' | 'failed'> {
  if (isDatabaseUnavailable(error)) return 'down';
  if (!vote) return 'failed';
  try {
    const state = await queuedVoteState(db, vote);
    return state === 'written' ? 'duplicate' : (state ?? 'failed');
  } catch (again) {
    return isDatabaseUnavailable(again) ? 'down' : 'failed';
  }
}

/** A message the consumer can write: its click time, its event id, and how to get its vote. */
interface Readable {
  at: number;
  eventId: string;
  /** The vote; a signature click reads its link first (which may fail like any database call). */
  vote(deps: ServiceDeps): Promise<VoteInput | { dropped: string }>;
}

/** What a message body holds, or null when it is not a queued vote of this version. */
function readQueuedVote(body: unknown): Readable | null {
  if (typeof body !== 'object' || body === null) return null;
  const message = body as Partial<{ v: number; vote: VoteInput; signature: QueuedSignatureClick; change: QueuedAnswerChange; eventId: string }>;
  if (message.v !== QUEUED_VOTE_VERSION) return null;
  const { vote, signature, change, eventId } = message;
  if (typeof vote === 'object' && vote !== null) {
    if (typeof vote.queuedEventId !== 'string' || !isId('event', vote.queuedEventId) || typeof vote.at !== 'number' || typeof vote.surveyId !== 'string') return null;
    // The suppression hashes are made again under today's link keys: a message queued before a
    // key rotation, or by a version that did not carry them, is still refused if suppressed.
    return { at: vote.at, eventId: vote.queuedEventId, vote: async (deps) => ({ ...vote, suppression: voteSuppression(deps.config.linkKeys, String(vote.recipient)) }) };
  }
  if (typeof eventId !== 'string' || !isId('event', eventId)) return null;
  const unresolved = (at: unknown, build: (deps: ServiceDeps) => Promise<VoteInput | { dropped: string }>): Readable | null =>
    typeof at !== 'number'
      ? null
      : {
          at,
          eventId,
          async vote(deps) {
            const built = await build(deps);
            return 'dropped' in built ? built : { ...built, queuedEventId: eventId };
          },
        };
  if (typeof signature === 'object' && signature !== null && typeof signature.linkId === 'string' && typeof signature.score === 'string') {
    return unresolved(signature.at, (deps) => signatureVoteFromQueue(deps, signature));
  }
  if (typeof change === 'object' && change !== null && typeof change.responseId === 'string' && typeof change.score === 'string') {
    return unresolved(change.at, (deps) => answerChangeFromQueue(deps, change));
  }
  return null;
}

/** The Cron Trigger's share: receipts older than any message that could still be redelivered. */
export function pruneQueuedVotes(deps: { db: Db; clock: () => Date }): Promise<number> {
  return pruneQueuedVoteReceipts(deps.db, deps.clock().getTime() - QUEUED_VOTE_RECEIPT_DAYS * 86_400_000);
}

function defaultLog(message: string, fields: Record<string, unknown>) {
  console.error(JSON.stringify({ level: 'error', message, ...fields }));
}
