import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testKeys } from '../contract/keys';
import { openNodeDatabase } from '../../worker/node/database';
import { type InboxConfig, type Receipt, startWebhookReceiver } from '../support/webhook-receiver';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'clickback-cli-'));
const env = { ...process.env, DATABASE_URL: `file:${join(dir, 'cli.db')}`, PUBLIC_URL: 'https://feedback.example.com', ...testKeys() };

function cli(...args: string[]) {
  return run(join(root, 'node_modules/.bin/tsx'), [join(root, 'scripts/cli.ts'), ...args], { cwd: dir, env });
}

/** The CLI with ALLOW_INSECURE_WEBHOOKS=1, so it may call the receiver on http://127.0.0.1. */
function insecureCli(...args: string[]) {
  return run(join(root, 'node_modules/.bin/tsx'), [join(root, 'scripts/cli.ts'), ...args], { cwd: dir, env: { ...env, ALLOW_INSECURE_WEBHOOKS: '1' } });
}

/** The JSON a command printed, or a failure that shows what it printed instead. */
function json(output: { stdout: string; stderr?: string }) {
  try {
    return JSON.parse(output.stdout);
  } catch {
    throw new Error(`not JSON:\n${output.stdout}\n${output.stderr ?? ''}`);
  }
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A test that runs the CLI several times: each run is a fresh process that starts tsx and opens the
 * database (1–3 s each, more on a busy machine), so such a test gets more time than the default.
 */
const SEVERAL_RUNS = { timeout: 90_000 };

describe('npm run cli', () => {
  it('explains every command in --help', async () => {
    const { stdout } = await cli('--help');
    const commands = ['workspace create', 'key create', 'survey create', 'links', 'responses', 'respondent erase', 'respondent export', 'keys generate'];
    const webhookCommands = ['create', 'list', 'update', 'delete', 'rotate-secret', 'ping', 'deliveries', 'retry', 'replay'].map((sub) => `webhook ${sub}`);
    for (const command of [...commands, ...webhookCommands]) expect(stdout).toContain(command);
  });

  it('creates a workspace, a survey and links, and lists responses, against DATABASE_URL', SEVERAL_RUNS, async () => {
    const created = JSON.parse((await cli('workspace', 'create', 'Acme', 'Support', '--json')).stdout);
    expect(created).toEqual({ workspace: { id: expect.stringMatching(/^ws_/), name: 'Acme Support' }, apiKey: expect.stringMatching(/^cbk_/), setupUrl: expect.stringMatching(/\/app\/setup\/[A-Za-z0-9_-]{43}$/) });
    const ws = created.workspace.id;
    const survey = JSON.parse((await cli('survey', 'create', '--workspace', ws, '--name', 'CSAT', '--scale', 'csat3', '--question', 'How did we do?', '--translation', 'it=Com’è andata?', '--json')).stdout);
    expect(survey).toMatchObject({ scale: 'csat3', translations: { it: 'Com’è andata?' } });
    const links = JSON.parse((await cli('links', '--workspace', ws, '--survey', survey.id, '--subject', 'T-9', '--recipient', 'a@example.com', '--json')).stdout);
    expect(links.links).toHaveLength(3);
    expect(links.links[0].url).toMatch(/^https:\/\/feedback\.example\.com\/r\/[\w.-]+\/1$/);
    // The recipients of signature votes are the service's own namespace, from the CLI as from the API.
    await expect(cli('links', '--workspace', ws, '--survey', survey.id, '--subject', 'T-9', '--recipient', 'hint:a@example.com')).rejects.toMatchObject({ stderr: expect.stringContaining('"recipient" must not start with "hint:"') });
    const responses = JSON.parse((await cli('responses', '--workspace', ws, '--json')).stdout);
    expect(responses).toEqual({ data: [], next: null });
  });

  it('respondent export writes everything about an address to a private file; respondent erase --suppress erases it and refuses new links', SEVERAL_RUNS, async () => {
    const ws = json(await cli('workspace', 'create', 'Privacy', '--json')).workspace.id;
    const survey = json(await cli('survey', 'create', '--workspace', ws, '--name', 'CSAT', '--scale', 'csat3', '--question', 'How?', '--json'));
    await cli('links', '--workspace', ws, '--survey', survey.id, '--subject', 'T-1', '--recipient', 'erin@example.com');
    const out = join(dir, 'erin.json');
    const written = json(await cli('respondent', 'export', 'erin@example.com', '--workspace', ws, '--out', out, '--json'));
    expect(written).toEqual({ out, responses: 0 });
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ email: 'erin@example.com', suppressed: false, responses: [] });
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const erased = json(await cli('respondent', 'erase', 'Erin@example.com', '--workspace', ws, '--suppress', '--json'));
    expect(erased).toEqual({ responses: 0, events: 0, contacts: 0, followUps: 0, followUpNotes: 0, followUpLog: 0, reviewClicks: 0, webhookEvents: 0, webhookDeliveries: 0, suppressed: true });
    await expect(cli('links', '--workspace', ws, '--survey', survey.id, '--subject', 'T-2', '--recipient', 'erin@example.com')).rejects.toMatchObject({
      stderr: expect.stringContaining('(RECIPIENT_SUPPRESSED)'),
    });
    await expect(cli('respondent', 'erase', 'not-an-address', '--workspace', ws)).rejects.toMatchObject({ stderr: expect.stringContaining('(VALIDATION_FAILED)') });
    await expect(cli('respondent', 'export', 'erin@example.com', '--workspace', ws)).rejects.toMatchObject({ stderr: expect.stringContaining('--out is required') });
  });

  it('shows who voted through a signature link and what its caps refused', SEVERAL_RUNS, async () => {
    const created = json(await cli('workspace', 'create', 'Sources', '--json'));
    const ws = created.workspace.id;
    const survey = json(await cli('survey', 'create', '--workspace', ws, '--name', 'CSAT', '--scale', 'csat3', '--question', 'How did we do?', '--json'));
    const snippet = json(await cli('snippet', '--workspace', ws, '--survey', survey.id, '--json'));
    expect(json(await cli('signature-link', 'sources', snippet.signatureLink, '--workspace', ws, '--json'))).toEqual({ link: snippet.signatureLink, data: [] });
    // What the click write leaves behind: a network that hit its cap, and a browser.
    const db = await openNodeDatabase(env.DATABASE_URL);
    const day = Math.floor(Date.now() / 86_400_000);
    await db.execute({ sql: 'INSERT INTO signature_vote_counts (link_id, day, source, responses, excess, first_excess_at, last_excess_at) VALUES (?, ?, ?, 20, 9995, ?, ?), (?, ?, ?, 3, 0, NULL, NULL)', args: [snippet.signatureLink, day, 'net:203.0.113.0/24', day * 86_400_000 + 1000, day * 86_400_000 + 9000, snippet.signatureLink, day, 'browser:0123456789abcdefghjk'] });
    db.close();
    const today = new Date(day * 86_400_000).toISOString().slice(0, 10);
    expect(json(await cli('signature-link', 'sources', snippet.signatureLink, '--workspace', ws, '--json')).data).toEqual([
      { day: today, source: 'browser:0123456789abcdefghjk', responses: 3, excess: 0, firstExcessAt: null, lastExcessAt: null },
      { day: today, source: 'net:203.0.113.0/24', responses: 20, excess: 9995, firstExcessAt: `${today}T00:00:01.000Z`, lastExcessAt: `${today}T00:00:09.000Z` },
    ]);
    expect((await cli('signature-link', 'sources', snippet.signatureLink, '--workspace', ws)).stdout).toContain('9995 refused');
    await expect(cli('signature-link', 'sources', 'sl_0000000000000000', '--workspace', ws)).rejects.toMatchObject({ stderr: expect.stringContaining('No signature link') });
  });

  it('member invite prints a one-time invitation link; workspace setup-link a new setup link', SEVERAL_RUNS, async () => {
    const ws = json(await cli('workspace', 'create', 'Invites', '--json')).workspace.id as string;
    const invite = json(await cli('member', 'invite', '--workspace', ws, '--email', 'Agent@Example.com', '--role', 'admin', '--json'));
    expect(invite).toEqual({ inviteUrl: expect.stringMatching(/^https:\/\/feedback\.example\.com\/app\/invite\/[A-Za-z0-9_-]{43}$/) });
    const setup = json(await cli('workspace', 'setup-link', '--workspace', ws, '--json'));
    expect(setup).toEqual({ workspace: ws, setupUrl: expect.stringMatching(/^https:\/\/feedback\.example\.com\/app\/setup\/[A-Za-z0-9_-]{43}$/) });
    const client = await openNodeDatabase(env.DATABASE_URL);
    try {
      const rows = (await client.execute({ sql: 'SELECT kind, role, email FROM invitations WHERE workspace_id = ? ORDER BY kind', args: [ws] })).rows.map((r) => ({ ...r }));
      expect(rows).toEqual([
        { kind: 'invite', role: 'admin', email: 'agent@example.com' },
        { kind: 'setup', role: 'owner', email: null },
        { kind: 'setup', role: 'owner', email: null },
      ]);
    } finally {
      client.close();
    }
    for (const [args, error] of [
      [['member', 'invite', '--workspace', ws, '--email', 'a@example.com', '--role', 'boss'], '--role must be one of owner, admin, member'],
      [['member', 'invite', '--workspace', ws, '--email', 'not-an-email', '--role', 'member'], '--email must be an email address'],
      [['member', 'invite', '--workspace', ws, '--role', 'member'], '--email is required'],
    ] as const) {
      const failure = await cli(...args).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => e,
      );
      expect(failure.code, failure.stderr).toBe(1);
      expect(failure.stderr).toContain(error);
    }
  });

  it('fails clearly on bad input', async () => {
    await expect(cli('survey', 'create', '--name', 'x', '--scale', 'stars', '--question', 'q')).rejects.toMatchObject({ stderr: expect.stringMatching(/error: (--scale must be one of|several workspaces)/) });
    await expect(cli('frobnicate')).rejects.toMatchObject({ stderr: expect.stringContaining('unknown command') });
  });

  it.each([
    { name: 'an unknown scale', args: ['survey', 'create', '--name', 'x', '--scale', 'stars', '--question', 'q'], error: '--scale must be one of csat3, csat5, nps, ces7, thumbs' },
    { name: 'no name', args: ['survey', 'create', '--scale', 'nps', '--question', 'q'], error: '--name is required' },
    { name: 'a translation too long', args: ['survey', 'create', '--name', 'x', '--scale', 'nps', '--question', 'q', '--translation', `it=${'x'.repeat(501)}`], error: '--translation must be 1 to 500 characters' },
    { name: 'links that expire in 0 days', args: ['links', '--survey', 'sv_0000000000000000', '--subject', 'T', '--recipient', 'a@example.com', '--days', '0'], error: '--days must be a whole number from 1 to 3650' },
    { name: 'an unknown snippet style', args: ['snippet', '--survey', 'sv_0000000000000000', '--style', 'svg'], error: '--style must be one of emoji, image, text' },
  ])('validates $name with the schema the API uses', async ({ args, error }) => {
    const ws = json(await cli('workspace', 'create', 'Schemas', '--json')).workspace.id;
    const failure = await cli(...args, '--workspace', ws).then(
      (ok) => expect.fail(`exit 0 instead of an error:\n${ok.stdout}`),
      (e: { code: number; stderr: string }) => e,
    );
    expect(failure.code, failure.stderr).toBe(1);
    expect(failure.stderr).toContain(`error: ${error}`);
  });

  it('generates fresh key rings', async () => {
    const { stdout } = await cli('keys', 'generate');
    expect(stdout).toMatch(/^LINK_KEYS=\w+:[\w-]{43}\nFORM_KEYS=\w+:[\w-]{43}\n?$/);
  });
});

describe('npm run cli -- webhook', () => {
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterAll(() => receiver.close());

  const configure = async (inbox: string, config: InboxConfig) => {
    const res = await fetch(`${receiver.url}/inboxes/${inbox}`, { method: 'PUT', body: JSON.stringify(config) });
    expect(res.status, await res.text()).toBe(200);
  };
  const receipts = async (inbox: string): Promise<Receipt[]> => ((await (await fetch(`${receiver.url}/inboxes/${inbox}`)).json()) as { receipts: Receipt[] }).receipts;

  describe('happy path', () => {
    it('creates, pings, lists, pauses, resumes, retries, replays, rotates and deletes an endpoint, sending from the CLI process', { timeout: 180_000 }, async () => {
      const ws = json(await cli('workspace', 'create', 'Webhooks', '--json')).workspace.id as string;
      const url = `${receiver.url}/hooks/crm`;

      const created = json(await insecureCli('webhook', 'create', '--workspace', ws, '--url', url, '--events', 'feedback.negative,feedback.commented', '--description', 'CRM', '--json'));
      expect(created).toMatchObject({ id: expect.stringMatching(/^wh_/), url, events: ['feedback.negative', 'feedback.commented'], description: 'CRM', status: 'active', secret: expect.stringMatching(/^whsec_/) });
      const id = created.id as string;
      const secret = created.secret as string;
      await configure('crm', { secrets: [secret] });

      // A ping arrives signed with the secret; the CLI reports the receiver's answer.
      const ping = json(await insecureCli('webhook', 'ping', id, '--workspace', ws, '--json'));
      expect(ping).toMatchObject({ id: expect.stringMatching(/^whd_/), endpoint: id, status: 'succeeded', attempts: 1, lastStatus: 204, event: { type: 'webhook.ping' } });
      let got = await receipts('crm');
      expect(got, JSON.stringify(got)).toHaveLength(1);
      expect(got[0]).toMatchObject({ webhookId: ping.id, verifiedWith: [0], verifyError: null, body: { id: ping.event.id, type: 'webhook.ping', data: { endpoint: id } } });

      const listed = json(await cli('webhook', 'list', '--workspace', ws, '--json'));
      expect(listed.data).toEqual([expect.objectContaining({ id, url, status: 'active' })]);
      expect(listed.data[0], 'the secret is shown only when created or rotated').not.toHaveProperty('secret');
      expect((await cli('webhook', 'deliveries', id, '--workspace', ws)).stdout).toMatch(new RegExp(`${ping.id}\\s+succeeded\\s+1×\\s+webhook\\.ping\\s+${ping.event.id}\\s+HTTP 204`));
      expect(json(await cli('webhook', 'deliveries', id, '--workspace', ws, '--status', 'failed', '--limit', '5', '--json'))).toEqual({ data: [], next: null });

      // Paused: nothing can be pinged; resumed: it can again.
      expect(json(await cli('webhook', 'update', id, '--workspace', ws, '--pause', '--json'))).toMatchObject({ id, status: 'paused', pausedReason: 'manual' });
      await expect(insecureCli('webhook', 'ping', id, '--workspace', ws)).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('error: The endpoint is paused') });
      expect((await insecureCli('webhook', 'update', id, '--workspace', ws, '--resume')).stdout).toContain(`webhook ${id} active`);

      // The receiver fails once: the CLI says so and exits 1; a retry resends the same message.
      await configure('crm', { secrets: [secret], script: [{ status: 500 }] });
      const failed = await insecureCli('webhook', 'ping', id, '--workspace', ws, '--json').then(
        () => expect.fail('a ping the receiver refused must exit 1'),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(/error: ping whd_\w+ was not delivered/);
      const pending = json(failed);
      expect(pending).toMatchObject({ status: 'pending', lastStatus: 500, lastError: 'the receiver answered 500' });
      const retried = json(await insecureCli('webhook', 'retry', id, pending.id, '--workspace', ws, '--json'));
      expect(retried).toMatchObject({ id: pending.id, status: 'succeeded', attempts: 2, lastStatus: 204 });
      got = await receipts('crm');
      expect(got.filter((r) => r.webhookId === pending.id).map((r) => r.reply.status ?? 204), JSON.stringify(got)).toEqual([500, 204]);

      // A replay is a new message (new webhook-id) carrying the same event.
      const replayed = json(await insecureCli('webhook', 'replay', id, pending.event.id, '--workspace', ws, '--json'));
      expect(replayed).toMatchObject({ id: expect.not.stringMatching(pending.id), status: 'succeeded', event: { id: pending.event.id } });
      expect((await receipts('crm')).at(-1)).toMatchObject({ webhookId: replayed.id, verifiedWith: [0], body: { id: pending.event.id } });

      // After a rotation both secrets sign, so a receiver still on the old one accepts the message.
      const rotated = json(await cli('webhook', 'rotate-secret', id, '--workspace', ws, '--json'));
      expect(rotated).toMatchObject({ id, secret: expect.stringMatching(/^whsec_/), previousSecretExpiresAt: expect.any(String) });
      expect(rotated.secret).not.toBe(secret);
      await configure('crm', { secrets: [secret, rotated.secret] });
      const afterRotation = json(await insecureCli('webhook', 'ping', id, '--workspace', ws, '--json'));
      expect((await receipts('crm')).at(-1)).toMatchObject({ webhookId: afterRotation.id, verifiedWith: [0, 1] });

      expect((await cli('webhook', 'delete', id, '--workspace', ws)).stdout.trim()).toBe(`deleted ${id}`);
      expect((await cli('webhook', 'list', '--workspace', ws)).stdout.trim()).toBe('(no webhooks)');
    });
  });

  describe('rejects', () => {
    let ws: string;
    beforeAll(async () => {
      ws = json(await cli('workspace', 'create', 'Webhook rejects', '--json')).workspace.id;
    });

    it.each([
      { name: 'no url', args: ['create'], error: '--url is required' },
      { name: 'plain http without ALLOW_INSECURE_WEBHOOKS', args: ['create', '--url', 'http://127.0.0.1:9/hook'], error: '"url" is not allowed' },
      { name: 'a private address', args: ['create', '--url', 'https://10.0.0.1/hook'], error: '"url" is not allowed' },
      { name: 'not a URL', args: ['create', '--url', 'crm.example.com/hook'], error: '"url" is not allowed' },
      { name: 'an unknown event', args: ['create', '--url', 'https://crm.example.com/hook', '--events', 'feedback.negative,feedback.deleted'], error: '"events" must be a non-empty list' },
      { name: 'an unknown endpoint (ping)', args: ['ping', 'wh_0000000000000000'], error: 'No webhook endpoint with this id' },
      { name: 'an unknown endpoint (delete)', args: ['delete', 'nonsense'], error: 'No webhook endpoint with this id' },
      { name: 'nothing to update', args: ['update', 'wh_0000000000000000'], error: 'nothing to change' },
      { name: 'pause and resume at once', args: ['update', 'wh_0000000000000000', '--pause', '--resume'], error: 'pass --pause or --resume, not both' },
      { name: 'retry without a delivery id', args: ['retry', 'wh_0000000000000000'], error: 'webhook retry <id> <delivery-id>' },
      { name: 'an unknown subcommand', args: ['frobnicate'], error: 'unknown command "webhook frobnicate"' },
    ])('$name', async ({ args, error }) => {
      const failure = await cli('webhook', ...args, '--workspace', ws).then(
        (ok) => expect.fail(`exit 0 instead of an error:\n${ok.stdout}`),
        (e: { code: number; stderr: string }) => e,
      );
      expect(failure.code, failure.stderr).toBe(1);
      expect(failure.stderr).toContain(`error: ${error}`);
    });
  });
});
