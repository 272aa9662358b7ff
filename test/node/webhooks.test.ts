import { describe, expect, it } from 'vitest';
import { Api, click } from '../contract/client';
import { Inbox } from '../contract/receiver';
import { webhooksContract } from '../contract/webhooks.contract';
import { startNodeHarness } from './harness';

// The contract checks delivery itself: feedback.negative goes out at once (the settle window has
// its own tests in test/contract/humans.contract.ts).
webhooksContract(() => startNodeHarness({ NEGATIVE_SETTLE_SECONDS: '0', VOTE_SETTLE_SECONDS: '0' }));

describe('Node dispatch timer (the stand-in for the Workers Cron Trigger)', () => {
  it('sends a retry once it is due, with no one calling the dispatcher', async () => {
    const h = await startNodeHarness({ NEGATIVE_SETTLE_SECONDS: '0', VOTE_SETTLE_SECONDS: '0' }, { dispatchIntervalMs: 20 });
    try {
      const api = new Api(h, (await h.newWorkspace('CRM')).apiKey);
      const inbox = new Inbox(h.receiverUrl);
      const { json: endpoint } = await api.call('POST', '/webhooks', { url: inbox.url }, 201);
      await inbox.configure({ secrets: [endpoint.secret], script: [{ status: 500 }] });
      const survey = await api.createSurvey();
      const { links } = await api.mint(survey.id, 'T-1', 'ann@example.com');
      await click(h, links[0]!.url);
      await inbox.waitFor(1);
      await new Promise((done) => setTimeout(done, 100)); // several ticks: nothing is due yet
      expect(await inbox.receipts()).toHaveLength(1);

      h.advanceClock(7000);
      const receipts = await inbox.waitFor(2, 2000);
      expect(receipts.map((r) => r.webhookId)).toEqual([receipts[0]!.webhookId, receipts[0]!.webhookId]);
      expect(receipts[1]!.verifiedWith).toEqual([0]);
      await h.dispatch(); // waits for the timer's run in flight to report
      const { json } = await api.call('GET', `/webhooks/${endpoint.id}/deliveries`, undefined, 200);
      expect(json.data[0]).toMatchObject({ status: 'succeeded', attempts: 2 });
    } finally {
      await h.close();
    }
  });
});

describe('a paused endpoint holds its deliveries (out of the due index, so its backlog is never walked)', () => {
  it('holds what is pending and what arrives while paused, and releases it all on resume', async () => {
    const h = await startNodeHarness({ NEGATIVE_SETTLE_SECONDS: '0', VOTE_SETTLE_SECONDS: '0' });
    try {
      const api = new Api(h, (await h.newWorkspace('CRM')).apiKey);
      const inbox = new Inbox(h.receiverUrl);
      const { json: endpoint } = await api.call('POST', '/webhooks', { url: inbox.url }, 201);
      await inbox.configure({ secrets: [endpoint.secret] });
      const survey = await api.createSurvey();
      const held = async () =>
        (await h.db.$client.execute({ sql: `SELECT held, count(*) AS n FROM webhook_deliveries WHERE endpoint_id = ? AND status = 'pending' GROUP BY held ORDER BY held`, args: [endpoint.id] })).rows.map(
          (row) => [Number(row.held), Number(row.n)],
        );

      await api.call('PATCH', `/webhooks/${endpoint.id}`, { status: 'paused' }, 200);
      await click(h, (await api.mint(survey.id, 'T-1', 'ann@example.com')).links[0]!.url);
      await click(h, (await api.mint(survey.id, 'T-2', 'bob@example.com')).links[0]!.url);
      await h.settle();
      expect(await held()).toEqual([[1, 2]]);
      await h.dispatch();
      expect(await inbox.receipts()).toHaveLength(0);

      await api.call('PATCH', `/webhooks/${endpoint.id}`, { status: 'active' }, 200);
      expect(await held()).toEqual([[0, 2]]);
      await h.dispatch();
      expect(await inbox.waitFor(2)).toHaveLength(2);
      expect(await held()).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
