import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, BROWSER_HEADERS, pathOf } from '../contract/client';
import { accepted, expectSigned, Inbox } from '../contract/receiver';
import { startWorkersHarness } from './harness';

/**
 * A vote survives a database outage on Workers: the test libSQL endpoint is stopped, clicks go to
 * the vote queue and get their thank-you page, the endpoint is restarted, and the Worker's queue
 * consumer writes them through the same atomic write as a live click. The same script of clicks
 * runs once live and once through the queue: what is stored must be the same.
 */

type Harness = Awaited<ReturnType<typeof startWorkersHarness>>;
type Row = Record<string, unknown>;

let h: Harness;

beforeAll(async () => {
  h = await startWorkersHarness();
});
afterAll(async () => {
  await h?.close();
});

/** A fresh workspace with a csat3 survey and a webhook endpoint pointing at its own inbox. */
async function setup() {
  const api = new Api(h, (await h.newWorkspace('Outage')).apiKey);
  const inbox = new Inbox(h.receiverUrl);
  const { json: endpoint } = await api.call('POST', '/webhooks', { url: inbox.url }, 201);
  await inbox.configure({ secrets: [endpoint.secret] });
  const survey = await api.createSurvey({ name: 'Support', scale: 'csat3', question: 'How did we do?' });
  let n = 0;
  async function message() {
    const subject = `TICKET-${++n}`;
    const minted = await api.mint(survey.id, subject, `customer${n}@example.com`, { agent: 'maria' });
    return { subject, url: (score: number) => pathOf(minted.links.find((l: { score: number }) => l.score === score)!.url) };
  }
  return { api, inbox, survey, message };
}

/**
 * The clicks of the test, each after `wait` ms of the (test) clock: a changed answer 20 s later,
 * the same link twice with the same answer, and a scanner's burst (every answer within a second),
 * which must be found from the clicks' own times even though they are written minutes later.
 */
const SCRIPT: { message: 'changed' | 'twice' | 'burst'; score: number; wait: number }[] = [
  { message: 'changed', score: 1, wait: 0 },
  { message: 'twice', score: 2, wait: 3_000 },
  { message: 'changed', score: 3, wait: 20_000 },
  { message: 'twice', score: 2, wait: 20_000 },
  { message: 'burst', score: 1, wait: 20_000 },
  { message: 'burst', score: 2, wait: 200 },
  { message: 'burst', score: 3, wait: 200 },
];

/** The three emails of the script (minted while the database is up). */
async function scriptMessages(s: Awaited<ReturnType<typeof setup>>) {
  return { changed: await s.message(), twice: await s.message(), burst: await s.message() };
}

async function runScript(messages: Awaited<ReturnType<typeof scriptMessages>>, onClick: (res: Response, html: string, step: (typeof SCRIPT)[number]) => void) {
  for (const step of SCRIPT) {
    h.advanceClock(step.wait);
    const res = await h.fetch(messages[step.message].url(step.score), { headers: BROWSER_HEADERS });
    onClick(res, await res.text(), step);
  }
  return messages;
}

/**
 * One request with the database endpoint stopped (restarted after, whatever happens): its status,
 * its page, and the messages it sent to the vote queue.
 */
async function whileDown(path: string, headers: Record<string, string> = BROWSER_HEADERS) {
  const sentBefore = h.queuedMessages.length;
  await h.setDatabaseDown(true);
  try {
    const res = await h.fetch(path, { headers });
    return { status: res.status, headers: res.headers, html: await res.text(), sent: h.queuedMessages.slice(sentBefore) };
  } finally {
    await h.setDatabaseDown(false);
  }
}

/** What a workspace's responses hold, without ids and times: comparable between two runs. */
async function stored(workspace: Row[]) {
  const out: Record<string, unknown> = {};
  for (const r of workspace) {
    const events = await h.query(`SELECT kind, score, status, reason FROM response_events WHERE response_id = ? ORDER BY rowid`, [String(r.id)]);
    const outbox = await h.query(`SELECT type FROM webhook_events WHERE response_id = ? ORDER BY rowid`, [String(r.id)]);
    out[String(r.subject)] = { score: r.score, sentiment: r.sentiment, status: r.status, revision: r.revision, events, outbox: outbox.map((e) => e.type) };
  }
  return out;
}

async function responsesOf(surveyId: string) {
  return h.query(`SELECT id, subject, score, sentiment, status, revision, first_answered_at, last_answered_at FROM responses WHERE survey_id = ? ORDER BY subject`, [surveyId]);
}

/** A signature link (its csat3 paths, with hints) on a fresh survey; the caps are the deployed defaults. */
async function signatureLink() {
  const api = new Api(h, (await h.newWorkspace('Signatures')).apiKey);
  const survey = await api.createSurvey({ scale: 'csat3' });
  const { json: snippet } = await api.call('POST', '/snippets', { survey: survey.id, preset: 'plain', agent: 'maria' }, 201);
  const path = (score: number | string, query = '') => `${new URL((snippet.links as { score: number; url: string }[]).find((l) => l.score === 1)!.url).pathname.replace(/\/1$/, `/${score}`)}${query}`;
  return { api, survey, path };
}

describe('/s/:token/:score while the database is down (Workers, vote queue)', () => {
  describe('happy path', () => {
    it('queues the click when its link cannot be read, then writes it under its hints, once, at its own time', async () => {
      const s = await signatureLink();
      const down = await whileDown(s.path(3, '?t=T-77&e=ann%40example.com'));
      expect(down.status, down.html).toBe(200);
      expect(down.html).toContain('Your answer is saved and will appear shortly.');
      // The link does not say its scale: no answer is named before it is read.
      expect(down.html).not.toContain('Your answer:');
      expect(down.sent).toHaveLength(1);
      expect(down.sent[0]!.body).toMatchObject({ v: 1, signature: { score: '3', ticket: 'T-77', email: 'ann@example.com' } });

      h.advanceClock(60_000);
      const first = await h.consumeQueue(down.sent);
      expect(first.explicitAcks).toEqual([down.sent[0]!.id]);
      const again = await h.consumeQueue(down.sent, 2);
      expect(again.explicitAcks).toEqual([down.sent[0]!.id]);
      const rows = await h.query(`SELECT subject, recipient, agent, score, first_answered_at FROM responses WHERE survey_id = ?`, [s.survey.id]);
      expect(rows).toEqual([{ subject: 'T-77', recipient: 'hint:ann@example.com', agent: 'maria', score: 3, first_answered_at: (down.sent[0]!.body as { signature: { at: number } }).signature.at }]);
      const events = await h.query(`SELECT e.kind FROM response_events e JOIN responses r ON r.id = e.response_id WHERE r.survey_id = ?`, [s.survey.id]);
      expect(events).toEqual([{ kind: 'created' }]);
    });

    it('an anonymous click keeps its browser cookie, and its vote is that browser’s', async () => {
      const s = await signatureLink();
      const down = await whileDown(s.path(2));
      expect(down.status, down.html).toBe(200);
      const cookie = down.headers.get('set-cookie');
      const browser = /cb_browser=([0-9a-z]{20})/.exec(cookie ?? '')?.[1];
      expect(browser, String(cookie)).toBeDefined();
      await h.consumeQueue(down.sent);
      expect(await h.query(`SELECT recipient, score FROM responses WHERE survey_id = ?`, [s.survey.id])).toEqual([{ recipient: `browser:${browser}`, score: 2 }]);
    });
  });

  describe('rejects', () => {
    it.each([
      ['a score off every scale', (path: (score: number | string) => string) => path(11), 400],
      ['a forged token', (path: (score: number | string) => string) => path(1).replace(/\.(.)/, (_, c: string) => `.${c === 'A' ? 'B' : 'A'}`), 400],
    ])('%s is refused at once, and nothing is queued', async (_, pathOf, status) => {
      const s = await signatureLink();
      const down = await whileDown(pathOf(s.path));
      expect(down.status, down.html).toBe(status);
      expect(down.sent).toEqual([]);
    });

    it('a score not on its link’s scale is dropped and logged by the consumer (the link could not be read at click time)', async () => {
      const s = await signatureLink();
      const off = await whileDown(s.path(7));
      expect(off.status, off.html).toBe(200);
      const before = h.loggedErrors.length;
      const result = await h.consumeQueue(off.sent);
      expect(result.explicitAcks).toEqual([off.sent[0]!.id]);
      expect(h.loggedErrors.slice(before)).toContainEqual({ message: 'queued vote dropped', fields: expect.objectContaining({ reason: 'SCORE_OUT_OF_RANGE' }) });
      expect(await h.query(`SELECT id FROM responses WHERE survey_id = ?`, [s.survey.id])).toEqual([]);
    });
  });
});

describe('/t/:id/answer/:score while the database is down (Workers, vote queue)', () => {
  describe('happy path', () => {
    it('queues the change of answer from a thank-you page loaded before, and writes it once as a change', async () => {
      const s = await setup();
      const m = await s.message();
      const first = await h.fetch(m.url(3), { headers: BROWSER_HEADERS });
      expect(first.status, await first.text()).toBe(303);
      const id = first.headers.get('location')!.replace('/t/', '');
      h.advanceClock(30_000);
      const down = await whileDown(`/t/${id}/answer/1`);
      expect(down.status, down.html).toBe(200);
      expect(down.html).toContain('Your answer is saved and will appear shortly.');
      expect(down.sent[0]!.body).toMatchObject({ v: 1, change: { responseId: id, score: '1' } });
      for (const attempt of [1, 2]) expect((await h.consumeQueue(down.sent, attempt)).explicitAcks).toEqual([down.sent[0]!.id]);
      expect(await h.query(`SELECT kind, score FROM response_events WHERE response_id = ? ORDER BY rowid`, [id])).toEqual([
        { kind: 'created', score: 3 },
        { kind: 'changed', score: 1 },
      ]);
      expect(await responsesOf(s.survey.id)).toMatchObject([{ id, score: 1 }]);
    });
  });

  describe('rejects', () => {
    it('a score off every scale is refused at once, and nothing is queued', async () => {
      const down = await whileDown(`/t/rsp_${'0'.repeat(36)}/answer/12`);
      expect(down.status, down.html).toBe(400);
      expect(down.sent).toEqual([]);
    });
  });
});

describe('/r/:token/:score while the database is down (Workers, vote queue)', () => {
  describe('happy path', () => {
    it('every click of the outage gets its thank-you page and is stored once, in click order, as if on time, with its webhooks', async () => {
      // The same clicks, live: what the queued ones must end as.
      const live = await setup();
      await runScript(await scriptMessages(live), (res, html) => expect(res.status, html).toBe(303));
      h.advanceClock(120_000);
      await h.dispatch();
      const expected = await stored(await responsesOf(live.survey.id));

      const s = await setup();
      const messages = await scriptMessages(s);
      const sentBefore = h.queuedMessages.length;
      const roundTripsBefore = await h.roundTrips();
      await h.setDatabaseDown(true);
      try {
        await runScript(messages, (res, html, step) => {
          expect(res.status, html).toBe(200);
          expect(res.headers.get('cache-control')).toBe('no-store');
          expect(html).toContain('Your answer is saved and will appear shortly.');
          expect(html).toContain(`Your answer: <strong>${['😞 Bad', '😐 Okay', '😀 Great'][step.score - 1]}</strong>`);
          // Nothing to change or comment on yet: no form that could not be saved.
          expect(html).not.toContain('<form');
          expect(html).not.toContain('/answer/');
        });
        const sent = h.queuedMessages.slice(sentBefore);
        expect(sent).toHaveLength(SCRIPT.length);

        // Still down: the consumer writes nothing and asks for every message again, later.
        const early = await h.consumeQueue(sent, 1);
        expect(early.explicitAcks).toEqual([]);
        expect(early.retryMessages.map((m) => m.msgId).sort()).toEqual(sent.map((m) => m.id).sort());
        // (The pool records which messages were retried, not their delay: `retryDelaySeconds` has its unit test.)
      } finally {
        await h.setDatabaseDown(false);
      }
      // The stopped endpoint served nothing: the outage's clicks cost it no round trip.
      expect(await h.roundTrips()).toBe(roundTripsBefore);
      expect(await responsesOf(s.survey.id)).toEqual([]);

      // Back up, minutes later. The queue does not keep order: deliver the batch shuffled.
      h.advanceClock(300_000);
      const sent = h.queuedMessages.slice(sentBefore);
      const shuffled = [sent[4]!, sent[2]!, sent[6]!, sent[0]!, sent[5]!, sent[3]!, sent[1]!];
      const result = await h.consumeQueue(shuffled, 2);
      expect(result.retryMessages).toEqual([]);
      expect(result.explicitAcks.sort()).toEqual(sent.map((m) => m.id).sort());
      h.advanceClock(120_000);
      await h.dispatch();

      const rows = await responsesOf(s.survey.id);
      expect(await stored(rows)).toEqual(expected);
      // The last answer wins, and the response is as old as its first click, not its write.
      const changed = rows.find((r) => r.subject === 'TICKET-1')!;
      expect(changed).toMatchObject({ score: 3, status: 'counted' });
      const firstVote = (sent[0]!.body as { vote: { at: number } }).vote.at;
      expect(changed.first_answered_at).toBe(firstVote);
      expect(rows.find((r) => r.subject === 'TICKET-3')).toMatchObject({ status: 'bot' });

      // Webhooks: every one the writes queued was delivered, once.
      const receipts = accepted(await s.inbox.waitFor(1));
      expectSigned(receipts);
      const deliveries = await h.query(
        `SELECT d.id, d.status FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id JOIN responses r ON r.id = e.response_id WHERE r.survey_id = ?`,
        [s.survey.id],
      );
      expect(deliveries.length).toBeGreaterThan(0);
      expect(deliveries.filter((d) => d.status !== 'succeeded')).toEqual([]);
      expect(receipts.map((r) => r.webhookId).sort()).toEqual(deliveries.map((d) => d.id).sort());
      const liveReceipts = accepted(await live.inbox.receipts());
      expect(receipts.map((r) => (r.body as { type: string }).type).sort()).toEqual(liveReceipts.map((r) => (r.body as { type: string }).type).sort());

      // A redelivery of the whole batch (the ack was lost): acknowledged, nothing written twice.
      const eventsBefore = await h.query(`SELECT count(*) AS n FROM response_events`);
      const again = await h.consumeQueue(shuffled, 3);
      expect(again.retryMessages).toEqual([]);
      expect(again.explicitAcks.sort()).toEqual(sent.map((m) => m.id).sort());
      h.advanceClock(120_000);
      await h.dispatch();
      expect(await h.query(`SELECT count(*) AS n FROM response_events`), JSON.stringify(await h.query(`SELECT kind, score, status, reason, response_id FROM response_events ORDER BY rowid DESC LIMIT 3`))).toEqual(eventsBefore);
      expect(await stored(await responsesOf(s.survey.id))).toEqual(expected);
      expect(accepted(await s.inbox.receipts())).toHaveLength(receipts.length);
    });

    it('writes a queued vote in ONE database round trip, like a live click', async () => {
      // No webhook endpoint: the write is all the consumer sends to the database.
      const api = new Api(h, (await h.newWorkspace('Quiet')).apiKey);
      const survey = await api.createSurvey({ scale: 'thumbs' });
      const { links } = await api.mint(survey.id, 'TRIPS-1', 'trips@example.com');
      const down = await whileDown(pathOf(links[0]!.url));
      expect(down.status, down.html).toBe(200);
      const before = await h.roundTrips();
      const result = await h.consumeQueue(down.sent);
      expect(result.explicitAcks).toHaveLength(1);
      expect((await h.roundTrips()) - before).toBe(1);
      expect(await responsesOf(survey.id)).toHaveLength(1);
    });

    it('a queued click overtaken by a later live click is not applied: the later answer stands', async () => {
      const s = await setup();
      const m = await s.message();
      const down = await whileDown(m.url(1));
      expect(down.status, down.html).toBe(200);
      // Back up: the customer clicks again before the queue drains.
      h.advanceClock(30_000);
      const live = await h.fetch(m.url(3), { headers: BROWSER_HEADERS });
      expect(live.status, await live.text()).toBe(303);
      const before = h.loggedErrors.length;
      for (const attempt of [1, 2]) {
        const result = await h.consumeQueue(down.sent, attempt);
        expect(result.explicitAcks).toEqual([down.sent[0]!.id]);
      }
      expect(h.loggedErrors.slice(before).map((e) => e.message)).toEqual(['queued vote superseded by a later click: not applied', 'queued vote superseded by a later click: not applied']);
      const rows = await responsesOf(s.survey.id);
      expect(rows).toMatchObject([{ score: 3 }]);
      expect(await h.query(`SELECT kind, score FROM response_events WHERE response_id = ?`, [String(rows[0]!.id)])).toEqual([{ kind: 'created', score: 3 }]);
    });

    it('shows the queued page in the customer’s language', async () => {
      const s = await setup();
      const m = await s.message();
      const { status, html } = await whileDown(m.url(1), { ...BROWSER_HEADERS, 'accept-language': 'de-DE,de;q=0.9' });
      expect(status, html).toBe(200);
      expect(html).toContain('<html lang="de"');
      expect(html).toContain('Ihre Antwort ist gesichert und erscheint in Kürze.');
    });
  });

  describe('rejects', () => {
    it.each([
      ['a score off the scale', (url: (n: number) => string) => url(1).replace(/\/1$/, '/9'), 400],
      ['a damaged token', (url: (n: number) => string) => url(1).replace(/\/r\/(.)/, (_, c: string) => `/r/${c === 'A' ? 'B' : 'A'}`), 400],
    ])('%s is refused as on time, and nothing is queued', async (_, path, status) => {
      const s = await setup();
      const m = await s.message();
      const down = await whileDown(path(m.url));
      expect(down.status, down.html).toBe(status);
      expect(down.sent).toEqual([]);
    });

    it('a message body it does not know is acknowledged and logged, not retried forever', async () => {
      const before = h.loggedErrors.length;
      const result = await h.consumeQueue([{ id: 'm-unknown', timestamp: Date.now(), body: { v: 99, vote: {} } }]);
      expect(result.explicitAcks).toEqual(['m-unknown']);
      expect(h.loggedErrors.slice(before).map((e) => e.message)).toContain('queued vote dropped: unknown message body');
    });

    it('a vote whose survey was deleted meanwhile is dropped and logged', async () => {
      const s = await setup();
      const m = await s.message();
      const { status, html, sent } = await whileDown(m.url(2));
      expect(status, html).toBe(200);
      const body = sent[0]!.body as { vote: { surveyId: string } };
      const before = h.loggedErrors.length;
      const result = await h.consumeQueue([{ ...sent[0]!, body: { ...body, vote: { ...body.vote, surveyId: 'sv_gone0000000000000000' } } }]);
      expect(result.explicitAcks).toEqual([sent[0]!.id]);
      expect(h.loggedErrors.slice(before)).toContainEqual({ message: 'queued vote dropped', fields: expect.objectContaining({ reason: 'SURVEY_NOT_FOUND' }) });
    });
  });

  describe('security', () => {
    it('a queued vote is written under the identity of its signed link only', async () => {
      const s = await setup();
      const m = await s.message();
      const { status, html, sent } = await whileDown(m.url(3));
      expect(status, html).toBe(200);
      const [message] = sent;
      expect(message!.body).toMatchObject({ v: 1, vote: { surveyId: s.survey.id, subject: m.subject, score: 3, classification: { status: expect.any(String) } } });
      // The message carries no token and no key: only what the write needs.
      expect(JSON.stringify(message!.body)).not.toContain(m.url(3).split('/')[2]!);
    });
  });
});

describe('a recipient suppressed while their vote waits on the queue (Workers, vote queue)', () => {
  /** Erasure with `suppress=true` through the API, while the click waits on the queue. */
  async function suppress(api: Api, email: string) {
    const { json } = await api.call('DELETE', `/respondents/${encodeURIComponent(email)}?suppress=true`, undefined, 200);
    expect(json.suppressed).toBe(true);
  }

  /** Nothing of the queued click is stored: no response, no event, no webhook event. */
  async function expectNothingOf(surveyId: string, eventId: string) {
    expect(await responsesOf(surveyId)).toEqual([]);
    expect(await h.query('SELECT id FROM response_events WHERE id = ?', [eventId])).toEqual([]);
    expect(await h.query('SELECT id FROM webhook_events WHERE cause_id = ?', [eventId])).toEqual([]);
  }

  describe('security', () => {
    it('a per-message click queued before the erasure records nothing when written; acknowledged, logged, and not retried', async () => {
      const s = await setup();
      const m = await s.message();
      const down = await whileDown(m.url(1));
      expect(down.status, down.html).toBe(200);
      expect(down.sent).toHaveLength(1);
      await suppress(s.api, 'Customer1@Example.com');
      const before = h.loggedErrors.length;
      // Twice: a redelivery finds the same refusal.
      for (const attempt of [1, 2]) expect((await h.consumeQueue(down.sent, attempt)).explicitAcks).toEqual([down.sent[0]!.id]);
      expect(h.loggedErrors.slice(before)).toContainEqual({ message: 'queued vote dropped', fields: expect.objectContaining({ reason: 'RECIPIENT_SUPPRESSED' }) });
      await expectNothingOf(s.survey.id, (down.sent[0]!.body as { vote: { queuedEventId: string } }).vote.queuedEventId);
      h.advanceClock(120_000);
      await h.dispatch();
      expect(await s.inbox.receipts()).toEqual([]);
    });

    it('a message that carries no suppression hashes (queued before a key rotation or by an older version) is refused all the same', async () => {
      const s = await setup();
      const m = await s.message();
      const down = await whileDown(m.url(3));
      const body = down.sent[0]!.body as { vote: Record<string, unknown> };
      const { suppression: _, ...vote } = body.vote;
      await suppress(s.api, 'customer1@example.com');
      const result = await h.consumeQueue([{ ...down.sent[0]!, body: { ...body, vote } }]);
      expect(result.explicitAcks).toEqual([down.sent[0]!.id]);
      await expectNothingOf(s.survey.id, String(vote.queuedEventId));
    });

    it('a signature click whose link could not be read, with the address as hint, records nothing when written', async () => {
      const s = await signatureLink();
      const down = await whileDown(s.path(3, '?t=T-88&e=bob%40example.com'));
      expect(down.status, down.html).toBe(200);
      expect(down.sent[0]!.body).toMatchObject({ signature: { email: 'bob@example.com' } });
      await suppress(s.api, 'bob@example.com');
      const before = h.loggedErrors.length;
      expect((await h.consumeQueue(down.sent)).explicitAcks).toEqual([down.sent[0]!.id]);
      expect(h.loggedErrors.slice(before)).toContainEqual({ message: 'queued vote dropped', fields: expect.objectContaining({ reason: 'RECIPIENT_SUPPRESSED' }) });
      await expectNothingOf(s.survey.id, String((down.sent[0]!.body as { eventId: string }).eventId));
    });

    it('another address of the same workspace, queued at the same time, is written', async () => {
      const s = await setup();
      const kept = await s.message();
      const erased = await s.message();
      const downKept = await whileDown(kept.url(2));
      const downErased = await whileDown(erased.url(2));
      await suppress(s.api, 'customer2@example.com');
      const result = await h.consumeQueue([...downKept.sent, ...downErased.sent]);
      expect(result.explicitAcks.sort()).toEqual([downKept.sent[0]!.id, downErased.sent[0]!.id].sort());
      expect((await responsesOf(s.survey.id)).map((r) => r.subject)).toEqual([kept.subject]);
    });
  });
});
